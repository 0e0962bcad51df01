"""The accessibility reader on a thread of its own, as a capture source of the live session.

A walk of an app's tree is hundreds of calls to another process (tens to hundreds of ms), so it
cannot run under the pipeline's lock on the screen worker. This source reads every `period`
seconds on its own thread (the D-Bus or COM connection is opened there and used nowhere else)
and keeps the newest reading; `MeetingStep` asks `current(t)` for it and falls back to the screen
pixels when there is none, or when it is older than `max_age`.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

from detectors.meeting import MeetingReading
from overlay.capture.a11y.reader import A11yBackend, A11yUnavailable, MuteFromA11y

log = logging.getLogger(__name__)


def open_backend() -> A11yBackend:
    """This platform's accessibility backend; A11yUnavailable says why there is none."""
    if sys.platform.startswith("linux"):
        from overlay.capture.a11y.atspi import AtspiBackend
        return AtspiBackend.open()
    if sys.platform == "win32":
        from overlay.capture.a11y.uia import UiaBackend
        return UiaBackend.open()
    if sys.platform == "darwin":
        from overlay.capture.a11y.ax import AxBackend
        return AxBackend.open()
    raise A11yUnavailable(f"no accessibility reader for {sys.platform}")


class MeetingA11yWatcher:
    name = "meeting-a11y"

    def __init__(self, clock: Callable[[], float], period: float = 1.0, max_age: float = 3.0,
                 backend: Callable[[], A11yBackend] = open_backend,
                 search_period: float = 5.0) -> None:
        self.clock = clock
        self.period = period
        self.max_age = max_age
        self.search_period = search_period
        self._open = backend
        self._lock = threading.Lock()
        self._latest: tuple[float, MeetingReading | None] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.unavailable: str | None = None  # why there is no reader, once known

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def current(self, t: float) -> MeetingReading | None:
        """The newest reading if it is recent and definite, else None (pixels decide)."""
        with self._lock:
            latest = self._latest
        if latest is None or latest[1] is None or t - latest[0] > self.max_age:
            return None
        return latest[1]

    def read_once(self, reader: MuteFromA11y) -> None:
        t = self.clock()
        reading = reader.read(t)
        with self._lock:
            self._latest = (t, reading)

    def _run(self) -> None:
        try:
            backend = self._open()
        except A11yUnavailable as exc:
            self.unavailable = str(exc)
            log.info("mute state from the screen only: %s", exc)
            return
        reader = MuteFromA11y(backend, self.search_period)
        try:
            while not self._stop.is_set():
                try:
                    self.read_once(reader)
                except Exception:  # noqa: BLE001 - a broken app tree must not end the session
                    log.warning("accessibility read failed", exc_info=True)
                    with self._lock:
                        self._latest = None
                self._stop.wait(self.period)
        finally:
            backend.close()
