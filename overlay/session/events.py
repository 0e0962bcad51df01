"""The vocabulary of the event log: what a session records, in the interview's terms.

Every event has a time `t` (seconds on the session clock) and a kind; its `data` is a small JSON
object whose fields are listed here. The summary, the report and the history read only these
events, so a session that crashed leaves everything needed for its summary.

kind             logged when                          data
---------------  -----------------------------------  ----------------------------------------
session_started  the session starts (t = 0)           mode, source
speech           a stretch of own speech ends         start, end
answer           an answer ends                       start, end, duration_s, wpm, fillers,
                                                      fillers_per_min
filler           an "uh"/"um" is heard                duration_s
gaze             the smoothed gaze state changes      state (lens/away/unknown/closed/noface),
                                                      calibrated; not_judged (why, when the
                                                      camera may correct eye contact)
nudge            a detector raises a nudge            kind, text
lighting         the lighting verdicts change         verdicts (list)
framing          the framing verdicts change          verdicts (list), fixes (list)
scene            every 30 s and at the end            lighting, framing: the clip report so
                                                      far (detectors/scene_report.py)
meeting          the meeting's mute state changes     state, app
mark             the user marks the moment (hotkey)   note (optional)
device           a source is lost or comes back       source (camera/microphone/screen),
                                                      state (lost/back), detail
check            a pre-flight item is decided         id, group, status, detail, fix
question         practice shows a question            id, text
session_ended    the session ends normally            reason (stopped/end_of_recording/error)

A session without `session_ended` ended by a crash; its summary is built all the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

KINDS = frozenset({
    "session_started", "speech", "answer", "filler", "gaze", "nudge", "lighting", "framing",
    "scene", "meeting", "mark", "device", "check", "question", "session_ended",
})
MODES = frozenset({"live", "practice", "analysis", "check"})


@dataclass(frozen=True)
class SessionEvent:
    t: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")


@dataclass(frozen=True)
class SessionInfo:
    """One row of the history: a session and how it ended."""

    id: str
    mode: str  # live / practice / analysis / check
    source: str  # "camera+microphone", or the recording's path
    started_at: str  # ISO 8601 wall-clock time, local time zone
    ended_at: str | None  # None while running or after a crash
    duration_s: float | None
    status: str  # running / ended / crashed
    program: str | None = None  # the residency program, once the user named it in the notes
