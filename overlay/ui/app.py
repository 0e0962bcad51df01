"""Starts the Qt application around a live session and shuts everything down cleanly.

`run_app` is the whole life of the overlay: check for a display, build the parts (`OverlayApp`,
overlay/ui/overlay_app.py: the session, the overlay window, the tray or the overlay's own
control, hotkeys, the GUI-thread timers of overlay/ui/session_bridge.py), run Qt's event loop,
and take it all down. The loop ends by the menu's Quit, a replay reaching its end, Ctrl+C,
SIGTERM, a closed terminal or a logout (overlay/ui/stop_signals.py); every one of them ends the
session in order (the answer in progress closed and kept, the session `ended`). Every thread
started here is stopped and joined before `run_app` returns.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from overlay.errors import CliError

log = logging.getLogger(__name__)

READY_LINE = "OnCue main loop started"
SESSION_COMMANDS = ("snooze", "mark", "start_stop")


def _check_display() -> None:
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
        from overlay.process_environment import PROCESS

        PROCESS.set("QT_QPA_PLATFORM", "xcb")  # OnCue's only: programs it starts get Wayland
        log.info("Wayland session: the overlay runs through XWayland (QT_QPA_PLATFORM=xcb)")


def startup_notices(event_log, replay: Path | None) -> list[str]:  # type: ignore[no-untyped-def]
    """What the user must know before the interview: a crashed session's summary, and any
    permission the OS has not granted (with the feature it disables and how to grant it)."""
    from overlay.platform_access import (
        CAMERA,
        MICROPHONE,
        SCREEN,
        check_permissions,
    )
    from overlay.platform_notices import feature_notices
    from overlay.recovery import recover_unfinished

    notices = [r.message() for r in recover_unfinished(event_log)]
    perms = check_permissions()
    if replay is not None:  # a replay needs no camera or microphone, and watches no screen
        perms = [p for p in perms if p.feature not in (CAMERA, MICROPHONE, SCREEN)]
    return notices + feature_notices(perms)  # every feature that is off, once


def run_app(replay: Path | None = None, realtime: bool = True,
            quit_after: float | None = None, *, quit_at_end: bool = False,
            on_calibrate: Callable[[], None] | None = None,
            on_preflight: Callable[[], None] | None = None,
            on_open_summary: Callable[[], None] | None = None) -> int:
    """The overlay until quit; the exit code (128 + the signal's number after a signal)."""
    _check_display()
    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication

    from overlay.session.eventlog import open_log
    from overlay.settings import load_settings
    from overlay.ui.overlay_app import MenuHooks, OverlayApp
    from overlay.ui.stop_signals import StopRequest, StopSignals

    settings = load_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("OnCue")
    app.setQuitOnLastWindowClosed(False)
    parts: list[OverlayApp] = []

    def stop(request: StopRequest) -> None:
        print(f"oncue: stopping ({request.reason}); the session is being saved", file=sys.stderr,
              flush=True)
        if request.reason == "logout" and parts:
            parts[0].stop_session_now(request.reason)
        app.quit()

    # Installed before the session opens: a Ctrl+C while the face model loads is kept for the
    # moment the session can be ended properly, instead of leaving it half-made.
    signals = StopSignals(stop, app)
    try:
        with open_log() as event_log:
            overlay = OverlayApp(app, settings, event_log, replay, realtime,
                                 quit_at_end=quit_at_end,
                                 hooks=MenuHooks(on_calibrate, on_preflight, on_open_summary))
            parts.append(overlay)
            code = 1  # an error on the way: the session is still ended in order
            try:
                overlay.show(startup_notices(event_log, replay))
                if quit_after is not None:
                    QTimer.singleShot(int(quit_after * 1000), app.quit)
                log.info(READY_LINE)
                print(READY_LINE, file=sys.stderr, flush=True)
                # A stop asked for before the loop runs: QApplication.quit() does nothing then.
                code = app.exec() if signals.request is None else 0
            finally:
                request = signals.request
                overlay.shutdown(request.reason if request is not None else "quit")
    finally:
        signals.uninstall()
    if request is not None:
        code = request.exit_code
        print(f"oncue: stopped ({request.reason}); the session was saved", file=sys.stderr,
              flush=True)
    leftovers = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if leftovers:
        log.error("threads still running at exit: %s", leftovers)
        return 3
    return code
