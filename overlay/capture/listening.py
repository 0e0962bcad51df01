"""Waiting for a pynput listener to really listen, without ever hanging.

pynput's `Listener.wait()` returns once the listener's OS hook is up (X RECORD, a Windows hook),
so no key or click is missed after start. It has no timeout, and never returns when the
listener thread died while starting (no display access, no permission, a backend that cannot
listen): so it is waited for on a helper thread, for a bounded time.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

READY_S = 5.0


def wait_until_listening(listener, what: str, seconds: float = READY_S) -> None:  # type: ignore[no-untyped-def]
    waiter = threading.Thread(target=listener.wait, name=f"{what}-wait", daemon=True)
    waiter.start()
    waiter.join(seconds)
    if waiter.is_alive() or not listener.is_alive():
        listener.stop()
        raise RuntimeError(f"the {what} listener did not start (no access to it?)")
