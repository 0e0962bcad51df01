"""The first start's welcome: what OnCue does, where it sits, its hotkeys, the starter cue sheet.

Shown once per account (overlay/ui/user_files.py decides: no settings file and no marker), beside
the overlay that is already running, so what it describes is on the screen. Drawing and
forwarding only: moving the overlay, saving the place and opening the sheet are the owner's
callbacks; the hotkeys come from the settings as they are, never a copy of the defaults.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from overlay.ui.placement import Box, plan_overlay
from overlay.ui.review_style import BLUE, LINE, STYLE, Section, label

log = logging.getLogger(__name__)

STEP_PX = 20  # one arrow press moves the overlay this far
HOTKEY_WORDS = {  # [hotkeys] keys in the user's words, in the order they matter in a call
    "start_stop": "Start or stop the session",
    "toggle_overlay": "Show or hide OnCue",
    "next_card": "Next cue card",
    "previous_card": "Previous cue card",
    "next_sheet": "Next cue sheet",
    "previous_sheet": "Previous cue sheet",
    "snooze": "Snooze nudges, or wake them",
    "mark": "Mark a moment for the review",
}


def key_text(binding: str, mac: bool = sys.platform == "darwin") -> str:
    """'<ctrl>+<alt>+<shift>+n' -> 'Ctrl+Alt+Shift+N' (Control+Option+... on a Mac)."""
    if not binding.strip():
        return "off"
    names = {"ctrl": "Control" if mac else "Ctrl", "alt": "Option" if mac else "Alt",
             "cmd": "Cmd", "shift": "Shift", "enter": "Enter", "space": "Space"}
    parts = [p.strip("<>") for p in binding.split("+")]
    return "+".join(names.get(p, p.capitalize() if len(p) > 1 else p.upper()) for p in parts)


class ScreenSketch(QWidget):
    """The screen in miniature: the lens as a dot and the overlay's parts where they will be."""

    def __init__(self, screen: Box, font_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen_box, self.font_px = screen, font_px
        self.offset = (0, 0)
        self.setFixedSize(QSize(256, 150))

    def set_offset(self, x: int, y: int) -> None:
        self.offset = (x, y)
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        s = self.screen_box
        scale = min((self.width() - 4) / s.w, (self.height() - 4) / s.h)
        ox, oy = (self.width() - s.w * scale) / 2, (self.height() - s.h * scale) / 2
        plan = plan_overlay(s, *self.offset, self.font_px)

        def rect(b: Box, dx: int = 0, dy: int = 0) -> QRectF:
            return QRectF(ox + (b.x + dx - s.x) * scale, oy + (b.y + dy - s.y) * scale,
                          b.w * scale, b.h * scale)

        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(LINE), 2))
        p.setBrush(QColor("#2b3440"))
        p.drawRoundedRect(QRectF(ox, oy, s.w * scale, s.h * scale), 6, 6)
        w = plan.window
        for part, colour in ((plan.panel, "#5b6b7d"), (plan.chip, BLUE), (plan.ring, "#8aa0b6")):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colour))
            p.drawRoundedRect(rect(part, w.x, w.y), 3, 3)
        lx, ly = plan.lens
        p.setBrush(QColor("#ffcf85"))
        p.drawEllipse(QRectF(ox + (lx - s.x) * scale - 4, oy + (ly - s.y) * scale - 4, 8, 8))
        p.setPen(QColor("#ffffff"))
        p.drawText(QRectF(ox, oy + s.h * scale - 22, s.w * scale, 20),
                   int(Qt.AlignmentFlag.AlignCenter), "your screen  ·  ● the camera")
        p.end()


