"""What the user sees before and around the first session: the run's state on the overlay, the
cue-sheet problems in words, and the welcome window at the very first start.

- `RunState` keeps the overlay's status line honest from the first moment: "Starting OnCue…"
  while the face model loads (seconds, on a slow machine), "OnCue is on" for a few seconds once
  the session runs, "Saving the session…" while it stops, "OnCue is off" when stopped. Device
  trouble and a snooze still take the line first (OverlayWindow.refresh).
- `open_welcome` shows the welcome window beside the overlay and moves the overlay live as the
  user moves it; saving writes [overlay] camera_offset_x/y into their settings file.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QWidget

from overlay.ui.placement import camera_screen, to_box

log = logging.getLogger(__name__)

STARTING, ON, STOPPING, OFF = ("Starting OnCue…", "OnCue is on", "Saving the session…",
                               "OnCue is off")
ON_SHOWN_S = 6.0  # "OnCue is on" stays this long, then the line is quiet again


class RunState:
    """Called once per GUI tick after the bridge; `clock` is injectable for tests."""

    def __init__(self, window: Any, run: Any, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.window, self.run, self.clock = window, run, clock
        self.running_since: float | None = None
        self.was_running = False

    def starting(self) -> None:
        """Before the first session opens (the window is shown, the model not yet loaded)."""
        self.window.status.set_text(STARTING)

    def tick(self) -> None:
        window, now = self.window, self.clock()
        if self.run.busy:
            window.note = ""
            window.status.set_text(STOPPING if self.was_running else STARTING)
            return
        if window.session is None:
            self.was_running, self.running_since = False, None
            window.status.set_text(OFF)
            return
        if not self.was_running:
            self.was_running, self.running_since = True, now
        shown = self.running_since is not None and now - self.running_since < ON_SHOWN_S
        note = ON if shown else ""
        if window.note != note:
            window.note = note
            window.refresh()


def open_welcome(window: Any, settings: Any, sheet: Path | None, sheet_folder: Path,
                 open_path: Callable[[Path], None]) -> QWidget:
    """The welcome window, placed under the overlay; the caller keeps it referenced."""
    from overlay.ui.user_files import mark_welcomed, save_camera_offset
    from overlay.ui.welcome_window import WelcomeWindow

    ov = settings.section("overlay")
    screen = camera_screen(int(ov["camera_screen"]))

    def move(x: int, y: int) -> None:
        # The overlay reads its place from the settings: give it settings with the new offset.
        values = {**window.settings.values, "overlay.camera_offset_x": x,
                  "overlay.camera_offset_y": y}
        window.settings = dataclasses.replace(window.settings, values=values)
        window.place()

    welcome = WelcomeWindow(settings.section("hotkeys"),
                            (int(ov["camera_offset_x"]), int(ov["camera_offset_y"])),
                            to_box(screen.geometry()), int(ov["font_px"]), sheet, sheet_folder,
                            on_move=move, on_save_place=save_camera_offset, on_open=open_path)
    area = screen.availableGeometry()
    size = welcome.size()
    below = window.geometry().bottom() + 16
    x = area.x() + (area.width() - size.width()) // 2
    y = min(max(area.y(), below), area.bottom() - size.height())
    welcome.move(x, max(area.y(), y))
    welcome.show()
    mark_welcomed()
    log.info("first start: the welcome window is open")
    return welcome


def name_from_sheet(event_log: Any, deck: Any, session_id: str | None) -> None:
    """The session's program is the title of the cue sheet on the overlay (the user's own
    words for this interview), unless the notes named it already; never the template's
    "[Program] interview"."""
    from overlay.review.sheet_people import program_of

    if session_id is None or not deck.sheets:
        return
    program = program_of(deck.sheets[deck.sheet])
    try:
        if program and not event_log.session(session_id).program:
            event_log.set_program(session_id, program)
    except (KeyError, ValueError) as exc:  # a session the log does not hold: no name
        log.info("no program for %s: %s", session_id, exc)
