"""Eye contact against the hand labels in ../shared/data/video/gaze-labels.

For every labelled clip: decode with PyAV, find the face with FaceFinder (VIDEO mode), run
EyeContact over every frame in time order, and compare the reading at the frame nearest each
label time. Lens vs away is scored as eye contact or not: a frame labelled `away` is right when
the detector does not say `lens` (it may say `away`, or `noface` for a head in full profile; the
table shows how many were `noface`). Labels `closed`, `noface` and any ending in `?` are left out
of that score; `closed` labels are scored separately (called `closed`, not `away`).

--calibrate: on clips whose first 2 s are all labelled `lens`, record those 2 s as the "look at
the lens" calibration and score the rest of the clip with it.

Landmarks are cached per clip in /tmp/oncue_gaze_cache (derived data: never in the repository).
Exits 1 below the bar: balanced accuracy >= 0.93 uncalibrated (no clip below 0.75 agreement),
>= 0.95 calibrated, closed called closed >= 80%.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.eye_contact import EyeContact, GazeReading  # noqa: E402
from detectors.face import Face, FaceFinder  # noqa: E402
from detectors.gaze_calibration import CalibrationRecorder  # noqa: E402

log = logging.getLogger(__name__)
DATA = ROOT.parent / "shared" / "data" / "video"
CACHE = Path("/tmp/oncue_gaze_cache")
CALIBRATE_S = 2.0


def load_faces(clip: Path) -> list[tuple[float, Face | None]]:
    """Every frame's time and Face (or None), from the /tmp cache or by running FaceFinder."""
    import av

    from overlay.paths import face_model_path

    dst = CACHE / (clip.name + ".npz")
    if not dst.exists():
        CACHE.mkdir(exist_ok=True)
        ts, present, lms, blend, mats, names, size = [], [], [], [], [], [], (0, 0)
        with FaceFinder(face_model_path(), video=True) as finder, av.open(str(clip)) as box:
            for frame in box.decode(video=0):
                rgb = frame.to_ndarray(format="rgb24")
                face = finder.find(rgb, float(frame.time))
                ts.append(float(frame.time))
                size = (rgb.shape[1], rgb.shape[0])
                present.append(face is not None)
                if face is not None and not names:
                    names = sorted(face.blendshapes)
                lms.append(face.landmarks if face else np.zeros((478, 3), np.float32))
                mats.append(face.head_matrix if face else np.eye(4, dtype=np.float32))
                blend.append([face.blend(n) for n in names] if face else [0.0] * 52)
        np.savez_compressed(dst, t=np.array(ts), present=np.array(present), landmarks=np.array(lms),
                            blend=np.array(blend, np.float32), names=np.array(names),
                            matrix=np.array(mats), size=np.array(size))
    # Read each array once: indexing the NpzFile itself decompresses the whole array every time.
    with np.load(dst) as npz:
        d = {key: npz[key] for key in npz.files}
    names = [str(n) for n in d["names"]]
    size = (int(d["size"][0]), int(d["size"][1]))
    out: list[tuple[float, Face | None]] = []
    for i, t in enumerate(d["t"]):
        face = None
        if d["present"][i]:
            shapes = dict(zip(names, (float(x) for x in d["blend"][i]), strict=True))
            face = Face(landmarks=d["landmarks"][i], head_matrix=d["matrix"][i], image_size=size,
                        blendshapes=shapes)
        out.append((float(t), face))
    return out


def load_labels(path: Path) -> list[tuple[float, str]]:
    with path.open(newline="") as f:
        return [(float(row["t"]), row["label"].strip()) for row in csv.DictReader(f)]


@dataclass
class ClipScore:
    name: str
    compared: int = 0
    agree: int = 0
    lens_n: int = 0
    lens_ok: int = 0
    away_n: int = 0
    away_ok: int = 0
    away_noface: int = 0
    closed_n: int = 0
    closed_ok: int = 0


