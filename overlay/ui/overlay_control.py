"""The overlay's own small control, for desktops without a system tray (stock GNOME and others).

The overlay window lets every click through to the meeting (an empty input shape on X11,
WS_EX_TRANSPARENT on Windows), so no part of it can take a click. The control is therefore a
separate, small top-level window that *does* take input: a pill button "OnCue ▾" beside the
overlay that opens the tray's menu (start/stop, calibrate, the check, the last summary, the
cue sheets, settings, quit). It never takes keyboard focus (WindowDoesNotAcceptFocus: a click on
it leaves the meeting app's keyboard focus alone) and it follows the overlay when the overlay is
placed again. Messages the tray would show as balloons appear in a bubble under it.
"""

from __future__ import annotations

import logging

from PyQt6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PyQt6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from overlay.ui.icons import state_icon
from overlay.ui.nudge_chip import ui_font
from overlay.ui.tray import STATE_COLOURS, SessionMenu, TrayActions
from overlay.ui.window_platform import keep_overlay_on_top

log = logging.getLogger(__name__)

GAP = 10
BUBBLE_S = 15.0  # long enough to read two sentences, then out of the way
FLAGS = (Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
         | Qt.WindowType.Tool | Qt.WindowType.WindowDoesNotAcceptFocus)
PILL_STYLE = ("QToolButton { background: rgba(20, 24, 31, 215); color: #f5f7fa;"
              " border: 1px solid rgba(255, 255, 255, 60); border-radius: 15px;"
              " padding: 4px 12px 4px 8px; }"
              "QToolButton:hover { background: rgba(40, 48, 60, 235); }"
              "QToolButton::menu-indicator { image: none; width: 0; }")
NO_TRAY_NOTICE = ("This desktop has no system tray, so OnCue's menu (start or stop the session, "
                  "calibrate, the pre-flight check, the last summary, cue sheets, quit) is the "
                  "small \"OnCue\" button beside the overlay.")


class MessageBubble(QWidget):
    """A note under the control; a click or `BUBBLE_S` seconds close it."""

    def __init__(self) -> None:
        super().__init__(None, FLAGS)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle("OnCue message")
        self.native = keep_overlay_on_top(self, click_through=False)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setFont(ui_font(14))
        self.label.setStyleSheet("QLabel { background: #1f2933; color: #f5f7fa; padding: 10px 14px;"
                                 " border-radius: 8px; }")
        self.label.setMaximumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)

    def tell(self, text: str, below: QRect, screen: QRect | None) -> None:
        shown = self.label.text() if self.isVisible() else ""
        self.label.setText(f"{shown}\n\n{text}" if shown and text not in shown else text)
        self.adjustSize()
        # Under the control, its right edges aligned, and kept on the screen.
        x = below.right() - self.width()
        if screen is not None:
            x = max(screen.left(), min(x, screen.right() - self.width()))
        self.move(QPoint(x, below.bottom() + 6))
        self.show()
        self.timer.start(int(BUBBLE_S * 1000))

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.hide()


class OverlayControl(QWidget):
    """The tray's menu on a button beside the overlay; same interface as `SessionTray`."""

    def __init__(self, actions: TrayActions) -> None:
        super().__init__(None, FLAGS)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle("OnCue menu")
        # macOS: shown while the meeting app is active, above a full-screen meeting; Windows:
        # topmost. Unlike the overlay it takes clicks.
        self.native = keep_overlay_on_top(self, click_through=False)
        self.session_menu = SessionMenu(actions)
        self.button = QToolButton(self)
        self.button.setText("OnCue")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.session_menu.menu)
        self.button.setFont(ui_font(14, bold=True))
        self.button.setIconSize(QSize(14, 14))
        self.button.setStyleSheet(PILL_STYLE)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self.bubble = MessageBubble()
        self.state = ""
        self._beside: QRect | None = None
        self.show_state("stopped", "Stopped")

    def show_state(self, state: str, detail: str) -> None:
        key = f"{state}|{detail}"
        if key == self.state:
            return
        self.state = key
        self.button.setIcon(state_icon(STATE_COLOURS.get(state, STATE_COLOURS["stopped"])))
        self.button.setText("OnCue ▾")
        self.button.setToolTip(f"OnCue: {detail}")
        self.session_menu.show_state(state, detail)
        self.adjustSize()

    def follow(self, overlay: QRect, screen: QRect) -> None:
        """Sit at the overlay's top right (its left when that is off the screen)."""
        if overlay == self._beside:
            return
        self._beside = QRect(overlay)
        size = self.sizeHint()
        x = overlay.right() + GAP
        if x + size.width() > screen.right():
            x = overlay.left() - GAP - size.width()
        x = max(screen.left(), min(x, screen.right() - size.width()))
        y = max(screen.top(), min(overlay.top(), screen.bottom() - size.height()))
        self.setGeometry(x, y, size.width(), size.height())

    def tell(self, text: str) -> None:
        screen = self.screen()
        self.bubble.tell(text, self.geometry(),
                         screen.availableGeometry() if screen is not None else None)

    def item(self, label: str):  # type: ignore[no-untyped-def]
        return self.session_menu.item(label)

    def hide(self) -> None:
        self.bubble.hide()
        super().hide()

    def close(self) -> bool:
        self.bubble.close()
        return super().close()
