"""What happened in one session, answer by answer, computed from its event log alone.

Pure: a list of `SessionEvent` and the session's `SessionInfo` in, a frozen `SessionSummary` out.
No clock, no files, so a crashed session (no `session_ended`) is summarised the same way and tests
can check every figure against a hand-built log.

Gaze is a step function: each `gaze` event sets the state until the next one. Before the first
gaze event the state is "unknown". Eye contact is lens / (lens + away): blinks (`closed`) are part
of looking at someone and count on neither side, and `noface`/`unknown` are time the detector was
unsure, reported as such rather than guessed.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass

from detectors.scene_report import SceneVerdict
from overlay.review.incidents import (
    DeviceGap,
    Incident,
    VerdictSpan,
    device_gaps,
    incidents,
    verdict_spans,
)
from overlay.review.spans import (
    GazeShare,
    GazeTrack,
    Span,
    complement,
    state_spans,
    total,
    union,
)
from overlay.session.events import SessionEvent, SessionInfo

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


def _session_end(events: list[SessionEvent], info: SessionInfo) -> float:
    ended = [e.t for e in events if e.kind == "session_ended"]
    if ended:
        end = ended[-1]
    elif info.duration_s is not None:
        end = info.duration_s
    else:
        end = 0.0
    # Nothing logged may lie beyond the end: a crash leaves the last event as the end.
    for e in events:
        end = max(end, e.t, float(e.data.get("end", 0.0) or 0.0))
    return end


def _eye_series(gaze: GazeTrack, speech: list[Span], end: float
                ) -> tuple[EyeContactBin, ...]:
    if end <= 0:
        return ()
    # About 12-40 bins whatever the length: 10 s bins for a short practice, 60 s for an hour.
    width = next((w for w in (10.0, 15.0, 30.0, 60.0, 120.0, 300.0) if end / w <= 40), 600.0)
    bins = []
    t = 0.0
    while t < end - 1e-9:
        window = [(t, min(t + width, end))]
        talking = [(max(a, window[0][0]), min(b, window[0][1])) for a, b in speech
                   if b > window[0][0] and a < window[0][1]]
        listening = complement(talking, window[0][0], window[0][1])
        bins.append(EyeContactBin(window[0][0], window[0][1],
                                  gaze.share(talking).eye_contact,
                                  gaze.share(listening).eye_contact))
        t += width
    return tuple(bins)


def _has_span(e: SessionEvent) -> bool:
    """A speech or answer event with numeric start and end; others are logged and skipped, so
    one malformed event (an older version, a bug) never costs the user the whole summary."""
    try:
        float(e.data["start"]), float(e.data["end"])
    except (KeyError, TypeError, ValueError):
        log.warning("skipping a %s event at %.1f s without start/end: %r", e.kind, e.t, e.data)
        return False
    return True


def summarise(events: list[SessionEvent], info: SessionInfo) -> SessionSummary:
    """The summary of one session; `events` in logged order, as `EventLog.events` returns them."""
    end = _session_end(events, info)
    gaze_changes = [(e.t, str(e.data.get("state", "unknown"))) for e in events if e.kind == "gaze"]
    gaze = GazeTrack(state_spans(gaze_changes, end) if gaze_changes else [])
    speech = union([(float(e.data["start"]), float(e.data["end"]))
                    for e in events if e.kind == "speech" and _has_span(e)])
    answer_events = [e for e in events if e.kind == "answer" and _has_span(e)]
    if not speech:  # no separate speech stretches logged: the answers are the talking
        speech = union([(float(e.data["start"]), float(e.data["end"])) for e in answer_events])
    nudges = tuple(NudgeRecord(e.t, str(e.data.get("kind", "")), str(e.data.get("text", "")))
                   for e in events if e.kind == "nudge")
    questions = [(e.t, str(e.data.get("text", ""))) for e in events if e.kind == "question"]
    fillers = [e.t for e in events if e.kind == "filler"]

    answers = []
    for i, e in enumerate(sorted(answer_events, key=lambda e: float(e.data["start"])), start=1):
        start, stop = float(e.data["start"]), float(e.data["end"])
        duration = float(e.data.get("duration_s", stop - start))
        n_fill = e.data.get("fillers")
        n_fill = int(n_fill) if n_fill is not None else sum(start <= t <= stop for t in fillers)
        fpm = e.data.get("fillers_per_min")
        if fpm is None and duration > 0:
            fpm = n_fill / (duration / 60.0)
        wpm = e.data.get("wpm")
        asked = [text for t, text in questions if t <= start]
        answers.append(AnswerSummary(
            index=i, start=start, end=stop, duration_s=duration,
            eye=gaze.share([(start, stop)]),
            wpm=float(wpm) if wpm is not None else None,
            fillers=n_fill, fillers_per_min=float(fpm) if fpm is not None else None,
            nudges=tuple(n for n in nudges if start <= n.t <= stop),
            question=asked[-1] if asked else None,
        ))

    started = [e for e in events if e.kind == "session_started"]
    gaze_events = [e for e in events if e.kind == "gaze"]
    calibrated: bool | None = None
    if gaze_events:  # calibration only matters once there is gaze to judge
        flags = [bool(e.data["calibrated"]) for e in gaze_events if "calibrated" in e.data]
        if not flags and started and "calibrated" in started[0].data:
            flags = [bool(started[0].data["calibrated"])]
        calibrated = any(flags)
    ended = [e for e in events if e.kind == "session_ended"]
    meeting_changes = [(e.t, str(e.data.get("state", "unknown")))
                       for e in events if e.kind == "meeting"]
    # Time before the watcher's first reading is not "unknown": it may simply not have started.
    meeting = [sp for sp in state_spans(meeting_changes, end)
               if meeting_changes and sp[0] >= meeting_changes[0][0]]
    scene = next((e.data for e in reversed(events) if e.kind == "scene"), None)
    light = SceneVerdict.from_report(scene, "lighting") if scene is not None else None
    framing_verdict = SceneVerdict.from_report(scene, "framing") if scene is not None else None
    # No verdict without evidence: when the pipeline could not judge the light (or the
    # framing), its passing per-frame verdicts are not shown as spans either.
    lighting = verdict_spans(events, "lighting", end) if light is None or light.known else ()
    framing = (verdict_spans(events, "framing", end)
               if framing_verdict is None or framing_verdict.known else ())
    gaps = device_gaps(events)
    return SessionSummary(
        session_id=info.id, mode=info.mode, source=info.source, started_at=info.started_at,
        program=info.program,
        status="ended" if ended else ("crashed" if info.status != "running" else "running"),
        ended_reason=str(ended[-1].data.get("reason", "stopped")) if ended else None,
        duration_s=end, calibrated=calibrated, answers=tuple(answers),
        speaking_eye=gaze.share(speech),
        listening_eye=gaze.share(complement(speech, 0.0, end)),
        eye_series=_eye_series(gaze, speech, end),
        talk_s=total(speech), nudges=nudges,
        incidents=tuple(incidents(events, lighting, framing, gaps, meeting)),
        lighting=lighting, framing=framing, device_gaps=gaps,
        fillers_total=sum(a.fillers for a in answers),
        has_gaze=bool(gaze_events), has_speech=bool(speech),
        meeting_unknown_s=sum(b - a for a, b, st in meeting if st == "unknown"),
        has_meeting=bool(meeting), light=light, framing_verdict=framing_verdict,
        meeting_sources=tuple(dict.fromkeys(str(e.data["via"]) for e in events
                                            if e.kind == "meeting" and "via" in e.data)),
        gaze_not_judged=next((str(e.data["not_judged"]) for e in gaze_events
                              if e.data.get("not_judged")), None),
    )
