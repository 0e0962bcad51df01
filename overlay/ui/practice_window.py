"""The practice window: the question in a large font, its tips, a countdown and Next.

Drawing and forwarding only: it polls `PracticeSession.state()` on a GUI timer and forwards the
buttons to `next_question()` and `end()`. `run_practice_window` starts the Qt application with the
overlay (nudges and the answer timer, as in a real interview) beside the practice window, and
opens the summary window when the practice ends.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol

from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from overlay.practice.session import PracticeState
from overlay.ui import guided_window as guided
from overlay.ui.guided_window import BG, INK, MUTED
from overlay.ui.nudge_chip import ui_font

log = logging.getLogger(__name__)

ACCENT, LATE = "#3e6ae1", "#d9480f"


class PracticeLike(Protocol):
    def state(self) -> PracticeState: ...

    def next_question(self) -> object: ...

    def end(self) -> None: ...


def clock_text(seconds: float) -> str:
    s = int(abs(seconds) + (0.999 if seconds > 0 else 0))
    return f"{'+' if seconds < 0 else ''}{s // 60}:{s % 60:02d}"


class Countdown(QWidget):
    """A ring that empties as the question's time runs out; over time it turns orange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(132, 132)
        self.remaining = 0.0
        self.total = 1.0

    def set_time(self, remaining: float, total: float) -> None:
        self.remaining, self.total = remaining, max(total, 1e-6)
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QRectF(8, 8, self.width() - 16, self.height() - 16)
        p.setPen(QPen(QColor("#e4e7eb"), 9))
        p.drawEllipse(ring)
        late = self.remaining < 0
        frac = 1.0 if late else max(0.0, self.remaining / self.total)
        pen = QPen(QColor(LATE if late else ACCENT), 9)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawArc(ring, 90 * 16, int(frac * 360 * 16))
        p.setPen(QColor(LATE if late else INK))
        p.setFont(ui_font(26, bold=True))
        p.drawText(ring, Qt.AlignmentFlag.AlignCenter, clock_text(self.remaining))
        p.end()


class PracticeWindow(QWidget):
    def __init__(self, practice: PracticeLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.practice = practice
        self.setWindowTitle("OnCue – practice interview")
        self.setStyleSheet(
            f"PracticeWindow {{ background:{BG}; }}"
            + guided.plain_button_style(15, "8px 18px")
            + f"QPushButton#next {{ background:{ACCENT}; border-color:{ACCENT}; color:white;"
            f" font-weight:600; }}"
            f"QPushButton#next:disabled {{ background:#9aa5b1; border-color:#9aa5b1; }}")
        self.counter = QLabel()
        self.recording = QLabel()
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setFont(ui_font(34, bold=True))
        self.question.setStyleSheet(f"color:{INK};")
        self.question.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tips = QLabel()
        self.tips.setWordWrap(True)
        self.tips.setFont(ui_font(16))
        self.tips.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.countdown = Countdown()
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.next_button = QPushButton("Next question  →")
        self.next_button.setDefault(True)
        self.next_button.setObjectName("next")
        self.next_button.setMinimumHeight(40)
        self.next_button.clicked.connect(self._next)
        self.end_button = QPushButton("End practice")
        self.end_button.setMinimumHeight(40)
        self.end_button.clicked.connect(self.practice.end)

        top = QHBoxLayout()
        top.addWidget(self.counter)
        top.addStretch(1)
        top.addWidget(self.recording)
        side = QVBoxLayout()
        side.addWidget(self.countdown, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.hint)
        side.addStretch(1)
        body = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(self.question)
        text.addSpacing(18)
        text.addWidget(self.tips, 1)
        body.addLayout(text, 1)
        body.addSpacing(24)
        body.addLayout(side)
        buttons = QHBoxLayout()
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 22)
        outer.addLayout(top)
        outer.addSpacing(8)
        outer.addLayout(body, 1)
        outer.addLayout(buttons)
        self.resize(900, 400)
        self.refresh()

    def _next(self) -> None:
        self.practice.next_question()
        self.refresh()

    def refresh(self) -> None:
        s = self.practice.state()
        self.counter.setText(f"<span style='color:{MUTED}; font-size:15px'>Practice interview"
                             f" · question {max(s.number, 1)} of {s.total}</span>")
        self.recording.setText(f"<span style='color:{LATE}; font-size:14px'>● Recording "
                               "(stays on this computer)</span>" if s.recording else
                               f"<span style='color:{MUTED}; font-size:14px'>Not recording"
                               "</span>")
        if s.question is not None and self.question.text() != s.question.text:
            self.question.setText(s.question.text)
            head = f"<p style='color:{INK}; font-weight:600; margin:0 0 8px 0'>Tips</p>"
            self.tips.setText(head + "".join(
                f"<p style='color:{MUTED}; margin:0 0 8px 0'>•&nbsp; {tip}</p>"
                for tip in s.question.tips))
        self.countdown.set_time(s.remaining_s, s.remaining_s + s.elapsed_s)
        self.hint.setText(f"<span style='color:{LATE if s.time_up else MUTED}'>"
                          + ("Time's up: wrap up and move on" if s.time_up
                             else "Answer as you would to the panel") + "</span>")
        self.next_button.setText("Finish  ✓" if s.last else "Next question  →")
        self.next_button.setEnabled(not s.done)


