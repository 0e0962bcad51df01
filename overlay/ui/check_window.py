"""The pre-flight check window: a live preview on the left, the pass / fix list on the right.

Drawing and forwarding only. The window takes the check (`PreflightCheck` or anything with the
same `progress()`) and polls `progress()` on a GUI-thread timer: the preview is the newest frame
the pipeline analysed, so it drops frames instead of falling behind (as in pymmcore-widgets).
`run_check_window` starts the Qt application, ends the check when it is due, and returns its items.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from overlay.preflight.items import GROUPS, CheckItem
from overlay.preflight.runner import SAMPLE_SENTENCE, CheckProgress
from overlay.ui import guided_window as guided
from overlay.ui.check_preview import Preview
from overlay.ui.guided_window import BG, INK, MUTED

log = logging.getLogger(__name__)

CARD = "#ffffff"
COLOURS = {"pass": "#2f9e6e", "fail": "#d9480f", "skip": "#9aa5b1"}
MARK = {"pass": "✓", "fail": "!", "skip": "–"}
TITLES = {"camera": "Camera", "light": "Light", "microphone": "Microphone", "machine": "Machine"}


class CheckLike(Protocol):
    def progress(self) -> CheckProgress: ...


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
        self.close_button.setStyleSheet(guided.plain_button_style(14, "7px 20px"))
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
    app = guided.app()
    window = CheckWindow(check, source or (check.replay.name if getattr(check, "replay", None)
                                           else "camera and microphone"))
    check.start()

    def tick() -> None:
        if not check.progress().done and check.due():
            check.finish()
        window.refresh()

    timer = guided.poll_timer(tick)
    guided.show(app, [window], quit_after, window.close)
    from overlay.ui.stop_signals import exec_until_stopped

    stopped = exec_until_stopped(app)  # Ctrl+C, SIGTERM: end the check in order, exit 128+sig
    timer.stop()
    items = check.finish()
    if stopped is not None:
        raise KeyboardInterrupt(stopped.signal_name or stopped.reason)
    return items
