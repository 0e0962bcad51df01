"""The visible top-level windows of a Windows desktop, through user32 and dwmapi (ctypes).

Written against Microsoft's documentation (learn.microsoft.com/windows/win32/api):
- `EnumWindows(lpEnumFunc, lParam)` calls `EnumWindowsProc(HWND, LPARAM) -> BOOL` for each
  top-level window; returning TRUE continues the enumeration.
- `IsWindowVisible`, `IsIconic` (minimised), `GetWindowTextLengthW` / `GetWindowTextW`,
  `GetClassNameW`.
- `DwmGetWindowAttribute(hwnd, DWMWA_EXTENDED_FRAME_BOUNDS = 9, &RECT, sizeof RECT)`: the visible
  bounds without the invisible resize borders and shadow that `GetWindowRect` includes, and "not
  adjusted for DPI", i.e. physical pixels, as mss grabs once it has made the process per-monitor
  DPI aware (mss calls SetProcessDpiAwareness(PROCESS_PER_MONITOR_DPI_AWARE) when created; Qt 6
  makes the process per-monitor aware v2 anyway). `GetWindowRect` is the fallback when DWM
  refuses (an HRESULT other than S_OK).
Errors are read with `use_last_error=True` and `ctypes.get_last_error()`, never GetLastError()
through ctypes (ctypes' own calls may overwrite it).
"""

from __future__ import annotations

import ctypes
import logging
from ctypes import wintypes
from typing import Any

from overlay.capture.window_info import WindowInfo

log = logging.getLogger(__name__)

DWMWA_EXTENDED_FRAME_BOUNDS = 9
S_OK = 0


class RECT(ctypes.Structure):
    """Win32 RECT: four LONGs, 32-bit on Windows (wintypes.LONG is c_long, 64-bit elsewhere,
    which would make a wrong size in the tests' fakes)."""

    _fields_ = [("left", ctypes.c_int32), ("top", ctypes.c_int32),
                ("right", ctypes.c_int32), ("bottom", ctypes.c_int32)]


def _libraries() -> tuple[Any, Any, Any]:
    """user32, dwmapi and the EnumWindowsProc type (WINFUNCTYPE exists on Windows only)."""
    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    dwmapi = ctypes.WinDLL("dwmapi")  # type: ignore[attr-defined]
    proc = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)  # type: ignore
    return user32, dwmapi, proc


class WindowsWindows:
    def __init__(self, libraries: tuple[Any, Any, Any] | None = None) -> None:
        self.user32, self.dwmapi, self.enum_proc = libraries or _libraries()

    def list(self) -> list[WindowInfo]:
        hwnds: list[Any] = []

        def collect(hwnd: Any, lparam: Any) -> bool:
            hwnds.append(hwnd)  # nothing else here: the rest runs after EnumWindows returns
            return True

        callback = self.enum_proc(collect)  # kept referenced until EnumWindows returns
        if not self.user32.EnumWindows(callback, 0):
            log.debug("EnumWindows failed: error %d", ctypes.get_last_error())  # type: ignore[attr-defined]
        out = []
        for hwnd in hwnds:
            if not self.user32.IsWindowVisible(hwnd) or self.user32.IsIconic(hwnd):
                continue
            title = self._text(hwnd)
            if not title:
                continue
            rect = self._bounds(hwnd)
            if rect is None:
                continue
            out.append(WindowInfo(title, self._class(hwnd), rect.left, rect.top,
                                  rect.right - rect.left, rect.bottom - rect.top))
        return out

    def _text(self, hwnd: Any) -> str:
        n = self.user32.GetWindowTextLengthW(hwnd)
        if n <= 0:
            return ""
        buf = ctypes.create_unicode_buffer(n + 1)
        self.user32.GetWindowTextW(hwnd, buf, n + 1)
        return buf.value

    def _class(self, hwnd: Any) -> str:
        buf = ctypes.create_unicode_buffer(256)
        self.user32.GetClassNameW(hwnd, buf, 256)
        return buf.value

    def _bounds(self, hwnd: Any) -> RECT | None:
        rect = RECT()
        hr = self.dwmapi.DwmGetWindowAttribute(hwnd, DWMWA_EXTENDED_FRAME_BOUNDS,
                                               ctypes.byref(rect), ctypes.sizeof(rect))
        if hr == S_OK:
            return rect
        if self.user32.GetWindowRect(hwnd, ctypes.byref(rect)):
            return rect
        log.debug("no bounds for window %s: error %d", hwnd, ctypes.get_last_error())  # type: ignore[attr-defined]
        return None
