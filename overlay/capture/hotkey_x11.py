"""Global hotkeys on X11 that are taken, not passed on: a passive key grab (XGrabKey).

pynput's X listener records the keyboard (XRecord) without grabbing, so Ctrl+Alt+O also reached
the focused window (the meeting app). A passive grab on the root window makes the server deliver
the key to OnCue alone, and only for the combinations grabbed; every other key goes where it
went. The grab is per modifier state, so each combination is grabbed four times: as is, with
Caps Lock, with Num Lock, and with both (Caps Lock and Num Lock are modifiers to X).

A combination another client has grabbed already (the desktop's own shortcut) fails with
BadAccess: it is reported in `refused`, never half-taken.

python-xlib comes with pynput on Linux. Its Display is not thread-safe: after `start()` only the
grab thread touches it, and `stop()` joins that thread before ungrabbing and closing.
"""

from __future__ import annotations

import logging
import queue
import select
import threading
from collections.abc import Mapping

from overlay.capture.hotkey_combos import Combo

log = logging.getLogger(__name__)


class X11Grab:
    name = "hotkeys-x11-grab"

    def __init__(self, combos: Mapping[str, Combo], commands: queue.Queue[str],
                 display: str | None = None) -> None:
        from Xlib import XK, X, error
        from Xlib import display as xdisplay

        self._X, self.commands = X, commands
        self._d = xdisplay.Display(display)
        self._root = self._d.screen().root
        mod_of = self._modifier_masks(XK)
        self._ignored = X.LockMask | mod_of.get("Num_Lock", 0)
        self._bound: dict[tuple[int, int], str] = {}
        self.refused: list[str] = []
        self.unknown: list[str] = []
        masks = {"ctrl": X.ControlMask, "shift": X.ShiftMask,
                 "alt": mod_of.get("Alt_L", X.Mod1Mask), "cmd": mod_of.get("Super_L", X.Mod4Mask)}
        variants = self._variants = sorted({0, X.LockMask, mod_of.get("Num_Lock", 0),
                                            X.LockMask | mod_of.get("Num_Lock", 0)})
        for command, combo in combos.items():
            keycode = self._d.keysym_to_keycode(XK.string_to_keysym(combo.x11_keysym))
            if not keycode:
                self.unknown.append(combo.text())  # no such key on this keyboard layout
                continue
            mask = 0
            for modifier in combo.modifiers:
                mask |= masks[modifier]
            catch = error.CatchError(error.BadAccess)
            for extra in variants:
                self._root.grab_key(keycode, mask | extra, True, X.GrabModeAsync,
                                    X.GrabModeAsync, onerror=catch)
            self._d.sync()  # errors arrive asynchronously: sync to see them now
            if catch.get_error() is not None:
                for extra in variants:  # not half-taken: drop the variants that did succeed
                    self._root.ungrab_key(keycode, mask | extra)
                self.refused.append(combo.text())
                continue
            self._bound[(keycode, mask)] = command
        self._d.sync()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.ready = threading.Event()

    def _modifier_masks(self, XK) -> dict[str, int]:  # type: ignore[no-untyped-def] # noqa: N803
        """Which ModN mask each of Num Lock, Alt and Super is on here (Mod2, Mod1 and Mod4 on
        most layouts, but the keyboard map decides)."""
        found: dict[str, int] = {}
        mapping = self._d.get_modifier_mapping()
        for name in ("Num_Lock", "Alt_L", "Super_L"):
            code = self._d.keysym_to_keycode(XK.string_to_keysym(name))
            for index, codes in enumerate(mapping):
                if code and code in codes and index >= 3:  # Mod1..Mod5 (0-2: Shift, Lock, Ctrl)
                    found[name] = 1 << index
        return found

    @property
    def taken(self) -> list[str]:
        return sorted(self._bound.values())

    def start(self) -> None:
        self._thread.start()
        self.ready.wait(5)

    def _run(self) -> None:
        X = self._X  # noqa: N806 - python-xlib's name
        self.ready.set()
        while not self._stop.is_set():
            while self._d.pending_events():
                event = self._d.next_event()
                if event.type != X.KeyPress:
                    continue
                # Only the eight modifier bits count (a held mouse button sets higher ones).
                state = event.state & 0xFF & ~self._ignored
                command = self._bound.get((event.detail, state))
                if command is not None:
                    self.commands.put(command)  # nothing else on this thread: copy and return
            select.select([self._d], [], [], 0.1)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        try:
            for keycode, mask in self._bound:
                for extra in self._variants:
                    self._root.ungrab_key(keycode, mask | extra)
            self._d.close()
        except Exception as exc:  # noqa: BLE001 - the X server may be gone at logout
            log.info("X11 hotkeys: closing the display failed: %s", exc)
