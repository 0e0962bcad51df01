"""The cue panel: a narrow card beside the camera with a few bullets from this interview's sheet.

It draws a `CueView` (from `overlay.cuesheet.CueDeck`) and nothing else: which card is up is the
deck's business, moved by hotkeys. A small header names the card and where it sits in the sheet;
the bullets are in the large overlay font, wrapped, so each is a glance, not a read.
"""

from __future__ import annotations

import logging

from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from overlay.cuesheet import CueView
from overlay.ui.nudge_chip import PILL, ui_font

log = logging.getLogger(__name__)

HEADER = QColor("#9fb1c6")
BULLET = QColor("#5eead4")


class CuePanel(QWidget):
    def __init__(self, font_px: int = 22, opacity: float = 0.92,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.font_px = max(18, font_px)
        self.fill_alpha = int(255 * max(0.2, min(1.0, opacity)))
        self.view: CueView | None = None
        self.message = ""  # shown when there is no sheet (e.g. where to put one)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_view(self, view: CueView | None, message: str = "") -> None:
        """Draw this card; a repaint only when the card or the message changed (a CueView is
        a frozen value, so equal means the same text on screen)."""
        if (view, message) == (self.view, self.message):
            return
        self.view, self.message = view, message
        self.update()

    def _header(self) -> str:
        v = self.view
        if v is None:
            return "Cue sheet"
        where = f"{v.card}/{v.cards}" + (f"  ·  {v.page}/{v.pages}" if v.pages > 1 else "")
        # With several interviews' sheets loaded, name the sheet: a wrong sheet is worse than none.
        sheet = f"{v.sheet_title}  ·  " if v.sheets > 1 else ""
        return f"{sheet}{v.card_title}   {where}"

    def _lines(self) -> tuple[str, ...]:
        if self.view is not None:
            return self.view.lines
        return (self.message,) if self.message else ()

    def content_height(self) -> int:
        """Height the panel needs for the current view (it is drawn top-anchored)."""
        pad = self.font_px * 0.7
        head = QFontMetrics(ui_font(max(14, self.font_px * 2 // 3), bold=True))
        body = QFontMetrics(ui_font(self.font_px))
        text_w = int(self.width() - 2 * pad - self.font_px)
        h = pad + head.height() + pad * 0.6
        for line in self._lines():
            r = body.boundingRect(0, 0, max(10, text_w), 10_000,
                                  int(Qt.TextFlag.TextWordWrap), line)
            h += r.height() + self.font_px * 0.35
        return int(min(self.height(), h + pad * 0.7))

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        if self.view is None and not self.message:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        pad = self.font_px * 0.7
        fill = QColor(PILL)
        fill.setAlpha(self.fill_alpha)
        p.setPen(QColor(255, 255, 255, 38))
        p.setBrush(fill)
        card = QRectF(0.5, 0.5, self.width() - 1, self.content_height() - 1)
        p.drawRoundedRect(card, 14, 14)
        head_font = ui_font(max(14, self.font_px * 2 // 3), bold=True)
        head_font.setCapitalization(head_font.Capitalization.AllUppercase)
        head_font.setLetterSpacing(head_font.SpacingType.PercentageSpacing, 106)
        p.setFont(head_font)
        p.setPen(HEADER)
        head_h = QFontMetrics(head_font).height()
        p.drawText(QRectF(pad, pad, self.width() - 2 * pad, head_h),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   QFontMetrics(head_font).elidedText(self._header(),
                                                      Qt.TextElideMode.ElideMiddle,
                                                      int(self.width() - 2 * pad)))
        body = ui_font(self.font_px)
        fm = QFontMetrics(body)
        p.setFont(body)
        y = pad + head_h + pad * 0.6
        text_x = pad + self.font_px
        text_w = self.width() - text_x - pad
        for line in self._lines():
            r = fm.boundingRect(0, 0, int(text_w), 10_000, int(Qt.TextFlag.TextWordWrap), line)
            if y + r.height() > self.height():
                break
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BULLET)
            dot = self.font_px * 0.22
            p.drawEllipse(QRectF(pad + 2, y + fm.ascent() * 0.62 - dot / 2, dot, dot))
            p.setPen(QColor("white"))
            p.drawText(QRectF(text_x, y, text_w, r.height()),
                       int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), line)
            y += r.height() + self.font_px * 0.35
        p.end()
