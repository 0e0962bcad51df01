"""Real-speed replay through the live session: does analysis keep pace with the clock?

Plays a recording (looped up to --seconds) at real speed into the live session's workers, exactly
as a camera and microphone would feed them, and measures for every analysed frame the delay from
its capture time to the end of its analysis. Prints the distribution and the machine.

    .venv/bin/python scripts/bench_replay.py ../shared/data/video/lia__obama.mov --seconds 60
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("GLOG_minloglevel", "2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args()

    os.environ["ONCUE_DATA_DIR"] = tempfile.mkdtemp(prefix="oncue-bench-")
    from overlay.session.eventlog import open_log
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings

    latencies: list[float] = []
    with open_log() as event_log:
        session = LiveSession(load_settings(), event_log, replay=args.recording, loop_replay=True,
                              watch_screen=False)
        original = session.pipeline.on_video

        def timed(frame):  # type: ignore[no-untyped-def]
            record = original(frame)
            latencies.append(session.clock.now() - frame.t)
            return record

        session.pipeline.on_video = timed  # type: ignore[method-assign]
        proc = psutil.Process()
        cpu0 = proc.cpu_times()
        session.start()
        time.sleep(args.seconds)
        cpu1 = proc.cpu_times()
        wall = session.clock.now()
        session.stop()
        dropped = session.frames.dropped
        delivered = session.frames.delivered

    lat = np.array(latencies) * 1000.0
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    within = float(np.mean(lat <= args.limit_ms)) if len(lat) else 0.0
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"recording: {args.recording} looped for {wall:.1f} s at real speed")
    print(f"frames delivered {delivered}, analysed {len(lat)}, dropped {dropped} "
          f"({100.0 * dropped / max(delivered, 1):.1f}%), analysed fps {len(lat) / wall:.1f}")
    print(f"capture -> analysed latency ms: p50 {np.percentile(lat, 50):.1f}  "
          f"p95 {np.percentile(lat, 95):.1f}  p99 {np.percentile(lat, 99):.1f}  "
          f"max {lat.max():.1f}")
    print(f"frames within {args.limit_ms:.0f} ms: {100.0 * within:.1f}%")
    print(f"CPU: {cpu / wall:.2f} core-seconds per second")
    return 0 if within >= 0.99 else 1


if __name__ == "__main__":
    raise SystemExit(main())
