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

import heapq
import logging
from collections.abc import Iterator
from pathlib import Path

from overlay.capture.base import AudioBlock, VideoFrame
from overlay.capture.replay import Recording
from overlay.face_model import open_face_finder
from overlay.session.eventlog import EventLog
from overlay.session.pipeline import InterviewPipeline
from overlay.session.recorder import SessionRecorder
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

    def _timeline(self) -> Iterator[tuple[float, int, VideoFrame | AudioBlock]]:
        # Audio blocks are keyed by their end time, when a microphone delivers them; ties go to
        # the audio (the middle element), as in overlay/session/offline.py.
        gap = 1.0 / self._camera_fps if self._camera_fps > 0 else 0.0
        video = ((f.t, 1, f) for f in self.recording.video_frames(min_gap_s=gap))
        audio = ((b.t1, 0, b) for b in self.recording.audio_blocks(block_s=0.1))
        yield from heapq.merge(audio, video, key=lambda item: (item[0], item[1]))

    def start(self) -> None:
        for t, _, item in self._timeline():
            if t > self.check_s:
                break
            self.clock.t = max(self.clock.t, t)
            if isinstance(item, VideoFrame):
                self.pipeline.on_video(item)
            else:
                self.pipeline.on_audio(item)
        self.clock.t = min(max(self.clock.t, self.recording.duration_s), self.check_s)
        self._done = True

    def finished(self) -> bool:
        return self._done

    def stop(self, reason: str = "stopped") -> None:
        if self._stopped:
            return
        self._stopped = True
        t_end = self.clock.now()
        self.pipeline.finish(t_end)
        if self.finder is not None:
            self.finder.close()
        self.recorder.event(t_end, "session_ended", reason=reason)
        if self.event_log is not None and self.recorder.session_id is not None:
            self.event_log.end_session(self.recorder.session_id, t_end)
        log.info("replay check stopped after %.1f s (%s)", t_end, reason)