def rate(ok: int, n: int) -> float:
    return ok / n if n else float("nan")


def score_clip(clip: Path, labels: list[tuple[float, str]], calibrate: bool) -> ClipScore | None:
    faces = load_faces(clip)
    skip_before = -1.0
    calibration = None
    if calibrate:
        first = [lab for t, lab in labels if t < CALIBRATE_S]
        if not first or any(lab != "lens" for lab in first):
            return None
        recorder = CalibrationRecorder(duration_s=CALIBRATE_S, settle_s=0.0)
        for t, face in faces:
            if t < CALIBRATE_S:
                recorder.add(face, t)
        calibration = recorder.result()
        skip_before = CALIBRATE_S  # frames used to calibrate are not scored
    detector = EyeContact(calibration)
    readings: list[GazeReading] = [detector.update(face, t) for t, face in faces]
    times = np.array([r.t for r in readings])
    s = ClipScore(clip.name)
    for t, label in labels:
        if t < skip_before or label.endswith("?"):
            continue
        r = readings[int(np.argmin(np.abs(times - t)))]
        if label == "closed":
            s.closed_n += 1
            s.closed_ok += r.state == "closed"
        elif label in ("lens", "away"):
            s.compared += 1
            said_lens = r.state == "lens"
            if label == "lens":
                s.lens_n += 1
                s.lens_ok += said_lens
            else:
                s.away_n += 1
                s.away_ok += not said_lens
                s.away_noface += r.state == "noface"
            s.agree += said_lens == (label == "lens")
    return s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true",
                        help="calibrate on the first 2 s of clips labelled lens there")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    label_files = sorted((args.data / "gaze-labels").glob("*.csv"))
    if not label_files:
        print(f"no gaze labels under {args.data}", file=sys.stderr)
        return 2
    scores = [s for f in label_files
              if (s := score_clip(args.data / f.name[:-4], load_labels(f), args.calibrate))]
    print(f"{'clip':46s} {'frames':>6s} {'agree':>6s} {'lens':>6s} {'away':>6s} {'bacc':>6s} "
          f"{'noface':>6s} {'closed':>7s}")
    total = ClipScore("overall")
    for s in scores:
        bacc = 0.5 * (rate(s.lens_ok, s.lens_n) + rate(s.away_ok, s.away_n))
        print(f"{s.name:46s} {s.compared:6d} {rate(s.agree, s.compared):6.2f} "
              f"{rate(s.lens_ok, s.lens_n):6.2f} {rate(s.away_ok, s.away_n):6.2f} {bacc:6.2f} "
              f"{s.away_noface:6d} {s.closed_ok:3d}/{s.closed_n:<3d}")
        for key in vars(total):
            if key != "name":
                setattr(total, key, getattr(total, key) + getattr(s, key))
    bacc = 0.5 * (rate(total.lens_ok, total.lens_n) + rate(total.away_ok, total.away_n))
    closed_rate = rate(total.closed_ok, total.closed_n)
    worst = min(rate(s.agree, s.compared) for s in scores if s.compared)
    print(f"{'overall':46s} {total.compared:6d} {rate(total.agree, total.compared):6.2f} "
          f"{rate(total.lens_ok, total.lens_n):6.2f} {rate(total.away_ok, total.away_n):6.2f} "
          f"{bacc:6.2f} {total.away_noface:6d} {total.closed_ok:3d}/{total.closed_n:<3d}")
    mode = "calibrated" if args.calibrate else "uncalibrated"
    print(f"balanced accuracy {bacc:.3f}; worst clip agreement {worst:.2f}; "
          f"closed called closed {closed_rate:.2f} ({mode})")
    need = 0.95 if args.calibrate else 0.93
    ok = bacc >= need and closed_rate >= 0.80 and (args.calibrate or worst >= 0.75)
    print("PASS" if ok else f"BELOW BAR (need bacc >= {need}, worst clip >= 0.75, closed >= 0.80)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
