"""CPU share of one core taken by the Zoom mute reader at the watcher's default rate.

The screen watcher (overlay/capture/screen.py) grabs 2 shots a second. Each case feeds one reader
the same shot on a simulated clock (t += 0.5 s), measures the process CPU time it used, and
divides by the simulated wall time: the share of one core the reading costs live. The grab itself
(mss) is not included. Cases: the toolbar region once known (the common case), a whole meeting
window with the toolbar visible, a window whose toolbar is hidden (the whole-window search, run
every `search_period` s), and a 1920x1080 desktop with no meeting. Exits 1 above the bar (3%).

    .venv/bin/python scripts/bench_mute.py [--seconds 120]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from detectors.meeting import ZoomMuteReader  # noqa: E402
from overlay.capture.media import read_image  # noqa: E402

log = logging.getLogger(__name__)
SHOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "screens" / "zoom-linux" \
    / "join-meeting-url_frame497.png"
RATE_HZ = 2.0
BAR = 0.03


def meeting_window() -> np.ndarray:
    if SHOT.is_file():
        return read_image(SHOT)[..., :3].copy()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_meeting import zoom_screen  # a drawn toolbar when the real screens are absent

    return zoom_screen(True, size=(1024, 576))


def share(shot: np.ndarray, seconds: float) -> tuple[float, float, str]:
    """(share of one core, mean ms per read, last state) reading `shot` at RATE_HZ."""
    reader = ZoomMuteReader()
    n = int(seconds * RATE_HZ)
    state = ""
    start = time.process_time()
    for i in range(n):
        state = reader.read(shot, t=i / RATE_HZ).state
    cpu = time.process_time() - start
    return cpu / (n / RATE_HZ), 1000 * cpu / n, state


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120.0, help="simulated session length")
    args = ap.parse_args()
    cv2.setNumThreads(1)  # one core, as the watcher thread gets
    window = meeting_window()
    box = ZoomMuteReader().read(window).box
    assert box is not None, "the benchmark window must show the toolbar"
    x, y, w, h = box
    region = np.ascontiguousarray(window[max(0, y - 20):y + h + 20, max(0, x - 40):x + 360])
    hidden = np.ascontiguousarray(window[:y - 3])
    desktop = np.zeros((1080, 1920, 3), np.uint8)
    desktop[:] = (40, 110, 150)
    desktop[200:200 + hidden.shape[0], 400:400 + hidden.shape[1]] = hidden
    cases = [
        ("toolbar region", region),
        ("meeting window, toolbar shown", window),
        ("meeting window, toolbar hidden", hidden),
        ("1920x1080 desktop, no toolbar", desktop),
    ]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    print(f"rate {RATE_HZ:g} reads/s, {args.seconds:g} s simulated per case, bar {BAR:.0%}")
    print(f"{'case':32s} {'size':>10s} {'ms/read':>8s} {'core %':>7s}  state")
    worst = 0.0
    for name, shot in cases:
        frac, ms, state = share(shot, args.seconds)
        worst = max(worst, frac)
        print(f"{name:32s} {shot.shape[1]:>4d}x{shot.shape[0]:<5d} {ms:8.2f} {100 * frac:6.2f}%"
              f"  {state}")
    print(f"worst case: {100 * worst:.2f}% of one core ({'within' if worst <= BAR else 'ABOVE'}"
          f" the {BAR:.0%} bar)")
    return 0 if worst <= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
