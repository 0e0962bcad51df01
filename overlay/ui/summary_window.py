"""The window shown when a session ends ("Your session"), in the HTML report's visual language.

A pale page of white sections, as in the report (overlay/review/report_html.py): the key figures
as cards, the three take-aways, each chart in its own titled section (so the answer-length axis
never runs into the eye-contact chart), the answers with a link to the moment in a practice
recording, the pre-flight check that came before, and the notes and thank-you drafts one click
away. Drawing and forwarding only: everything comes in as arguments, every action is a callback
of the session's owner (overlay/ui/summary_opening.py). The charts are the report's own SVG,
drawn by Qt's SVG renderer, so window and report agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from PyQt6.QtCore import QByteArray, QSize, Qt
from PyQt6.QtSvgWidgets import QSvgWidget
from PyQt6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from overlay.review import charts
from overlay.review.history import PreflightResult, kind_of
from overlay.review.notes import SessionNotes
from overlay.review.summary import SessionSummary
from overlay.review.takeaways import Takeaway, clock
from overlay.ui.review_style import BAD, GOOD, STYLE, FigureCard, Section, label
from overlay.ui.summary_tables import answers_html, preflight_html

log = logging.getLogger(__name__)

KIND_WORDS = {"interview": "interview", "practice": "practice interview",
              "analysis": "analysed recording", "check": "pre-flight check",
              "crashed": "session cut short by a crash"}


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
        self.setStyleSheet("background: white;")

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return int(width * self._ratio)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, int(640 * self._ratio))


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def analysed_rate(s: SessionSummary) -> str | None:
    """'15.0 frames a second (900 frames)': what the camera analysis kept up with, from the
    session's own clip report (every analysed frame is counted there)."""
    frames = s.light.frames if s.light is not None else None
    if not frames or s.duration_s <= 0:
        return None
    return f"{frames / s.duration_s:.1f} frames a second ({frames:,} frames)"


class SummaryWindow(QWidget):
    def __init__(self, summary: SessionSummary, takeaways: Sequence[Takeaway],
                 notes: SessionNotes | None = None, *,
                 preflight: PreflightResult | None = None,
                 moment_urls: Sequence[str | None] = (),
                 on_open_notes: Callable[[], None] | None = None,
                 on_open_followup: Callable[[], None] | None = None,
                 on_open_report: Callable[[], None] | None = None,
                 on_open_url: Callable[[str], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        s = summary
        self.setWindowTitle(f"OnCue – your session summary{f': {s.program}' if s.program else ''}")
        page = QWidget()
        page.setObjectName("page")
        page.setStyleSheet(STYLE)
        box = QVBoxLayout(page)
        box.setContentsMargins(22, 18, 22, 22)
        box.setSpacing(14)
        box.addWidget(label(s.program or "Your session", "h1"))
        when = s.started_at.replace("T", " ")[:16]
        box.addWidget(label(f"{when} · {KIND_WORDS[kind_of(s)]} · {clock(s.duration_s)}",
                            "muted"))
        box.addLayout(self._figures(s))

        take = Section("Three things to take away")
        self.takeaway_labels = []
        for i, t in enumerate(takeaways, start=1):
            colour = GOOD if t.good_news else BAD
            item = label(f"<span style='color:{colour}; font-weight:700'>{i}.</span> "
                         f"{escape(t.text)}")
            self.takeaway_labels.append(item)
            take.body.addWidget(item)
        box.addWidget(take)

        self.charts: list[ChartView] = []
        answers = Section("Answers against the 2:00 line")
        self._chart(answers, charts.answer_lengths(s.answers))
        self.answers_table = label(answers_html(s, moment_urls))
        self.answers_table.setTextFormat(Qt.TextFormat.RichText)
        if on_open_url is not None:
            self.answers_table.linkActivated.connect(on_open_url)
        answers.body.addWidget(self.answers_table)
        box.addWidget(answers)
        eyes = Section("Eye contact over time")
        self._chart(eyes, charts.eye_contact(s.eye_series, s.duration_s))
        eyes.body.addWidget(label(self._gaze_note(s), "muted"))
        box.addWidget(eyes)

        self.preflight_label = label(preflight_html(preflight))
        if kind_of(s) in ("interview", "practice"):  # a recording's analysis had no check
            check = Section("Before the call: the pre-flight check")
            check.body.addWidget(self.preflight_label)
            box.addWidget(check)

        after = Section("After the call")
        after.body.addWidget(label(self._notes_text(notes), "muted"))
        row = QHBoxLayout()
        self.notes_button = QPushButton("Write notes…" if notes is None else "Edit notes…")
        self.notes_button.setObjectName("primary")
        self.followup_button = QPushButton("Thank-you drafts…")
        for button, action in ((self.notes_button, on_open_notes),
                               (self.followup_button, on_open_followup)):
            button.setEnabled(action is not None)
            if action is not None:
                button.clicked.connect(lambda _=False, a=action: a())
            row.addWidget(button)
        row.addStretch(1)
        after.body.addLayout(row)
        box.addWidget(after)
        rate = analysed_rate(s)
        self.about = label(" · ".join(x for x in (
            f"Camera analysed at {rate}" if rate else "No camera frames were analysed",
            "from your camera and microphone" if s.source == "camera+microphone"
            else f"from {Path(s.source).name}") if x), "muted")
        box.addWidget(self.about)
        box.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.report_button = QPushButton("Open the full report")
        self.report_button.setEnabled(on_open_report is not None)
        if on_open_report is not None:
            self.report_button.clicked.connect(lambda: on_open_report())
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 6, 12, 10)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll)
        outer.addLayout(buttons)
        self.resize(720, 860)

    def _chart(self, section: Section, svg: str) -> None:
        chart = ChartView(svg)
        self.charts.append(chart)
        section.body.addWidget(chart)

    def _figures(self, s: SessionSummary) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(10)
        items = [
            (str(len(s.answers)), f"answers, {s.answers_over_line} over 2:00"),
            (_pct(s.speaking_eye.eye_contact), "eye contact while speaking"),
            (f"{round(s.mean_wpm)}" if s.mean_wpm is not None else "–", "words per minute"),
            (f"{s.fillers_per_min:.1f}" if s.fillers_per_min is not None else "–",
             "fillers per minute"),
            (_pct(s.talk_share), "of the time you talked"),
            (str(len(s.incidents_of("muted"))), "times talking while muted"),
        ]
        self.figure_labels = [FigureCard(v, what) for v, what in items]
        for i, card in enumerate(self.figure_labels):
            grid.addWidget(card, i // 3, i % 3)
        return grid

    @staticmethod
    def _gaze_note(s: SessionSummary) -> str:
        if s.gaze_not_judged:
            return f"Eye contact was not judged: {s.gaze_not_judged}."
        if not s.has_gaze:
            return "No gaze data in this session (no camera, or it was off)."
        if not s.calibrated:
            return ("Gaze was not calibrated: the population default was used "
                    "(OnCue menu: Calibrate camera…).")
        return "Gaze was calibrated to your camera. The green band is the 70-80% to aim for."

    @staticmethod
    def _notes_text(notes: SessionNotes | None) -> str:
        if notes is None:
            return ("Write down impressions while they are fresh, who interviewed you and what "
                    "you talked about with each: the thank-you drafts are made from it.")
        people = ", ".join(i.name for i in notes.interviewers) or "no interviewers yet"
        return f"Notes saved: {notes.program or 'no program'}; {people}."
