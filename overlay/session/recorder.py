"""Where the pipeline's results go: the event log, the offline result, the live display.

The analysis pipeline reports everything to a `SessionRecorder`; it writes each event to the log
as it happens (a crash loses nothing already logged), keeps what `oncue analyze` needs for its
JSON, and hands nudges to the coach for the overlay. It is called from worker threads: the event
log serialises its own writes, and the lists below are only appended to (atomic in CPython) and
read after the workers are joined.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from detectors.coach import Coach
from detectors.nudge import Nudge
from overlay.session.eventlog import EventLog
from overlay.session.events import SessionEvent
from overlay.session.nudge_slot import SharedCoach

log = logging.getLogger(__name__)


@dataclass
class FrameRecord:
    """One analysed video frame, as `oncue analyze` reports it (docs/analyze-json.md)."""

    t: float
    face: bool = False
    gaze: str | None = None
    eye_contact: float | None = None
    gaze_offset_deg: list[float] | None = None
    lighting: list[str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"t": round(self.t, 3), "face": self.face, "gaze": self.gaze,
                "eye_contact": None if self.eye_contact is None else round(self.eye_contact, 3),
                "gaze_offset_deg": self.gaze_offset_deg, "lighting": self.lighting}


@dataclass
class SessionRecorder:
    event_log: EventLog | None = None
    session_id: str | None = None
    keep_frames: bool = False  # offline analysis keeps every frame record for the JSON
    # A live session with an event log has its record on disk; a copy in memory only grew (a few
    # kB per event: the 2-hour soak's slow RSS rise, docs/PERFORMANCE.md).
    keep_events: bool = True
    coach: Coach | SharedCoach | None = None  # live: a SharedCoach (workers and GUI share it)
    frames: list[FrameRecord] = field(default_factory=list)
    events: list[SessionEvent] = field(default_factory=list)
    events_recorded: int = 0
    nudges: list[Nudge] = field(default_factory=list)
    latest_frame: FrameRecord | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def event(self, t: float, kind: str, /, **data: Any) -> None:
        ev = SessionEvent(t=float(t), kind=kind, data=data)
        with self._lock:
            self.events_recorded += 1
            if self.keep_events:
                self.events.append(ev)
        if self.event_log is not None and self.session_id is not None:
            self.event_log.append(self.session_id, ev)

    def nudge(self, nudge: Nudge) -> None:
        with self._lock:
            self.nudges.append(nudge)
            if self.coach is not None:
                self.coach.raise_nudge(nudge)
        self.event(nudge.t, "nudge", kind=nudge.kind, text=nudge.text)

    def frame(self, record: FrameRecord) -> None:
        self.latest_frame = record
        if self.keep_frames:
            self.frames.append(record)

    def events_of(self, kind: str) -> list[SessionEvent]:
        with self._lock:
            return [e for e in self.events if e.kind == kind]
