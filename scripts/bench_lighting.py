"""Milliseconds per 640x480 frame for lighting + framing, given landmarks already found.

    .venv/bin/python scripts/bench_lighting.py [--frames 2000] [--video PATH]

Landmarks are found once (MediaPipe is the vision worker's cost, measured elsewhere); the loop
then times `LightMeter.measure` + `FramingCheck.measure` alone. With shared data present the
frame is a real clip frame scaled to 640x480, else a synthetic face-like image with a
constructed face. The bar is 2 ms per frame for both together.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.face import Face  # noqa: E402
from detectors.framing import FramingCheck  # noqa: E402
from detectors.lighting import LightMeter  # noqa: E402

log = logging.getLogger(__name__)
DEFAULT_VIDEO = (Path(__file__).resolve().parents[2] / "shared" / "data" / "video"
                 / "lia__obama.mov")
BAR_MS = 2.0


def real_frame(path: Path) -> tuple[np.ndarray, Face] | None:
    import av
    import cv2

    from detectors.face import FaceFinder
    from overlay.paths import face_model_path

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    rgb = cv2.resize(frame, (640, 480), interpolation=cv2.INTER_AREA)
    with FaceFinder(face_model_path(), video=False) as finder:
        face = finder.find(rgb)
    return None if face is None else (rgb, face)


def synthetic_frame() -> tuple[np.ndarray, Face]:
    rng = np.random.default_rng(0)
    rgb = rng.integers(60, 200, size=(480, 640, 3), dtype=np.uint8)
    lms = np.zeros((478, 3), dtype=np.float32)
    lms[:, 0] = rng.uniform(0.35, 0.65, 478)
    lms[:, 1] = rng.uniform(0.2, 0.7, 478)
    lms[468] = (0.45, 0.4, 0)
    lms[473] = (0.55, 0.4, 0)
    lms[2] = (0.5, 0.5, 0)
    matrix = np.eye(4, dtype=np.float32)
    matrix[2, 3] = -50.0
    return rgb, Face(landmarks=lms, blendshapes={}, head_matrix=matrix, image_size=(640, 480))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    args = parser.parse_args(argv)
    sample = real_frame(args.video) if args.video.is_file() else None
    source = f"{args.video.name} scaled to 640x480" if sample else "synthetic 640x480"
    rgb, face = sample or synthetic_frame()
    meter, check = LightMeter(), FramingCheck()
    for _ in range(50):  # warm caches and numpy's dispatch
        meter.measure(rgb, face)
        check.measure(face, (640, 480))
    times = np.empty(args.frames)
    for i in range(args.frames):
        start = time.perf_counter()
        meter.measure(rgb, face)
        check.measure(face, (640, 480))
        times[i] = (time.perf_counter() - start) * 1000.0
    no_face = time.perf_counter()
    for _ in range(args.frames):
        meter.measure(rgb, None)
    no_face_ms = (time.perf_counter() - no_face) * 1000.0 / args.frames
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"{platform.platform()}")
    print(f"frame: {source}, {args.frames} runs")
    print(f"lighting+framing ms/frame: median {np.median(times):.3f}  "
          f"p95 {np.percentile(times, 95):.3f}  max {times.max():.3f}  (bar {BAR_MS} ms)")
    print(f"lighting without a face ms/frame: {no_face_ms:.3f}")
    ok = float(np.median(times)) <= BAR_MS
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
