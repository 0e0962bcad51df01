"""Starts the Qt application around a live session and shuts both down cleanly.

The session's workers never touch Qt: a GUI-thread QTimer (~30 Hz) polls the session's latest
immutable snapshot and hands it to the windows (DESIGN.md, "Results cross into Qt in one way").
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

READY_LINE = "OnCue main loop started"


def _check_display() -> None:
    from overlay.cli import CliError

    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        raise CliError("no display found (DISPLAY is not set): the overlay needs a desktop; "
                       "`oncue analyze FILE` works without one")


def run_app(replay: Path | None = None, realtime: bool = True,
            quit_after: float | None = None) -> int:
    _check_display()
    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication

    from overlay.session.eventlog import open_log
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings
    from overlay.ui.overlay_window import OverlayWindow

    settings = load_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OnCue")
    app.setQuitOnLastWindowClosed(False)
    with open_log() as event_log:
        session = LiveSession(settings, event_log, replay=replay, realtime=realtime)
        window = OverlayWindow(settings, session)
        window.show()
        session.start()
        timer = QTimer()
        timer.setInterval(33)
        timer.timeout.connect(window.refresh)
        timer.start()
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), app.quit)
        if replay is not None:
            # A replay that has played to its end ends the session; the window stays for review.
            end_check = QTimer()
            end_check.setInterval(250)
            end_check.timeout.connect(lambda: session.finished() and session.stop("end_of_recording"))
            end_check.start()
        log.info(READY_LINE)
        print(READY_LINE, file=sys.stderr, flush=True)
        code = app.exec()
        timer.stop()
        session.stop()
        window.close()
    leftovers = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if leftovers:
        log.error("threads still running at exit: %s", leftovers)
        return 3
    return code
