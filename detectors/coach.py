"""The coach: of all nudges the detectors raise, which single one is on screen now.

Rules (issue 7 and the seeds): one nudge at a time; a higher-priority nudge replaces a lower one
(muted > wrap up > look at the lens > light); a shown nudge stays at least `min_display_s` so
nothing flashes, and leaves after `display_s`; while snoozed nothing is shown, but nudges are still
counted (the summary lists them). Pure: time comes in as an argument. Workers raise nudges while
the GUI thread asks what to show, so the few fields are guarded by a lock held for microseconds.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from detectors.nudge import Nudge

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shown:
    nudge: Nudge
    since: float  # when it appeared on screen


class Coach:
    def __init__(self, min_display_s: float = 2.0, display_s: float = 4.0,
                 snooze_s: float = 300.0) -> None:
        if display_s < min_display_s:
            raise ValueError("display_s must be at least min_display_s")
        self.min_display_s = min_display_s
        self.display_s = display_s
        self.snooze_s = snooze_s
        self.snoozed_until = float("-inf")
        self._shown: Shown | None = None
        self._waiting: Nudge | None = None  # best nudge held back by min_display_s
        self.raised = 0
        self.suppressed = 0  # raised while snoozed
        self._lock = threading.Lock()

    def snooze(self, t: float) -> None:
        with self._lock:
            self.snoozed_until = t + self.snooze_s
            self._shown = None
            self._waiting = None

    def unsnooze(self) -> None:
        with self._lock:
            self.snoozed_until = float("-inf")

    def snoozed(self, t: float) -> bool:
        return t < self.snoozed_until

    def raise_nudge(self, nudge: Nudge) -> None:
        with self._lock:
            self._raise(nudge)

    def _raise(self, nudge: Nudge) -> None:
        self.raised += 1
        if self.snoozed(nudge.t):
            self.suppressed += 1
            return
        if self._waiting is None or nudge.priority >= self._waiting.priority:
            self._waiting = nudge

    def current(self, t: float) -> Shown | None:
        """The nudge on screen at time t (call at the display rate)."""
        with self._lock:
            return self._current(t)

    def _current(self, t: float) -> Shown | None:
        if self.snoozed(t):
            return None
        shown = self._shown
        if shown is not None and t - shown.since >= self.display_s:
            shown = self._shown = None
        waiting = self._waiting
        if waiting is not None:
            # A stale nudge (its moment passed while another was held on screen) is dropped.
            if t - waiting.t > self.display_s:
                self._waiting = None
            elif shown is None or (waiting.priority > shown.nudge.priority
                                   and t - shown.since >= self.min_display_s):
                self._shown = shown = Shown(waiting, t)
                self._waiting = None
            elif waiting.kind == shown.nudge.kind:
                self._waiting = None  # the same cue again: it is already on screen
        return shown
