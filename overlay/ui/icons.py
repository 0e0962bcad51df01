"""Icons drawn with QPainter: no image files to ship, sharp at any scale.

Each nudge kind maps to a glyph and an accent colour. The accent says how urgent a nudge is at a
glance (red: you are not heard; amber: time; teal: eye contact; yellow: light), while the text
stays white on the dark pill, so contrast never depends on the accent.
"""

from __future__ import annotations

import logging
import math

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

log = logging.getLogger(__name__)

RED = QColor("#ff6b6b")
AMBER = QColor("#ffb547")
TEAL = QColor("#5eead4")
YELLOW = QColor("#ffd866")
SLATE = QColor("#a9b8c9")

# nudge kind -> (glyph, accent)
KINDS: dict[str, tuple[str, QColor]] = {
    "muted": ("mic_off", RED), "mic_dead": ("mic_off", RED),
    "answer_stop": ("clock", RED), "wrap_up": ("clock", AMBER), "answer_soft": ("clock", AMBER),
    "look_at_lens": ("eye", TEAL), "no_face": ("frame", TEAL), "framing": ("frame", SLATE),
    "backlit": ("sun", YELLOW), "too_dark": ("sun", YELLOW), "face_overexposed": ("sun", YELLOW),
    "uneven": ("sun", YELLOW), "overhead": ("sun", YELLOW),
    "slow_down": ("pace", AMBER), "typing": ("keys", SLATE), "fillers": ("bubble", SLATE),
}


def glyph_for(kind: str) -> tuple[str, QColor]:
    return KINDS.get(kind, ("dot", SLATE))


def draw_glyph(p: QPainter, glyph: str, box: QRectF, color: QColor) -> None:
    """Draw `glyph` inside `box` with strokes of `color`; the painter state is restored."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = min(box.width(), box.height())
    c = box.center()
    pen = QPen(color, max(1.6, s / 11), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    u = s / 24  # glyphs are designed on a 24-unit grid

    def pt(x: float, y: float) -> QPointF:
        return QPointF(c.x() + (x - 12) * u, c.y() + (y - 12) * u)

    if glyph == "eye":
        path = QPainterPath(pt(2, 12))
        path.quadTo(pt(12, 2), pt(22, 12))
        path.quadTo(pt(12, 22), pt(2, 12))
        p.drawPath(path)
        p.setBrush(color)
        p.drawEllipse(pt(12, 12), 3.2 * u, 3.2 * u)
    elif glyph == "mic_off":
        p.drawRoundedRect(QRectF(pt(9, 3), pt(15, 14)), 3 * u, 3 * u)
        arc = QPainterPath(pt(6, 11))
        arc.cubicTo(pt(6, 19), pt(18, 19), pt(18, 11))
        p.drawPath(arc)
        p.drawLine(pt(12, 17.5), pt(12, 21))
        p.drawLine(pt(4, 3), pt(20, 21))
    elif glyph == "clock":
        p.drawEllipse(pt(12, 12), 9 * u, 9 * u)
        p.drawLine(pt(12, 12), pt(12, 6.5))
        p.drawLine(pt(12, 12), pt(16, 14))
    elif glyph == "sun":
        p.drawEllipse(pt(12, 12), 4.5 * u, 4.5 * u)
        for i in range(8):
            a = i * math.pi / 4
            p.drawLine(pt(12 + 7.5 * math.cos(a), 12 + 7.5 * math.sin(a)),
                       pt(12 + 10 * math.cos(a), 12 + 10 * math.sin(a)))
    elif glyph == "frame":
        for (x, y, dx, dy) in ((3, 3, 1, 1), (21, 3, -1, 1), (3, 21, 1, -1), (21, 21, -1, -1)):
            p.drawLine(pt(x, y), pt(x + 5 * dx, y))
            p.drawLine(pt(x, y), pt(x, y + 5 * dy))
        p.drawEllipse(pt(12, 11), 3.5 * u, 3.5 * u)
    elif glyph == "pace":
        for left in (5.0, 11.5):
            p.drawPolyline(QPolygonF([pt(left, 6), pt(left + 6, 12), pt(left, 18)]))
        p.drawLine(pt(20, 6), pt(20, 18))
    elif glyph == "keys":
        p.drawRoundedRect(QRectF(pt(2, 6), pt(22, 18)), 2 * u, 2 * u)
        for x in (6, 10, 14, 18):
            p.drawPoint(pt(x, 10))
        p.drawLine(pt(8, 14.5), pt(16, 14.5))
    elif glyph == "bubble":
        path = QPainterPath(pt(4, 5))
        path.lineTo(pt(20, 5))
        path.lineTo(pt(20, 16))
        path.lineTo(pt(11, 16))
        path.lineTo(pt(6, 20))
        path.lineTo(pt(7, 16))
        path.lineTo(pt(4, 16))
        path.closeSubpath()
        p.drawPath(path)
    else:
        p.setBrush(color)
        p.drawEllipse(pt(12, 12), 4 * u, 4 * u)
    p.restore()


def state_icon(color: QColor, size: int = 64) -> QIcon:
    """The tray icon: a lens ring whose centre shows the session state's colour."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#e8edf3"), size / 10))
    p.setBrush(QColor(24, 28, 36))
    r = size / 2 - size / 14
    p.drawEllipse(QPointF(size / 2, size / 2), r, r)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawEllipse(QPointF(size / 2, size / 2), size / 5, size / 5)
    p.end()
    return QIcon(pix)
