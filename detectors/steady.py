"""A debouncer for per-frame verdicts: report a new value only once it has held for a while.

Per-frame verdicts flicker (a head turn, one missed detection); the event log and the overlay
want the state a person would describe. `SteadyValue.update` returns the new steady value the
moment a different value has held for `hold_s`, and None otherwise.
"""

from __future__ import annotations

import logging
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

V = TypeVar("V")


class SteadyValue(Generic[V]):
    def __init__(self, hold_s: float = 2.0) -> None:
        self.hold_s = hold_s
        self.value: V | None = None  # the steady value (None until one has held)
        self._candidate: V | None = None
        self._since = 0.0

    def update(self, value: V, t: float) -> V | None:
        if value == self.value:
            self._candidate = None
            return None
        if value != self._candidate:
            self._candidate, self._since = value, t
        if t - self._since >= self.hold_s or self.value is None and self.hold_s <= 0:
            self.value, self._candidate = value, None
            return value
        return None
