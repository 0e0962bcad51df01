"""The pre-flight check of a recording without a window: the whole check, frame for frame.

A check of a recording that nobody watches (`oncue check --replay FILE --no-window`) used to run a
live session on a replay played as fast as possible: the vision worker then took whatever frame
was newest when it was free, so which frames were analysed depended on the machine's load, and
two runs of one clip disagreed (a face in 5% of 255 frames, then 6% of 188). This stand-in for
`LiveSession` runs the same `InterviewPipeline` synchronously on every frame a camera at
`camera.fps` would deliver, in capture-time order with the audio, as `oncue analyze` does, so the
same recording always gives the same items.

It offers what `PreflightCheck` uses of a session: `pipeline`, `recorder`, `clock`, `sources`,
`start`, `stop` and `finished`. `start` runs the check to its end before it returns.
"""

from __future__ import annotations

import logging
from pathlib import Path

from overlay.capture.recording import Recording
from overlay.face_model import open_face_finder
from overlay.session.eventlog import EventLog
from overlay.session.frame_feed import camera_timeline, feed
from overlay.session.pipeline import InterviewPipeline
from overlay.session.recorder import SessionRecorder
from overlay.session.session_end import close_session
from overlay.settings import Settings

log = logging.getLogger(__name__)


class _Source:
    def __init__(self, name: str) -> None:
        self.name = name


class _FileClock:
    """The check's clock is the position in the recording."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t


class ReplayCheckSession:
    def __init__(self, settings: Settings, event_log: EventLog | None, replay: Path,
                 check_s: float) -> None:
        self.recording = Recording(replay)
        self.check_s = check_s
        self.event_log = event_log
        self.clock = _FileClock()
        self.sources = [_Source("replay-camera")] if self.recording.has_video else []
        if self.recording.has_audio:
            self.sources.append(_Source("replay-microphone"))
        self.recorder = SessionRecorder(event_log=event_log, keep_events=event_log is None)
        self.finder = open_face_finder(video=True) if self.recording.has_video else None
        self.pipeline = InterviewPipeline(settings, self.recorder, self.finder)
        self._camera_fps = float(settings["camera.fps"])
        self._done = False
        self._stopped = False
        if event_log is not None:
            self.recorder.session_id = event_log.start_session("check", str(replay))
        self.recorder.event(0.0, "session_started", mode="check", source=str(replay))

    def start(self) -> None:
        # Every frame a camera at `camera.fps` would deliver, in order with the audio, as
        # `oncue analyze` feeds them (overlay/session/offline.py).
        for t, _, item in camera_timeline(self.recording, self._camera_fps):
            if t > self.check_s:
                break
            self.clock.t = max(self.clock.t, t)
            feed(self.pipeline, item)
        self.clock.t = min(max(self.clock.t, self.recording.duration_s), self.check_s)
        self._done = True

    def finished(self) -> bool:
        return self._done

    def stop(self, reason: str = "stopped") -> None:
        if self._stopped:
            return
        self._stopped = True
        t_end = self.clock.now()
        close_session(t_end, reason, pipeline=self.pipeline, finder=self.finder,
                      recorder=self.recorder, event_log=self.event_log)
        log.info("replay check stopped after %.1f s (%s)", t_end, reason)
