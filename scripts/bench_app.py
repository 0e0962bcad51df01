"""The real app against bare MediaPipe, as processes: the CPU ratio issue 17's bar is about.

Each round, one after the other on the same machine:
1. `oncue --replay CLIP` (python -m overlay: the overlay window, the tray, the coach, the event
   log, every worker), with offscreen Qt. Its process CPU (user + system, /proc via psutil) is
   read over `seconds` of steady state, starting `warmup_s` after it prints its ready line;
   the clip must outlast warm-up + window (it plays once, at real speed).
2. Bare MediaPipe Face Landmarker in its own process (`--bare-child`): the same replay camera at
   camera.fps (15) in real time into a latest-frame slot, one thread running stock MediaPipe's
   `detect_for_video` on the newest frame, nothing else; measured the same way.
The ratio is app / bare of the same round; rounds repeat so the spread shows (the machine is
shared). Also printed: the app's cold start (spawn to its ready line) and peak RSS.

    .venv/bin/python scripts/bench_app.py ../shared/data/video/lia__obama.mov --rounds 3
(scripts/bench.py runs this too, after its in-process part.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
READY = "OnCue main loop started"
BARE_READY = "bare MediaPipe running"


@dataclass(frozen=True)
class Measured:
    cpu: float  # core-seconds per second over the window
    cold_s: float  # spawn to ready line
    rss_peak_mb: float
    fps: float | None = None  # bare: frames analysed per second


def _env() -> dict[str, str]:
    from overlay.paths import face_model_path

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GLOG_minloglevel="2",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.setdefault("ONCUE_FACE_MODEL", str(face_model_path()))
    env["ONCUE_DATA_DIR"] = tempfile.mkdtemp(prefix="oncue-bench-app-")
    env["ONCUE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="oncue-bench-app-config-")
    return env


def _measure(cmd: list[str], ready: str, warmup_s: float, seconds: float) -> Measured:
    """Spawns `cmd`, waits for `ready` on its stderr, then reads its CPU over the window."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    seen = threading.Event()
    cold = [float("nan")]

    def read(stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            lines.append(line)
            if ready in line and not seen.is_set():
                cold[0] = time.monotonic() - t0
                seen.set()

    readers = [threading.Thread(target=read, args=(s,), daemon=True)
               for s in (proc.stdout, proc.stderr)]
    for r in readers:
        r.start()
    ps = psutil.Process(proc.pid)
    try:
        if not seen.wait(60):
            raise RuntimeError(f"{cmd[2:4]} never got ready:\n{''.join(lines[-20:])}")
        rss = 0.0
        end_warm = time.monotonic() + warmup_s
        while time.monotonic() < end_warm:
            rss = max(rss, ps.memory_info().rss / 2**20)
            time.sleep(0.25)
        c0, w0 = ps.cpu_times(), time.monotonic()
        while time.monotonic() - w0 < seconds:
            rss = max(rss, ps.memory_info().rss / 2**20)
            time.sleep(0.25)
        c1, w1 = ps.cpu_times(), time.monotonic()
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[2:4]} ended during the window:\n{''.join(lines[-20:])}")
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    cpu = (c1.user + c1.system - c0.user - c0.system) / (w1 - w0)
    fps = next((float(line.split()[-2]) for line in reversed(lines) if "fps" in line
                and line.startswith("bare")), None)
    return Measured(cpu, cold[0], rss, fps)


def app(clip: Path, warmup_s: float, seconds: float) -> Measured:
    return _measure([sys.executable, "-m", "overlay", "--replay", str(clip)], READY,
                    warmup_s, seconds)


def bare(clip: Path, warmup_s: float, seconds: float) -> Measured:
    return _measure([sys.executable, str(Path(__file__).resolve()), str(clip), "--bare-child",
                     "--seconds", str(warmup_s + seconds + 5)], BARE_READY, warmup_s, seconds)


def bare_child(clip: Path, seconds: float) -> int:
    """Stock MediaPipe on a 15 fps real-time replay camera, for `seconds`, nothing else."""
    import numpy as np

    from detectors.face import FaceFinder
    from overlay.capture.base import LatestFrame, VideoFrame
    from overlay.capture.replay import Recording, ReplayCamera
    from overlay.clock import SessionClock
    from overlay.paths import face_model_path
    from overlay.settings import load_settings

    finder = FaceFinder(face_model_path(), video=True, public_api=True)
    finder.find(np.zeros((64, 64, 3), np.uint8), -1.0)  # warmed up, as open_face_finder does
    clock, slot = SessionClock(), LatestFrame[VideoFrame]()
    camera = ReplayCamera(Recording(clip), clock, slot, loop=True,
                          max_fps=load_settings()["camera.fps"])
    stop = threading.Event()
    found = [0]

    def analyse() -> None:
        while not stop.is_set():
            frame = slot.take(0.2)
            if frame is not None:
                finder.find(frame.rgb, frame.t)
                found[0] += 1

    worker = threading.Thread(target=analyse, name="bare-mediapipe", daemon=True)
    clock.reset()
    camera.start()
    worker.start()
    print(BARE_READY, file=sys.stderr, flush=True)
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < seconds:
            time.sleep(1.0)
            print(f"bare {found[0] / (time.monotonic() - t0):.1f} fps", file=sys.stderr,
                  flush=True)
    finally:
        stop.set()
        camera.stop()
        worker.join(5)
        finder.close()
    return 0


def rounds(clip: Path, n: int, warmup_s: float, seconds: float,
           say=print) -> list[tuple[Measured, Measured]]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(n):
        a = app(clip, warmup_s, seconds)
        b = bare(clip, warmup_s, seconds)
        load = os.getloadavg()[0]
        say(f"round {i + 1}: app {a.cpu:.3f} core-s/s, bare MediaPipe {b.cpu:.3f} at "
            f"{b.fps or float('nan'):.1f} fps -> {a.cpu / b.cpu:.2f}x; app cold start "
            f"{a.cold_s:.2f} s, peak RSS {a.rss_peak_mb:.0f} MB; load {load:.2f}")
        out.append((a, b))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.bare_child:
        return bare_child(args.recording, args.seconds)
    from bench import machine  # scripts/ is on the path when a script runs

    print(f"machine at start: {machine()}")
    results = rounds(args.recording, args.rounds, args.warmup, args.seconds)
    print(f"machine at end:   {machine()}")
    ratios = [a.cpu / b.cpu for a, b in results]
    print(f"app / bare MediaPipe: {', '.join(f'{r:.2f}x' for r in ratios)} "
          f"(bar <= 0.55x): {'met' if max(ratios) <= 0.55 else 'NOT met'}")
    return 0 if max(ratios) <= 0.55 else 1


if __name__ == "__main__":
    raise SystemExit(main())
