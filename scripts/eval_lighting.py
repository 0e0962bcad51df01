"""Lighting verdicts of the app itself on the labelled photos and clips; exits 1 below the bar.

    .venv/bin/python scripts/eval_lighting.py [--data PATH] [--no-clips] [--no-cv]

Every item goes through the app's own code, never a path of this script's:
- photos (faces/backlit, faces/lighting-more): the pixels of the file through the pipeline of
  `oncue analyze PHOTO` (`InterviewPipeline` with a still-image FaceFinder, the frame scaled as
  `fit_frame` does); the verdict is the pipeline's clip report, `lighting.verdicts`;
- Yale faces (faces/yale-lighting): 168x192 crops with nothing around them, which no camera
  delivers; each is placed in the middle of a 640x480 frame filled with its own median grey (a
  face in a plain room) and then analysed as a photo, as above;
- clips (video/lighting-labels.csv): `overlay.session.offline.analyze_recording`, the app's
  offline pipeline at its analysis rate; the verdict is the JSON's `lighting.verdicts`.

Bars (issue 16): every backlit or too-dark photo flagged; light from straight above (Yale E+90)
flagged `overhead` on at least 8 of 10 faces; frontal light (Yale A+000E+00, the `ok` photos and
clips) exactly `ok` on at least 95%.

Cross-validation (`--no-cv` skips it): the verdict thresholds of `LightMeter.judge` (backlight
contrast, dim face, hot face, overhead) are chosen on all sources but one from a small grid and
scored on the one left out; sources are each Yale person, backlit/, lighting-more/ and the clips.
The held-out figures are what docs/lighting.md reports.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.clip_lighting import LightingSummary  # noqa: E402
from detectors.lighting import LightingReading, LightMeter  # noqa: E402

log = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GRID = {"contrast_stops": (2.0, 2.5, 3.0), "dim_luma": (90.0, 100.0, 110.0, 120.0),
        "hot_face_luma": (140.0, 160.0, 180.0), "overhead_stops": (1.0, 1.5, 2.0)}


@dataclass
class Item:
    name: str
    source: str  # the cross-validation fold
    group: str  # what the bar calls it: flag, overhead, ok, side, ambient, other
    accepted: frozenset[str]  # verdicts that count as right ("ok": exactly ok)
    readings: list[LightingReading] = field(default_factory=list)  # what the app measured
    verdicts: tuple[str, ...] = ()  # the app's verdicts


def right(verdicts: tuple[str, ...], accepted: frozenset[str]) -> bool:
    if accepted == {"ok"}:
        return verdicts == ("ok",)
    return bool(accepted & set(verdicts))


def rejudged(item: Item, meter: LightMeter) -> tuple[str, ...]:
    """The clip verdicts with `meter`'s thresholds, from the readings the app took."""
    summary = LightingSummary()
    for r in item.readings:
        summary.add(r if r.face_luma is None else
                    LightingReading(**{**vars(r), "verdicts": meter.judge(r)}))
    return summary.result().verdicts


class AppStill:
    """`oncue analyze PHOTO`'s pipeline, keeping the meter's readings."""

    def __init__(self) -> None:
        from overlay.face_model import open_face_finder
        from overlay.settings import load_settings

        self.settings = load_settings(user_file=Path("/nonexistent"), environ={})
        self.finder = open_face_finder(video=False)

    def analyse(self, rgb: np.ndarray) -> tuple[tuple[str, ...], list[LightingReading]]:
        from overlay.capture.base import VideoFrame
        from overlay.capture.replay import fit_frame
        from overlay.session.pipeline import InterviewPipeline
        from overlay.session.recorder import SessionRecorder

        pipeline = InterviewPipeline(self.settings, SessionRecorder(keep_frames=True),
                                     self.finder)
        readings = _tap_readings(pipeline)
        pipeline.on_video(VideoFrame(t=0.0, rgb=fit_frame(rgb), index=0))
        pipeline.finish(0.0)
        return tuple(pipeline.report()["lighting"]["verdicts"]), readings

    def close(self) -> None:
        self.finder.close()


