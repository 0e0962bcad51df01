"""The pre-flight check's live preview: the camera picture, the face box, a time bar and a
microphone level bar.

Drawing only. The check window hands it each `CheckProgress` it polls; the picture is converted
to a pixmap only when the pipeline has analysed a new frame, so a 30 Hz repaint of the bars
costs no image copies.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PyQt6.QtWidgets import QSizePolicy, QWidget

from overlay.preflight.runner import CheckProgress
from overlay.ui.guided_window import MUTED

log = logging.getLogger(__name__)


def to_pixmap(rgb: np.ndarray) -> QPixmap:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    image = QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())  # copy: the bytes may be freed after this call


class Preview(QWidget):
    """The camera picture with the face box, a time bar and a microphone level bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 400)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.progress: CheckProgress | None = None
        self._pixmap: QPixmap | None = None
        self._shown: Any = None

    def show_progress(self, progress: CheckProgress) -> None:
        if progress.preview is not None and progress.preview is not self._shown:
            self._shown = progress.preview
            self._pixmap = to_pixmap(progress.preview)
        self.progress = progress
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        bars = 46
        area = QRectF(0, 0, w, h - bars)
        if self._pixmap is not None:
            # The picture sits at the top at its own aspect ratio; the bars follow right under it.
            pw, ph = self._pixmap.width(), self._pixmap.height()
            scale = min(area.width() / pw, area.height() / ph)
            target = QRectF((w - pw * scale) / 2, 0, pw * scale, ph * scale)
            clip = QPainterPath()
            clip.addRoundedRect(target, 10, 10)
            p.setClipPath(clip)
            p.drawPixmap(target, self._pixmap, QRectF(0, 0, pw, ph))
            p.setClipping(False)
            box = self.progress.face_box if self.progress else None
            if box is not None:
                x0, y0, x1, y1 = box
                p.setPen(QPen(QColor("#5eead4"), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(target.x() + x0 * scale, target.y() + y0 * scale,
                                         (x1 - x0) * scale, (y1 - y0) * scale), 6, 6)
            top = target.bottom()
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#11161c"))
            p.drawRoundedRect(area, 10, 10)
            p.setPen(QColor("#9aa5b1"))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "Waiting for the camera…")
            top = area.bottom()
        prog = self.progress
        frac = 0.0 if prog is None else min(1.0, prog.t / max(prog.check_s, 1e-6))
        level = None if prog is None else prog.level_dbfs
        self._bar(p, top + 16, "Time", 1.0 if prog and prog.done else frac, "#3e6ae1")
        # The level bar spans -60..0 dBFS: speech at -35..-6 lands in its right half.
        lvl = 0.0 if level is None else min(1.0, max(0.0, (level + 60.0) / 60.0))
        self._bar(p, top + 36, "Mic", lvl, "#2f9e6e" if lvl < 0.95 else "#d9480f")
        p.end()

    def _bar(self, p: QPainter, y: float, label: str, frac: float, colour: str) -> None:
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(0, y - 4, 40, 16), Qt.AlignmentFlag.AlignVCenter, label)
        track = QRectF(44, y, self.width() - 44, 8)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e4e7eb"))
        p.drawRoundedRect(track, 4, 4)
        p.setBrush(QColor(colour))
        p.drawRoundedRect(QRectF(track.x(), y, track.width() * frac, 8), 4, 4)
