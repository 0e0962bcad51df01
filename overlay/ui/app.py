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
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path

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


def ensure_user_settings() -> Path:
    """The user's settings file, created from the defaults, every value commented out."""
    from overlay.paths import bundled_config_dir, user_settings_file

    path = user_settings_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Your OnCue settings. Uncomment a line and change it; everything else keeps",
                 "# its default. Section headers may stay as they are.", ""]
        for line in (bundled_config_dir() / "defaults.toml").read_text().splitlines():
            is_value = line.strip() and not line.startswith(("#", "["))
            lines.append("# " + line if is_value else line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ensure_cue_sheet_folder() -> Path:
    """The cue-sheet folder, seeded with the template the first time."""
    from overlay.paths import bundled_config_dir, cue_sheet_dir

    folder = cue_sheet_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.glob("*.md")):
        shutil.copy(bundled_config_dir() / "cuesheet_template.md", folder / "example-interview.md")
    return folder


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


WORKER_NICE = 10
ANALYSIS_THREADS = ("vision", "audio", "screen-reader")  # LiveSession's workers
# Replay decoders, MediaPipe's and FFmpeg's thread pools (OS thread names or Python names).
ANALYSIS_PREFIXES = ("replay-", "mediapipe", "av:")


def yield_cpu_to_gui(step: int = WORKER_NICE) -> int:
    """Lower the analysis threads of this process by `step` nice levels (Linux).

    On a two-core laptop the vision worker and MediaPipe's pool can take both cores; at a lower
    priority they still get all the idle CPU, but the GUI thread wakes first, so the overlay does
    not stutter (measured in scripts/bench_ui_stall.py). Capture callbacks (PortAudio, pynput) are
    left alone: they must never wait. Linux nice values are per thread and MediaPipe and PyAV
    start threads lazily, so this runs again on a timer. Returns how many threads were lowered.
    """
    if not sys.platform.startswith("linux"):
        return 0
    named = {t.native_id for t in threading.enumerate()
             if t.name in ANALYSIS_THREADS or t.name.startswith(ANALYSIS_PREFIXES)}
    lowered = 0
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return 0
    for task in tasks:
        tid = int(task.name)
        try:
            if tid not in named and not (task / "comm").read_text().startswith(
                    ANALYSIS_PREFIXES):
                continue
            if os.getpriority(os.PRIO_PROCESS, tid) < step:
                os.setpriority(os.PRIO_PROCESS, tid, step)
                lowered += 1
        except OSError:
            pass  # the thread ended meanwhile
    return lowered


class InterviewRun:
    """The session being shown: started, stopped and started again from the tray or a hotkey.

    The first session is opened before the event loop runs. Later starts and stops happen on a
    helper thread, because opening the face model and joining the workers take seconds and the
    overlay must keep drawing meanwhile; the GUI timer collects the result with `collect()`.
    """

    def __init__(self, settings, event_log, replay: Path | None,  # type: ignore[no-untyped-def]
                 realtime: bool) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.settings, self.event_log = settings, event_log
        self.replay, self.realtime = replay, realtime
        self.session = None  # type: ignore[var-annotated]
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="session-control")
        self.pending: Future[object] | None = None  # a start or stop in progress

    def start(self):  # type: ignore[no-untyped-def]
        from overlay.session.live import LiveSession

        session = LiveSession(self.settings, self.event_log, replay=self.replay,
                              realtime=self.realtime)
        camera = session.devices.get("camera", "ok")
        if self.replay is None and camera != "ok":
            print(f"oncue: no camera found ({camera.removeprefix('lost: ')}); eye-contact and "
                  "light nudges are off. To see the overlay driven by a recording instead: "
                  "oncue --replay FILE", file=sys.stderr, flush=True)
        session.start()
        self.session = session
        return session

    def toggle(self) -> bool:
        """Begin stopping the running session, or starting a new one; False while busy."""
        if self.pending is not None and not self.pending.done():
            return False
        session, self.session = self.session, None
        if session is not None:
            self.pending = self._helper.submit(session.stop, "stopped by user")
        else:
            self.pending = self._helper.submit(self.start)
        return True

    def collect(self) -> BaseException | None:
        """Once a toggle has finished: its error, if any (called on the GUI thread)."""
        if self.pending is None or not self.pending.done():
            return None
        error, self.pending = self.pending.exception(), None
        return error

    @property
    def busy(self) -> bool:
        return self.pending is not None and not self.pending.done()

    def stop(self, reason: str = "stopped") -> None:
        """Stop everything and join the helper thread (at exit)."""
        self._helper.shutdown(wait=True)
        if self.session is not None:
            self.session.stop(reason)
            self.session = None


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
