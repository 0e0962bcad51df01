"""The nudge chip: an icon and at most four words on a dark pill, right under the lens.

The coach decides what is on screen and for how long (it already keeps a nudge at least two
seconds and never flashes one); the chip only animates the change. A new nudge replacing another
fades the old one out briefly and the new one in, so the eye notices a change without a blink.
A dark translucent pill with white text reads on any background, light or dark.
"""

from __future__ import annotations

import logging

from PyQt6 import QtCore
from PyQt6.QtCore import QEasingCurve, QPropertyAnimation, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from overlay.ui.icons import draw_glyph, glyph_for

log = logging.getLogger(__name__)

FADE_IN_MS = 260
FADE_OUT_MS = 420
SWAP_MS = 160  # the old nudge's quick exit when a new one replaces it
PILL = QColor(16, 19, 25)


def ui_font(px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(["Inter", "Cantarell", "Segoe UI", "Helvetica Neue", "DejaVu Sans",
                      "Sans Serif"])
    font.setPixelSize(px)
    font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Medium)
    return font


class FadingWidget(QWidget):
    """A widget whose whole painting fades through an `opacity` property (0..1).

    Painting at an opacity (rather than a QGraphicsOpacityEffect) keeps the translucent top-level
    window's alpha correct under a compositor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opacity = 0.0
        self._anim = QPropertyAnimation(self, b"opacity", self)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutQuad)

    def get_opacity(self) -> float:
        return self._opacity

    def set_opacity(self, value: float) -> None:
        value = max(0.0, min(1.0, float(value)))
        if value != self._opacity:  # repainting a translucent window costs: only on change
            self._opacity = value
            self.update()

    # The animated property; pyqtProperty is missing from PyQt6's type stubs.
    opacity = QtCore.pyqtProperty(float, fget=get_opacity, fset=set_opacity)  # type: ignore[attr-defined]

    def fade_to(self, target: float, ms: int) -> None:
        self._anim.stop()
        try:
            self._anim.finished.disconnect()
        except TypeError:
            pass  # nothing was connected
        self._anim.setStartValue(self._opacity)
        self._anim.setEndValue(target)
        self._anim.setDuration(max(1, int(ms * abs(target - self._opacity))))
        self._anim.start()


class NudgeChip(FadingWidget):
    def __init__(self, font_px: int = 22, opacity: float = 0.92,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.font_px = max(18, font_px)
        self.fill_alpha = int(255 * max(0.2, min(1.0, opacity)))
        self.kind: str | None = None  # what is drawn now
        self.text = ""
        self.target: tuple[str, str] | None = None  # what the session wants on screen
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_nudge(self, kind: str | None, text: str = "") -> None:
        """Show this nudge (None: none); animates only when it changes."""
        target = (kind, text) if kind else None
        if target == self.target:
            return
        self.target = target
        if target is None:
            self.fade_to(0.0, FADE_OUT_MS)
        elif self._opacity <= 0.01 or self.kind is None:
            self._draw(*target)
            self.fade_to(1.0, FADE_IN_MS)
        else:
            self.fade_to(0.0, SWAP_MS)
            self._anim.finished.connect(self._swap_in)

    def _swap_in(self) -> None:
        if self.target is not None:
            self._draw(*self.target)
            self.fade_to(1.0, FADE_IN_MS)

    def _draw(self, kind: str, text: str) -> None:
        if (kind, text) != (self.kind, self.text):
            self.kind, self.text = kind, text
            self.update()

    def pill_rect(self) -> QRectF:
        """The pill, centred in the chip's slot under the lens, sized to its text."""
        fm = QFontMetrics(ui_font(self.font_px, bold=True))
        h = self.font_px * 2
        icon = self.font_px * 1.1
        w = min(self.width(), fm.horizontalAdvance(self.text) + icon + self.font_px * 2.2)
        return QRectF((self.width() - w) / 2, 0, w, h)

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        if self._opacity <= 0.0 or not self.kind:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setOpacity(self._opacity)
        pill = self.pill_rect()
        p.setPen(QColor(255, 255, 255, 38))  # a hairline edge separates it from dark scenes
        fill = QColor(PILL)
        fill.setAlpha(self.fill_alpha)
        p.setBrush(fill)
        p.drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), pill.height() / 2,
                          pill.height() / 2)
        glyph, accent = glyph_for(self.kind)
        icon = self.font_px * 1.1
        x = pill.x() + self.font_px * 0.8
        draw_glyph(p, glyph, QRectF(x, pill.center().y() - icon / 2, icon, icon), accent)
        p.setFont(ui_font(self.font_px, bold=True))
        p.setPen(QColor("white"))
        text_box = QRectF(x + icon + self.font_px * 0.45, pill.y(),
                          pill.right() - x - icon, pill.height())
        p.drawText(text_box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   self.text)
        p.end()
