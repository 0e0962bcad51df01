"""Time spans on the session clock: unions, complements, and gaze time inside chosen windows.

Kept apart from the summary so the interval arithmetic is small, obviously right, and tested on
its own; every eye-contact figure in the report comes through `gaze_share`.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

Span = tuple[float, float]
KNOWN_GAZE = ("lens", "away", "closed")


@dataclass(frozen=True)
class GazeShare:
    """Seconds in each gaze state inside some windows (an answer, all speech, all listening)."""

    lens_s: float = 0.0
    away_s: float = 0.0
    closed_s: float = 0.0
    unsure_s: float = 0.0  # noface, unknown, or before the first gaze reading

    @property
    def eye_contact(self) -> float | None:
        """Lens / (lens + away); blinks count on neither side. None when nothing was seen."""
        seen = self.lens_s + self.away_s
        return self.lens_s / seen if seen > 0 else None

    @property
    def total_s(self) -> float:
        return self.lens_s + self.away_s + self.closed_s + self.unsure_s

    @property
    def unsure_share(self) -> float | None:
        return self.unsure_s / self.total_s if self.total_s > 0 else None


def union(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same time; empty spans dropped."""
    out: list[list[float]] = []
    for a, b in sorted((a, b) for a, b in spans if b > a):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def total(spans: list[Span]) -> float:
    return sum(b - a for a, b in union(spans))


def complement(spans: list[Span], start: float, end: float) -> list[Span]:
    """The parts of [start, end] not covered by `spans`."""
    out, cursor = [], start
    for a, b in union(spans):
        a, b = max(a, start), min(b, end)
        if b <= a:
            continue
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if end > cursor:
        out.append((cursor, end))
    return out


def state_spans(changes: list[tuple[float, str]], end: float) -> list[tuple[float, float, str]]:
    """A step function from (t, state) changes: each state holds until the next change or `end`.

    Time before the first change is 'unknown'.
    """
    out: list[tuple[float, float, str]] = []
    cursor, state = 0.0, "unknown"
    for t, new in sorted(changes, key=lambda c: c[0]):
        if t > cursor:
            out.append((cursor, min(t, end), state))
        cursor, state = max(cursor, t), new
    if end > cursor:
        out.append((cursor, end, state))
    return [(a, b, s) for a, b, s in out if b > a]


class GazeTrack:
    """The gaze state as sorted, non-overlapping spans, with their ends kept for bisection, so
    an hour of gaze changes against hundreds of speech windows stays cheap."""

    def __init__(self, spans: list[tuple[float, float, str]]) -> None:
        self.spans = spans
        self.ends = [b for _, b, _ in spans]

    def share(self, windows: list[Span]) -> GazeShare:
        """Seconds per gaze state inside the windows; no gaze data gives an empty share."""
        secs = {"lens": 0.0, "away": 0.0, "closed": 0.0, "unsure": 0.0}
        spans = self.spans
        for wa, wb in union(windows):
            i = bisect.bisect_right(self.ends, wa)
            while i < len(spans) and spans[i][0] < wb:
                a, b, state = spans[i]
                overlap = min(b, wb) - max(a, wa)
                if overlap > 0:
                    secs[state if state in KNOWN_GAZE else "unsure"] += overlap
                i += 1
        return GazeShare(secs["lens"], secs["away"], secs["closed"], secs["unsure"])


def gaze_share(gaze: list[tuple[float, float, str]], windows: list[Span]) -> GazeShare:
    """One-off form of `GazeTrack(gaze).share(windows)`."""
    return GazeTrack(gaze).share(windows)
