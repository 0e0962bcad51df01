"""The overlay window: frameless, translucent, always on top, letting every click through.

One window around the camera holds the nudge chip (under the lens), the answer ring (beside it),
the cue panel (flanking it) and a quiet device-status line. It never takes focus, so the meeting
app keeps the keyboard, and it is transparent for input: Qt's WindowTransparentForInput gives the
window an empty input shape on X11 (and WS_EX_TRANSPARENT on Windows), so a click lands on the
meeting window below.

The window takes the session as an argument and draws what `session.snapshot()` says; user
commands (from hotkeys or the tray) go back through `run_command`.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PyQt6.QtCore import QRect, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

from overlay.cuesheet import CueDeck
from overlay.session.live import SessionSnapshot
from overlay.settings import Settings
from overlay.ui.answer_ring import AnswerRing, TimerStages
from overlay.ui.cue_panel import CuePanel
from overlay.ui.nudge_chip import PILL, NudgeChip, ui_font
from overlay.ui.placement import OverlayPlan, ScreenFollower, camera_screen, plan_overlay, to_box
from overlay.ui.window_platform import keep_overlay_on_top

log = logging.getLogger(__name__)

UI_COMMANDS = ("toggle_overlay", "next_card", "previous_card", "next_sheet", "previous_sheet")
DEVICE_NAMES = {"camera": "Camera", "microphone": "Mic", "screen": "Screen watch"}


class SessionLike(Protocol):
    def snapshot(self) -> SessionSnapshot: ...

    def command(self, name: str, note: str = "") -> None: ...


def device_trouble(devices: dict[str, str]) -> str:
    """'Camera lost', 'Camera lost · Mic lost', or '' when every device is fine."""
    lost = [DEVICE_NAMES.get(name, name.capitalize()) + " lost"
            for name, state in sorted(devices.items()) if state != "ok"]
    return "  ·  ".join(lost)


class StatusLine(QWidget):
    """Small and dim on purpose: device trouble must not compete with a nudge."""

    def __init__(self, font_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.font_px = max(14, font_px * 2 // 3)
        self.text = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt's name
        if not self.text:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(ui_font(self.font_px))
        width = p.fontMetrics().horizontalAdvance(self.text) + self.font_px * 2
        fill = QColor(PILL)
        fill.setAlpha(190)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(0, 0, min(self.width(), width), self.height(), 6, 6)
        p.setPen(QColor("#ffcf85"))
        p.drawText(QRect(self.font_px, 0, self.width(), self.height()),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), self.text)
        p.end()


class OverlayWindow(QWidget):
    def __init__(self, settings: Settings, session: SessionLike | None,
                 deck: CueDeck | None = None, cue_message: str = "") -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Tool
                         | Qt.WindowType.WindowTransparentForInput
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.native = keep_overlay_on_top(self)  # macOS / Windows: visible, on top, click-through
        self.setWindowTitle("OnCue overlay")
        self.settings = settings
        self.session = session
        ov = settings.section("overlay")
        self.font_px = int(ov["font_px"])
        self.chip = NudgeChip(self.font_px, ov["opacity"], self)
        self.ring = AnswerRing(TimerStages.from_settings(settings.section("answer")),
                               self.font_px, ov["opacity"], self)
        self.panel = CuePanel(self.font_px, ov["opacity"], self)
        self.status = StatusLine(self.font_px, self)
        self.deck = deck or CueDeck([], int(ov["bullets_per_card"]))
        self.cue_message = cue_message
        self.note = ""  # the run's state ("OnCue is on") when nothing more urgent is shown
        self.plan: OverlayPlan | None = None
        self.snapshot: SessionSnapshot | None = None
        self.show_cues()
        self.place()
        self.follower = ScreenFollower(self.place, self)

    # -- placement ------------------------------------------------------------------------
    def place(self) -> None:
        ov = self.settings.section("overlay")
        screen = camera_screen(int(ov["camera_screen"]))
        self.plan = plan_overlay(to_box(screen.geometry()), int(ov["camera_offset_x"]),
                                 int(ov["camera_offset_y"]), self.font_px)
        w = self.plan.window
        self.setGeometry(w.x, w.y, w.w, w.h)
        for widget, box in ((self.chip, self.plan.chip), (self.ring, self.plan.ring),
                            (self.panel, self.plan.panel), (self.status, self.plan.status)):
            widget.setGeometry(box.x, box.y, box.w, box.h)
        log.info("overlay placed at %s on %s (lens at %s)", w, screen.name(), self.plan.lens)

    # -- drawing what the session says ----------------------------------------------------
    def set_session(self, session: SessionLike | None) -> None:
        self.session = session
        if session is None:
            self.chip.show_nudge(None)
            self.ring.set_elapsed(None)
            self.status.set_text("")

    def refresh(self) -> None:
        """Called by the GUI timer: draw the session's latest snapshot."""
        if self.session is None:
            return
        snap = self.snapshot = self.session.snapshot()
        if snap.nudge is not None:
            self.chip.show_nudge(snap.nudge.nudge.kind, snap.nudge.nudge.text)
        else:
            self.chip.show_nudge(None)
        self.ring.set_elapsed(snap.answer_elapsed_s)
        trouble = device_trouble(snap.devices)
        self.status.set_text(trouble or ("Nudges snoozed" if snap.snoozed else self.note))

    def show_cues(self) -> None:
        self.panel.show_view(self.deck.view(), self.cue_message)

    # -- commands from hotkeys and the tray -------------------------------------------------
    def run_command(self, name: str) -> bool:
        """Carry out a UI or session command; False if it is not one of ours."""
        if name == "toggle_overlay":
            self.setVisible(not self.isVisible())
        elif name in ("next_card", "previous_card", "next_sheet", "previous_sheet"):
            getattr(self.deck, name)()
            self.show_cues()
        elif name == "snooze" and self.session is not None:
            # The same key snoozes and wakes: a user who snoozed by mistake needs a way back.
            snoozed = self.snapshot is not None and self.snapshot.snoozed
            self.session.command("unsnooze" if snoozed else "snooze")
            self.refresh()
        elif name == "mark" and self.session is not None:
            self.session.command("mark")
        else:
            return False
        log.info("command %s", name)
        return True
