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
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl+C, SIGTERM and SIGHUP wait until the block is done, then take effect as usual.

    For loading a native module (MediaPipe): a KeyboardInterrupt raised inside its import does
    not unwind it, it turns into "ImportError: initialization failed" and a traceback. The load
    takes under a second; the signal is delivered again, to the handler it was meant for, as
    soon as it is over. Off the main thread signals are not ours to hold (the main thread runs
    their handlers), so there the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous: dict[int, object] = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        # None: a handler set outside Python (it is not ours to replace); SIG_IGN stays ignored.
        if sig is None or signal.getsignal(sig) in (None, signal.SIG_IGN):
            continue
        previous[sig] = signal.signal(sig, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        restore(previous)
        if held:
            signal.raise_signal(held[0])


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
