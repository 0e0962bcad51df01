"""Ctrl+C, SIGTERM and SIGHUP held back for a short block that must not be cut in half.

Two such blocks: loading MediaPipe's native module (overlay/face_model.py: a KeyboardInterrupt
raised inside its import becomes "ImportError: initialization failed" and a traceback) and
ending a practice session (overlay/practice/session.py: ended half-way it would stay `running`,
to be taken for a crash at the next start). The signal is delivered again, to the handler it
was meant for (the command's, or a window's orderly stop), as soon as the block is over.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl+C, SIGTERM and SIGHUP wait until the block is done, then take effect as usual.
    Off the main thread signals are not ours to hold (the main thread runs their handlers), so
    there the block runs as it is."""
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
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        if held:
            signal.raise_signal(held[0])
