"""The overlay app's parts, put together: the session, the overlay, its menu, hotkeys and timers.

`OverlayApp` builds everything `run_app` runs (overlay/ui/app.py) and takes it down again in
`shutdown`, in the reverse order: timers, hotkey listener, the session (its answer in progress
is closed and logged, the session recorded `ended`), then the windows. Its menu is the tray icon
where the desktop has a tray, else the overlay's own control (overlay/ui/overlay_control.py);
the menu's entries are `actions()`.
"""

from __future__ import annotations

import logging
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt6.QtCore import QTimer
from PyQt6.QtWidgets import QApplication, QWidget

from overlay.process_environment import start_program
from overlay.ui.cpu_priority import yield_cpu_to_gui
from overlay.ui.interview_run import InterviewRun
from overlay.ui.placement import Box, to_box
from overlay.ui.session_bridge import SessionBridge
from overlay.ui.summary_opening import SummaryOpener, open_path
from overlay.ui.tray import TrayActions
from overlay.ui.user_files import (
    ensure_cue_sheet_folder,
    ensure_user_settings,
    is_first_start,
    starter_cue_sheet,
)

if TYPE_CHECKING:
    from overlay.capture.hotkeys import Hotkeys

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuHooks:
    """Menu entries another part of OnCue (or a test) may take over; None: OnCue's own."""

    calibrate: Callable[[], None] | None = None
    preflight: Callable[[], None] | None = None
    open_summary: Callable[[], None] | None = None


def run_oncue(*command: str) -> None:
    """Menu entries that are their own windows run as their own process (the camera is released
    by the running session only when the user stops it). In a desktop bundle sys.executable is
    OnCue's own program, which takes the command directly (packaging/oncue.spec)."""
    frozen = getattr(sys, "frozen", False)
    program = [sys.executable] if frozen else [sys.executable, "-m", "overlay"]
    start_program([*program, *command])  # with the user's environment: it sets OnCue's own


