"""The overlay window: frameless, translucent, always on top, letting clicks through.

Minimal form (foundation): one line under the camera with the current nudge. The full overlay
(nudge chip, answer timer, cue sheets, tray) builds on this window.
"""

from __future__ import annotations

import logging

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from overlay.session.live import LiveSession
from overlay.settings import Settings

log = logging.getLogger(__name__)


class OverlayWindow(QWidget):
    def __init__(self, settings: Settings, session: LiveSession) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Tool
                         | Qt.WindowType.WindowTransparentForInput)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.session = session
        self.label = QLabel("")
        self.label.setStyleSheet(
            f"color: white; background: rgba(20,20,28,200); border-radius: 10px; "
            f"padding: 6px 14px; font-size: {settings['overlay.font_px']}px;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.resize(360, 60)

    def refresh(self) -> None:
        snap = self.session.snapshot()
        text = snap.nudge.nudge.text if snap.nudge else ""
        if text != self.label.text():
            self.label.setText(text)
        self.label.setVisible(bool(text))
