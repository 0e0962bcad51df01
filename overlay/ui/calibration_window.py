"""The calibration prompt, right under the lens: "Look at the lens" with a progress bar.

It draws what a calibration run reports (gaze: `GazeCalibrationRun.progress()`; mute button:
the `MutePick` prompts, which arrive on its worker thread and are handed over through a queue).
No logic beyond drawing and forwarding.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from overlay.settings import Settings
from overlay.ui.placement import camera_screen, plan_overlay, to_box

log = logging.getLogger(__name__)

STYLE = """
QWidget#card { background: rgba(22, 24, 32, 235); border-radius: 14px; }
QLabel { color: white; }
QProgressBar { background: rgba(255,255,255,40); border: none; border-radius: 5px; height: 10px; }
QProgressBar::chunk { background: #4fc3a1; border-radius: 5px; }
"""


class CalibrationWindow(QWidget):
    """Shows a prompt and progress; `poll` returns (progress 0..1 or None, prompt, finished)."""

    def __init__(self, settings: Settings, poll: Callable[[], tuple[float | None, str, bool]],
                 on_finished: Callable[[], None],
                 hint: str = "Keep your head still; this takes a few seconds.") -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Tool)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setStyleSheet(STYLE)
        self.poll = poll
        self.on_finished = on_finished
        font_px = max(18, int(settings["overlay.font_px"]))
        card = QWidget(self)
        card.setObjectName("card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(22, 16, 22, 16)
        self.prompt = QLabel("")
        self.prompt.setStyleSheet(f"font-size: {font_px}px; font-weight: 600;")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(hint)
        self.hint.setStyleSheet(f"font-size: {max(14, font_px - 6)}px; color: #c9ccd6;")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        layout.addWidget(self.prompt)
        layout.addWidget(self.hint)
        layout.addWidget(self.bar)
        self.resize(460, 130)
        screen = camera_screen(int(settings["overlay.camera_screen"]))
        plan = plan_overlay(to_box(screen.geometry()), int(settings["overlay.camera_offset_x"]),
                            int(settings["overlay.camera_offset_y"]), font_px)
        lens_x, lens_y = plan.lens
        self.move(lens_x - self.width() // 2, lens_y + 12)
        self.timer = QTimer(self)
        self.timer.setInterval(33)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._closing = False

    def refresh(self) -> None:
        progress, prompt, finished = self.poll()
        if prompt != self.prompt.text():
            self.prompt.setText(prompt)
        self.bar.setVisible(progress is not None)
        if progress is not None:
            self.bar.setValue(int(round(100 * progress)))
        if finished and not self._closing:
            self._closing = True
            self.hint.setText("")
            QTimer.singleShot(1500, self.on_finished)


class PromptQueue:
    """Hands `MutePick` prompts from its worker thread to the GUI thread's poll."""

    def __init__(self) -> None:
        self.items: queue.Queue[tuple[str, str]] = queue.Queue()
        self.text = ""
        self.finished = False

    def put(self, step: str, text: str) -> None:
        self.items.put((step, text))

    def poll(self) -> tuple[float | None, str, bool]:
        while True:
            try:
                step, text = self.items.get_nowait()
            except queue.Empty:
                return None, self.text, self.finished
            self.text = text
            self.finished = step in ("done", "failed")
