"""The visible windows of a macOS desktop, through CoreGraphics' window list (ctypes, no PyObjC).

Written against Apple's documentation (developer.apple.com/documentation/coregraphics):
- `CGWindowListCopyWindowInfo(kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
  kCGNullWindowID)` returns a CFArray of CFDictionaries, front to back, which the caller releases.
- Keys (CFString constants exported by CoreGraphics): `kCGWindowOwnerName` (the app),
  `kCGWindowName` (the title), `kCGWindowLayer` (0 = normal windows; the menu bar, the Dock and
  panels sit on other layers), `kCGWindowBounds` (a CGRect as a dictionary, read with
  `CGRectMakeWithDictionaryRepresentation`, in points in the global display space whose origin is
  the top-left of the main display: the space mss grabs in).
- Since macOS 10.15, `kCGWindowName` of other apps' windows is empty without the Screen Recording
  permission; without it mss sees only the desktop too, which overlay/platform_access.py says.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

from overlay.capture.window_info import WindowInfo

log = logging.getLogger(__name__)

kCGWindowListOptionOnScreenOnly = 1 << 0  # noqa: N816 - Apple's names
kCGWindowListExcludeDesktopElements = 1 << 4  # noqa: N816
kCGNullWindowID = 0  # noqa: N816
kCFStringEncodingUTF8 = 0x08000100  # noqa: N816
kCFNumberSInt32Type = 3  # noqa: N816
KEYS = ("kCGWindowOwnerName", "kCGWindowName", "kCGWindowLayer", "kCGWindowBounds")


class CGPoint(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


class CGSize(ctypes.Structure):
    _fields_ = [("width", ctypes.c_double), ("height", ctypes.c_double)]


class CGRect(ctypes.Structure):
    _fields_ = [("origin", CGPoint), ("size", CGSize)]


def _frameworks() -> tuple[Any, Any, dict[str, int]]:
    cg = ctypes.CDLL("/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
    cf = ctypes.CDLL("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
    vp = ctypes.c_void_p
    cg.CGWindowListCopyWindowInfo.restype, cg.CGWindowListCopyWindowInfo.argtypes = \
        vp, [ctypes.c_uint32, ctypes.c_uint32]
    cg.CGRectMakeWithDictionaryRepresentation.restype = ctypes.c_bool
    cg.CGRectMakeWithDictionaryRepresentation.argtypes = [vp, ctypes.POINTER(CGRect)]
    cf.CFArrayGetCount.restype, cf.CFArrayGetCount.argtypes = ctypes.c_long, [vp]
    cf.CFArrayGetValueAtIndex.restype = vp
    cf.CFArrayGetValueAtIndex.argtypes = [vp, ctypes.c_long]
    cf.CFDictionaryGetValue.restype, cf.CFDictionaryGetValue.argtypes = vp, [vp, vp]
    cf.CFStringGetCString.restype = ctypes.c_bool
    cf.CFStringGetCString.argtypes = [vp, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32]
    cf.CFNumberGetValue.restype = ctypes.c_bool
    cf.CFNumberGetValue.argtypes = [vp, ctypes.c_int, vp]
    cf.CFRelease.argtypes = [vp]
    keys = {name: ctypes.c_void_p.in_dll(cg, name).value or 0 for name in KEYS}
    return cg, cf, keys


class MacWindows:
    def __init__(self, frameworks: tuple[Any, Any, dict[str, int]] | None = None) -> None:
        self.cg, self.cf, self.keys = frameworks or _frameworks()

    def list(self) -> list[WindowInfo]:
        cg, cf = self.cg, self.cf
        array = cg.CGWindowListCopyWindowInfo(
            kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
            kCGNullWindowID)
        if not array:
            return []
        out: list[WindowInfo] = []
        try:
            for i in range(cf.CFArrayGetCount(array)):
                info = cf.CFArrayGetValueAtIndex(array, i)
                if self._number(info, "kCGWindowLayer") != 0:
                    continue
                rect = CGRect()
                bounds = cf.CFDictionaryGetValue(info, self.keys["kCGWindowBounds"])
                if not bounds or not cg.CGRectMakeWithDictionaryRepresentation(
                        bounds, ctypes.byref(rect)):
                    continue
                out.append(WindowInfo(self._string(info, "kCGWindowName"),
                                      self._string(info, "kCGWindowOwnerName"),
                                      round(rect.origin.x), round(rect.origin.y),
                                      round(rect.size.width), round(rect.size.height)))
        finally:
            cf.CFRelease(array)  # "Copy" in the name: ours to release
        return out

    def _string(self, info: Any, key: str) -> str:
        value = self.cf.CFDictionaryGetValue(info, self.keys[key])
        if not value:
            return ""
        buf = ctypes.create_string_buffer(1024)
        if not self.cf.CFStringGetCString(value, buf, len(buf), kCFStringEncodingUTF8):
            return ""
        return buf.value.decode("utf-8", "replace")

    def _number(self, info: Any, key: str) -> int | None:
        value = self.cf.CFDictionaryGetValue(info, self.keys[key])
        number = ctypes.c_int32()
        if not value or not self.cf.CFNumberGetValue(value, kCFNumberSInt32Type,
                                                     ctypes.byref(number)):
            return None
        return int(number.value)
