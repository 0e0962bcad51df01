"""Opening what a finished session left: its summary window, and the last session's report.

The summary window opens as soon as a session has ended (stopped from the menu or a hotkey, or
a replay played to its end), beside the meeting window rather than over it (the call may still
be on), with the pre-flight check that came before, links to the moments of a practice
recording, and the notes and thank-you drafts behind its buttons. "Open last summary" in the
menu writes the HTML report and opens it in the browser. Windows opened here are kept
referenced until closed (Qt would otherwise lose them to Python's garbage collector).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt6.QtGui import QGuiApplication
from PyQt6.QtWidgets import QWidget

from overlay.process_environment import open_in_desktop
from overlay.ui.placement import Box, to_box

if TYPE_CHECKING:
    from overlay.ui.summary_window import SummaryWindow

log = logging.getLogger(__name__)

GAP = 12
MIN_BESIDE = 560  # narrower than this beside the meeting, the summary goes over its edge


def open_path(path: Path) -> None:
    """A file or folder in the desktop's own application (browser, file manager, editor), with
    the user's environment (not QDesktopServices: it would pass on OnCue's own)."""
    open_in_desktop(path)


def open_url(url: str) -> None:
    open_in_desktop(url)


def place_beside(meeting: Box | None, screens: list[Box], size: tuple[int, int],
                 avoid: Box | None = None) -> Box:
    """Where the summary goes, clear of the meeting and of OnCue's own overlay (`avoid`)."""
    box = _beside(meeting, screens, size)
    if avoid is None or not _overlap(box, avoid):
        return box
    # Below the overlay (always on top, it would draw over the summary, and its menu button
    # must stay clickable), shorter if it must; the window scrolls.
    screen = next((s for s in screens if _overlap(s, box)), screens[0] if screens else box)
    top = avoid.bottom + GAP
    height = min(box.h, screen.bottom - GAP - top)
    return Box(box.x, top, box.w, height) if height >= 320 else box


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _beside(meeting: Box | None, screens: list[Box], size: tuple[int, int]) -> Box:
    """A screen without the meeting if there is one, else the wider side of the meeting window
    on its screen, else the screen's right edge (the least covered part of a full-screen call).
    Never larger than the room it is given."""
    w, h = size
    if not screens:
        return Box(0, 0, w, h)

    def fit(area: Box) -> Box:
        bw, bh = min(w, area.w - 2 * GAP), min(h, area.h - 2 * GAP)
        return Box(area.x + (area.w - bw) // 2, area.y + GAP, bw, bh)

    if meeting is None:
        s = screens[0]
        return Box(s.right - GAP - min(w, s.w - 2 * GAP), s.y + GAP, min(w, s.w - 2 * GAP),
                   min(h, s.h - 2 * GAP))
    centre_x, centre_y = meeting.x + meeting.w // 2, meeting.y + meeting.h // 2
    home = next((s for s in screens if s.x <= centre_x < s.right and s.y <= centre_y < s.bottom),
                screens[0])
    free = [s for s in screens if s is not home]
    if free:
        return fit(free[0])
    left = Box(home.x, home.y, max(0, meeting.x - home.x), home.h)
    right = Box(meeting.right, home.y, max(0, home.right - meeting.right), home.h)
    side = max((left, right), key=lambda b: b.w)
    if side.w >= MIN_BESIDE:
        return fit(side)
    bw, bh = min(w, home.w - 2 * GAP), min(h, home.h - 2 * GAP)
    return Box(home.right - GAP - bw, home.y + GAP, bw, bh)


def session_day(started_at: str) -> date | None:
    try:
        return datetime.fromisoformat(started_at).date()
    except ValueError:
        return None


def meeting_box() -> Box | None:
    """The meeting window now, if the platform lists windows and one is open."""
    try:
        from overlay.capture.meeting_window import find_meeting, platform_lister

        lister = platform_lister()
        found = find_meeting(lister()) if lister is not None else None
    except Exception as exc:  # noqa: BLE001 - a window list that fails costs only the placing
        log.info("no meeting window to place the summary beside: %s", exc)
        return None
    return Box(*found.region) if found is not None else None


class SummaryOpener:
    def __init__(self, event_log, tell: Callable[[str], None],  # type: ignore[no-untyped-def]
                 avoid: Callable[[], Box | None] = lambda: None) -> None:
        self.event_log = event_log
        self.tell = tell
        self.avoid = avoid  # where OnCue's overlay and its menu button are now
        self.windows: list[QWidget] = []

    def open_last_report(self) -> None:
        from overlay.review.commands import write_report
        from overlay.review.history import resolve

        try:
            sid = resolve(self.event_log, "last")
            open_path(write_report(self.event_log, sid))
        except (KeyError, ValueError, OSError) as exc:
            self.tell(f"No summary to open: {exc}")

    def open_report(self, session_id: str) -> None:
        """This session's report, through a log of its own: the summary window may outlive
        the log it was built from (the practice window closes its log at once)."""
        from overlay.review.commands import write_report
        from overlay.session.eventlog import open_log

        try:
            with open_log(self.event_log.path) as event_log:
                open_path(write_report(event_log, session_id))
        except (KeyError, ValueError, OSError) as exc:
            self.tell(f"No report to open: {exc}")

    def _keep(self, window: QWidget, on_closed: Callable[[], None] | None = None) -> QWidget:
        from PyQt6.QtCore import Qt

        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(window)

        def closed() -> None:
            if window in self.windows:
                self.windows.remove(window)
            if on_closed is not None:
                on_closed()

        window.destroyed.connect(closed)
        return window

    def open_summary(self, session_id: str | None,
                     on_closed: Callable[[], None] | None = None) -> QWidget | None:
        """The summary window of this session, or None when none can be shown (no display, a
        session without events); `on_closed` runs when the user closes it."""
        if session_id is None or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return None
        try:
            window = self.build_summary(session_id)
        except (KeyError, ValueError) as exc:
            log.warning("no summary for session %s: %s", session_id, exc)
            return None
        self._keep(window, on_closed)
        screens = [to_box(s.availableGeometry()) for s in QGuiApplication.screens()]
        box = place_beside(meeting_box(), screens, (window.width(), window.height()),
                           self.avoid())
        window.setGeometry(box.x, box.y, box.w, box.h)
        window.show()
        return window

    def build_summary(self, session_id: str) -> SummaryWindow:
        """The window itself, unshown (tests and screenshots call this)."""
        from overlay.practice.recording import moment_url, recording_for
        from overlay.review.history import load_review, preflight_before
        from overlay.ui.review_actions import open_followup, open_notes
        from overlay.ui.summary_window import SummaryWindow

        summary, takeaways, notes = load_review(self.event_log, session_id)
        recording = recording_for(session_id)
        urls = [moment_url(recording, a.start) if recording else None for a in summary.answers]
        def notes_saved(saved) -> None:  # type: ignore[no-untyped-def]
            self.tell(f"Notes saved for {saved.program or 'this session'}.")

        day = session_day(summary.started_at)
        parent: list[QWidget] = []  # the summary window, once made: dialogs open over it

        def notes_dialog() -> None:
            self._keep(open_notes(session_id, summary.program, day, self.event_log.path,
                                  notes_saved, parent[0] if parent else None))

        def followup() -> None:
            self._keep(open_followup(session_id, summary.program, day,
                                     parent[0] if parent else None, self.tell))

        window = SummaryWindow(summary, takeaways, notes,
                               preflight=preflight_before(self.event_log, summary.started_at),
                               moment_urls=urls, on_open_notes=notes_dialog,
                               on_open_followup=followup,
                               on_open_report=lambda: self.open_report(session_id),
                               on_open_url=open_url)
        parent.append(window)
        return window

    def close_all(self) -> None:
        for window in list(self.windows):
            window.close()
