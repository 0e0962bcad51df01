"""The session the overlay shows, started and stopped from the tray or a hotkey."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


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
        from overlay.ui.cpu_priority import settle_heap

        session = LiveSession(self.settings, self.event_log, replay=self.replay,
                              realtime=self.realtime)
        camera = session.devices.get("camera", "ok")
        if self.replay is None and camera != "ok":
            print(f"oncue: no camera found ({camera.removeprefix('lost: ')}); eye-contact and "
                  "light nudges are off. To see the overlay driven by a recording instead: "
                  "oncue --replay FILE", file=sys.stderr, flush=True)
        session.start()
        settle_heap()
        self.session = session
        return session

    def toggle(self) -> bool:
        """Begin stopping the running session, or starting a new one; False while busy."""
        if self.pending is not None and not self.pending.done():
            return False
        session, self.session = self.session, None
        if session is not None:
            self.pending = self._helper.submit(self._stop, session)
        else:
            self.pending = self._helper.submit(self.start)
        return True

    @staticmethod
    def _stop(session) -> None:  # type: ignore[no-untyped-def]
        from overlay.ui.cpu_priority import release_heap

        session.stop("stopped by user")
        release_heap()  # the stopped session's objects can be collected again

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
