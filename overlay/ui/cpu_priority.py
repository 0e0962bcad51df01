"""Keep the overlay smooth on a two-core laptop: analysis threads yield the CPU to the GUI."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

WORKER_NICE = 10
ANALYSIS_THREADS = ("vision", "audio", "screen-reader")  # LiveSession's workers
# Replay decoders, MediaPipe's and FFmpeg's thread pools (OS thread names or Python names).
ANALYSIS_PREFIXES = ("replay-", "mediapipe", "av:")


def yield_cpu_to_gui(step: int = WORKER_NICE) -> int:
    """Lower the analysis threads of this process by `step` nice levels (Linux).

    On a two-core laptop the vision worker and MediaPipe's pool can take both cores; at a lower
    priority they still get all the idle CPU, but the GUI thread wakes first, so the overlay does
    not stutter (measured in scripts/bench_ui_stall.py). Capture callbacks (PortAudio, pynput) are
    left alone: they must never wait. Linux nice values are per thread and MediaPipe and PyAV
    start threads lazily, so this runs again on a timer. Returns how many threads were lowered.
    """
    if not sys.platform.startswith("linux"):
        return 0
    named = {t.native_id for t in threading.enumerate()
             if t.name in ANALYSIS_THREADS or t.name.startswith(ANALYSIS_PREFIXES)}
    lowered = 0
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return 0
    for task in tasks:
        tid = int(task.name)
        try:
            if tid not in named and not (task / "comm").read_text().startswith(
                    ANALYSIS_PREFIXES):
                continue
            if os.getpriority(os.PRIO_PROCESS, tid) < step:
                os.setpriority(os.PRIO_PROCESS, tid, step)
                lowered += 1
        except OSError:
            pass  # the thread ended meanwhile
    return lowered


def settle_heap() -> None:
    """Collect once, then exempt every object alive now from the collector's full passes.

    After startup the heap holds the objects of Qt, MediaPipe, protobuf and numpy, which live as
    long as the process. Python's first full (generation 2) collection scans them all while holding
    the GIL: 65-70 ms on the development machine, a few seconds into every session, and the one
    event-loop stall over issue 7's 50 ms bar (found with gc.callbacks in
    scripts/bench_ui_stall.py). `gc.freeze()` moves them to a permanent generation, so later full
    passes only scan what was made since. Called once a session has started, off the event loop's
    busy time (the collection itself takes those same 70 ms, once). Undone by `release_heap`
    when the session stops: frozen objects are never collected, so a stopped session's reference
    cycles would otherwise stay in memory for good.
    """
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    """Hand the frozen heap back to the collector: a stopped session's objects may be garbage."""
    gc.unfreeze()
