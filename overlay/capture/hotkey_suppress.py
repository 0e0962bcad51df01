"""Hotkeys taken, not passed on, through pynput's hooks on Windows and macOS.

- Windows: pynput's keyboard listener is a low-level keyboard hook (WH_KEYBOARD_LL). Its
  `win32_event_filter(msg, data)` runs inside the hook for every key, before pynput dispatches
  it; `listener.suppress_event()` there makes the hook swallow the event, so "no application"
  receives it (pynput docs, "Handling keyboard events: Windows"). The filter runs before pynput
  has decoded the key, so it matches the combination itself, from the virtual-key code and the
  modifiers' state (GetAsyncKeyState: up to date for every key except the one being processed,
  per Microsoft's LowLevelKeyboardProc notes). Alt means the LEFT Alt key: AltGr is sent as
  Ctrl + right Alt, and a Polish or German user typing ó or @ must not trigger a hotkey.
- macOS: the listener is a Quartz event tap; `darwin_intercept(event_type, event)` returns the
  event to pass it on, or None to swallow it (pynput docs, "Handling keyboard events: macOS";
  the tap is then an active one, which needs the Accessibility permission). pynput calls the
  hotkey handlers for an event before it calls the intercept, on the same thread, so the
  intercept swallows exactly the events that fired a hotkey.

Both swallow the key's release (and auto-repeats) too, so the meeting app never sees half of it.

On Windows an Alt (or Win) press and release with nothing seen in between opens the app's menu bar
(or the Start menu), and the key in between is exactly what was swallowed: like AutoHotkey's
"menu mask key", the filter then sends one unassigned virtual key (0xE8) so the app sees Alt +
something, which does nothing. That key is injected, so the filter passes it on.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable, Mapping
from typing import Any

from overlay.capture.hotkey_combos import Combo

log = logging.getLogger(__name__)

WM_KEYDOWN, WM_KEYUP, WM_SYSKEYDOWN, WM_SYSKEYUP = 0x0100, 0x0101, 0x0104, 0x0105
LLKHF_INJECTED = 0x10
VK_SHIFT, VK_CONTROL, VK_MENU, VK_LMENU, VK_LWIN, VK_RWIN = 0x10, 0x11, 0x12, 0xA4, 0x5B, 0x5C
VK_MASK = 0xE8  # unassigned (Microsoft, "Virtual-Key Codes")
KEYEVENTF_KEYUP = 0x0002


def windows_tap_key() -> Callable[[int], None]:
    import ctypes

    user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]

    def tap(vk: int) -> None:
        user32.keybd_event(vk, 0, 0, 0)
        user32.keybd_event(vk, 0, KEYEVENTF_KEYUP, 0)
    return tap


def windows_key_down() -> Callable[[int], bool]:
    import ctypes

    user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
    user32.GetAsyncKeyState.argtypes = [ctypes.c_int]
    user32.GetAsyncKeyState.restype = ctypes.c_short
    return lambda vk: bool(user32.GetAsyncKeyState(vk) & 0x8000)  # high bit: held down


class WindowsKeyFilter:
    """`win32_event_filter` for a pynput keyboard listener; `listener` is set once it exists."""

    def __init__(self, combos: Mapping[str, Combo], commands: queue.Queue[str],
                 key_down: Callable[[int], bool],
                 tap_key: Callable[[int], None] | None = None) -> None:
        self.commands = commands
        self.key_down = key_down
        self.tap_key = tap_key or (lambda vk: None)
        self.listener: Any = None
        self._by_vk: dict[int, list[tuple[Combo, str]]] = {}
        for command, combo in combos.items():
            self._by_vk.setdefault(combo.windows_vk, []).append((combo, command))
        self._held: set[int] = set()  # keys whose press fired a hotkey, until released

    def _modifiers(self) -> frozenset[str]:
        held = {"ctrl": self.key_down(VK_CONTROL), "shift": self.key_down(VK_SHIFT),
                "cmd": self.key_down(VK_LWIN) or self.key_down(VK_RWIN)}
        alt = self.key_down(VK_LMENU)
        if not alt and self.key_down(VK_MENU):
            held["altgr"] = True  # right Alt alone: never matches a combination
        held["alt"] = alt
        return frozenset(name for name, down in held.items() if down)

    def __call__(self, msg: int, data: Any) -> bool:
        if data.flags & LLKHF_INJECTED:
            return True  # synthetic keys (ours or another tool's) are never hotkeys
        vk = int(data.vkCode)
        if msg in (WM_KEYDOWN, WM_SYSKEYDOWN):
            if vk in self._held:  # auto-repeat of a hotkey still held
                self._suppress()
            mods = self._modifiers()
            for combo, command in self._by_vk.get(vk, ()):
                if combo.modifiers == mods:
                    self._held.add(vk)
                    self.commands.put(command)
                    if mods & {"alt", "cmd"}:
                        self.tap_key(VK_MASK)  # no menu bar, no Start menu on release
                    self._suppress()
        elif msg in (WM_KEYUP, WM_SYSKEYUP) and vk in self._held:
            self._held.discard(vk)
            self._suppress()
        return True

    def _suppress(self) -> None:
        if self.listener is not None:
            self.listener.suppress_event()  # raises inside pynput's hook: nothing runs after


KCG_EVENT_KEY_DOWN, KCG_EVENT_KEY_UP = 10, 11
KCG_KEYBOARD_EVENT_KEYCODE = 9


def quartz_keycode(event: Any) -> int:
    import Quartz  # type: ignore[import-not-found]  # pyobjc-framework-Quartz, pynput's on macOS

    return int(Quartz.CGEventGetIntegerValueField(event, KCG_KEYBOARD_EVENT_KEYCODE))


class MacKeyIntercept:
    """`darwin_intercept` for pynput's GlobalHotKeys; `fired()` is wrapped around each
    hotkey handler so the event that fired it is known."""

    def __init__(self, keycode: Callable[[Any], int] | None = None) -> None:
        self.keycode = keycode or (lambda event: quartz_keycode(event))
        self._fired = False
        self._held: set[int] = set()

    def fired(self, handler: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self._fired = True
            handler()
        return run

    def __call__(self, event_type: int, event: Any) -> Any:
        fired, self._fired = self._fired, False
        if event_type == KCG_EVENT_KEY_DOWN:
            code = self.keycode(event)
            if fired:
                self._held.add(code)
                return None
            if code in self._held:  # auto-repeat of a hotkey still held
                return None
        elif event_type == KCG_EVENT_KEY_UP:
            code = self.keycode(event)
            if code in self._held:
                self._held.discard(code)
                return None
        return event
