"""The answer timer: a small ring beside the lens, shown once an answer passes a minute.

The ring fills towards the "stop" length and its colour steps calm -> amber -> orange -> red at
the [answer] settings (`show_timer_s`, `soft_s`, `wrap_up_s`, `stop_s`: 1:00, 1:30, 2:00, 3:00 by
default), so peripheral vision reads the stage without reading the digits. The digits are there
for a deliberate look. Driven by `SessionSnapshot.answer_elapsed_s`; no timing logic here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import QWidget

from overlay.ui.nudge_chip import PILL, FadingWidget, ui_font

log = logging.getLogger(__name__)

STAGE_COLOURS = {"calm": QColor("#8ec5ff"), "amber": QColor("#ffc53d"),
                 "orange": QColor("#ff8a3d"), "red": QColor("#ff4d4f")}


@dataclass(frozen=True)
class TimerStages:
    show_s: float = 60.0
    soft_s: float = 90.0
    wrap_up_s: float = 120.0
    stop_s: float = 180.0

    @classmethod
    def from_settings(cls, answer: Mapping[str, float]) -> TimerStages:
        return cls(answer["show_timer_s"], answer["soft_s"], answer["wrap_up_s"],
                   answer["stop_s"])

    def stage(self, elapsed_s: float | None) -> str | None:
        """None (hidden), "calm", "amber", "orange" or "red"."""
        if elapsed_s is None or elapsed_s < self.show_s:
            return None
        if elapsed_s >= self.stop_s:
            return "red"
        if elapsed_s >= self.wrap_up_s:
            return "orange"
        if elapsed_s >= self.soft_s:
            return "amber"
        return "calm"


def mm_ss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


class AnswerRing(FadingWidget):
    def __init__(self, stages: TimerStages, font_px: int = 22, opacity: float = 0.92,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stages = stages
        self.font_px = max(18, font_px)
        self.fill_alpha = int(255 * max(0.2, min(1.0, opacity)))
        self.elapsed_s: float | None = None
        self.stage: str | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_elapsed(self, elapsed_s: float | None) -> None:
        """Called at the GUI's poll rate (30 Hz); repaints only when the drawing changes: the
        digits once a second while the ring shows, nothing while it is hidden."""
        stage = self.stages.stage(elapsed_s)
        shown_before = self.stage is not None
        if stage is None:
            if shown_before:
                self.stage = None
                self.fade_to(0.0, 600)  # the last stage's colour and digits stay while it fades
            return
        label_changed = self.elapsed_s is None or elapsed_s is None \
            or int(elapsed_s) != int(self.elapsed_s) or stage != self.stage
        self.elapsed_s = elapsed_s
        self.stage = stage
        if not shown_before:
            self.fade_to(1.0, 400)
        if label_changed:
            self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        if self._opacity <= 0.0 or self.elapsed_s is None:
            return
        stage = self.stage or self.stages.stage(self.elapsed_s) or "calm"
        colour = STAGE_COLOURS[stage]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setOpacity(self._opacity)
        side = min(self.width(), self.height())
        stroke = max(4.0, side / 13)
        disc = QRectF((self.width() - side) / 2 + 1, 1, side - 2, side - 2)
        fill = QColor(PILL)
        fill.setAlpha(self.fill_alpha)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawEllipse(disc)
        ring = disc.adjusted(stroke * 0.9, stroke * 0.9, -stroke * 0.9, -stroke * 0.9)
        track = QColor(colour)
        track.setAlpha(70)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(track, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        p.drawEllipse(ring)
        fraction = min(1.0, self.elapsed_s / max(1.0, self.stages.stop_s))
        p.setPen(QPen(colour, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(ring, 90 * 16, -int(fraction * 360 * 16))  # clockwise from 12 o'clock
        p.setFont(ui_font(max(18, self.font_px - 3), bold=True))
        p.setPen(QColor("white"))
        p.drawText(disc, int(Qt.AlignmentFlag.AlignCenter), mm_ss(self.elapsed_s))
        p.end()
