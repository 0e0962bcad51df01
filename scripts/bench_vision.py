"""CPU cost of the vision step: bare MediaPipe landmarks vs landmarks + EyeContact + nudge policy.

Frames: a real talking-head clip scaled to 640x480 (the webcam size), decoded once up front so
decoding is not timed. Both passes run in the same process on the same frames, in VIDEO mode with
fresh landmarkers, and are timed with process CPU time (all threads), so they compare fairly on a
shared machine. Prints ms per frame, CPU seconds per analysed second at 15 fps, and the overhead
ratio; exits 1 if the whole step costs more than 1.3x bare MediaPipe.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.eye_contact import EyeContact  # noqa: E402
from detectors.face import FaceFinder  # noqa: E402
from detectors.look_away import EyeContactShare, LookAwayNudger  # noqa: E402

log = logging.getLogger(__name__)
CLIP = ROOT.parent / "shared" / "data" / "video" / "lia__obama.mov"
FPS = 15.0


def frames(path: Path, n: int) -> list[np.ndarray]:
    import av

    out = []
    with av.open(str(path)) as box:
        for frame in box.decode(video=0):
            out.append(frame.reformat(width=640, height=480).to_ndarray(format="rgb24"))
            if len(out) >= n:
                break
    return out


def bare(model: Path, images: list[np.ndarray]) -> float:
    with FaceFinder(model, video=True) as finder:
        start = time.process_time()
        for i, rgb in enumerate(images):
            finder.find(rgb, i / FPS)
        return time.process_time() - start


def whole(model: Path, images: list[np.ndarray]) -> float:
    detector, nudger, share = EyeContact(), LookAwayNudger(), EyeContactShare()
    with FaceFinder(model, video=True) as finder:
        start = time.process_time()
        for i, rgb in enumerate(images):
            t = i / FPS
            reading = detector.update(finder.find(rgb, t), t)
            nudger.update(reading, True, t)
            share.update(reading, True)
        return time.process_time() - start


def main() -> int:
    from overlay.paths import face_model_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=CLIP)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or '?'}, {os.cpu_count()} CPUs, {platform.platform()}")
    images = frames(args.clip, args.frames)
    print(f"clip: {args.clip.name}, {len(images)} frames at 640x480")
    model = face_model_path()
    bare(model, images[:20])  # warm-up: first inference allocates
    b, w = [], []
    for _ in range(args.rounds):  # interleaved, so load from other processes hits both alike
        b.append(bare(model, images))
        w.append(whole(model, images))
    cpu_bare, cpu_whole = min(b), min(w)
    n = len(images)
    print(f"{'step':28s} {'ms/frame':>9s} {'CPU s per s @15fps':>19s}")
    for name, cpu in (("bare MediaPipe landmarks", cpu_bare), ("whole vision step", cpu_whole)):
        print(f"{name:28s} {1000 * cpu / n:9.2f} {cpu / n * FPS:19.3f}")
    ratio = cpu_whole / cpu_bare
    print(f"whole / bare = {ratio:.3f} (bar <= 1.30)")
    return 0 if ratio <= 1.30 else 1


if __name__ == "__main__":
    sys.exit(main())
