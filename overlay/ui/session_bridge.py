"""The GUI-thread bridge between the running session and the windows: one tick, about 30 Hz.

The session's workers never touch Qt (DESIGN.md, "Results cross into Qt in one way"): each tick
drains the hotkey command queue (pynput's thread only puts command names there), collects a
start or stop that finished on the helper thread, hands a new session to the overlay, passes the
keystroke count on, draws the latest snapshot and shows the state on the tray or the control.
A replay that has played to its end is noticed here too (`replay_ended`).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from overlay.ui.interview_run import InterviewRun

if TYPE_CHECKING:
    from overlay.capture.hotkeys import Hotkeys

log = logging.getLogger(__name__)


class SessionMenuLike(Protocol):
    """The tray icon or the overlay's own control."""

    def show_state(self, state: str, detail: str) -> None: ...

    def tell(self, text: str) -> None: ...


class SessionBridge:
    def __init__(self, run: InterviewRun, window, menu: SessionMenuLike,  # type: ignore[no-untyped-def]
                 commands: queue.Queue[str], *, replaying: bool,
                 open_summary: Callable[[str | None], object]) -> None:
        self.run, self.window, self.menu = run, window, menu
        self.commands = commands
        self.replaying = replaying
        self.open_summary = open_summary
        self.hotkeys: Hotkeys | None = None  # set once the listener runs (it may be off)
        self.ended: list[str | None] = []  # sessions stopped, waiting for their summary window

    def start_stop(self) -> None:
        ending = self.run.session
        if self.run.toggle():
            self.window.set_session(None)  # blank while stopping or starting
            if ending is not None:
                self.ended.append(ending.recorder.session_id)

    def tick(self) -> None:
        self._drain_commands()
        error = self.run.collect()
        if error is not None:
            log.error("cannot start a session: %s", error)
            self.menu.tell(f"Cannot start: {error}")
        run = self.run
        if self.window.session is None and run.session is not None and not run.busy:
            self.window.set_session(run.session)
        if self.ended and not run.busy:
            self.open_summary(self.ended.pop())
        if self.hotkeys is not None and run.session is not None:
            run.session.note_keystrokes(self.hotkeys.take_keystrokes())
        self.window.refresh()
        self._show_state()

    def _drain_commands(self) -> None:
        while True:
            try:
                name = self.commands.get_nowait()
            except queue.Empty:
                return
            if name == "start_stop":
                self.start_stop()
            elif not self.window.run_command(name):
                log.warning("command %s ignored (no session)", name)

    def _show_state(self) -> None:
        snap = self.window.snapshot if self.window.session is not None else None
        if self.run.busy:
            self.menu.show_state("stopped", "Starting or stopping…")
        elif snap is None or not snap.running:
            self.menu.show_state("stopped", "Stopped")
        elif any(state != "ok" for state in snap.devices.values()):
            self.menu.show_state("trouble", "Running, device trouble")
        else:
            self.menu.show_state("running", "Replaying a recording" if self.replaying
                                 else "Running")

    def replay_ended(self) -> str | None:
        """Once the replayed recording has played to its end: end its session (the answer in
        progress is closed and kept) and return the session's id; else None."""
        session = self.run.session
        if session is None or session.stopped or not session.finished() or self.run.busy:
            return None
        session.stop("end_of_recording")
        return session.recorder.session_id