class WelcomeWindow(QWidget):
    def __init__(self, hotkeys: Mapping[str, str], offset: tuple[int, int], screen: Box,
                 font_px: int, sheet: Path | None, sheet_folder: Path,
                 on_move: Callable[[int, int], None],
                 on_save_place: Callable[[int, int], Path],
                 on_open: Callable[[Path], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to OnCue")
        self.setObjectName("page")
        self.setStyleSheet(STYLE)
        self.offset = offset
        self._on_move, self._on_save = on_move, on_save_place
        box = QVBoxLayout(self)
        box.setContentsMargins(22, 18, 22, 18)
        box.setSpacing(12)
        box.addWidget(label("Welcome to OnCue", "h1"))
        box.addWidget(label(
            "A quiet coach for video interviews. OnCue sits right under your camera and shows "
            "one short nudge at a time (look at the lens, wrap up, you are muted), your answer "
            "timer, and your cue sheet, so a glance at it keeps your eyes near the lens. "
            "Everything stays on this computer.", "muted"))

        place = Section("Where OnCue sits")
        row = QHBoxLayout()
        row.setSpacing(16)
        self.sketch = ScreenSketch(screen, font_px)
        self.sketch.set_offset(*offset)
        row.addWidget(self.sketch)
        side = QVBoxLayout()
        self.place_text = label("", "")
        side.addWidget(self.place_text)
        arrows = QHBoxLayout()
        self.arrow_buttons: dict[str, QPushButton] = {}
        for name, (dx, dy) in (("left", (-STEP_PX, 0)), ("right", (STEP_PX, 0)),
                               ("up", (0, -STEP_PX)), ("down", (0, STEP_PX))):
            button = QPushButton(name.capitalize())
            button.setToolTip(f"Move OnCue {STEP_PX} px {name}")
            button.clicked.connect(lambda _=False, dx=dx, dy=dy: self.move_by(dx, dy))
            self.arrow_buttons[name] = button
            arrows.addWidget(button)
        arrows.addStretch(1)
        side.addLayout(arrows)
        save_row = QHBoxLayout()
        self.save_place_button = QPushButton("Save this place")
        self.save_place_button.clicked.connect(self.save_place)
        save_row.addWidget(self.save_place_button)
        self.saved_text = label("", "muted")
        save_row.addWidget(self.saved_text, 1)
        side.addLayout(save_row)
        side.addStretch(1)
        row.addLayout(side, 1)
        place.body.addLayout(row)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(place)
        columns.addLayout(left, 3)

        keys = Section("Hotkeys (they work while the meeting app is in front)")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        names = [k for k in HOTKEY_WORDS if k in hotkeys] + sorted(set(hotkeys) - set(HOTKEY_WORDS))
        self.hotkey_rows: list[tuple[str, str]] = []
        for i, name in enumerate(names):
            words = HOTKEY_WORDS.get(name, name.replace("_", " "))
            keys_text = key_text(hotkeys[name])
            self.hotkey_rows.append((words, keys_text))
            grid.addWidget(label(keys_text, "key", wrap=False), i, 0)
            grid.addWidget(label(words, wrap=False), i, 1)
        keys.body.addLayout(grid)
        keys.body.addWidget(label("Change them in your settings file ([hotkeys]).", "muted"))
        keys.body.addStretch(1)
        columns.addWidget(keys, 2)

        cues = Section("Your first cue sheet")
        where = sheet or sheet_folder
        cues.body.addWidget(label(
            f"A starter sheet is ready in your cue-sheet folder:<br><b>{home_path(where)}</b><br>"
            "Replace the [brackets] with this interview's program, interviewers and reasons. "
            "<code>## Heading</code> starts a card, each <code>- line</code> is a prompt of a "
            "few words. One file per interview.", ""))
        open_row = QHBoxLayout()
        self.open_sheet_button = QPushButton("Open the starter sheet" if sheet
                                             else "Open the cue-sheet folder")
        self.open_sheet_button.setObjectName("primary")
        self.open_sheet_button.clicked.connect(lambda: on_open(where))
        open_row.addWidget(self.open_sheet_button)
        if sheet is not None:
            folder_button = QPushButton("Open the folder")
            folder_button.clicked.connect(lambda: on_open(sheet_folder))
            open_row.addWidget(folder_button)
        open_row.addStretch(1)
        cues.body.addLayout(open_row)
        left.addWidget(cues)
        box.addLayout(columns)

        end = QHBoxLayout()
        start_key = key_text(hotkeys.get("start_stop", ""))
        end.addWidget(label(f"OnCue is on now. {start_key} stops it; the OnCue menu has "
                            "everything else.", "muted"), 1)
        self.done_button = QPushButton("Got it")
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self.close)
        end.addWidget(self.done_button)
        box.addLayout(end)
        self._show_place(saved=None)
        # Never squeezed below what it needs (a squeezed layout overlaps its own text).
        self.setMinimumSize(self.sizeHint().expandedTo(QSize(1000, 0)))
        self.resize(self.minimumSize())

    def move_by(self, dx: int, dy: int) -> None:
        x, y = self.offset[0] + dx, max(0, self.offset[1] + dy)
        self.offset = (x, y)
        self.sketch.set_offset(x, y)
        self._on_move(x, y)
        self._show_place(saved=None)

    def save_place(self) -> None:
        path = self._on_save(*self.offset)
        self._show_place(saved=path)

    def _show_place(self, saved: Path | None) -> None:
        x, y = self.offset
        where = ("at the top centre of the screen, where a laptop's camera is" if (x, y) == (0, 0)
                 else f"{abs(x)} px {'right' if x >= 0 else 'left'} of the top centre, "
                      f"{y} px down")
        self.place_text.setText(f"OnCue is {where}. Is your camera somewhere else (a webcam "
                                "on top of a monitor, a second screen)? Move OnCue under it.")
        self.saved_text.setText(f"Saved in {home_path(saved)}" if saved is not None else "")


def home_path(path: Path) -> str:
    """A path with the home folder as ~, so it fits on a line."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
