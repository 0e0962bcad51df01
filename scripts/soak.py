"""Soak: a two-hour live session replayed at high speed, watching memory and latency over time.

A recording is looped through the full live session (`LiveSession`: replay camera at the
camera's fps, replay microphone, vision/audio/screen workers, coach, SQLite event log) on a
clock that runs `--speed` times faster than the wall clock, so two session hours take
2 h / speed. The replay sources pace on that clock like real devices; frames the vision worker
cannot take are dropped by the latest-frame slot exactly as live. The screen worker reads a
meeting screenshot fed at the screen rate (no display needed).

Every `--every` session-minutes it samples the process's RSS and the capture-to-analysed latency
of the frames analysed since the last sample (session seconds, shown in wall ms = what a real
run at this CPU share would see). Bar (issue 10): RSS grows no more than 20 MB after warm-up,
and latency does not grow (last third's median within 1.5x of the first third's).

    .venv/bin/python scripts/soak.py ../shared/data/video/lia__obama.mov --hours 2 --speed 6
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("GLOG_minloglevel", "2")

from overlay.capture.base import LatestFrame, ScreenShot, ThreadedSource  # noqa: E402
from overlay.clock import ScaledClock, SessionClock  # noqa: E402
from overlay.paths import face_model_path  # noqa: E402


class PictureScreen(ThreadedSource):
    """A screen source that shows one picture (a meeting screenshot) at the screen rate."""

    name = "screen"

    def __init__(self, rgb: np.ndarray, clock: SessionClock, slot: LatestFrame[ScreenShot],
                 rate_hz: float = 2.0) -> None:
        super().__init__(slot, "picture-screen")
        self.rgb, self.clock, self.period = rgb, clock, 1.0 / rate_hz

    def _run(self) -> None:
        h, w = self.rgb.shape[:2]
        t = 0.0
        while self.clock.sleep_until(t, self._stop):
            self.slot.put(ScreenShot(t=self.clock.now(), rgb=self.rgb, region=(0, 0, w, h)))
            t += self.period


def machine() -> str:
    load = os.getloadavg()
    return (f"{platform.platform()}, {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--speed", type=float, default=6.0)
    parser.add_argument("--wall-fps", type=float, default=15.0,
                        help="camera frames per wall second (camera.fps = this / speed)")
    parser.add_argument("--every", type=float, default=10.0, help="session minutes per sample")
    parser.add_argument("--warmup", type=float, default=10.0, help="session minutes of warm-up")
    parser.add_argument("--screen", type=Path, default=Path(__file__).resolve().parents[2]
                        / "shared/data/screens/zoom-linux/join-meeting-url_frame099.png")
    args = parser.parse_args()

    # The soak's own data dir holds no face model: keep using the one `oncue setup` stored.
    os.environ.setdefault("ONCUE_FACE_MODEL", str(face_model_path()))
    os.environ["ONCUE_DATA_DIR"] = tempfile.mkdtemp(prefix="oncue-soak-")
    os.environ["ONCUE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="oncue-soak-config-")
    # The camera is asked for `wall_fps / speed` frames per session second, so the vision
    # worker sees the load of a real-time 15 fps session while session time runs `speed` x.
    os.environ["ONCUE_CAMERA_FPS"] = f"{args.wall_fps / args.speed:g}"
    from overlay.capture.media import read_image
    from overlay.session.eventlog import open_log
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings

    print(f"machine: {machine()}")
    print(f"{args.recording.name} looped, x{args.speed:g} session speed, camera "
          f"{args.wall_fps / args.speed:g} fps of session time ({args.wall_fps:g} per wall s)")
    total_s = args.hours * 3600.0
    clock = ScaledClock(args.speed)
    proc = psutil.Process()
    latencies: list[tuple[float, float]] = []  # (capture t, session-seconds latency)
    rows: list[tuple[float, float, float, float, float, int, int, int]] = []
    with open_log() as event_log:
        session = LiveSession(load_settings(), event_log, replay=args.recording, clock=clock,
                              loop_replay=True, watch_screen=False)
        if args.screen.is_file():
            session.sources.append(PictureScreen(read_image(args.screen), clock, session.shots))
        # A webcam stamps a frame when it hands it over; the replay stamps it with its place in
        # the file, which on a loaded machine at x5 falls behind the clock. Stamp as a camera
        # does, so the latency measured is the session's own, not the replay decoder's.
        put = session.frames.put
        session.frames.put = lambda f: put(f.at(clock.now()))  # type: ignore[method-assign,assignment]
        original = session.pipeline.on_video

        def timed(frame):  # type: ignore[no-untyped-def]
            record = original(frame)
            latencies.append((frame.t, clock.now() - frame.t))
            return record

        session.pipeline.on_video = timed  # type: ignore[method-assign]
        session.start()
        cpu0 = sum(proc.cpu_times()[:2])
        wall0 = time.monotonic()
        next_sample = args.every * 60.0
        print(f"{'session min':>11} {'RSS MB':>7} {'lat p50 ms':>10} {'lat p95 ms':>10} "
              f"{'fps':>5} {'dropped':>8} {'audio lost s':>12} {'events':>7}")
        while next_sample <= total_s + 1e-6:
            clock.sleep_until(next_sample, threading.Event())
            batch = latencies[:]
            n = len(batch)
            del latencies[:n]  # the script's own list must not grow over the soak
            window = np.array([lat for _, lat in batch]) * 1000.0 / args.speed
            rss = proc.memory_info().rss / 2**20
            row = (next_sample / 60.0, rss, float(np.median(window)) if n else float("nan"),
                   float(np.percentile(window, 95)) if n else float("nan"),
                   n / (args.every * 60.0), session.frames.dropped,
                   session.audio.dropped_samples // 16_000, session.recorder.events_recorded)
            rows.append(row)
            print(f"{row[0]:11.0f} {row[1]:7.1f} {row[2]:10.1f} {row[3]:10.1f} {row[4]:5.1f} "
                  f"{row[5]:8d} {row[6]:12d} {row[7]:7d}", flush=True)
            next_sample += args.every * 60.0
        wall = time.monotonic() - wall0
        cpu = sum(proc.cpu_times()[:2]) - cpu0
        session.stop("soak over")

    after = [r for r in rows if r[0] > args.warmup]
    growth = max(r[1] for r in after) - after[0][1] if after else float("nan")
    third = max(1, len(rows) // 3)
    first_lat = float(np.median([r[2] for r in rows[:third]]))
    last_lat = float(np.median([r[2] for r in rows[-third:]]))
    print(f"machine at end: {machine()}")
    print(f"{total_s / 60:.0f} session minutes in {wall / 60:.1f} wall minutes "
          f"(x{total_s / wall:.1f}); CPU {cpu / wall:.2f} core-s per wall s")
    print(f"RSS growth after {args.warmup:.0f} min warm-up: {growth:+.1f} MB (bar <= 20 MB)")
    print(f"latency p50 first third {first_lat:.1f} ms, last third {last_lat:.1f} ms "
          f"(bar: last <= 1.5x first)")
    ok = growth <= 20.0 and last_lat <= 1.5 * max(first_lat, 1.0)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
