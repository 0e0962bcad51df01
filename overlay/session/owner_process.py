"""Which process wrote a session, and whether that process is still the one running.

The event log keeps, with each running session, its process's PID *and* start time: a session
is "running" only while a process with that PID that started at that time exists. Everything
else is a crash (overlay/recovery.py offers its summary once).
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

# Two readings of one process's start time agree to well under a second; a PID reused by
# another process (after a reboot, or on a busy machine) started at another time.
SAME_START_S = 2.0


def process_started(pid: int) -> float | None:
    """The process's start (seconds since the epoch, psutil.Process.create_time), None if gone."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:  # exited, not yet reaped by its parent
            return None
        return float(process.create_time())
    except psutil.NoSuchProcess:
        return None


def session_process_alive(pid: int | None, started: float | None) -> bool:
    """Is the process that wrote this session still running?

    A PID alone is not enough: PIDs are reused, and after a reboot the PID of a session that
    crashed is soon another process's, which would hide the crash for ever. The process is the
    same only if it also started when the session's process started. Rows from before the start
    time was kept have only the PID.
    """
    import psutil

    if not pid:
        return False
    try:
        now_started = process_started(pid)
    except psutil.AccessDenied:
        return True  # another user's process: cannot tell, so do not close a live session
    if now_started is None:
        return False
    return started is None or abs(now_started - started) < SAME_START_S


OWN_START: dict[int, float | None] = {}  # by PID: a forked child is another process


def own_start() -> float | None:
    """This process's start time, read once."""
    pid = os.getpid()
    if pid not in OWN_START:
        OWN_START[pid] = process_started(pid)
    return OWN_START[pid]
