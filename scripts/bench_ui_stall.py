"""How long does the overlay's event loop ever stall while the real session analyses a clip?

    .venv/bin/python scripts/bench_ui_stall.py [CLIP] [--seconds 40]

Runs the real OverlayWindow over a real LiveSession replaying CLIP at real speed (default: the
46 s `lia__obama.mov` from ../shared/data, speech and a face all the way; a generated clip when
that folder is absent), with the app's 30 Hz refresh timer. A 5 ms QTimer records the gap between
its ticks: any gap far above 5 ms is time the GUI thread could not run (a detector holding the
GIL, a slow paint, the OS). Worker threads are lowered in priority as `run_app` does
(`yield_cpu_to_gui`); `--nice-workers 0` measures without that. To exercise the drawing too,
the chip and ring are given a changing nudge and answer length and the cue card flips every two
seconds.

Prints a table and the machine; exits 1 if the longest stall is 50 ms or more (issue 7's bar).
Uses QT_QPA_PLATFORM=offscreen unless a display is set, so it runs on a headless machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BAR_MS = 50.0
# A bare process sleeping 5 ms at a time, run alongside: its longest gap is what the machine alone
# (other processes, the scheduler) inflicts, which no design of the overlay can remove.
CONTROL = """
import time, sys
end = time.monotonic() + float(sys.argv[1]); last = time.monotonic(); worst = 0.0
while last < end:
    time.sleep(0.005); now = time.monotonic(); worst = max(worst, now - last); last = now
print(f"{1000 * worst:.1f}")
"""
DEFAULT_CLIP = Path(os.environ.get("ONCUE_SHARED_DATA", ROOT.parent / "shared" / "data")) \
    / "video" / "lia__obama.mov"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clip", nargs="?", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--nice-workers", type=int, default=None, metavar="N",
                        help="lower every thread but the GUI thread by N nice levels, as the "
                             "app does (default: the app's value; 0 to compare without)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("GLOG_minloglevel", "2")
    tmp = tempfile.TemporaryDirectory()
    os.environ["ONCUE_CONFIG_DIR"] = str(Path(tmp.name) / "config")
    os.environ["ONCUE_DATA_DIR"] = str(Path(tmp.name) / "data")
    clip = args.clip or DEFAULT_CLIP
    if not clip.exists():
        from screenshots import make_clip  # type: ignore[import-not-found]
        clip = make_clip(Path(tmp.name) / "clip.mp4", seconds=args.seconds)
        print(f"{DEFAULT_CLIP} is absent: using a generated clip")

    from PyQt6.QtCore import QElapsedTimer, QTimer
    from PyQt6.QtWidgets import QApplication

    from detectors.coach import Shown
    from detectors.nudge import Nudge
    from overlay.cuesheet import CueDeck, read_cue_sheet
    from overlay.paths import bundled_config_dir
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings
    from overlay.ui.cpu_priority import WORKER_NICE, settle_heap, yield_cpu_to_gui
    from overlay.ui.overlay_window import OverlayWindow

    nudges = [("look_at_lens", "Look at the lens"), ("wrap_up", "Wrap up"), None,
              ("muted", "You're muted")]

    class Busy:
        """The real snapshot, plus a changing nudge and answer length to keep the UI drawing."""

        def __init__(self, real: LiveSession) -> None:
            self.real = real

        def snapshot(self):  # type: ignore[no-untyped-def]
            snap = self.real.snapshot()
            pick = nudges[int(snap.t / 3) % len(nudges)]
            shown = Shown(Nudge(snap.t, *pick), snap.t) if pick else None
            return dataclasses.replace(snap, nudge=shown, answer_elapsed_s=50.0 + snap.t * 4)

        def command(self, name: str, note: str = "") -> None:
            self.real.command(name, note)

    settings = load_settings()
    app = QApplication(sys.argv[:1])
    t0 = time.perf_counter()
    real = LiveSession(settings, None, replay=clip, realtime=True)
    setup_s = time.perf_counter() - t0
    sheet = read_cue_sheet(bundled_config_dir() / "cuesheet_template.md")
    window = OverlayWindow(settings, Busy(real), CueDeck([sheet], 3))
    window.show()
    gaps: list[float] = []
    worst_at: list[tuple[float, float]] = []  # (gap ms, loop seconds when it ended)
    refresh_ms: list[float] = []
    clock = QElapsedTimer()
    since = QElapsedTimer()

    def tick() -> None:
        if clock.isValid():
            gap = clock.nsecsElapsed() / 1e6
            gaps.append(gap)
            if gap >= BAR_MS:
                worst_at.append((gap, since.elapsed() / 1000))
        clock.restart()

    def timed_refresh() -> None:
        t = time.perf_counter()
        window.refresh()
        refresh_ms.append(1000 * (time.perf_counter() - t))

    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(tick)
    refresh = QTimer()
    refresh.setInterval(33)
    refresh.timeout.connect(timed_refresh)
    flips = QTimer()
    flips.setInterval(2000)
    flips.timeout.connect(lambda: window.run_command("next_card"))
    import subprocess

    control = subprocess.Popen([sys.executable, "-c", CONTROL, str(args.seconds - 1)],
                               stdout=subprocess.PIPE, text=True)
    real.start()
    settle_heap()  # as InterviewRun.start does
    if args.nice_workers is None:
        args.nice_workers = WORKER_NICE
    if args.nice_workers:
        renice = QTimer()  # as run_app does
        renice.timeout.connect(lambda: yield_cpu_to_gui(args.nice_workers))
        renice.start(2000)
    since.start()
    for timer in (probe, refresh, flips):
        timer.start()
    QTimer.singleShot(int(args.seconds * 1000), app.quit)
    app.exec()
    for timer in (probe, refresh, flips):
        timer.stop()
    snap = real.snapshot()
    real.stop()
    control_ms = float(control.communicate(timeout=30)[0] or "nan")
    window.close()
    tmp.cleanup()

    gaps.sort()
    n = len(gaps)
    worst = gaps[-1] if gaps else float("inf")

    def pct(q: float) -> float:
        return gaps[min(n - 1, int(q * n))]

    print(f"clip: {clip.name}, {args.seconds:.0f} s at real speed, workers niced by "
          f"{args.nice_workers}, platform "
          f"{os.environ.get('QT_QPA_PLATFORM', 'xcb')}; session setup {setup_s:.1f} s "
          f"(before the loop)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.platform()}, load {os.getloadavg()[0]:.1f}")
    print(f"analysed {snap.analysed_fps:.1f} fps, latency {snap.latency_ms:.0f} ms, "
          f"dropped {snap.dropped_frames} frames")
    print()
    print("| event-loop gaps (5 ms timer) | value |")
    print("| --- | --- |")
    print(f"| ticks | {n} |")
    print(f"| median | {pct(0.5):.1f} ms |")
    print(f"| p99 | {pct(0.99):.1f} ms |")
    print(f"| p99.9 | {pct(0.999):.1f} ms |")
    print(f"| longest stall | {worst:.1f} ms |")
    print(f"| gaps over {BAR_MS:.0f} ms | {sum(g >= BAR_MS for g in gaps)} |")
    print(f"| longest refresh (snapshot + draw) | {max(refresh_ms, default=0):.1f} ms |")
    print(f"| longest gap of a bare process, same time | {control_ms:.1f} ms |")
    if worst_at:
        print("\nstalls over the bar (ms at loop second): " + ", ".join(
            f"{g:.0f} at {t:.1f} s" for g, t in sorted(worst_at, reverse=True)[:8]))
    ok = worst < BAR_MS
    print(f"\nbar: longest stall < {BAR_MS:.0f} ms: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
