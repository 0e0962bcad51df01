"""The coach shared between the session's workers and the GUI thread.

`detectors.coach.Coach` is pure and single-threaded. In a live session the vision and audio
workers raise nudges (through the recorder) while the GUI thread asks what to show and the hotkey
thread snoozes, so every call goes through one lock here. It is held for microseconds: the coach
only compares a few numbers.
"""

from __future__ import annotations

import logging
import threading

from detectors.coach import Coach, Shown
from detectors.nudge import Nudge

log = logging.getLogger(__name__)


class SharedCoach:
    def __init__(self, coach: Coach) -> None:
        self._coach = coach
        self._lock = threading.Lock()

    def raise_nudge(self, nudge: Nudge) -> None:
        with self._lock:
            self._coach.raise_nudge(nudge)

    def current(self, t: float, *, speaking: bool = False,
                gaze: str | None = None) -> Shown | None:
        with self._lock:
            return self._coach.current(t, speaking=speaking, gaze=gaze)

    def snooze(self, t: float) -> None:
        with self._lock:
            self._coach.snooze(t)

    def unsnooze(self) -> None:
        with self._lock:
            self._coach.unsnooze()

    def snoozed(self, t: float) -> bool:
        with self._lock:
            return self._coach.snoozed(t)

    @property
    def raised(self) -> int:
        return self._coach.raised

    @property
    def suppressed(self) -> int:
        return self._coach.suppressed
