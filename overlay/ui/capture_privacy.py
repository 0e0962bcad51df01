"""Keep the overlay out of screen shares and recordings, where the operating system allows it.

- Windows 10 2004+: `SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)`: the window is left
  out of every capture API (Zoom/Teams/Meet screen share, OBS, the Snipping Tool). Older Windows
  falls back to WDA_MONITOR, which shows a black box instead of the overlay.
- macOS: `NSWindow.sharingType = NSWindowSharingNone`. Honoured by the older capture APIs; macOS 15
  ScreenCaptureKit may still capture the window, so it cannot be promised there.
- Linux (X11 and Wayland): no such control exists. An X11 screen grab reads the composited screen
  and sees the overlay; a Wayland portal share of the whole screen does too. Share a single window
  (the browser or a document), not the whole screen, when the overlay must stay private.

The camera image sent to the meeting never contains the overlay on any system: the overlay is on
the screen, not in the camera.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from dataclasses import dataclass

from PyQt6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0


@dataclass(frozen=True)
class CaptureHiding:
    hidden: bool
    how: str  # what was done, or why nothing could be


def hide_from_capture(widget: QWidget) -> CaptureHiding:
    """Ask the OS to leave `widget`'s window out of captures; never raises."""
    try:
        if sys.platform == "win32":
            result = _windows(int(widget.winId()))
        elif sys.platform == "darwin":
            result = _macos(int(widget.winId()))
        else:
            result = CaptureHiding(False, "X11 and Wayland offer no way to exclude a window from "
                                          "screen capture: share one window, not the screen")
    except Exception as exc:  # noqa: BLE001 - a missing API must not stop the overlay
        result = CaptureHiding(False, f"capture hiding failed: {exc}")
    log.info("hide from capture: %s (%s)", result.hidden, result.how)
    return result


def _windows(hwnd: int) -> CaptureHiding:
    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    user32.SetWindowDisplayAffinity.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    user32.SetWindowDisplayAffinity.restype = ctypes.c_int
    if user32.SetWindowDisplayAffinity(ctypes.c_void_p(hwnd), WDA_EXCLUDEFROMCAPTURE):
        return CaptureHiding(True, "WDA_EXCLUDEFROMCAPTURE")
    if user32.SetWindowDisplayAffinity(ctypes.c_void_p(hwnd), WDA_MONITOR):
        return CaptureHiding(True, "WDA_MONITOR (shown as a black box in captures)")
    return CaptureHiding(False, f"SetWindowDisplayAffinity failed (error "
                                f"{ctypes.GetLastError()})")  # type: ignore[attr-defined]


def _macos(view_ptr: int) -> CaptureHiding:
    import ctypes.util

    path = ctypes.util.find_library("objc")
    if not path:
        return CaptureHiding(False, "the Objective-C runtime was not found")
    objc = ctypes.cdll.LoadLibrary(path)
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    # On macOS, Qt's winId() is the NSView; its window is the NSWindow to configure.
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    window = send(ctypes.c_void_p(view_ptr), objc.sel_registerName(b"window"))
    if not window:
        return CaptureHiding(False, "the overlay has no NSWindow yet")
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    send(ctypes.c_void_p(window), objc.sel_registerName(b"setSharingType:"),
         NS_WINDOW_SHARING_NONE)
    return CaptureHiding(True, "NSWindowSharingNone")
