"""What the pre-flight check window and the practice window have in common.

Both guide the user through a timed task beside the meeting (`oncue check`, `oncue practice`):
the same light page and ink, the same plain buttons, and the same way of running. A GUI-thread
timer polls the task's newest state about 30 times a second (workers never touch a widget: they
publish, the timer draws, so a slow frame is dropped rather than queued) and the windows close
the application when the user closes the last one. What each window draws, and how its task
ends, stays in check_window.py and practice_window.py.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable

from PyQt6.QtCore import QTimer
from PyQt6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

INK, MUTED, BG = "#1f2933", "#616e7c", "#f5f7fa"
POLL_MS = 33  # about 30 Hz: smooth enough for a countdown and a level bar, cheap to repaint


def app() -> QApplication:
    """The running Qt application, or a new one (a command starts it; a test may already have)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def plain_button_style(font_px: int, padding: str) -> str:
    """A white, rounded button with a thin grey border: the secondary action of both windows."""
    return (f"QPushButton {{ font-size:{font_px}px; padding:{padding}; border-radius:8px;"
            f" border:1px solid #cbd2d9; background:white; color:{INK}; }}")


def poll_timer(tick: Callable[[], None]) -> QTimer:
    """A started GUI-thread timer that calls `tick` every POLL_MS; the caller stops it."""
    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(tick)
    timer.start()
    return timer


def show(app: QApplication, windows: Iterable[QWidget], quit_after: float | None,
                on_time_out: Callable[[], object]) -> None:
    """Show `windows`; call `on_time_out` after `quit_after` seconds (demos and tests run
    unattended); and let closing the last window end the event loop."""
    for window in windows:
        window.show()
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), on_time_out)
    app.setQuitOnLastWindowClosed(True)
