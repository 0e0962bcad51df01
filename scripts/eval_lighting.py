"""Lighting verdicts against the labelled photos and clips in ../shared/data; exits 1 below the bar.

    .venv/bin/python scripts/eval_lighting.py [--data PATH] [--fps 5]

Three sets:
- faces/yale-lighting: 168x192 grey tight crops. MediaPipe rarely finds a face in a crop that
  tight, so each is padded into a canvas three times its size (filled with its median grey) and
  run in IMAGE mode; when that finds nothing, once more on a histogram-equalised copy. The
  equalised copy only *locates* the face: the light is always measured on the original pixels,
  with the landmarks mapped back into the crop, so there is (almost) no background to compare.
- faces/backlit: photos scaled to fit 640 px, IMAGE mode.
- video/lighting-labels.csv: clips decoded with PyAV, scaled to fit 640 px and sampled at --fps
  (5 by default; a clip verdict is a share of frames, so every frame is not needed) through one
  VIDEO-mode FaceFinder per clip; the clip verdict is `LightingSummary` (>= 30 % of judged frames).
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.face import Face, FaceFinder  # noqa: E402
from detectors.framing import FramingCheck, FramingSummary  # noqa: E402
from detectors.lighting import LightingSummary, LightMeter  # noqa: E402
from overlay.capture.media import read_image  # noqa: E402
from overlay.paths import face_model_path  # noqa: E402

log = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def fit(rgb: np.ndarray, side: int = 640) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    if scale >= 1.0:
        return rgb
    return cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def find_in_crop(finder: FaceFinder, crop: np.ndarray) -> Face | None:
    """Landmarks for a tight crop, in the crop's own coordinates (see the module docstring)."""
    import cv2

    h, w = crop.shape[:2]
    grey = crop[..., 0] if crop.ndim == 3 else crop
    attempts = [(crop, h, w), (np.repeat(cv2.equalizeHist(grey)[..., None], 3, axis=2), h // 2,
                               w // 2)]
    for image, ph, pw in attempts:
        canvas = np.pad(image, ((ph, ph), (pw, pw), (0, 0)), constant_values=int(np.median(image)))
        face = finder.find(canvas)
        if face is None:
            continue
        big_w, big_h = face.image_size
        lms = face.landmarks.copy()
        lms[:, 0] = (lms[:, 0] * big_w - pw) / w
        lms[:, 1] = (lms[:, 1] * big_h - ph) / h
        return Face(landmarks=lms, blendshapes=face.blendshapes, head_matrix=face.head_matrix,
                    image_size=(w, h))
    return None


def yale_group(row: dict[str, str]) -> str:
    if row["ambient_only"] == "1":
        return "ambient_only"
    az, el = abs(float(row["light_azimuth_deg"])), float(row["light_elevation_deg"])
    if az == 0 and el == 0:
        return "frontal A+000E+00"
    if el == 90:
        return "overhead E+90"
    if az >= 70:
        return "side |az|>=70"
    return "other (no bar)"


YALE_BAR = {  # group -> (accepted verdicts, required share); "ok" means exactly ("ok",)
    "frontal A+000E+00": ({"ok"}, 0.95),
    "ambient_only": ({"too_dark"}, 1.0),
    "side |az|>=70": ({"uneven", "too_dark"}, 0.90),
    "overhead E+90": ({"overhead", "uneven"}, 0.80),
}


def passes(verdicts: tuple[str, ...], accepted: set[str]) -> bool:
    if accepted == {"ok"}:
        return verdicts == ("ok",)
    return bool(accepted & set(verdicts))


def eval_yale(data: Path, finder: FaceFinder, meter: LightMeter) -> bool:
    folder = data / "faces" / "yale-lighting"
    groups: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
    with open(folder / "manifest.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            crop = read_image(folder / row["file"])
            face = find_in_crop(finder, crop)
            reading = meter.measure(crop, face)
            groups.setdefault(yale_group(row), []).append(
                (row["file"], reading.verdicts, face is not None))
    ok = True
    print("\nYale (light direction)      n  face found  pass    bar  verdicts seen")
    for group, items in sorted(groups.items()):
        accepted, bar = YALE_BAR.get(group, (set(), 0.0))
        good = sum(passes(v, accepted) for _, v, _ in items) if accepted else 0
        share = good / len(items)
        seen: dict[str, int] = {}
        for _, verdicts, _ in items:
            for v in verdicts or ("(none)",):
                seen[v] = seen.get(v, 0) + 1
        status = "-" if not accepted else ("PASS" if share >= bar else "FAIL")
        ok &= status != "FAIL"
        figures = f"{share:6.0%} {bar:5.0%}" if accepted else f"{'-':>6s} {'-':>5s}"
        print(f"{group:24s} {len(items):4d} {sum(f for *_, f in items):8d}   "
              f"{figures}  {status:4s}  {seen}")
        for name, verdicts, _ in items:
            if accepted and not passes(verdicts, accepted):
                print(f"    miss: {name} -> {verdicts}")
    return ok


def eval_backlit(data: Path, finder: FaceFinder, meter: LightMeter) -> bool:
    folder = data / "faces" / "backlit"
    accept = {"backlit": {"backlit", "too_dark"}, "backlit_or_too_dark": {"backlit", "too_dark"},
              "too_dark": {"too_dark"}}
    ok = True
    print("\nBacklit photos  expected             verdicts                      face  bg-face  ok")
    with open(folder / "labels.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rgb = fit(read_image(folder / row["file"]))
            r = meter.measure(rgb, finder.find(rgb))
            good = passes(r.verdicts, accept[row["expected"]])
            ok &= good
            label = ",".join(r.verdicts) + (" (no face: too dark)" if r.dark_no_face else "")
            face = "-" if r.face_luma is None else f"{r.face_luma:.0f}"
            contrast = "-" if r.backlight_stops is None else f"{r.backlight_stops:+.1f}"
            print(f"{row['file']:15s} {row['expected']:20s} {label:30s} {face:>4s} {contrast:>8s}"
                  f"  {'PASS' if good else 'FAIL'}")
    return ok


def frames(path: Path, fps: float) -> Iterator[tuple[float, np.ndarray]]:
    import av

    step, due = 1.0 / fps, 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is None or frame.time + 1e-6 < due:
                continue
            due += step
            yield float(frame.time), fit(frame.to_ndarray(format="rgb24"))


def eval_clips(data: Path, meter: LightMeter, fps: float) -> bool:
    folder = data / "video"
    check = FramingCheck()
    ok = True
    print(f"\nClips (sampled at {fps:g} fps)                   expected          clip verdicts"
          "         judged  shares                         ok   framing")
    with open(folder / "lighting-labels.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            summary, framing = LightingSummary(), FramingSummary()
            with FaceFinder(face_model_path(), video=True) as finder:
                for t, rgb in frames(folder / row["file"], fps):
                    face = finder.find(rgb, t)
                    summary.add(meter.measure(rgb, face))
                    framing.add(check.measure(face, (rgb.shape[1], rgb.shape[0])))
            res = summary.result()
            good = passes(res.verdicts, {row["expected"]})
            ok &= good
            shares = " ".join(f"{k}={v:.0%}" for k, v in sorted(res.shares.items()))
            print(f"{row['file']:46s} {row['expected']:17s} {','.join(res.verdicts):20s} "
                  f"{res.judged:3d}/{res.frames:<3d} {shares:30s} {'PASS' if good else 'FAIL'} "
                  f"{','.join(framing.result().verdicts)}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fps", type=float, default=5.0)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data}: shared data not found", file=sys.stderr)
        return 2
    meter = LightMeter()
    with FaceFinder(face_model_path(), video=False) as still_finder:
        yale_ok = eval_yale(args.data, still_finder, meter)
        backlit_ok = eval_backlit(args.data, still_finder, meter)
    clips_ok = eval_clips(args.data, meter, args.fps)
    ok = yale_ok and backlit_ok and clips_ok
    print(f"\nYale {'PASS' if yale_ok else 'FAIL'}, backlit {'PASS' if backlit_ok else 'FAIL'}, "
          f"clips {'PASS' if clips_ok else 'FAIL'}: {'bar met' if ok else 'BELOW THE BAR'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