def run_practice_window(practice: Any, quit_after: float | None = None) -> None:
    """The practice window beside the overlay; the summary window when the practice ends.

    Ctrl+C, SIGTERM or a closed terminal end the practice in order (overlay/ui/stop_signals.py:
    the answer in progress is kept, the session `ended`) and then raise KeyboardInterrupt, so
    the command exits as any interrupted command does (exit code 130, no traceback).
    """
    from overlay.cuesheet import CueDeck, load_cue_sheets
    from overlay.paths import cue_sheet_dir
    from overlay.ui.overlay_window import OverlayWindow
    from overlay.ui.stop_signals import StopRequest, StopSignals

    app = guided.app()
    settings = practice.session.settings
    sheets, _ = load_cue_sheets(cue_sheet_dir())
    overlay = OverlayWindow(settings, practice.session,
                            CueDeck(sheets, int(settings["overlay.bullets_per_card"])), "")
    window = PracticeWindow(practice)
    summary: list[QWidget] = []

    def stop(request: StopRequest) -> None:
        print(f"oncue practice: stopping ({request.reason}); the practice is being saved",
              file=sys.stderr, flush=True)
        app.quit()

    signals = StopSignals(stop, app)
    try:
        practice.start()

        def end_practice() -> None:
            timer.stop()
            overlay.set_session(None)
            overlay.close()
            practice.finish()
            window.close()
            shown = _summary_window(practice)
            if shown is None:
                app.quit()
            else:
                summary.append(shown)

        def tick() -> None:
            if practice.state().done:
                end_practice()
                return
            window.refresh()
            overlay.refresh()

        timer = guided.poll_timer(tick)
        guided.show(app, [overlay, window], quit_after, app.quit)
        if signals.request is None:  # not stopped while the session was starting
            app.exec()
        timer.stop()
        practice.finish(signals.request.reason if signals.request is not None else None)
        for widget in (overlay, window, *summary):
            widget.close()
    finally:
        request = signals.request
        signals.uninstall()
    if request is not None:
        raise KeyboardInterrupt(request.signal_name or request.reason)


def _summary_window(practice: Any) -> QWidget | None:
    from overlay.session.eventlog import open_log
    from overlay.ui.summary_opening import SummaryOpener

    sid = practice.session_id
    if sid is None:
        return None
    with open_log() as event_log:  # the window's buttons open a log of their own later
        window = SummaryOpener(event_log, log.info).build_summary(sid)
    window.show()
    return window
