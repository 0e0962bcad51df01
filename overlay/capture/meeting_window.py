"""Which window on screen is the meeting, and where its toolbar is.

The platform layer lists the visible top-level windows (`meeting_window_x11`, `_win`, `_mac`:
title, owning app, bounds); this module picks the meeting among them by its title and app, on
any monitor, and says which strip of it holds the controls the mute reader needs. Grabbing that
strip, not the whole primary monitor, is what keeps the watcher cheap on a 4K screen and lets it
see a meeting on a second monitor.

Coordinates are those mss grabs in, on the whole virtual desktop:
- X11: physical pixels, as the X server has them (no scaling in between);
- Windows: physical pixels: mss makes the process per-monitor DPI aware, and the lister reads
  DWMWA_EXTENDED_FRAME_BOUNDS, which "are not adjusted for DPI" (Microsoft, GetWindowRect docs);
- macOS: points, as kCGWindowBounds gives them and as mss grabs them (it asks CoreGraphics for the
  nominal resolution), so a Retina strip comes at half its pixel size; the Zoom reader matches
  scales 0.55-2.8 and does not mind.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from overlay.capture.window_info import WindowInfo

log = logging.getLogger(__name__)

Region = tuple[int, int, int, int]  # x, y, width, height on the virtual desktop


@dataclass(frozen=True)
class MeetingWindow:
    app: str  # "zoom", "teams", "webex", "meet"
    title: str
    region: Region  # the whole window


# Main windows and navigation panes of Teams whose titles also end in "| Microsoft Teams".
_TEAMS_PANES = {"chat", "activity", "calendar", "teams", "files", "apps", "calls", "people",
                "assignments", "onedrive", "communities", "microsoft teams"}
_MEET = re.compile(r"^(meet\s[-\u2013\u2014]\s|google meet\b)|\bgoogle meet\b", re.I)


def meeting_app(window: WindowInfo) -> str | None:
    """The meeting app whose in-call window this is, by title and owner; None otherwise.

    Titles: Zoom names its call window "Zoom Meeting" (or "Zoom Webinar"; "Meeting" with the
    zoom owner on Linux); Teams "<meeting> | Microsoft Teams"; Webex "... Meeting ..." owned by
    Webex; Meet is a browser tab titled "Meet - abc-defg-hij" (the window takes the tab's title).
    """
    title, owner = window.title.strip(), window.owner.lower()
    low = title.lower()
    if low.startswith(("zoom meeting", "zoom webinar")) or (
            "zoom" in owner and low in ("meeting", "zoom", "webinar")):
        return "zoom"
    if "microsoft teams" in low or "teams" in owner:
        pane = low.split("|")[0].strip()
        if "|" in low and pane not in _TEAMS_PANES:
            return "teams"
        return None
    if "webex" in low or "webex" in owner:
        return "webex" if "meeting" in low or "personal room" in low else None
    if _MEET.search(title):
        return "meet"
    return None


def is_meeting_title(title: str, owner: str) -> bool:
    return meeting_app(WindowInfo(title, owner, 0, 0, 0, 0)) is not None


def find_meeting(windows: Iterable[WindowInfo], min_side: int = 200) -> MeetingWindow | None:
    """The meeting window among `windows`; the largest if there are several (a pop-out chat or
    a mini self-view window of the same app is smaller than the call)."""
    best: tuple[int, MeetingWindow] | None = None
    for w in windows:
        app = meeting_app(w)
        if app is None or min(w.width, w.height) < min_side:
            continue
        area = w.width * w.height
        if best is None or area > best[0]:
            best = (area, MeetingWindow(app, w.title, (w.x, w.y, w.width, w.height)))
    return best[1] if best is not None else None


def toolbar_region(window: MeetingWindow, *, share: float = 0.2, least: int = 120) -> Region:
    """The strip of the window that holds the meeting controls: the bottom for Zoom, Webex and
    Meet; the top for Teams, whose call controls sit in the bar above the video since its "new
    meeting experience". A fifth of the window, at least `least` pixels: Zoom's toolbar is about
    60 logical pixels high, and its labels sit under the buttons."""
    x, y, w, h = window.region
    strip = min(h, max(least, round(h * share)))
    if window.app == "teams":
        return x, y, w, strip
    return x, y + h - strip, w, strip


def clip_region(region: Region, desktop: Region) -> Region | None:
    """`region` cut to the desktop (a window partly off screen cannot be grabbed whole);
    None when nothing of it is on screen."""
    x, y, w, h = region
    dx, dy, dw, dh = desktop
    x0, y0 = max(x, dx), max(y, dy)
    x1, y1 = min(x + w, dx + dw), min(y + h, dy + dh)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return x0, y0, x1 - x0, y1 - y0


WindowLister = Callable[[], list[WindowInfo]]


def platform_lister() -> WindowLister | None:
    """The window list of this platform, or None where there is none to read (Wayland: native
    windows are not listed to other clients; then the watcher grabs the configured monitor)."""
    if sys.platform == "win32":
        from overlay.capture.meeting_window_win import WindowsWindows

        return WindowsWindows().list
    if sys.platform == "darwin":
        from overlay.capture.meeting_window_mac import MacWindows

        return MacWindows().list
    import os

    if os.environ.get("DISPLAY"):
        from overlay.capture.meeting_window_x11 import X11Windows

        return X11Windows(keep=is_meeting_title).list
    return None
