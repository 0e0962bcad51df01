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

from detectors.scene_report import SceneVerdict
from overlay.review.incidents import device_gaps, incidents, verdict_spans
from overlay.review.session_summary import (  # noqa: F401 - the summary's shapes, re-exported
    ANSWER_HARD_S,
    ANSWER_LINE_S,
    EYE_BAND,
    AnswerSummary,
    EyeContactBin,
    NudgeRecord,
    SessionSummary,
)
from overlay.review.spans import (
    GazeTrack,
    Span,
    complement,
    state_spans,
    total,
    union,
)
from overlay.session.events import SessionEvent, SessionInfo

log = logging.getLogger(__name__)


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
