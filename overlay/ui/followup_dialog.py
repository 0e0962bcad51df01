"""Thank-you drafts with a Copy and a Save .eml button each, under the guards' warnings.

Drawing and forwarding only: the drafts, the warnings (or the top-choice refusal) come in as
arguments, already decided by `overlay.review.followup` and `overlay.review.guards`. Copy puts the
subject and the body on the system clipboard; saving is the owner's callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PyQt6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from overlay.review.followup import Draft
from overlay.review.guards import GuardWarning
from overlay.ui.review_style import STYLE, label

log = logging.getLogger(__name__)


class FollowupDialog(QDialog):
    def __init__(self, drafts: Sequence[Draft], warnings: Sequence[GuardWarning] = (),
                 refused: str | None = None,
                 on_save_eml: Callable[[Draft], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thank-you drafts")
        self.drafts = list(drafts)
        content = QWidget()
        content.setObjectName("page")
        content.setStyleSheet(STYLE)
        box = QVBoxLayout(content)
        box.setContentsMargins(18, 14, 18, 14)
        box.addWidget(label("Thank-you drafts", "h1"))
        # When to send is said here, above the drafts, never inside the text that is copied.
        due = sorted({d.send_by for d in self.drafts if d.send_by})
        box.addWidget(label(
            (f"Send each by {due[0]:%A, %B} {due[0].day} (within 48 hours of the interview). "
             if due else "Send each within 48 hours of the interview. ")
            + "Copy puts the subject and the letter on the clipboard; edit before sending.",
            "muted"))
        self.messages: list[QLabel] = []
        if refused:
            self._message(box, refused, "#fde8e8", "#9b1c1c")
        for w in warnings:
            self._message(box, w.message, "#fff4d6", "#7a5200")
        self.copy_buttons: list[QPushButton] = []
        self.save_buttons: list[QPushButton] = []
        for d in ([] if refused else self.drafts):
            role = f", {d.interviewer.role}" if d.interviewer.role else ""
            box.addWidget(label(f"<b>{d.interviewer.name}</b>{role} · {d.program}", "h2"))
            text = QPlainTextEdit(f"Subject: {d.subject}\n\n{d.body}")
            text.setReadOnly(True)
            text.setMinimumHeight(220)
            box.addWidget(text)
            row = QHBoxLayout()
            row.addWidget(label(f"{d.word_count} words", "muted"))
            row.addStretch(1)
            copy = QPushButton("Copy")
            copy.clicked.connect(lambda _=False, d=d: self.copy(d))
            self.copy_buttons.append(copy)
            row.addWidget(copy)
            save = QPushButton("Save .eml")
            save.setEnabled(on_save_eml is not None)
            if on_save_eml is not None:
                save.clicked.connect(lambda _=False, d=d: on_save_eml(d))
            self.save_buttons.append(save)
            row.addWidget(save)
            box.addLayout(row)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        outer.addWidget(close)
        self.resize(640, 720)

    def _message(self, box: QVBoxLayout, text: str, bg: str, fg: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(f"background:{bg}; color:{fg}; padding:8px; border-radius:6px;")
        self.messages.append(label)
        box.addWidget(label)

    def copy(self, draft: Draft) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(f"{draft.subject}\n\n{draft.body}\n")
