"""CPU share of one core taken by the Zoom mute reader at the watcher's default rate.

The screen watcher (overlay/capture/screen.py) grabs 2 shots a second. Each case feeds one reader
the same shot on a simulated clock (t += 0.5 s), measures the process CPU time it used, and
divides by the simulated wall time: the share of one core the reading costs live. The grab itself
(mss) is not included. Cases: the toolbar region once known (the common case), a whole meeting
window with the toolbar visible, a window whose toolbar is hidden (the whole-window search, run
every `search_period` s), and a 1920x1080 desktop with no meeting. Exits 1 above the bar (3%).

`--watcher` measures the whole watcher instead, with the grab included, in real time on an Xvfb
it starts (a window titled "Zoom Meeting" showing a real Zoom screenshot, among 30 others): the
real `ScreenWatcher` thread (window lookup, mss grab, BGRA->RGB) and the real `MeetingStep` reading
every shot, for `--seconds` of wall time, as process CPU time over wall time. "whole monitor" is
the watcher before it looked for the window (the primary monitor at 2 Hz); "meeting window" is
the watcher now (the toolbar strip, the whole window every 5 s, the window list every 2 s).

    .venv/bin/python scripts/bench_mute.py [--seconds 120]
    .venv/bin/python scripts/bench_mute.py --watcher [--seconds 20]
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
OTHER_WINDOWS = 30


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


class XDesktop:
    """Windows made with python-xlib on an X server (no window manager needed): a title, a
    WM_CLASS, a picture put into it. Also used by tests/test_meeting_window.py."""

    def __init__(self, display_name: str, wait_s: float = 5.0) -> None:
        from Xlib import display, error

        # The server's socket appears before it accepts connections: try for a few seconds.
        deadline = time.monotonic() + wait_s
        while True:
            try:
                self.display = display.Display(display_name)
                return
            except (error.DisplayError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def open_window(self, title: str, wm_class: str, at: tuple[int, int],
                    picture: np.ndarray) -> object:
        from Xlib import X, Xatom

        d = self.display
        screen = d.screen()
        h, w = picture.shape[:2]
        window = screen.root.create_window(at[0], at[1], w, h, 0, screen.root_depth,
                                           background_pixel=screen.black_pixel)
        window.set_wm_name(title)
        window.change_property(d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"), 8,
                               title.encode())
        window.set_wm_class(wm_class, wm_class)
        window.change_property(Xatom.WM_NORMAL_HINTS, Xatom.WM_SIZE_HINTS, 32,
                               [1 | 4, at[0], at[1], w, h] + [0] * 13)  # USPosition|PPosition
        window.map()
        d.sync()
        gc = window.create_gc()
        bgrx = np.zeros((h, w, 4), np.uint8)
        bgrx[..., :3] = picture[..., ::-1]
        for y in range(0, h, 32):  # a request is at most 256 kB (its length is 16 bits)
            rows = bgrx[y:y + 32]
            window.put_image(gc, 0, y, w, rows.shape[0], X.ZPixmap, 24, 0, rows.tobytes())
        d.sync()
        return window

    def close(self) -> None:
        self.display.close()


def watcher_share(seconds: float, find_window: bool, server_pid: int
                  ) -> tuple[float, float, int, str, str]:
    """(share of one core in this process, in the X server, shots read, scopes seen, last
    state) of the real watcher and reader running for `seconds` of wall time; the process does
    nothing else meanwhile. The X server's share is the other half of a grab's cost (it copies
    the pixels out)."""
    import threading

    import psutil

    from overlay.capture.base import LatestFrame, ScreenShot
    from overlay.capture.screen import ScreenWatcher
    from overlay.clock import SessionClock
    from overlay.session.meeting_step import MeetingStep
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings

    slot: LatestFrame[ScreenShot] = LatestFrame()
    step = MeetingStep(load_settings(), SessionRecorder())
    watcher = ScreenWatcher(SessionClock(), slot, rate_hz=RATE_HZ)
    if not find_window:
        watcher.windows = lambda: None  # the watcher as it was: the monitor, always
    scopes: set[str] = set()
    done = threading.Event()
    shots = 0

    def read() -> None:  # the session's screen worker
        nonlocal shots
        while not done.is_set():
            shot = slot.take(0.2)
            if shot is not None:
                step.on_screen(shot)
                scopes.add(shot.scope)
                shots += 1

    reader = threading.Thread(target=read, name="screen-reader")
    server = psutil.Process(server_pid)
    x0 = sum(server.cpu_times()[:2])
    cpu0, wall0 = time.process_time(), time.monotonic()
    watcher.start()
    reader.start()
    time.sleep(seconds)
    watcher.stop()
    done.set()
    reader.join()
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    x_cpu = sum(server.cpu_times()[:2]) - x0
    return cpu / wall, x_cpu / wall, shots, "+".join(sorted(scopes)), step.state


def bench_watcher(seconds: float) -> int:
    import shutil

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import screenshots

    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed (apt-get install xvfb): the watcher needs an X server")
        return 2
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    print(f"real time, {seconds:g} s per case, {RATE_HZ:g} grabs/s, Xvfb with "
          f"{OTHER_WINDOWS + 1} windows, mss {__import__('mss').__version__}")
    print(f"{'screen':10s} {'meeting window':15s} {'watcher':15s} {'shots':>5s} {'core %':>7s}"
          f" {'X srv %':>7s}  {'grabbed':14s} state")
    for screen, window in (((1920, 1080), (1280, 720)), ((3840, 2160), (1920, 1080))):
        n = screenshots.free_display(80)
        server = screenshots.start_xvfb(n, size=screen)
        os.environ["DISPLAY"] = f":{n}"
        try:
            desk = XDesktop(f":{n}")
            for i in range(OTHER_WINDOWS):  # a working desktop: the window list has to be read
                desk.open_window(f"Document {i}", "editor", (20 * i, 20 * i),
                                 np.full((200, 300, 3), 90, np.uint8))
            picture = cv2.resize(meeting_window(), window, interpolation=cv2.INTER_AREA)
            desk.open_window("Zoom Meeting", "zoom", (screen[0] - window[0] - 40, 60), picture)
            for label, find in (("whole monitor", False), ("meeting window", True)):
                frac, x_frac, shots, scopes, state = watcher_share(seconds, find, server.pid)
                print(f"{screen[0]}x{screen[1]:<5d} {window[0]}x{window[1]:<10d} {label:15s} "
                      f"{shots:5d} {100 * frac:6.2f}% {100 * x_frac:6.2f}%  {scopes:14s} {state}")
            desk.close()
        finally:
            server.terminate()
            server.wait(10)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=None,
                    help="simulated session length (default 120), or wall time per watcher "
                         "case with --watcher (default 20)")
    ap.add_argument("--watcher", action="store_true",
                    help="the real watcher with its grab, on an Xvfb, before and after")
    args = ap.parse_args()
    cv2.setNumThreads(1)  # one core, as the watcher thread gets
    if args.watcher:
        return bench_watcher(args.seconds or 20.0)
    args.seconds = args.seconds or 120.0
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
