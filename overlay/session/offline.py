"""Offline analysis: a recording through the live pipeline, synchronously, as fast as possible.

No threads: video frames and audio blocks are merged by capture time and handed to the same
`InterviewPipeline` the live session uses, so a detector that works here works live. The session
is logged like any other (mode "analysis"), so it shows up in the history and a kill mid-way
leaves its events readable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from detectors.face import FaceFinder
from detectors.gaze import GazeGeometry
from detectors.gaze_calibration import CalibrationRecorder, GazeCalibration
from overlay.capture.base import ScreenShot, VideoFrame
from overlay.capture.media import MediaError, read_image
from overlay.capture.replay import Recording, fit_frame
from overlay.face_model import open_face_finder
from overlay.session.eventlog import EventLog
from overlay.session.frame_feed import camera_timeline, feed
from overlay.session.pipeline import InterviewPipeline
from overlay.session.recorder import SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[float, float], None]  # (position_s, duration_s)


@dataclass
class AnalysisResult:
    path: Path
    kind: str  # "video", "audio" or "image"
    duration_s: float
    fps: float
    recorder: SessionRecorder
    pipeline: InterviewPipeline
    session_id: str | None = None


def calibrate_on_span(recording: Recording, span: tuple[float, float],
                      settings: Settings) -> GazeCalibration:
    """A "look at the lens" calibration from a span of the recording (`--calibrate START-END`).

    The span is read in a first pass, as a user calibrates before the interview starts; the
    analysis then runs over the whole recording with it.
    """
    start, end = span
    if not recording.has_video:
        raise MediaError(f"{recording.path}: --calibrate needs a video")
    recorder = CalibrationRecorder(GazeGeometry(), duration_s=max(end - start, 0.1), settle_s=0.0)
    with open_face_finder(video=True) as finder:
        for frame in recording.video_frames():
            if frame.t > end:
                break
            if frame.t >= start:
                recorder.add(finder.find(frame.rgb, frame.t), frame.t)
    try:
        return recorder.result()
    except ValueError as exc:
        raise MediaError(f"{recording.path}: cannot calibrate on {start:g}-{end:g} s "
                         f"({exc})") from exc


def analyze_recording(path: Path, settings: Settings, *, event_log: EventLog | None = None,
                      progress: Progress | None = None,
                      face_finder: FaceFinder | None = None,
                      calibrate: tuple[float, float] | None = None) -> AnalysisResult:
    recording = Recording(path)
    calibration = calibrate_on_span(recording, calibrate, settings) if calibrate else None
    recorder = SessionRecorder(event_log=event_log, keep_frames=True)
    if event_log is not None:
        recorder.session_id = event_log.start_session("analysis", str(path))
        recorder.event(0.0, "session_started", mode="analysis", source=str(path))
    finder = face_finder
    if finder is None and recording.has_video:
        finder = open_face_finder(video=True)
    pipeline = InterviewPipeline(settings, recorder, finder, gaze_calibration=calibration)
    t_end = 0.0
    try:
        for t, _, item in camera_timeline(recording, settings["camera.fps"]):
            feed(pipeline, item)
            t_end = max(t_end, t)
            if progress is not None:
                progress(t, recording.duration_s)
        t_end = max(t_end, recording.duration_s)
        pipeline.finish(t_end)
        if event_log is not None and recorder.session_id is not None:
            recorder.event(t_end, "session_ended", reason="end_of_recording")
            event_log.end_session(recorder.session_id, t_end)
    # An interrupt (Ctrl+C, SIGTERM as KeyboardInterrupt) is no error: the session stays
    # running here and the command ends it as interrupted (EventLog.end_own_sessions).
    except Exception:
        if event_log is not None and recorder.session_id is not None:
            # A recording that breaks mid-way: keep what was analysed, say how it ended.
            recorder.event(t_end, "session_ended", reason="error")
            event_log.end_session(recorder.session_id, t_end, status="error")
        raise
    finally:
        if face_finder is None and finder is not None:
            finder.close()
    kind = "video" if recording.has_video else "audio"
    return AnalysisResult(path, kind, t_end, recording.fps, recorder, pipeline,
                          recorder.session_id)


def analyze_image(path: Path, settings: Settings, *, as_screen: bool = False) -> AnalysisResult:
    """A still: a camera picture (face, lighting, framing) or, `as_screen`, a meeting screenshot."""
    rgb = read_image(path)
    recorder = SessionRecorder(keep_frames=not as_screen)
    if as_screen:
        pipeline = InterviewPipeline(settings, recorder, None)
        pipeline.on_screen(ScreenShot(t=0.0, rgb=rgb, region=(0, 0, rgb.shape[1], rgb.shape[0])))
    else:
        with open_face_finder(video=False) as finder:
            pipeline = InterviewPipeline(settings, recorder, finder)
            pipeline.on_video(VideoFrame(t=0.0, rgb=fit_frame(rgb), index=0))
    pipeline.finish(0.0)
    return AnalysisResult(path, "screen" if as_screen else "image", 0.0, 0.0, recorder, pipeline)
