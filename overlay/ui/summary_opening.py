"""Opening what a finished session left: its summary window, and the last session's report.

The summary window opens as soon as a session has ended (stopped from the menu or a hotkey, or
a replay played to its end), with the notes box; "Open last summary" in the menu writes the HTML
report and opens it in the browser. Windows opened here are kept referenced until closed (Qt
would otherwise lose them to Python's garbage collector).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QUrl
from PyQt6.QtGui import QDesktopServices
from PyQt6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def open_path(path: Path) -> None:
    """A file or folder in the desktop's own application (browser, file manager, editor)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SummaryOpener:
    def __init__(self, event_log, tell: Callable[[str], None]) -> None:  # type: ignore[no-untyped-def]
        self.event_log = event_log
        self.tell = tell
        self.windows: list[QWidget] = []

    def open_last_report(self) -> None:
        from overlay.review.commands import write_report
        from overlay.review.history import resolve

        try:
            sid = resolve(self.event_log, "last")
            open_path(write_report(self.event_log, sid))
        except (KeyError, ValueError, OSError) as exc:
            self.tell(f"No summary to open: {exc}")

    def open_summary(self, session_id: str | None,
                     on_closed: Callable[[], None] | None = None) -> QWidget | None:
        """The summary window of this session, or None when none can be shown (no display, a
        session without events); `on_closed` runs when the user closes it."""
        if session_id is None or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return None
        from PyQt6.QtCore import Qt

        from overlay.review.history import load_review
        from overlay.review.notes import NotesStore
        from overlay.ui.summary_window import SummaryWindow

        def save_notes(notes) -> None:  # type: ignore[no-untyped-def]
            NotesStore().save(notes)
            self.event_log.set_program(session_id, notes.program or None)

        try:
            summary, takeaways, notes = load_review(self.event_log, session_id)
        except (KeyError, ValueError) as exc:
            log.warning("no summary for session %s: %s", session_id, exc)
            return None
        window = SummaryWindow(summary, takeaways, notes, on_save_notes=save_notes,
                               on_open_report=self.open_last_report)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(window)

        def closed() -> None:
            if window in self.windows:
                self.windows.remove(window)
            if on_closed is not None:
                on_closed()

        window.destroyed.connect(closed)
        window.show()
        return window

    def close_all(self) -> None:
        for window in list(self.windows):
            window.close()
