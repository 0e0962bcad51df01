"""The last steps of every session that ran the pipeline: the same, in the same order, for a
live interview (overlay/session/live.py) and a check of a recording (overlay/preflight/
replay_check.py).

The order matters. The pipeline finishes first, so the answer and the speech still open at
`t_end` are closed and logged before `session_ended` (a summary reads the events up to it). The
face finder is closed only after the last frame went through the pipeline (the caller has joined
the workers that use it). The session's row in the event log is marked ended last, after every
event of the session is in.
"""

from __future__ import annotations

import logging

from detectors.face import FaceFinder
from overlay.session.eventlog import EventLog
from overlay.session.pipeline import InterviewPipeline
from overlay.session.recorder import SessionRecorder

log = logging.getLogger(__name__)


def close_session(t_end: float, reason: str, *, pipeline: InterviewPipeline,
                  finder: FaceFinder | None, recorder: SessionRecorder,
                  event_log: EventLog | None) -> None:
    """End the session at `t_end` (session seconds) for `reason` ("stopped by user",
    "end_of_recording", ...). The caller has already stopped whatever feeds the pipeline."""
    pipeline.finish(t_end)
    if finder is not None:
        finder.close()
    recorder.event(t_end, "session_ended", reason=reason)
    if event_log is not None and recorder.session_id is not None:
        event_log.end_session(recorder.session_id, t_end)
