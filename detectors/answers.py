"""Answers and the answer timer: the user's turns grouped into answers, and the 1:30 / 2:00 / 3:00
cues.

An answer starts when the user starts speaking and ends after `gap_s` (2.5 s) of silence: short
pauses to think stay inside the answer and do not reset its clock. The segmenter is told when voice
starts and stops (`voice_started` / `voice_stopped`, from the live voice detector, so an answer
opens at the onset and not when the first sentence closes) and is ticked with the clock to close
answers in silence. `AnswerTimer` turns the open answer's age into nudges, each cue once per answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from detectors.nudge import Nudge

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    start: float
    end: float  # end of the last speech in the answer (not end + gap)

    @property
    def duration_s(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Cue:
    after_s: float  # answer age at which the cue fires
    kind: str  # a key of detectors.nudge.PRIORITY
    text: str


# The seeds: answers of 1-2 minutes, up to 3 for a complex story, never 5-6.
DEFAULT_CUES = (
    Cue(90.0, "answer_soft", "Ninety seconds"),
    Cue(120.0, "wrap_up", "Wrap up"),
    Cue(180.0, "answer_stop", "Time to stop"),
)


class AnswerSegmenter:
    """Own-speech onsets and offsets in time order -> answers."""

    def __init__(self, gap_s: float = 2.5, min_answer_s: float = 1.0) -> None:
        self.gap_s = gap_s
        self.min_answer_s = min_answer_s
        self._start: float | None = None  # open answer's start
        self._last_end: float | None = None  # end of the latest speech in the open answer
        self._voiced = False

    @property
    def open_start(self) -> float | None:
        """Start of the answer in progress, or None between answers."""
        return self._start

    @property
    def voiced(self) -> bool:
        return self._voiced

    def open_until(self, t: float) -> float:
        """The earliest moment the answer in progress can close, as known at `t`: `gap_s` after
        its latest speech (or after `t` while the voice goes on); -inf between answers."""
        if self._start is None:
            return float("-inf")
        if self._voiced or self._last_end is None:
            return t + self.gap_s
        return self._last_end + self.gap_s

    def voice_started(self, t: float) -> list[Answer]:
        out = self.tick(t)
        self._voiced = True
        if self._start is None:
            self._start = t
        return out

    def voice_stopped(self, t: float) -> None:
        self._voiced = False
        if self._start is not None:
            self._last_end = max(t, self._last_end or t)

    def add_speech(self, start: float, end: float) -> list[Answer]:
        """A closed speech segment, for callers that only have segments (offline lists)."""
        out = self.voice_started(start)
        self.voice_stopped(end)
        return out

    def tick(self, t: float) -> list[Answer]:
        """Close the open answer once `gap_s` of silence has passed by time `t`."""
        if self._start is None or self._voiced or self._last_end is None:
            return []
        if t - self._last_end >= self.gap_s:
            return self._close()
        return []

    def finish(self, t_end: float) -> list[Answer]:
        if self._start is None:
            return []
        if self._voiced:
            self._last_end = t_end
            self._voiced = False
        return self._close()

    def _close(self) -> list[Answer]:
        assert self._start is not None and self._last_end is not None
        answer = Answer(self._start, self._last_end)
        self._start = self._last_end = None
        if answer.duration_s < self.min_answer_s:
            log.debug("dropped a %.1f s utterance: too short for an answer", answer.duration_s)
            return []
        return [answer]


class AnswerTimer:
    """Nudges at fixed ages of the open answer; each cue at most once per answer.

    The nudge is stamped with the moment the age was reached (start + after_s), so a coarse tick
    does not shift it; it is returned by the first `update` at or after that moment, or up to
    `ahead_s` before it when the answer is sure to be still open then (`open_until`): the live
    audio is analysed in batches, and a cue returned only once its batch is analysed would reach
    the screen a batch late. The coach holds a nudge until its moment (`Coach.current`).
    """

    def __init__(self, cues: tuple[Cue, ...] = DEFAULT_CUES) -> None:
        self.cues = tuple(sorted(cues, key=lambda c: c.after_s))
        self._answer_start: float | None = None
        self._fired: set[int] = set()

    def update(self, t: float, answer_start: float | None, *, ahead_s: float = 0.0,
               open_until: float = float("inf")) -> list[Nudge]:
        if answer_start != self._answer_start:
            self._answer_start = answer_start
            self._fired = set()
        if answer_start is None:
            return []
        out = []
        for i, cue in enumerate(self.cues):
            due = answer_start + cue.after_s
            if i not in self._fired and (t >= due or (t + ahead_s >= due and due < open_until)):
                self._fired.add(i)
                out.append(Nudge(answer_start + cue.after_s, cue.kind, cue.text))
        return out
