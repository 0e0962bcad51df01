"""The tray icon: the session's state at a glance and a menu for what is not worth a hotkey.

Calibration, the pre-flight check and the last summary belong to other parts of OnCue: the tray
only calls the callbacks it is given (`TrayActions`), so whoever owns those features wires them
in. A desktop without a system tray (stock GNOME, some other Linux sessions) gets the same menu
on the overlay's own small control instead (overlay/ui/overlay_control.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtGui import QAction, QColor
from PyQt6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from overlay.ui.icons import state_icon

log = logging.getLogger(__name__)

STATE_COLOURS = {"running": QColor("#3ddc97"), "trouble": QColor("#ffb547"),
                 "stopped": QColor("#7d8896")}


@dataclass(frozen=True)
class TrayActions:
    start_stop: Callable[[], None]
    calibrate: Callable[[], None]
    preflight: Callable[[], None]
    open_summary: Callable[[], None]
    open_settings: Callable[[], None]
    open_cue_sheets: Callable[[], None]
    quit: Callable[[], None]


class SessionMenu:
    """The menu the tray and the overlay's own control share: the same entries, the same state."""

    def __init__(self, actions: TrayActions) -> None:
        self.actions = actions
        self.menu = QMenu()
        self.state_item = self.menu.addAction("Starting…")
        assert self.state_item is not None
        self.state_item.setEnabled(False)
        self.menu.addSeparator()
        self.start_stop_item = self._add("Stop session", actions.start_stop)
        self._add("Calibrate camera…", actions.calibrate)
        self._add("Pre-flight check…", actions.preflight)
        self._add("Open last summary", actions.open_summary)
        self.menu.addSeparator()
        self._add("Cue sheets…", actions.open_cue_sheets)
        self._add("Settings…", actions.open_settings)
        self.menu.addSeparator()
        self._add("Quit OnCue", actions.quit)

    def _add(self, label: str, callback: Callable[[], None]) -> QAction:
        action = self.menu.addAction(label)
        assert action is not None
        action.triggered.connect(lambda _checked=False: callback())
        return action

    def show_state(self, state: str, detail: str) -> None:
        assert self.state_item is not None
        self.state_item.setText(detail)
        self.start_stop_item.setText("Stop session" if state != "stopped" else "Start session")

    def item(self, label: str) -> QAction:
        """The menu entry with this label (tests and the lead's wiring)."""
        for action in self.menu.actions():
            if action.text() == label:
                return action
        raise KeyError(label)


class SessionTray(QSystemTrayIcon):
    """Build only when `QSystemTrayIcon.isSystemTrayAvailable()` (see `make_tray`)."""

    def __init__(self, actions: TrayActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.session_menu = SessionMenu(actions)
        self.menu = self.session_menu.menu
        self.setContextMenu(self.menu)
        self.state = ""
        self.show_state("stopped", "Stopped")

    def show_state(self, state: str, detail: str) -> None:
        """state: "running", "trouble" or "stopped"; detail: one short line for the menu."""
        key = f"{state}|{detail}"
        if key == self.state:
            return
        self.state = key
        self.setIcon(state_icon(STATE_COLOURS.get(state, STATE_COLOURS["stopped"])))
        self.setToolTip(f"OnCue: {detail}")
        self.session_menu.show_state(state, detail)

    def tell(self, text: str) -> None:
        self.showMessage("OnCue", text)

    def item(self, label: str) -> QAction:
        return self.session_menu.item(label)


def make_tray(actions: TrayActions) -> SessionTray | None:
    if not QSystemTrayIcon.isSystemTrayAvailable():
        log.info("no system tray on this desktop: the overlay's own control stands in")
        return None
    tray = SessionTray(actions)
    tray.show()
    return tray
