"""What is off or partial on this computer, in one short sentence each, said at start
(overlay/ui/app.py) and in `oncue check` (overlay/commands/check_practice.py): a missing
permission, what Wayland cannot do (hotkeys, reading the screen), and a screen share that may
show the overlay (Linux has no way to hide a window from capture; macOS 15+ ScreenCaptureKit
ignores the window's sharing type; Windows before 10 version 2004 shows a black box).
"""

from __future__ import annotations

import logging
import sys

from overlay.platform_access import HOTKEYS, SCREEN, Permission, permission_notices
from overlay.platform_probes import macos_major, windows_build

log = logging.getLogger(__name__)

MAY_SHOW = "the overlay may show in a shared screen (share a window, not the whole screen)"
CAPTURE_OFF = {
    "linux": f"Linux cannot hide a window from screen sharing: {MAY_SHOW}.",
    "darwin": f"macOS 15 and later ignore the request to hide a window from screen sharing: "
              f"{MAY_SHOW}.",
    "win32": "Windows before 10 version 2004 shows the overlay as a black box in a shared "
             "screen.",
}
PARTIAL = {  # a permission the system cannot confirm, in plain words
    SCREEN: "Screen reading sees only X11 apps here (Wayland): the mute nudges need the meeting "
            "app to run under XWayland (Zoom does by default).",
    HOTKEYS: "Hotkeys work only while an X11 app is in front: this Wayland desktop offers no "
             "global shortcuts (the tray and the overlay's menu still work).",
}


def capture_notice(platform: str, macos: int = 0, windows: int = 0) -> str:
    """Where the OS cannot keep the overlay out of a screen share ('' where it can)."""
    if platform.startswith("linux"):
        return CAPTURE_OFF["linux"]
    if platform == "darwin" and macos >= 15:
        return CAPTURE_OFF["darwin"]
    if platform == "win32" and 0 < windows < 19041:
        return CAPTURE_OFF["win32"]
    return ""


def feature_notices(permissions: list[Permission], platform: str | None = None,
                    macos: int | None = None, windows: int | None = None) -> list[str]:
    """One short sentence per feature that is off or partial on this computer."""
    platform = platform or sys.platform
    lines = permission_notices(permissions)
    for p in permissions:
        if p.granted is None and p.detail.startswith("Wayland") and p.feature in PARTIAL:
            lines.append(PARTIAL[p.feature])
        elif p.granted is None and p.detail == "could not be checked":
            lines.append(f"OnCue cannot tell whether {p.feature} is allowed: if {p.disables} "
                         f"never work, {p.how_to_grant[0].lower()}{p.how_to_grant[1:]}")
    capture = capture_notice(platform, macos_major() if macos is None else macos,
                             windows_build() if windows is None else windows)
    return lines + ([capture] if capture else [])