def _tap_readings(pipeline: object) -> list[LightingReading]:
    """Every reading the pipeline's own meter takes (wraps `measure` on that one instance)."""
    readings: list[LightingReading] = []
    meter = pipeline.scene.meter  # type: ignore[attr-defined]
    measure = meter.measure

    def keep(rgb: np.ndarray, face: object) -> LightingReading:
        r = measure(rgb, face)
        readings.append(r)
        return r

    meter.measure = keep
    return readings


def yale_items(data: Path, app: AppStill) -> list[Item]:
    from overlay.capture.media import read_image

    folder = data / "faces" / "yale-lighting"
    out = []
    with open(folder / "manifest.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["ambient_only"] == "1":
                group, accepted = "ambient", frozenset({"too_dark"})
            else:
                az, el = abs(float(row["light_azimuth_deg"])), float(row["light_elevation_deg"])
                group, accepted = (("ok", frozenset({"ok"})) if az == 0 and el == 0 else
                                   ("overhead", frozenset({"overhead"})) if el == 90 else
                                   ("side", frozenset({"uneven", "too_dark"})) if az >= 70 else
                                   ("other", frozenset()))
            crop = read_image(folder / row["file"])
            h, w = crop.shape[:2]
            canvas = np.full((480, 640, 3), int(np.median(crop)), np.uint8)
            canvas[(480 - h) // 2:(480 - h) // 2 + h, (640 - w) // 2:(640 - w) // 2 + w] = crop
            item = Item(row["file"], row["subject"], group, accepted)
            item.verdicts, item.readings = app.analyse(canvas)
            out.append(item)
    return out


def photo_items(data: Path, app: AppStill) -> list[Item]:
    from overlay.capture.media import read_image

    flag = frozenset({"backlit", "too_dark"})
    out = []
    for folder, column in (("backlit", "expected"), ("lighting-more", "label")):
        with open(data / "faces" / folder / "labels.csv", newline="") as fh:
            for row in csv.DictReader(fh):
                label = row[column]
                item = Item(row["file"], folder, "ok" if label == "ok" else "flag",
                            frozenset({"ok"}) if label == "ok" else
                            frozenset({"too_dark"}) if label == "too_dark" else flag)
                item.verdicts, item.readings = app.analyse(
                    read_image(data / "faces" / folder / row["file"]))
                out.append(item)
    return out


def clip_items(data: Path) -> list[Item]:
    from overlay.face_model import open_face_finder
    from overlay.session.offline import analyze_recording
    from overlay.settings import load_settings

    settings = load_settings(user_file=Path("/nonexistent"), environ={})
    out = []
    with open(data / "video" / "lighting-labels.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            with open_face_finder(video=True) as finder:
                readings: list[LightingReading] = []
                original = LightMeter.measure

                def keep(self: LightMeter, rgb: np.ndarray, face: object,
                         _keep: list[LightingReading] = readings,
                         _measure=original) -> LightingReading:  # type: ignore[no-untyped-def]
                    r = _measure(self, rgb, face)  # type: ignore[arg-type]
                    _keep.append(r)
                    return r

                LightMeter.measure = keep  # type: ignore[method-assign]
                try:
                    result = analyze_recording(data / "video" / row["file"], settings,
                                               face_finder=finder)
                finally:
                    LightMeter.measure = original  # type: ignore[method-assign]
            item = Item(row["file"], "clips", "ok" if row["expected"] == "ok" else "flag",
                        frozenset({row["expected"]}), readings)
            item.verdicts = tuple(result.pipeline.report()["lighting"]["verdicts"])
            out.append(item)
            print(f"  {row['file']:46s} {row['expected']:17s} {','.join(item.verdicts) or '-':24s}"
                  f" {'PASS' if right(item.verdicts, item.accepted) else 'FAIL'}", flush=True)
    return out


def bars(items: list[Item], verdicts_of) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    def count(pred) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        chosen = [i for i in items if pred(i)]
        return sum(right(verdicts_of(i), i.accepted) for i in chosen), len(chosen)

    return {
        "backlit or too-dark photos flagged": count(
            lambda i: i.group == "flag" and i.source in ("backlit", "lighting-more")),
        "Yale light from above: overhead": count(lambda i: i.group == "overhead"),
        "frontal light ok (Yale, ok photos, ok clips)": count(lambda i: i.group == "ok"),
        "Yale side light: uneven or too dark": count(lambda i: i.group == "side"),
        "Yale ambient only: too dark": count(lambda i: i.group == "ambient"),
        "labelled clips right": count(lambda i: i.source == "clips"),
    }


BAR = {"backlit or too-dark photos flagged": 1.0, "Yale light from above: overhead": 0.8,
       "frontal light ok (Yale, ok photos, ok clips)": 0.95}


def print_bars(title: str, figures: dict[str, tuple[int, int]]) -> bool:
    print(f"\n{title}")
    ok = True
    for name, (good, n) in figures.items():
        need = BAR.get(name)
        met = need is None or (n > 0 and good / n >= need - 1e-9)
        ok &= met
        bar = f"bar {need:.0%}" if need is not None else ""
        status = "" if need is None else "PASS" if met else "FAIL"
        print(f"  {name:46s} {good:3d}/{n:<3d} {bar:9s} {status}")
    return ok


def cross_validate(items: list[Item]) -> dict[str, tuple[int, int]]:
    """Leave one source out: thresholds picked on the rest, verdicts of the held-out source."""
    sets = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    judged = [i for i in items if i.accepted]
    # Each threshold set's verdicts for every item, once.
    table = [{id(i): rejudged(i, LightMeter(**params)) for i in judged} for params in sets]
    held: dict[int, tuple[str, ...]] = {}
    for source in sorted({i.source for i in judged}):
        train = [i for i in judged if i.source != source]
        # Balanced: each bar group weighs the same, so 70 Yale faces do not drown 7 photos.
        def score(k: int, train: list[Item] = train) -> float:
            groups: dict[str, list[bool]] = {}
            for i in train:
                groups.setdefault(i.group, []).append(right(table[k][id(i)], i.accepted))
            return sum(sum(v) / len(v) for v in groups.values()) / len(groups)
        default = sets.index(dict(zip(GRID, (2.5, 100.0, 140.0, 1.5), strict=True)))
        best = max(range(len(sets)), key=lambda k: (score(k), k == default))
        chosen = "" if best == default else f": picked {sets[best]}"
        for i in judged:
            if i.source == source:
                held[id(i)] = table[best][id(i)]
                if not right(held[id(i)], i.accepted):
                    print(f"  held-out miss ({source}{chosen}): {i.name} -> "
                          f"{','.join(held[id(i)]) or 'unknown'}")
    return bars([i for i in items if id(i) in held], lambda i: held[id(i)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-clips", action="store_true", help="photos and Yale faces only")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not args.data.is_dir():
        print(f"{args.data}: shared data not found", file=sys.stderr)
        return 2
    app = AppStill()
    try:
        items = yale_items(args.data, app) + photo_items(args.data, app)
    finally:
        app.close()
    print("Photos (the app's verdicts)")
    for i in items:
        if i.source in ("backlit", "lighting-more"):
            found = "face" if any(r.face_found for r in i.readings) else "no face"
            print(f"  {i.source + '/' + i.name:42s} {'/'.join(sorted(i.accepted)):18s} "
                  f"{','.join(i.verdicts) or '- (unknown)':28s} {found:8s} "
                  f"{'PASS' if right(i.verdicts, i.accepted) else 'FAIL'}")
    for i in items:
        if i.group in ("ok", "overhead") and i.source.startswith("yale") \
                and not right(i.verdicts, i.accepted):
            print(f"  miss: {i.name} ({i.group}) -> {','.join(i.verdicts) or 'unknown'}")
    if not args.no_clips:
        print("\nClips (oncue analyze)")
        items += clip_items(args.data)
    ok = print_bars("The app as shipped (default thresholds)", bars(items, lambda i: i.verdicts))
    if not args.no_cv:
        print_bars("Held out (leave one source out: each Yale person, backlit/, lighting-more/"
                   + (", clips)" if not args.no_clips else ")"), cross_validate(items))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
