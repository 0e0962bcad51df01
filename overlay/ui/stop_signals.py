"""An orderly stop for a Qt window on Ctrl+C, SIGTERM, a closed terminal and logout.

Python runs a signal handler only when the interpreter gets control back; inside
`QApplication.exec()` it rarely does, so by default Ctrl+C does nothing until a timer slot runs,
and then raises KeyboardInterrupt inside that slot (a traceback, and PyQt aborts the process:
the session is left `running` and later taken for a crash). SIGTERM and SIGHUP kill the process
outright. The standard remedy, from the Python docs of `signal.set_wakeup_fd`: the C-level signal
handler writes the signal number to a socket; a `QSocketNotifier` on the other end wakes Qt's
event loop, the slot gives the interpreter control, and our Python handler runs at once. It only
records the signal and asks the owner to stop; the owner quits the event loop, then ends the
session (the answer in progress is closed and kept) before the process exits. The same socket
works on Windows, where `set_wakeup_fd` takes a socket and Qt watches sockets (there
`socket.socketpair()` is a TCP pair on 127.0.0.1: nothing leaves the machine; on POSIX it is an
AF_UNIX pair).

Logout and shutdown come through Qt: `QGuiApplication.commitDataRequest` (X11 session manager,
macOS "quit all apps"; on Windows Qt sends it on WM_QUERYENDSESSION, and quits on WM_ENDSESSION,
after which Windows may end the process at any time, so the owner stops the session right there)
and `aboutToQuit`.

A second signal while stopping sets the system's defaults, so a third Ctrl+C ends OnCue at once
(everything logged so far is kept; the next start recovers the session).
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QObject, QSocketNotifier
from PyQt6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

# SIGHUP: the terminal OnCue was started from was closed. SIGBREAK: Ctrl+Break on Windows.
SIGNAL_NAMES = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
REASONS = {"SIGINT": "interrupted (Ctrl+C)", "SIGTERM": "terminated (SIGTERM)",
           "SIGHUP": "terminal closed (SIGHUP)", "SIGBREAK": "interrupted (Ctrl+Break)"}


@dataclass(frozen=True)
class StopRequest:
    reason: str  # for the session's `session_ended` event
    exit_code: int  # 128 + the signal's number, the shell's convention; 0 for a logout
    signal_name: str = ""  # "SIGINT", ...; "" for a logout


def handled_signals() -> list[signal.Signals]:
    return [getattr(signal, name) for name in SIGNAL_NAMES if hasattr(signal, name)]


class StopSignals(QObject):
    """While installed, the signals above and a logout call `on_stop(StopRequest)` once, on the
    GUI thread. `uninstall()` puts the previous handlers and wake-up fd back."""

    def __init__(self, on_stop: Callable[[StopRequest], None],
                 app: QGuiApplication | None = None) -> None:
        super().__init__()
        self.on_stop = on_stop
        self.request: StopRequest | None = None
        self._previous: dict[signal.Signals, object] = {}
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)  # the C handler must never block on a full socket
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        # PyQt6 takes a plain int for the descriptor (its stubs say sip.voidptr).
        self._notifier = QSocketNotifier(self._reader.fileno(),  # type: ignore[call-overload]
                                         QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        for sig in handled_signals():
            if signal.getsignal(sig) == signal.SIG_IGN:
                continue  # ignored on purpose (`nohup oncue`, a background job): stay so
            self._previous[sig] = signal.signal(sig, self._on_signal)
        self._app = app
        if app is not None:
            app.commitDataRequest.connect(self._on_logout)

    def _drain(self) -> None:
        # Reaching this slot is what lets Python run `_on_signal`; the bytes themselves are only
        # the wake-up call.
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _on_signal(self, signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        if self.request is not None:
            # Already stopping: the next one may end OnCue at once (the events are logged).
            log.warning("%s while stopping: one more ends OnCue at once", name)
            for sig in self._previous:
                signal.signal(sig, signal.SIG_DFL)
            return
        self._ask(StopRequest(REASONS.get(name, name), 128 + signum, name))

    def _on_logout(self, manager: object) -> None:
        if self.request is None:
            self._ask(StopRequest("logout", 0))

    def _ask(self, request: StopRequest) -> None:
        self.request = request
        log.info("stopping: %s", request.reason)
        self.on_stop(request)

    def _restore_handlers(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def uninstall(self) -> None:
        self._restore_handlers()
        signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        if self._app is not None:
            self._app.commitDataRequest.disconnect(self._on_logout)
            self._app = None
        self._reader.close()
        self._writer.close()


def exec_until_stopped(app: QGuiApplication) -> StopRequest | None:
    """`app.exec()` that Ctrl+C, SIGTERM, SIGHUP or a logout end by quitting the event loop;
    returns what stopped it (None: it ended by itself). The caller ends its session after, then
    raises KeyboardInterrupt(request.signal_name) so the command exits with 128 + the signal."""
    signals = StopSignals(lambda request: app.quit(), app)
    try:
        app.exec()
    finally:
        signals.uninstall()
    return signals.request
