"""Starts the Qt application around a live session and shuts everything down cleanly.

The session's workers never touch Qt: a GUI-thread QTimer (~30 Hz) drains the hotkey command
queue and polls the session's latest immutable snapshot for the windows (DESIGN.md, "Results
cross into Qt in one way"). pynput's listener thread only puts command names on that queue.
Every thread started here (hotkey listeners, session workers) is stopped and joined before
`run_app` returns.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from overlay.ui.cpu_priority import yield_cpu_to_gui
from overlay.ui.interview_run import InterviewRun
from overlay.ui.user_files import ensure_cue_sheet_folder, ensure_user_settings

log = logging.getLogger(__name__)

READY_LINE = "OnCue main loop started"
SESSION_COMMANDS = ("snooze", "mark", "start_stop")


def _check_display() -> None:
    from overlay.cli import CliError

    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        raise CliError("no display found (DISPLAY is not set): the overlay needs a desktop; "
                       "`oncue analyze FILE` works without one")
    if (sys.platform.startswith("linux") and os.environ.get("WAYLAND_DISPLAY")
            and os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM")):
        # A Wayland client cannot place its own window or keep it above others, and pynput only
        # hears X11 keys: through XWayland the overlay can sit by the camera and stay on top.
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        log.info("Wayland session: the overlay runs through XWayland (QT_QPA_PLATFORM=xcb)")


def startup_notices(event_log, replay: Path | None) -> list[str]:  # type: ignore[no-untyped-def]
    """What the user must know before the interview: a crashed session's summary, and any
    permission the OS has not granted (with the feature it disables and how to grant it)."""
    from overlay.platform_access import CAMERA, MICROPHONE, check_permissions, permission_notices
    from overlay.recovery import recover_unfinished

    notices = [r.message() for r in recover_unfinished(event_log)]
    perms = check_permissions()
    if replay is not None:  # a replay needs neither camera nor microphone
        perms = [p for p in perms if p.feature not in (CAMERA, MICROPHONE)]
    return notices + permission_notices(perms)


def run_app(replay: Path | None = None, realtime: bool = True,
            quit_after: float | None = None, *,
            on_calibrate: Callable[[], None] | None = None,
            on_preflight: Callable[[], None] | None = None,
            on_open_summary: Callable[[], None] | None = None) -> int:
    _check_display()
    from PyQt6.QtCore import QTimer, QUrl
    from PyQt6.QtGui import QDesktopServices
    from PyQt6.QtWidgets import QApplication, QWidget

    from overlay.capture.base import SourceFailed
    from overlay.capture.hotkeys import Hotkeys
    from overlay.cuesheet import CueDeck, load_cue_sheets
    from overlay.paths import cue_sheet_dir
    from overlay.session.eventlog import open_log
    from overlay.settings import load_settings
    from overlay.ui.capture_privacy import hide_from_capture
    from overlay.ui.overlay_window import OverlayWindow
    from overlay.ui.tray import TrayActions, make_tray

    settings = load_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("OnCue")
    app.setQuitOnLastWindowClosed(False)
    sheets, errors = load_cue_sheets(cue_sheet_dir())
    for error in errors:
        print(f"oncue: cue sheet skipped: {error}", file=sys.stderr, flush=True)
    deck = CueDeck(sheets, int(settings["overlay.bullets_per_card"]))
    hint = "" if sheets else f"Add a cue sheet to {cue_sheet_dir()}"
    commands: queue.Queue[str] = queue.Queue()
    hotkeys: Hotkeys | None = None
    with open_log() as event_log:
        run = InterviewRun(settings, event_log, replay, realtime)
        window = OverlayWindow(settings, run.start(), deck, hint)

        def start_stop() -> None:
            ending = run.session
            if run.toggle():
                window.set_session(None)  # blank while stopping or starting
                if ending is not None:
                    ended.append(ending.recorder.session_id)

        ended: list[str | None] = []  # sessions stopped, waiting for their summary window

        def not_wired(what: str) -> Callable[[], None]:
            def tell() -> None:
                if tray is not None:
                    tray.showMessage("OnCue", f"{what} is not available in this build yet")
            return tell

        def open_path(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        def run_oncue(*command: str) -> None:
            """Tray entries that are their own windows run as their own process (the camera is
            released by the running session only when the user stops it)."""
            import subprocess

            subprocess.Popen([sys.executable, "-m", "overlay", *command])

        def open_last_summary() -> None:
            from overlay.review.commands import write_report
            from overlay.review.history import resolve

            try:
                sid = resolve(event_log, "last")
                open_path(write_report(event_log, sid))
            except (KeyError, ValueError, OSError) as exc:
                if tray is not None:
                    tray.showMessage("OnCue", f"No summary to open: {exc}")

        tray = None
        tray = make_tray(TrayActions(
            start_stop=start_stop,
            calibrate=on_calibrate or (lambda: run_oncue("calibrate")),
            preflight=on_preflight or (lambda: run_oncue("check")),
            open_summary=on_open_summary or open_last_summary,
            open_settings=lambda: open_path(ensure_user_settings()),
            open_cue_sheets=lambda: open_path(ensure_cue_sheet_folder()),
            quit=app.quit))
        for notice in startup_notices(event_log, replay):
            print(f"oncue: {notice}", file=sys.stderr, flush=True)
            if tray is not None:
                tray.showMessage("OnCue", notice)

        summaries: list[QWidget] = []

        def show_summary(session_id: str | None) -> None:
            """The summary window with the notes box, as soon as a session has ended."""
            if session_id is None or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
                return
            from overlay.review.history import load_review
            from overlay.review.notes import NotesStore
            from overlay.ui.summary_window import SummaryWindow

            def save_notes(notes) -> None:  # type: ignore[no-untyped-def]
                NotesStore().save(notes)
                event_log.set_program(session_id, notes.program or None)

            summary, takeaways, notes = load_review(event_log, session_id)
            window_ = SummaryWindow(summary, takeaways, notes, on_save_notes=save_notes,
                                    on_open_report=open_last_summary)
            summaries.append(window_)
            window_.show()

        def tick() -> None:
            while True:
                try:
                    name = commands.get_nowait()
                except queue.Empty:
                    break
                if name == "start_stop":
                    start_stop()
                elif not window.run_command(name):
                    log.warning("command %s ignored (no session)", name)
            error = run.collect()
            if error is not None:
                log.error("cannot start a session: %s", error)
                if tray is not None:
                    tray.showMessage("OnCue", f"Cannot start: {error}")
            if window.session is None and run.session is not None and not run.busy:
                window.set_session(run.session)
            if ended and not run.busy:
                show_summary(ended.pop())
            if hotkeys is not None and run.session is not None:
                run.session.note_keystrokes(hotkeys.take_keystrokes())
            window.refresh()
            if tray is not None:
                snap = window.snapshot if window.session is not None else None
                if run.busy:
                    tray.show_state("stopped", "Starting or stopping…")
                elif snap is None:
                    tray.show_state("stopped", "Stopped")
                elif any(state != "ok" for state in snap.devices.values()):
                    tray.show_state("trouble", "Running, device trouble")
                else:
                    tray.show_state("running", "Replaying a recording" if replay else "Running")

        window.show()
        if settings["overlay.hide_from_capture"]:
            hide_from_capture(window)
        try:
            hotkeys = Hotkeys(settings.section("hotkeys"), commands,
                              count_keystrokes=settings["mute.warn_typing"])
            hotkeys.start()
        except SourceFailed as exc:
            hotkeys = None
            log.warning("global hotkeys are off: %s", exc)
        timer = QTimer()
        timer.setInterval(33)
        timer.timeout.connect(tick)
        timer.start()
        calm = QTimer()
        calm.setInterval(2000)
        calm.timeout.connect(yield_cpu_to_gui)
        calm.start()
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), app.quit)
        end_check = QTimer()
        if replay is not None:
            # A replay that has played to its end ends the session; the window stays for review.
            end_check.setInterval(250)
            def replay_ended() -> None:
                session = run.session
                if session is not None and not session.stopped and session.finished():
                    session.stop("end_of_recording")
                    show_summary(session.recorder.session_id)

            end_check.timeout.connect(replay_ended)
            end_check.start()
        log.info(READY_LINE)
        print(READY_LINE, file=sys.stderr, flush=True)
        code = app.exec()
        timer.stop()
        calm.stop()
        end_check.stop()
        if hotkeys is not None:
            hotkeys.stop()
        run.stop()
        if tray is not None:
            tray.hide()
        window.close()
    leftovers = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if leftovers:
        log.error("threads still running at exit: %s", leftovers)
        return 3
    return code
