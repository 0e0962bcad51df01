"""The pre-flight check window: a live preview on the left, the pass / fix list on the right.

Drawing and forwarding only. The window takes the check (`PreflightCheck` or anything with the
same `progress()`) and polls `progress()` on a GUI-thread timer: the preview is the newest frame
the pipeline analysed, so it drops frames instead of falling behind (as in pymmcore-widgets).
`run_check_window` starts the Qt application, ends the check when it is due, and returns its items.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol

import numpy as np
from PyQt6.QtCore import QRectF, Qt, QTimer
from PyQt6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PyQt6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from overlay.preflight.items import GROUPS, CheckItem
from overlay.preflight.runner import SAMPLE_SENTENCE, CheckProgress

log = logging.getLogger(__name__)

INK, MUTED, BG, CARD = "#1f2933", "#616e7c", "#f5f7fa", "#ffffff"
COLOURS = {"pass": "#2f9e6e", "fail": "#d9480f", "skip": "#9aa5b1"}
MARK = {"pass": "✓", "fail": "!", "skip": "–"}
TITLES = {"camera": "Camera", "light": "Light", "microphone": "Microphone", "machine": "Machine"}


class CheckLike(Protocol):
    def progress(self) -> CheckProgress: ...


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


class ItemRow(QFrame):
    def __init__(self, item: CheckItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colour = COLOURS[item.status]
        mark = QLabel(MARK[item.status])
        mark.setFixedSize(22, 22)
        mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mark.setStyleSheet(f"background:{colour}; color:white; border-radius:11px;"
                           "font-weight:bold;")
        text = f"<span style='color:{INK}'>{item.detail}</span>"
        if item.status == "fail" and item.fix:
            text += f"<br><span style='color:{colour}; font-weight:600'>→ {item.fix}</span>"
        elif item.status == "skip" and item.fix:
            text += f"<br><span style='color:{MUTED}'>tip: {item.fix}</span>"
        label = QLabel(text)
        label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label, 1)


class CheckWindow(QWidget):
    def __init__(self, check: CheckLike, source: str = "camera and microphone",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.setWindowTitle("OnCue – pre-flight check")
        self.setStyleSheet(f"CheckWindow {{ background:{BG}; }} QLabel {{ font-size:14px; }}")
        self.preview = Preview()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(2)
        holder = QWidget()
        holder.setLayout(self.list_box)
        holder.setStyleSheet(f"background:{CARD};")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet(f"background:{CARD}; border-radius:10px;")
        self.close_button = QPushButton("Close")
        self.close_button.setStyleSheet(
            f"QPushButton {{ font-size:14px; padding:7px 20px; border-radius:8px;"
            f" border:1px solid #cbd2d9; background:white; color:{INK}; }}")
        self.close_button.clicked.connect(self.close)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.source_label = QLabel(f"<span style='color:{MUTED}'>Source: {source}</span>")
        buttons.addWidget(self.source_label)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right.addLayout(buttons)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 18)
        outer.setSpacing(18)
        outer.addWidget(self.preview, 5)
        outer.addLayout(right, 4)
        self._shown_items: tuple[CheckItem, ...] | None = None
        self.resize(1180, 840)
        self.refresh()

    def refresh(self) -> None:
        progress = self.check.progress()
        self.preview.show_progress(progress)
        if progress.done:
            self._show_items(progress.items)
        elif self._shown_items is None:
            left = max(0, round(progress.check_s - progress.t))
            self.heading.setText(
                f"<h2 style='color:{INK}; margin:0'>Checking… {left} s</h2>"
                f"<p style='color:{MUTED}'>Sit as you will in the interview, look at the camera "
                f"and read aloud:</p><p style='font-size:17px; color:{INK}'><i>"
                f"“{SAMPLE_SENTENCE}”</i></p>")
            if self.list_box.count() == 0:
                for group in GROUPS:
                    self.list_box.addWidget(QLabel(
                        f"<b style='color:{INK}'>{TITLES[group]}</b> "
                        f"<span style='color:{MUTED}'>· checking</span>"))
                self.list_box.addStretch(1)

    def _show_items(self, items: tuple[CheckItem, ...]) -> None:
        if items == self._shown_items:
            return
        self._shown_items = items
        while self.list_box.count():
            child = self.list_box.takeAt(0)
            if child is not None and child.widget() is not None:
                child.widget().deleteLater()  # type: ignore[union-attr]
        fails = sum(i.status == "fail" for i in items)
        colour = COLOURS["fail" if fails else "pass"]
        verdict = (f"{fails} thing{'s' if fails > 1 else ''} to fix" if fails
                   else "All set for the interview")
        self.heading.setText(f"<h2 style='color:{colour}; margin:0'>{verdict}</h2>"
                             f"<p style='color:{MUTED}'>Fix the items marked ! and run the "
                             "check again.</p>" if fails else
                             f"<h2 style='color:{colour}; margin:0'>{verdict}</h2>")
        for group in GROUPS:
            group_items = [i for i in items if i.group == group]
            if not group_items:
                continue
            title = QLabel(f"<b style='color:{INK}; font-size:15px'>{TITLES[group]}</b>")
            title.setContentsMargins(0, 8, 0, 2)
            self.list_box.addWidget(title)
            for item in group_items:
                self.list_box.addWidget(ItemRow(item))
        self.list_box.addStretch(1)


def run_check_window(check: Any, source: str | None = None,
                     quit_after: float | None = None) -> list[CheckItem]:
    """Show the window over a running check; end the check when it is due (or the window
    closes); return its items. The window stays open on the results until the user closes it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    window = CheckWindow(check, source or (check.replay.name if getattr(check, "replay", None)
                                           else "camera and microphone"))
    check.start()

    def tick() -> None:
        if not check.progress().done and check.due():
            check.finish()
        window.refresh()

    timer = QTimer()
    timer.setInterval(33)
    timer.timeout.connect(tick)
    timer.start()
    window.show()
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), window.close)
    app.setQuitOnLastWindowClosed(True)
    from overlay.ui.stop_signals import exec_until_stopped

    stopped = exec_until_stopped(app)  # Ctrl+C, SIGTERM: end the check in order, exit 128+sig
    timer.stop()
    items = check.finish()
    if stopped is not None:
        raise KeyboardInterrupt(stopped.signal_name or stopped.reason)
    return items
