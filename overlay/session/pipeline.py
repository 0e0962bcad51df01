"""The one analysis pipeline, shared by the live overlay and `oncue analyze`.

It is the only place detectors are called, through four steps with one job each: the face
(landmarks), the room (`SceneStep`: lighting, framing), the eyes (`GazeStep`), the voice
(`SpeechStep`) and the meeting app (`MeetingStep`). Samples come in with their capture time;
results go to the `SessionRecorder`.

The live session calls `on_video` from its vision worker, `on_audio` from its audio worker and
`on_screen` from its screen worker; offline analysis calls them from one thread in time order.
Steps share a little state (mouth movement from the face for the voice, "speaking" for the gaze
nudge, speech onsets for the mute rule), so each call takes `_shared` for its bookkeeping; the
lock is never held during MediaPipe inference, which dominates the frame's cost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from detectors.analysis_rate import AnalysisRate, Looked, RateSettings
from detectors.face import Face, FaceFinder
from detectors.gaze_calibration import GazeCalibration
from detectors.mute_button import MuteButton
from overlay.capture.base import AudioBlock, ScreenShot, VideoFrame
from overlay.session.gaze_step import GazeStep
from overlay.session.meeting_step import MeetingStep
from overlay.session.recorder import FrameRecord, SessionRecorder
from overlay.session.scene_step import SceneStep
from overlay.session.speech_step import SpeechStep
from overlay.settings import Settings

log = logging.getLogger(__name__)

FrameListener = Callable[[VideoFrame, FrameRecord], None]
AudioListener = Callable[[AudioBlock], None]


@dataclass(frozen=True)
class LiveState:
    answer_elapsed_s: float | None  # length of the answer in progress
    gaze: str | None  # the smoothed gaze state


@dataclass(frozen=True)
class PipelineStats:
    frames: int
    faces: int
    audio_s: float
    screens: int


class InterviewPipeline:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 face_finder: FaceFinder | None, *, mute_button: MuteButton | None = None,
                 gaze_calibration: GazeCalibration | None = None) -> None:
        self.settings = settings
        self.recorder = recorder
        self.face_finder = face_finder
        self._shared = threading.Lock()
        self._frames = 0
        self._faces = 0
        self._audio_samples = 0
        self._screens = 0
        self.last_face: Face | None = None
        # Which camera frames MediaPipe sees (detectors/analysis_rate.py): the same policy live
        # and offline, so `oncue analyze` scores the frames the live app analyses.
        steady_s = max(0.0, float(settings["camera.analysis_steady_s"]))
        self.rate = AnalysisRate(RateSettings(steady_s=steady_s))
        self.calibrating = False  # a calibration in progress wants every frame
        self.analysed_last = False  # whether the latest frame was analysed or passed over
        self._held: FrameRecord | None = None
        self.scene = SceneStep(settings, recorder)
        self.gaze = GazeStep(settings, recorder, gaze_calibration)
        self.meeting = MeetingStep(settings, recorder, mute_button)
        self.speech = SpeechStep(settings, recorder, self.meeting)
        # Observers (the pre-flight check, the practice recorder): called after each sample is
        # analysed, on the worker that analysed it. They must be quick and must not block.
        self.frame_listeners: list[FrameListener] = []
        self.audio_listeners: list[AudioListener] = []

    # -- video -------------------------------------------------------------------------------
    def on_video(self, frame: VideoFrame) -> FrameRecord:
        """Analyse the frame if the analysis rate wants it; returns the record of the frame
        analysed (this one, or the one whose results still hold, `analysed_last` says which).
        Listeners (the check's preview, practice recordings) see every frame either way."""
        held = self._held
        if held is not None and not self.rate.wants(frame.t, self.speech.analyzer.mouth_wanted,
                                                    self.speech.speaking_now):
            self.analysed_last = False
            for listener in self.frame_listeners:
                listener(frame, held)
            return held
        if held is None:
            self.rate.wants(frame.t)  # counted: the first frame is always analysed
        face = self.face_finder.find(frame.rgb, frame.t) if self.face_finder else None
        record = FrameRecord(t=frame.t, face=face is not None)
        with self._shared:
            self._frames += 1
            self._faces += face is not None
            self.last_face = face
            self.speech.note_face(face, frame.t)
            self.scene.on_frame(frame, face, record, self.speech.speaking_now)
            self.gaze.on_frame(frame.t, face, record, self.speech.speaking_now)
            reading = self.gaze.latest
        self.rate.analysed(Looked(
            t=frame.t, face=face, state=None if reading is None else reading.state,
            eye_contact=None if reading is None else reading.eye_contact,
            calibrating=self.calibrating))
        self._held = record
        self.analysed_last = True
        self.recorder.frame(record)
        for listener in self.frame_listeners:
            listener(frame, record)
        return record

    # -- audio -------------------------------------------------------------------------------
    def on_audio(self, block: AudioBlock) -> None:
        samples = np.asarray(block.samples, dtype=np.float32)
        with self._shared:
            self._audio_samples += len(samples)
            self.speech.on_audio(block.t0, samples)
        for listener in self.audio_listeners:
            listener(block)

    # -- screen and keyboard -----------------------------------------------------------------
    def on_screen(self, shot: ScreenShot) -> None:
        with self._shared:
            self._screens += 1
            self.meeting.on_screen(shot)

    def on_keystrokes(self, count: int, t: float) -> None:
        """Key presses counted since the last call (never which keys)."""
        with self._shared:
            self.meeting.on_keystrokes(t, count, self.speech.speaking_now)

    # -- end ---------------------------------------------------------------------------------
    def finish(self, t_end: float) -> None:
        """Close open answers and speech at the end of the session."""
        with self._shared:
            self.speech.finish(t_end)
            self.scene.finish(t_end)

    def live_state(self, t: float) -> LiveState:
        """What the overlay shows besides nudges: the answer timer and the gaze state.

        Called from the GUI thread at 30 Hz: it must never wait for a worker, so it takes no
        lock and reads only single attributes the workers replace whole (atomic in CPython).
        """
        latest = self.gaze.latest
        return LiveState(self.speech.answer_elapsed(t),
                         latest.state if latest is not None else None)

    @property
    def speaking(self) -> bool:
        """As of the last analysed sample; lock-free for the same reason as `live_state`."""
        return self.speech.speaking_now

    def report(self) -> dict[str, object]:
        """Clip-level results for `oncue analyze` (fields stay present, null when unknown)."""
        with self._shared:
            out: dict[str, object] = {}
            for step in (self.scene, self.gaze, self.speech, self.meeting):
                out.update(step.report())
            return out

    def stats(self) -> PipelineStats:
        return PipelineStats(self._frames, self._faces, self._audio_samples / 16_000.0,
                             self._screens)
