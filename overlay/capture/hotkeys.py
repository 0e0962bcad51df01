"""Global hotkeys and keyboard activity through pynput, turned into commands on a queue.

pynput calls back on its own listener thread: the callbacks only put a command name (or bump a
counter) and return. Keyboard activity is counted for the "typing is audible" cue: counts only,
never which keys were pressed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping

from overlay.capture.base import SourceFailed
from overlay.capture.listening import wait_until_listening

log = logging.getLogger(__name__)


class Hotkeys:
    """`bindings` maps a command ("snooze") to a pynput combo ("<ctrl>+<alt>+s")."""

    name = "hotkeys"

    def __init__(self, bindings: Mapping[str, str], commands: queue.Queue[str],
                 count_keystrokes: bool = True) -> None:
        try:
            from pynput import keyboard
        except Exception as exc:  # noqa: BLE001 - no display, no backend, no permission
            raise SourceFailed(f"hotkeys: global keyboard unavailable ({exc})") from exc
        self.commands = commands
        self._lock = threading.Lock()
        self._keystrokes = 0
        handlers = {combo: self._command(cmd) for cmd, combo in bindings.items() if combo}
        try:
            self._hotkeys = keyboard.GlobalHotKeys(handlers)
            self._counter = (keyboard.Listener(on_press=self._count)
                             if count_keystrokes else None)
        except ValueError as exc:
            raise SourceFailed(f"hotkeys: invalid key combination ({exc})") from exc

    def _command(self, name: str):  # type: ignore[no-untyped-def]
        def fire() -> None:
            self.commands.put(name)
        return fire

    def _count(self, key: object) -> None:
        with self._lock:
            self._keystrokes += 1

    def take_keystrokes(self) -> int:
        """Key presses since the last call (for the typing cue)."""
        with self._lock:
            n, self._keystrokes = self._keystrokes, 0
        return n

    def start(self) -> None:
        try:
            for listener in (self._hotkeys, self._counter):
                if listener is not None:
                    listener.start()
                    wait_until_listening(listener, "keyboard")
        except Exception as exc:  # noqa: BLE001
            self.stop()
            raise SourceFailed(f"hotkeys: cannot listen to the keyboard ({exc})") from exc

    def stop(self) -> None:
        for listener in (self._hotkeys, self._counter):
            if listener is not None:
                listener.stop()
        for listener in (self._hotkeys, self._counter):
            if listener is not None and listener.is_alive():
                listener.join(timeout=2)
