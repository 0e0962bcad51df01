"""What a session summary says: its figures answer by answer and for the whole session.

Frozen results only, and the figures derived from them (talk share, median answer, pace). They
are built from the event log by overlay/review/summary.py, and read by the summary window, the
report, the history and the follow-up; keeping them apart lets those readers import the shapes
without the computation. The coaching lines (ANSWER_LINE_S, EYE_BAND) live here because the
derived figures and every reader judge against the same ones.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass

from detectors.scene_report import SceneVerdict
from overlay.review.incidents import DeviceGap, Incident, VerdictSpan
from overlay.review.spans import GazeShare

log = logging.getLogger(__name__)

ANSWER_LINE_S = 120.0  # the seed: answers of 1-2 minutes
ANSWER_HARD_S = 180.0  # up to 3 for a complex story, never more
EYE_BAND = (0.70, 0.80)  # the seed: look at the lens about 70-80% of the time


@dataclass(frozen=True)
class NudgeRecord:
    t: float
    kind: str
    text: str


@dataclass(frozen=True)
class AnswerSummary:
    index: int  # 1-based, in session order
    start: float
    end: float
    duration_s: float
    eye: GazeShare  # gaze during the answer
    wpm: float | None
    fillers: int
    fillers_per_min: float | None
    nudges: tuple[NudgeRecord, ...]
    question: str | None = None  # the practice question shown before it, if any

    @property
    def over_line(self) -> bool:
        return self.duration_s > ANSWER_LINE_S


@dataclass(frozen=True)
class EyeContactBin:
    start: float
    end: float
    speaking: float | None
    listening: float | None


@dataclass(frozen=True)
class SessionSummary:
    session_id: str
    mode: str
    source: str
    started_at: str
    program: str | None
    status: str  # ended / crashed / running
    ended_reason: str | None  # from session_ended; None after a crash
    duration_s: float
    calibrated: bool | None  # None: no gaze data at all
    answers: tuple[AnswerSummary, ...]
    speaking_eye: GazeShare
    listening_eye: GazeShare
    eye_series: tuple[EyeContactBin, ...]
    talk_s: float
    nudges: tuple[NudgeRecord, ...]
    incidents: tuple[Incident, ...]
    lighting: tuple[VerdictSpan, ...]
    framing: tuple[VerdictSpan, ...]
    device_gaps: tuple[DeviceGap, ...]
    fillers_total: int
    has_gaze: bool
    has_speech: bool
    meeting_unknown_s: float = 0.0  # the mute state could not be read (toolbar hidden, covered)
    has_meeting: bool = False  # a meeting watcher reported at all
    # What decided the mute state, in order of first use: "accessibility" (the app's own
    # control), "pixels", "calibration" (the `via` of the meeting events; empty in older logs).
    meeting_sources: tuple[str, ...] = ()
    # The pipeline's own clip verdicts (the last `scene` event: detectors/scene_report.py), the
    # figures the JSON and the check show; None for a log without one (older sessions).
    light: SceneVerdict | None = None
    framing_verdict: SceneVerdict | None = None
    # Why eye contact could not be judged (a camera that corrects it: overlay/session/gaze_step)
    gaze_not_judged: str | None = None

    @property
    def crashed(self) -> bool:
        return self.status == "crashed"

    @property
    def talk_share(self) -> float | None:
        """None when nothing about speech was logged: unknown, not zero."""
        if not self.has_speech or self.duration_s <= 0:
            return None
        return self.talk_s / self.duration_s

    @property
    def answer_s(self) -> float:
        return sum(a.duration_s for a in self.answers)

    @property
    def longest_answer_s(self) -> float | None:
        return max((a.duration_s for a in self.answers), default=None)

    @property
    def median_answer_s(self) -> float | None:
        return statistics.median(a.duration_s for a in self.answers) if self.answers else None

    @property
    def answers_over_line(self) -> int:
        return sum(a.over_line for a in self.answers)

    @property
    def mean_wpm(self) -> float | None:
        """Pace over all answers, weighted by answer length (long answers say more about pace)."""
        timed = [(a.wpm, a.duration_s) for a in self.answers if a.wpm is not None]
        weight = sum(d for _, d in timed)
        return sum(w * d for w, d in timed) / weight if weight > 0 else None

    @property
    def fillers_per_min(self) -> float | None:
        return self.fillers_total / (self.answer_s / 60.0) if self.answer_s > 0 else None

    def incidents_of(self, kind: str) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if i.kind == kind)
