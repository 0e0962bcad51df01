"""The native calls that keep the overlay on top and click-through on Windows (no Qt here).

`User32` is the Win32 window functions, loaded with `use_last_error=True` so that the error code
read after a failed call is the one that call set (ctypes' own copy, not a later overwrite); the
tests put a fake in its place that records what is set. The macOS half, and the `NativeSetup`
both halves report in, are in overlay/ui/window_native.py.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Protocol

from overlay.ui.window_native import NativeSetup

log = logging.getLogger(__name__)

GWL_EXSTYLE = -20
WS_EX_TOPMOST, WS_EX_TRANSPARENT, WS_EX_TOOLWINDOW = 0x00000008, 0x00000020, 0x00000080
WS_EX_LAYERED, WS_EX_NOACTIVATE = 0x00080000, 0x08000000
HWND_TOPMOST = -1
SWP_NOSIZE, SWP_NOMOVE, SWP_NOACTIVATE, SWP_FRAMECHANGED = 0x0001, 0x0002, 0x0010, 0x0020
LWA_ALPHA = 0x00000002


class User32(Protocol):
    """The few user32 functions used, with `last_error()` read right after a failed call."""

    def get_ex_style(self, hwnd: int) -> int: ...

    def set_ex_style(self, hwnd: int, style: int) -> int: ...

    def set_window_pos(self, hwnd: int, after: int, flags: int) -> bool: ...

    def set_layered_alpha(self, hwnd: int, alpha: int) -> bool: ...

    def set_display_affinity(self, hwnd: int, affinity: int) -> bool: ...

    def get_display_affinity(self, hwnd: int) -> int | None: ...

    def last_error(self) -> int: ...


class CtypesUser32:
    """user32.dll through ctypes, declared from the Win32 API reference (winuser.h)."""

    def __init__(self) -> None:
        from ctypes import wintypes

        dll = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        # 64-bit Windows exports GetWindowLongPtrW; 32-bit only GetWindowLongW (same layout).
        self._get = getattr(dll, "GetWindowLongPtrW", None) or dll.GetWindowLongW
        self._set = getattr(dll, "SetWindowLongPtrW", None) or dll.SetWindowLongW
        self._get.argtypes = [wintypes.HWND, ctypes.c_int]
        self._get.restype = ctypes.c_ssize_t
        self._set.argtypes = [wintypes.HWND, ctypes.c_int, ctypes.c_ssize_t]
        self._set.restype = ctypes.c_ssize_t
        self._pos = dll.SetWindowPos
        self._pos.argtypes = [wintypes.HWND, wintypes.HWND, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_int, wintypes.UINT]
        self._pos.restype = wintypes.BOOL
        self._alpha = dll.SetLayeredWindowAttributes
        self._alpha.argtypes = [wintypes.HWND, wintypes.DWORD, wintypes.BYTE, wintypes.DWORD]
        self._alpha.restype = wintypes.BOOL
        self._affinity = dll.SetWindowDisplayAffinity
        self._affinity.argtypes = [wintypes.HWND, wintypes.DWORD]
        self._affinity.restype = wintypes.BOOL
        self._get_affinity = dll.GetWindowDisplayAffinity
        self._get_affinity.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        self._get_affinity.restype = wintypes.BOOL

    def get_ex_style(self, hwnd: int) -> int:
        return int(self._get(hwnd, GWL_EXSTYLE)) & 0xFFFFFFFF

    def set_ex_style(self, hwnd: int, style: int) -> int:
        # SetWindowLongPtr returns 0 for a previous value of 0 too: clear the error first.
        ctypes.set_last_error(0)  # type: ignore[attr-defined]
        return int(self._set(hwnd, GWL_EXSTYLE, style))

    def set_window_pos(self, hwnd: int, after: int, flags: int) -> bool:
        return bool(self._pos(hwnd, after, 0, 0, 0, 0, flags))

    def set_layered_alpha(self, hwnd: int, alpha: int) -> bool:
        return bool(self._alpha(hwnd, 0, alpha, LWA_ALPHA))

    def set_display_affinity(self, hwnd: int, affinity: int) -> bool:
        return bool(self._affinity(hwnd, affinity))

    def get_display_affinity(self, hwnd: int) -> int | None:
        from ctypes import wintypes

        value = wintypes.DWORD()
        return int(value.value) if self._get_affinity(hwnd, ctypes.byref(value)) else None

    def last_error(self) -> int:
        return ctypes.get_last_error()  # type: ignore[attr-defined]


def windows_keep_on_top(user32: User32, hwnd: int, click_through: bool = True) -> NativeSetup:
    """Topmost and click-through, checked on the window rather than assumed from Qt's flags.

    Qt maps WindowStaysOnTopHint to SetWindowPos(HWND_TOPMOST) and WindowTransparentForInput to
    WS_EX_LAYERED | WS_EX_TRANSPARENT; this reads the extended style back and sets what is
    missing, so a Qt change or a recreated window cannot silently leave the overlay clickable.
    """
    if not hwnd:
        return NativeSetup(problem="the overlay has no Windows window yet")
    done: list[str] = []
    style = user32.get_ex_style(hwnd)
    wanted = style | WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE  # no taskbar button, never activated
    if click_through:
        # A click goes to the window below only with both: WS_EX_TRANSPARENT alone still takes
        # hit-tests (Microsoft, Extended Window Styles).
        wanted |= WS_EX_LAYERED | WS_EX_TRANSPARENT
    if wanted != style:
        if not user32.set_ex_style(hwnd, wanted) and user32.last_error():
            return NativeSetup(tuple(done), f"could not make the overlay click-through "
                                            f"(error {user32.last_error()})")
        if wanted & WS_EX_LAYERED and not style & WS_EX_LAYERED:
            # "the layered window will not become visible until SetLayeredWindowAttributes or
            # UpdateLayeredWindow has been called" (Microsoft, Using Windows: Layered Windows).
            user32.set_layered_alpha(hwnd, 255)
        done.append(f"exstyle {style:#x}->{wanted:#x}")
    flags = SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE | SWP_FRAMECHANGED
    if not user32.set_window_pos(hwnd, HWND_TOPMOST, flags):
        return NativeSetup(tuple(done), f"could not keep the overlay on top "
                                        f"(error {user32.last_error()})")
    done.append("HWND_TOPMOST")
    return NativeSetup(tuple(done))