class OverlayApp:
    def __init__(self, app: QApplication, settings, event_log,  # type: ignore[no-untyped-def]
                 replay: Path | None, realtime: bool, *, quit_at_end: bool = False,
                 hooks: MenuHooks = MenuHooks()) -> None:
        from overlay.cue_lint import problems
        from overlay.cuesheet import CueDeck, load_cue_sheets
        from overlay.paths import cue_sheet_dir
        from overlay.ui.first_start import RunState
        from overlay.ui.overlay_control import NO_TRAY_NOTICE, OverlayControl
        from overlay.ui.overlay_window import OverlayWindow
        from overlay.ui.tray import make_tray

        self.app, self.settings, self.event_log = app, settings, event_log
        self.replay, self.quit_at_end, self.hooks = replay, quit_at_end, hooks
        # The very first start (no settings file, no marker): a starter sheet from the template
        # in a cue-sheet folder made for it, and the welcome window once the overlay is up.
        self.first_start = is_first_start()
        self.starter_sheet = starter_cue_sheet(cue_sheet_dir()) if self.first_start else None
        self.welcome: QWidget | None = None
        sheets, errors = load_cue_sheets(cue_sheet_dir())
        # Said once, in words, on the overlay (and once in the terminal), each with its line.
        self.cue_problems = problems(sheets, errors)
        for problem in self.cue_problems:
            print(f"oncue: {problem}", file=sys.stderr, flush=True)
        deck = CueDeck(sheets, int(settings["overlay.bullets_per_card"]))
        # No path here: a long one wraps mid-word in the panel's large font; the menu entry
        # opens the folder (and the welcome window and `oncue devices` name it).
        hint = "" if sheets else "No cue sheet yet: OnCue menu, Cue sheets… opens the folder"
        self.commands: queue.Queue[str] = queue.Queue()
        self.run = InterviewRun(settings, event_log, replay, realtime)
        # The overlay is up and says "Starting OnCue…" before the face model loads (seconds):
        # a first start that shows nothing for that long reads as broken.
        self.window = OverlayWindow(settings, None, deck, hint)
        self.state = RunState(self.window, self.run)
        self._named: object | None = None  # the session whose program was taken from the sheet
        self._show_overlay()
        self.state.starting()
        app.processEvents()
        self.window.set_session(self.run.start())
        self.summaries = SummaryOpener(event_log, self.tell, avoid=self._overlay_box)
        tray = make_tray(self.actions())
        self.control = None if tray is not None else OverlayControl(self.actions())
        self.menu = tray or self.control
        assert self.menu is not None
        self.bridge = SessionBridge(self.run, self.window, self.menu, self.commands,
                                    replaying=replay is not None,
                                    open_summary=self.summaries.open_summary)
        self.hotkeys: Hotkeys | None = None
        self.timers: list[QTimer] = []
        self.no_tray_notice = NO_TRAY_NOTICE if self.control is not None else None

    def _overlay_box(self) -> Box | None:
        """The overlay and its menu button together: what a summary window must not cover."""
        rect = self.window.geometry()
        control = getattr(self, "control", None)
        if control is not None and control.isVisible():
            rect = rect.united(control.geometry())
        return to_box(rect)

    def tell(self, text: str) -> None:
        menu = getattr(self, "menu", None)
        if menu is not None:
            menu.tell(text)

    def actions(self) -> TrayActions:
        return TrayActions(
            start_stop=lambda: self.bridge.start_stop(),
            calibrate=self.hooks.calibrate or (lambda: run_oncue("calibrate")),
            preflight=self.hooks.preflight or (lambda: run_oncue("check")),
            open_summary=self.hooks.open_summary or (lambda: self.summaries.open_last_report()),
            open_settings=lambda: open_path(ensure_user_settings()),
            open_cue_sheets=lambda: open_path(ensure_cue_sheet_folder()),
            quit=self.app.quit)

    # -- running ---------------------------------------------------------------------------
    def _every(self, ms: int, slot: Callable[[], None]) -> None:
        timer = QTimer()
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        timer.start()
        self.timers.append(timer)

    def _show_overlay(self) -> None:
        from overlay.ui.capture_privacy import hide_from_capture

        if self.window.isVisible():
            return
        self.window.show()
        if self.settings["overlay.hide_from_capture"]:
            hide_from_capture(self.window)

    def show(self, notices: list[str]) -> None:
        from overlay.capture.base import SourceFailed
        from overlay.capture.hotkeys import Hotkeys
        from overlay.ui.capture_privacy import hide_from_capture

        self._show_overlay()
        if self.control is not None:
            self._place_control()
            self.control.show()
            if self.settings["overlay.hide_from_capture"]:
                for widget in (self.control, self.control.bubble):  # as the overlay is
                    hide_from_capture(widget)
            self._every(500, self._place_control)
        if self.no_tray_notice is not None:
            # Said in words at every start, not only in the log: the user must find the menu.
            notices = [self.no_tray_notice, *notices]
        for notice in notices:
            print(f"oncue: {notice}", file=sys.stderr, flush=True)
            self.tell(notice)
        for problem in self.cue_problems:  # printed once already, when the sheets were read
            self.tell(problem)
        try:
            self.hotkeys = Hotkeys(self.settings.section("hotkeys"), self.commands,
                                   count_keystrokes=self.settings["mute.warn_typing"])
            self.hotkeys.start()
            # What only listening finds out (a key another app holds) reaches the user too.
            for notice in self.hotkeys.notices:
                self.tell(notice)
        except (SourceFailed, ValueError) as exc:  # ValueError: a binding pynput cannot parse
            # The hotkeys are a convenience: the interview goes on with the menu alone.
            self.hotkeys = None
            log.warning("global hotkeys are off: %s", exc)
            self.tell(f"Global hotkeys are off ({exc}); the OnCue menu still works.")
        self.bridge.hotkeys = self.hotkeys
        self._every(33, self._tick)
        self._every(2000, self._calm)
        if self.replay is not None:
            self._every(250, self._check_replay_end)
        if self.first_start:
            self.open_welcome()

    def _tick(self) -> None:
        self.bridge.tick()
        self.state.tick()
        session = self.run.session  # the LiveSession (the window sees only its protocol)
        if session is not None and session is self.window.session and session is not self._named:
            self._named = session
            self.name_program(session.recorder.session_id)

    def name_program(self, session_id: str | None) -> None:
        from overlay.ui.first_start import name_from_sheet

        name_from_sheet(self.event_log, self.window.deck, session_id)

    def open_welcome(self) -> None:
        from overlay.paths import cue_sheet_dir
        from overlay.ui.first_start import open_welcome

        self.welcome = open_welcome(self.window, self.settings, self.starter_sheet,
                                    cue_sheet_dir(), open_path)

    @staticmethod
    def _calm() -> None:
        yield_cpu_to_gui()  # the analysis threads below the GUI thread (overlay/ui/cpu_priority)

    def _place_control(self) -> None:
        assert self.control is not None
        screen = self.window.screen()
        if screen is not None:
            self.control.follow(self.window.geometry(), screen.availableGeometry())

    def _check_replay_end(self) -> None:
        """A replay ends with its recording: the session ends, its summary opens as after a
        live session, and OnCue quits once the summary is closed (at once with --quit-at-end,
        or when there is no window to show it)."""
        session_id = self.bridge.replay_ended()
        if session_id is None:
            return
        answers = sum(1 for e in self.event_log.events(session_id) if e.kind == "answer")
        shown = self.summaries.open_summary(session_id, on_closed=self.app.quit)
        where = ("its summary is open; close it to quit" if shown is not None
                 else "its summary: oncue report last --open")
        print(f"oncue: the recording has ended ({answers} answer{'s' if answers != 1 else ''}); "
              f"{where}", file=sys.stderr, flush=True)
        if shown is None or self.quit_at_end:
            QTimer.singleShot(0, self.app.quit)

    def stop_session_now(self, reason: str) -> None:
        """End the session at once (a logout: Windows may end the process right after)."""
        self.run.stop(reason)

    def shutdown(self, reason: str) -> None:
        for timer in self.timers:
            timer.stop()
        if self.hotkeys is not None:
            self.hotkeys.stop()
        self.run.stop(reason)
        self.summaries.close_all()
        if self.welcome is not None:
            self.welcome.close()
        if self.control is not None:
            self.control.close()
        else:
            assert self.menu is not None
            self.menu.hide()  # type: ignore[union-attr]
        self.window.close()
