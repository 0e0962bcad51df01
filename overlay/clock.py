"""One clock for everything: seconds since the session started, from time.monotonic.

Every sample carries its capture time on this clock, so audio, video, screen and events line up.
Replays at real speed are paced against it; `ManualClock` lets tests advance time by hand
instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)


class SessionClock:
    def __init__(self) -> None:
        self._zero = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._zero

    def reset(self) -> None:
        """Start counting from zero now (the session starts when its sources start)."""
        self._zero = time.monotonic()

    def sleep_until(self, t: float, stop: threading.Event) -> bool:
        """Wait until the clock reads `t`; False if `stop` was set first."""
        delay = t - self.now()
        if delay <= 0:
            return not stop.is_set()
        return not stop.wait(delay)


class ScaledClock(SessionClock):
    """Session seconds that pass `speed` times faster than wall seconds (soak runs, tests of
    long sessions): replay sources pace on it as on the real clock."""

    def __init__(self, speed: float) -> None:
        super().__init__()
        self.speed = speed

    def now(self) -> float:
        return (time.monotonic() - self._zero) * self.speed

    def sleep_until(self, t: float, stop: threading.Event) -> bool:
        delay = (t - self.now()) / self.speed
        return not stop.is_set() if delay <= 0 else not stop.wait(delay)


class ManualClock(SessionClock):
    """A clock that moves only when told: timed behaviour is tested without sleeping."""

    def __init__(self, start: float = 0.0) -> None:
        self._t = start
        self._cond = threading.Condition()

    def now(self) -> float:
        return self._t

    def reset(self) -> None:
        """A manual clock is reset only by the test that drives it."""

    def advance(self, dt: float) -> None:
        with self._cond:
            self._t += dt
            self._cond.notify_all()

    def sleep_until(self, t: float, stop: threading.Event) -> bool:
        with self._cond:
            while self._t < t and not stop.is_set():
                self._cond.wait(0.05)
        return not stop.is_set()
