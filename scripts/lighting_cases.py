"""The labelled lighting cases, each run through the app's own code, for scripts/eval_lighting.py.

- photos (faces/backlit, faces/lighting-more): the pixels of the file through the pipeline of
  `oncue analyze PHOTO` (`InterviewPipeline` with a still-image FaceFinder, the frame scaled as
  `fit_frame` does); the verdict is the pipeline's clip report, `lighting.verdicts`;
- Yale faces (faces/yale-lighting): 168x192 crops with nothing around them, which no camera
  delivers; each is placed in the middle of a 640x480 frame filled with its own median grey (a
  face in a plain room) and then analysed as a photo, as above;
- clips (video/lighting-labels.csv): `overlay.session.offline.analyze_recording`, the app's
  offline pipeline at its analysis rate; the verdict is the JSON's `lighting.verdicts`.

Every item keeps the meter's per-frame readings, so the evaluation can judge them again with
other thresholds (`rejudged`) without measuring again.
"""

from __future__ import annotations

import csv
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.clip_lighting import LightingSummary  # noqa: E402
from detectors.lighting import LightingReading, LightMeter  # noqa: E402

log = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
        return lighting_verdicts(pipeline.report()), readings

    def close(self) -> None:
        self.finder.close()


def lighting_verdicts(report: Mapping[str, object]) -> tuple[str, ...]:
    """The clip verdicts of a pipeline report (`oncue analyze` JSON's `lighting.verdicts`)."""
    lighting = report["lighting"]
    assert isinstance(lighting, Mapping)
    return tuple(str(v) for v in lighting["verdicts"])


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
            item.verdicts = lighting_verdicts(result.pipeline.report())
            out.append(item)
            print(f"  {row['file']:46s} {row['expected']:17s} {','.join(item.verdicts) or '-':24s}"
                  f" {'PASS' if right(item.verdicts, item.accepted) else 'FAIL'}", flush=True)
    return out
