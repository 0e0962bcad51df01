"""How long the review takes for a long session: summary, take-aways and the HTML report.

    .venv/bin/python scripts/bench_summary.py [--hours 1] [--gaze-per-min 60]

Builds a synthetic event log in memory (no files), then times `summarise`, `takeaways` and
`render` over several runs and prints the median, with the machine it ran on. `oncue sessions`
summarises every session, so this is also the cost per session of the history.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overlay.review.report_html import render  # noqa: E402
from overlay.review.summary import summarise  # noqa: E402
from overlay.review.takeaways import takeaways  # noqa: E402
from overlay.session.events import SessionEvent, SessionInfo  # noqa: E402


def long_session(hours: float, gaze_per_min: float, seed: int = 3) -> list[SessionEvent]:
    rng = random.Random(seed)
    end = hours * 3600
    ev = [SessionEvent(0, "session_started", {"mode": "live", "source": "cam"})]
    t = 0.0
    while t < end:
        ev.append(SessionEvent(t, "gaze", {"state": rng.choice(["lens", "lens", "away",
                                                                 "closed", "noface"])}))
        t += rng.expovariate(gaze_per_min / 60)
    t = 20.0
    while t < end - 200:
        start, length = t, rng.uniform(50, 180)
        s = start
        while s < start + length:
            e = min(start + length, s + rng.uniform(5, 15))
            ev.append(SessionEvent(e, "speech", {"start": s, "end": e}))
            s = e + 0.8
        ev.append(SessionEvent(start + length, "answer", {
            "start": start, "end": start + length, "duration_s": length, "wpm": 150,
            "fillers": 3, "fillers_per_min": 3 / (length / 60)}))
        if length > 120:
            ev.append(SessionEvent(start + 120, "nudge", {"kind": "wrap_up", "text": "Wrap up"}))
        t = start + length + rng.uniform(20, 60)
    ev.sort(key=lambda e: e.t)
    return ev + [SessionEvent(end, "session_ended", {"reason": "stopped"})]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--gaze-per-min", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    events = long_session(args.hours, args.gaze_per_min)
    info = SessionInfo("bench", "live", "cam", "2026-11-20T09:00:00", None, None, "ended")
    times: dict[str, list[float]] = {"summarise": [], "takeaways": [], "render": []}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        s = summarise(events, info)
        t1 = time.perf_counter()
        tips = takeaways(s)
        t2 = time.perf_counter()
        html = render(s, tips)
        t3 = time.perf_counter()
        for k, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            times[k].append(dt * 1000)
    print(f"machine: {platform.processor() or '?'}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"session: {args.hours:g} h, {len(events)} events, {len(s.answers)} answers, "
          f"report {len(html) // 1024} KiB")
    print(f"{'step':<10} {'median ms':>10}")
    for k, v in times.items():
        print(f"{k:<10} {statistics.median(v):>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
