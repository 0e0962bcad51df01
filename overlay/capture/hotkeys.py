"""Global hotkeys turned into commands on a queue, taken from the focused app where the platform
allows it, and keyboard activity counted for the "typing is audible" cue.

How each platform takes the key (so Ctrl+Alt+O does not also reach the meeting app):
- X11 (and XWayland): a passive grab, overlay/capture/hotkey_x11.py.
- Windows: pynput's low-level hook with a filter that suppresses the hotkey's events;
  macOS: pynput's event tap with an intercept that swallows them (hotkey_suppress.py).
- Wayland: the desktop's GlobalShortcuts portal where it has one (hotkey_portal.py); otherwise
  through XWayland, heard only while an X11 window has focus, and the user is told.
- PYNPUT_BACKEND=dummy (tests) or uinput: pynput's own GlobalHotKeys, which cannot take keys.

What is partial on Wayland is said once at start by overlay/platform_notices.py; what only
listening finds out (a key another app holds, a portal dialog cancelled) is in `notices`.

Every listener calls back on its own thread: the callbacks only put a command name (or bump a
counter) and return. Keystrokes are counted, never recorded.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Mapping
from typing import Any

from overlay.capture.base import SourceFailed
from overlay.capture.hotkey_combos import ComboError, parse_bindings
from overlay.capture.listening import wait_until_listening

log = logging.getLogger(__name__)


class Hotkeys:
    """`bindings` maps a command ("snooze") to a pynput combo ("<ctrl>+<alt>+s")."""

    name = "hotkeys"

    def __init__(self, bindings: Mapping[str, str], commands: queue.Queue[str],
                 count_keystrokes: bool = True, platform: str | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.platform = platform or sys.platform
        self.commands = commands
        self.notices: list[str] = []  # plain sentences for the user: what is off or partial
        self._lock = threading.Lock()
        self._keystrokes = 0
        self._listeners: list[Any] = []
        try:
            self.combos = parse_bindings(bindings)
        except ComboError as exc:
            raise SourceFailed(f"hotkeys: invalid key combination {exc}") from exc
        backend = env.get("PYNPUT_BACKEND", "")
        wayland = bool(env.get("WAYLAND_DISPLAY")) and self.platform.startswith("linux")
        self._grab: Any = None
        self._portal: Any = None
        if backend in ("dummy", "uinput"):
            self.backend = f"pynput-{backend}"
        elif self.platform in ("win32", "darwin"):
            self.backend = self.platform
        elif wayland and self._open_portal(env):
            self.backend = "portal"
        elif env.get("DISPLAY"):
            self.backend = "x11-grab"
        else:
            self.backend = "none"
        needs_pynput = count_keystrokes or self.backend != "x11-grab"
        keyboard: Any = self._pynput() if needs_pynput else None
        if self.backend == "x11-grab":
            self._open_grab(env)
        elif self.backend == "win32":
            from overlay.capture.hotkey_suppress import (
                WindowsKeyFilter,
                windows_key_down,
                windows_tap_key,
            )

            key_filter = WindowsKeyFilter(self.combos, commands, windows_key_down(),
                                          windows_tap_key())
            listener = keyboard.Listener(on_press=self._count if count_keystrokes else None,
                                         win32_event_filter=key_filter)
            key_filter.listener = listener
            self._listeners.append(listener)
            count_keystrokes = False  # the same listener counts
        elif self.backend == "darwin":
            from overlay.capture.hotkey_suppress import MacKeyIntercept

            intercept = MacKeyIntercept()
            handlers = {bindings[c]: intercept.fired(self._command(c)) for c in self.combos}
            self._listeners.append(keyboard.GlobalHotKeys(handlers, darwin_intercept=intercept))
        elif self.backend.startswith("pynput"):
            handlers = {bindings[c]: self._command(c) for c in self.combos}
            try:
                self._listeners.append(keyboard.GlobalHotKeys(handlers))
            except ValueError as exc:
                # pynput's dummy backend gives every modifier one key code, so a combination
                # of two modifiers is a duplicate key there: no binding can be heard.
                raise SourceFailed(f"hotkeys: the {backend} keyboard backend cannot hear "
                                   f"{exc}") from exc
            if backend == "uinput":
                self.notices.append("Hotkeys are heard through uinput: they also reach the app "
                                    "in front.")
        if count_keystrokes and keyboard is not None:
            self._listeners.append(keyboard.Listener(on_press=self._count))
        log.info("hotkeys: %s backend, %d bindings", self.backend, len(self.combos))

    # -- backends -----------------------------------------------------------------------------
    @staticmethod
    def _pynput() -> Any:
        try:
            from pynput import keyboard
        except Exception as exc:  # noqa: BLE001 - no display, no backend, no permission
            raise SourceFailed(f"hotkeys: global keyboard unavailable ({exc})") from exc
        return keyboard

    def _open_grab(self, env: Mapping[str, str]) -> None:
        from overlay.capture.hotkey_x11 import X11Grab

        try:
            self._grab = X11Grab(self.combos, self.commands, env.get("DISPLAY"))
        except Exception as exc:  # noqa: BLE001 - no X server, no access
            raise SourceFailed(f"hotkeys: cannot open the X display ({exc})") from exc
        for text in self._grab.refused:
            self.notices.append(f"The hotkey {text} is already used by another app or the "
                                f"desktop: change it in the settings ([hotkeys]).")
        for text in self._grab.unknown:
            self.notices.append(f"The hotkey {text} has no key on this keyboard layout.")

    def _open_portal(self, env: Mapping[str, str]) -> bool:
        from overlay.capture.hotkey_portal import PortalShortcuts, portal_available

        if not portal_available(env):
            return False
        self._portal = PortalShortcuts(self.combos, self.commands)
        return True

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

    # -- owner's side -------------------------------------------------------------------------
    def start(self) -> None:
        try:
            for source in (self._grab, self._portal):
                if source is not None:
                    source.start()
                    self.notices.extend(getattr(source, "problems", []))
            for listener in self._listeners:
                listener.start()
                wait_until_listening(listener, "keyboard")
        except Exception as exc:  # noqa: BLE001
            self.stop()
            raise SourceFailed(f"hotkeys: cannot listen to the keyboard ({exc})") from exc
        for notice in self.notices:
            log.warning("%s", notice)

    def stop(self) -> None:
        for listener in self._listeners:
            listener.stop()
        for listener in self._listeners:
            if listener.is_alive():
                listener.join(timeout=2)
        for source in (self._grab, self._portal):
            if source is not None:
                source.stop()
