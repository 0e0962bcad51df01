"""The notes box: impressions while fresh, who interviewed, one or two specifics discussed.

Drawing and forwarding only: the form reads its fields into a `SessionNotes` (parsing an
interviewer line is `Interviewer.parse`'s job) and emits `saved`; whoever owns the session stores
it. `NotesForm` is embedded in the summary window; `NotesDialog` is the same form on its own.
"""

from __future__ import annotations

import logging
from datetime import date

from PyQt6.QtCore import QDate, pyqtSignal
from PyQt6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from overlay.review.notes import Interviewer, SessionNotes
from overlay.ui.review_style import STYLE, label

log = logging.getLogger(__name__)

IMPRESSIONS_PROMPT = ("While it's fresh: what stood out, what you liked, what worried you. "
                      "Every program blurs together by rank-list time.")
INTERVIEWERS_PROMPT = ("One per line: Dr. Jane Smith, Program Director <jsmith@example.org>; "
                       "what you talked about with her")
# Said in every thank-you note; what one interviewer said goes after the ';' of their line.
TOPIC_PROMPT = "Something about the program you learnt that day"


class NotesForm(QWidget):
    saved = pyqtSignal(object)  # SessionNotes

    def __init__(self, session_id: str, notes: SessionNotes | None = None,
                 program: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_id = session_id
        old = notes or SessionNotes(session_id=session_id, program=program)
        self.program = QLineEdit(old.program or program)
        self.program.setPlaceholderText("Residency program")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        when = old.interview_date or date.today()
        self.date.setDate(QDate(when.year, when.month, when.day))
        self.impressions = QPlainTextEdit(old.impressions)
        self.impressions.setPlaceholderText(IMPRESSIONS_PROMPT)
        self.impressions.setMinimumHeight(90)
        self.impressions.setMaximumHeight(160)
        self.interviewers = QPlainTextEdit("\n".join(i.as_line() for i in old.interviewers))
        self.interviewers.setPlaceholderText(INTERVIEWERS_PROMPT)
        self.interviewers.setMaximumHeight(90)
        self.topics = [QLineEdit(t) for t in (list(old.topics) + ["", ""])[:2]]
        for t in self.topics:
            t.setPlaceholderText(TOPIC_PROMPT)

        form = QFormLayout()
        form.addRow("Program", self.program)
        form.addRow("Interview date", self.date)
        form.addRow("Impressions", self.impressions)
        form.addRow("Interviewers", self.interviewers)
        form.addRow("Learnt that day", self.topics[0])
        form.addRow("", self.topics[1])
        hint = QLabel("Saved only on this computer. Impressions never go into an email.")
        hint.setStyleSheet("color: #616e7c; font-size: 11px;")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(form)
        box.addWidget(hint)

    def notes(self) -> SessionNotes:
        d = self.date.date()
        return SessionNotes(
            session_id=self.session_id,
            program=self.program.text().strip(),
            interview_date=date(d.year(), d.month(), d.day()),
            impressions=self.impressions.toPlainText().strip(),
            interviewers=tuple(Interviewer.parse(line) for line in
                               self.interviewers.toPlainText().splitlines() if line.strip()),
            topics=tuple(t.text().strip() for t in self.topics if t.text().strip()),
        )

    def save(self) -> None:
        self.saved.emit(self.notes())


class NotesDialog(QDialog):
    """The notes form alone, for sessions reopened from the history."""

    def __init__(self, session_id: str, notes: SessionNotes | None = None, program: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Interview notes")
        self.form = NotesForm(session_id, notes, program, self)
        self.saved = self.form.saved
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.setObjectName("page")
        self.setStyleSheet(STYLE)
        box = QVBoxLayout(self)
        box.setContentsMargins(18, 14, 18, 14)
        box.addWidget(label("Write it down while it's fresh", "h1"))
        box.addWidget(label("Interviewers from your cue sheet are filled in: add after a ';' "
                            "what you talked about with each, and the thank-you drafts will "
                            "say it.", "muted"))
        box.addWidget(self.form)
        box.addWidget(buttons)
        self.resize(620, 520)

    def _save(self) -> None:
        self.form.save()
        self.accept()
