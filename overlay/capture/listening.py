"""Waiting for a pynput listener to really listen, without ever hanging.

pynput's `Listener.wait()` returns once the listener's OS hook is up (X RECORD, a Windows hook),
so no key or click is missed after start. It has no timeout, and never returns when the
listener thread died while starting (no display access, no permission, a backend that cannot
listen): so it is waited for on a helper thread, for a bounded time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

READY_S = 5.0


def wait_until_listening(listener, what: str, seconds: float = READY_S) -> None:  # type: ignore[no-untyped-def]
    waiter = threading.Thread(target=listener.wait, name=f"{what}-wait", daemon=True)
    waiter.start()
    waiter.join(seconds)
    if waiter.is_alive() or not listener.is_alive():
        listener.stop()
        raise RuntimeError(f"the {what} listener did not start (no access to it?)")


def left_click_listener(on_click: Callable[[int, int], None],
                        on_move: Callable[[int, int], None] | None = None) -> object:
    """A started pynput mouse listener reporting left presses (position only, never anything
    else) and, if asked, pointer moves. Used by the click calibrations."""
    from pynput import mouse

    def clicked(x: int, y: int, button: object, pressed: bool, *_: object) -> None:
        # pynput 1.8 adds an `injected` flag. A callback that raises stops the listener and,
        # with X RECORD, can stall the X server's event delivery: never let one escape.
        try:
            if pressed and button == mouse.Button.left:
                on_click(x, y)
        except Exception:  # noqa: BLE001
            log.exception("mouse click callback failed")

    def moved(x: int, y: int, *_: object) -> None:
        try:
            if on_move is not None:
                on_move(x, y)
        except Exception:  # noqa: BLE001
            log.exception("mouse move callback failed")

    listener = mouse.Listener(on_click=clicked, on_move=moved if on_move else None)
    listener.start()
    wait_until_listening(listener, "mouse")  # no click is missed after start() returns
    return listener
