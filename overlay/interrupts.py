"""How a command without a window stops on Ctrl+C, SIGTERM or a closed terminal (SIGHUP).

Ctrl+C raises KeyboardInterrupt; SIGTERM and SIGHUP are made to do the same (`stop_as_interrupt`)
so every command unwinds through its `finally` blocks instead of dying on the spot. `oncue`
catches it at the top (`interrupted`): a session the command left running is ended at its last
event (it was stopped, not crashed), one line is printed, and the exit code is 128 + the
signal's number (130 for Ctrl+C). Windows replace these handlers while their event loop runs
(overlay/ui/stop_signals.py) and raise KeyboardInterrupt(signal name) once they have stopped.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading

log = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention for Ctrl+C


def stop_as_interrupt() -> dict[int, object]:
    """SIGTERM and a closed terminal (SIGHUP) stop a command as Ctrl+C does: KeyboardInterrupt
    unwinds it through its `finally` blocks (a practice session is ended and saved) instead of
    the process dying on the spot. The windows replace these while their event loop runs."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous: dict[int, object] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous  # main() called from a thread (tests): signals are the caller's
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) != signal.SIG_IGN:  # nohup stays nohup
            previous[sig] = signal.signal(sig, interrupt)
    return previous


def end_own_sessions(reason: str) -> None:
    """A command interrupted half-way (an analysis, a check without its window) may leave its
    session `running`; it was stopped, not crashed, so it is ended at its last event."""
    import sqlite3

    from overlay.session.eventlog import EventLogError, default_log_path, open_log

    if not default_log_path().exists():
        return
    try:
        with open_log() as event_log:
            for sid in event_log.end_own_sessions(reason):
                log.info("session %s ended: %s", sid, reason)
    except (EventLogError, sqlite3.Error, OSError) as exc:
        log.warning("could not end the interrupted session: %s", exc)


def restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


def interrupted(exc: KeyboardInterrupt) -> int:
    """End what the command left running, say so in one line; the exit code."""
    name = str(exc.args[0]) if exc.args else "SIGINT"
    end_own_sessions(f"interrupted ({name})")
    print(f"\noncue: interrupted ({name})", file=sys.stderr)
    signum = getattr(signal, name, None)
    return 128 + int(signum) if isinstance(signum, signal.Signals) else EXIT_INTERRUPTED
