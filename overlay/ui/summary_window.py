"""The window shown when a session ends: key figures, the take-aways, two charts, the notes box.

Drawing and forwarding only. The summary, its take-aways and any saved notes come in as
arguments; saving notes and opening the full HTML report are callbacks the session owner passes.
The charts are the report's own SVG, drawn by Qt's SVG renderer, so window and report agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PyQt6.QtCore import QByteArray, QSize, Qt
from PyQt6.QtSvgWidgets import QSvgWidget
from PyQt6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from overlay.review import charts
from overlay.review.notes import SessionNotes
from overlay.review.summary import SessionSummary
from overlay.review.takeaways import Takeaway, clock
from overlay.ui.notes_dialog import NotesForm

log = logging.getLogger(__name__)


class ChartView(QSvgWidget):
    """An SVG chart that keeps its aspect ratio as the window is resized."""

    def __init__(self, svg: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.load(QByteArray(charts.standalone(svg).encode("utf-8")))
        renderer = self.renderer()
        assert renderer is not None  # a QSvgWidget always owns one
        renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        size = renderer.defaultSize()
        self._ratio = size.height() / max(size.width(), 1)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return int(width * self._ratio)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(620, int(620 * self._ratio))


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


class SummaryWindow(QWidget):
    def __init__(self, summary: SessionSummary, takeaways: Sequence[Takeaway],
                 notes: SessionNotes | None = None,
                 on_save_notes: Callable[[SessionNotes], None] | None = None,
                 on_open_report: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        s = summary
        self.setWindowTitle(f"OnCue – {s.program or 'session'} summary")
        content = QWidget()
        box = QVBoxLayout(content)
        title = QLabel(f"<h2>{s.program or 'Your session'}</h2>"
                       f"<span style='color:#616e7c'>{clock(s.duration_s)} · {s.mode}"
                       f"{' · ended by a crash' if s.crashed else ''}</span>")
        box.addWidget(title)
        box.addLayout(self._figures(s))
        self.takeaway_labels = []
        box.addWidget(QLabel("<b>Three things to take away</b>"))
        for i, t in enumerate(takeaways, start=1):
            label = QLabel(f"{i}. {t.text}")
            label.setWordWrap(True)
            self.takeaway_labels.append(label)
            box.addWidget(label)
        self.charts = [ChartView(charts.answer_lengths(s.answers)),
                       ChartView(charts.eye_contact(s.eye_series, s.duration_s))]
        for chart in self.charts:
            box.addWidget(chart)
        if s.gaze_not_judged:
            not_judged = QLabel(f"Eye contact was not judged: {s.gaze_not_judged}.")
            not_judged.setWordWrap(True)
            box.addWidget(not_judged)
        elif s.has_gaze and not s.calibrated:
            box.addWidget(QLabel("Gaze was not calibrated: the population default was used."))
        box.addWidget(QLabel("<b>Notes, while it's fresh</b>"))
        self.notes_form = NotesForm(s.session_id, notes, s.program or "")
        if on_save_notes is not None:
            self.notes_form.saved.connect(on_save_notes)
        box.addWidget(self.notes_form)
        box.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.save_button = QPushButton("Save notes")
        self.save_button.clicked.connect(self.notes_form.save)
        self.report_button = QPushButton("Open full report")
        self.report_button.setEnabled(on_open_report is not None)
        if on_open_report is not None:
            self.report_button.clicked.connect(lambda: on_open_report())
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        outer.addLayout(buttons)
        self.resize(700, 820)

    def _figures(self, s: SessionSummary) -> QGridLayout:
        grid = QGridLayout()
        items = [
            (str(len(s.answers)), f"answers, {s.answers_over_line} over 2:00"),
            (_pct(s.speaking_eye.eye_contact), "eye contact speaking"),
            (f"{round(s.mean_wpm)}" if s.mean_wpm is not None else "–", "words per minute"),
            (f"{s.fillers_per_min:.1f}" if s.fillers_per_min is not None else "–",
             "fillers per minute"),
            (_pct(s.talk_share), "time you talked"),
            (str(len(s.incidents_of("muted"))), "times talking muted"),
        ]
        self.figure_labels = []
        for i, (value, what) in enumerate(items):
            label = QLabel(f"<span style='font-size:18px'><b>{value}</b></span><br>"
                           f"<span style='color:#616e7c'>{what}</span>")
            self.figure_labels.append(label)
            grid.addWidget(label, i // 3, i % 3)
        return grid
