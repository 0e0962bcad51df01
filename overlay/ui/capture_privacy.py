"""Keep the overlay out of screen shares and recordings, where the operating system allows it.

- Windows 10 2004 (build 19041) and later: `SetWindowDisplayAffinity(hwnd,
  WDA_EXCLUDEFROMCAPTURE)`: "the window is displayed only on a monitor. Everywhere else, the
  window does not appear at all" (Microsoft, SetWindowDisplayAffinity). On earlier Windows that
  value "behaves as if WDA_MONITOR was applied": captures show a black box where the overlay is.
  It "works only when the Desktop Window Manager is composing the desktop".
- macOS: `NSWindow.sharingType = NSWindowSharingNone`. Honoured by the older capture APIs;
  ScreenCaptureKit (macOS 15 and later, which Zoom, Teams and Meet in Chrome use) ignores it, and
  Apple now calls it legacy, so the user is told the overlay may show there.
- Linux (X11 and Wayland): no such control exists. An X11 grab reads the composited screen and
  sees the overlay; a Wayland portal share of the whole screen does too.

The camera image sent to the meeting never contains the overlay on any system: the overlay is on
the screen, not in the camera.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from overlay.platform_notices import CAPTURE_OFF, MAY_SHOW
from overlay.platform_probes import macos_major, windows_build
from overlay.ui.window_native import CtypesObjC, ObjC, ns_window
from overlay.ui.window_native_win import CtypesUser32, User32

if TYPE_CHECKING:
    from PyQt6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WDA_NONE, WDA_MONITOR, WDA_EXCLUDEFROMCAPTURE = 0x00, 0x01, 0x11
EXCLUDE_FROM_CAPTURE_BUILD = 19041  # Windows 10 version 2004
NS_WINDOW_SHARING_NONE = 0
SHARING_IGNORED_FROM_MACOS = 15


@dataclass(frozen=True)
class CaptureHiding:
    hidden: bool  # left out of every capture this system offers
    how: str  # what was done, or why nothing could be (for the log)
    notice: str = ""  # one plain sentence for the user when the overlay may still be seen


def windows_exclude(user32: User32, hwnd: int, build: int) -> CaptureHiding:
    if not hwnd:
        return CaptureHiding(False, "no window handle yet", f"Windows: {MAY_SHOW}.")
    if user32.set_display_affinity(hwnd, WDA_EXCLUDEFROMCAPTURE):
        if build >= EXCLUDE_FROM_CAPTURE_BUILD:
            return CaptureHiding(True, "WDA_EXCLUDEFROMCAPTURE")
        # Accepted, but applied as WDA_MONITOR before 2004: say what the others will see.
        return CaptureHiding(False, f"WDA_EXCLUDEFROMCAPTURE acts as WDA_MONITOR on build {build}",
                             CAPTURE_OFF["win32"])
    error = user32.last_error()  # read at once: the next call would overwrite it
    if user32.set_display_affinity(hwnd, WDA_MONITOR):
        return CaptureHiding(False, f"WDA_EXCLUDEFROMCAPTURE failed (error {error}); WDA_MONITOR",
                             "In a shared screen the overlay shows as a black box.")
    second = user32.last_error()
    return CaptureHiding(False, f"SetWindowDisplayAffinity failed (errors {error}, {second})",
                         f"Windows refused to hide the overlay from capture (error {second}): "
                         f"{MAY_SHOW}.")


def mac_exclude(objc: ObjC, view: int, major: int) -> CaptureHiding:
    window = ns_window(objc, view)
    if not window:
        return CaptureHiding(False, "the overlay has no NSWindow yet", f"macOS: {MAY_SHOW}.")
    objc.send(window, "setSharingType:", NS_WINDOW_SHARING_NONE)
    if major >= SHARING_IGNORED_FROM_MACOS:
        return CaptureHiding(False, f"NSWindowSharingNone (ignored by ScreenCaptureKit on macOS "
                                    f"{major})", CAPTURE_OFF["darwin"])
    return CaptureHiding(True, "NSWindowSharingNone")


def linux_capture() -> CaptureHiding:
    return CaptureHiding(False, "X11 and Wayland offer no way to exclude a window from capture",
                         CAPTURE_OFF["linux"])


def hide_from_capture(widget: QWidget, platform: str | None = None, *, objc: ObjC | None = None,
                      user32: User32 | None = None) -> CaptureHiding:
    """Ask the OS to leave `widget`'s window out of captures; never raises. A warning (shown on
    the terminal) says so when the overlay may still be seen in a shared screen."""
    platform = platform or sys.platform
    try:
        if platform == "win32":
            result = windows_exclude(user32 or CtypesUser32(), int(widget.winId()),
                                     windows_build())
        elif platform == "darwin":
            result = mac_exclude(objc or CtypesObjC(), int(widget.winId()), macos_major())
        else:
            result = linux_capture()
    except Exception as exc:  # noqa: BLE001 - a missing API must not stop the overlay
        result = CaptureHiding(False, f"capture hiding failed: {exc}", f"{MAY_SHOW}.")
    log.info("hide from capture: %s (%s)", result.hidden, result.how)
    # Linux, macOS 15+ and Windows before 2004 are told at start by
    # platform_notices.feature_notices (known before any window exists); only what this call
    # found out goes to the terminal here.
    foreseen = platform.startswith("linux") or any(
        words in result.how for words in ("ignored by ScreenCaptureKit", "acts as WDA_MONITOR"))
    if result.notice and not foreseen:
        log.warning("%s", result.notice)
    return result
