"""The one analysis pipeline, shared by the live overlay and `oncue analyze`.

It is the only place detectors are called. Samples come in with their capture time; results go to
the `SessionRecorder`. The live session calls `on_video` from its vision worker and `on_audio`
from its audio worker; offline analysis calls them from one thread in time order. The only state
both workers touch (the face, for mouth movement, and whether the user is speaking, for the
look-away nudge) is passed under `_shared`, a lock held only for the short bookkeeping after each
detector, never during MediaPipe inference.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

from detectors.face import Face, FaceFinder
from detectors.mute_button import MuteButton
from overlay.capture.base import AudioBlock, ScreenShot, VideoFrame
from overlay.session.meeting_step import MeetingStep
from overlay.session.recorder import FrameRecord, SessionRecorder
from overlay.session.scene_step import SceneStep
from overlay.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineStats:
    frames: int
    faces: int
    audio_s: float
    screens: int


class InterviewPipeline:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 face_finder: FaceFinder | None, *, mute_button: MuteButton | None = None) -> None:
        self.settings = settings
        self.mute_button = mute_button
        self.recorder = recorder
        self.face_finder = face_finder
        self._shared = threading.Lock()
        self._frames = 0
        self._faces = 0
        self._audio_samples = 0
        self._screens = 0
        self.last_face: Face | None = None
        self._build_detectors()

    def _build_detectors(self) -> None:
        """Detector steps, each with its parameters from the settings."""
        self.scene = SceneStep(self.settings, self.recorder)
        self.meeting = MeetingStep(self.settings, self.recorder, self.mute_button)

    # -- video -------------------------------------------------------------------------------
    def on_video(self, frame: VideoFrame) -> FrameRecord:
        face = self.face_finder.find(frame.rgb, frame.t) if self.face_finder else None
        record = FrameRecord(t=frame.t, face=face is not None)
        with self._shared:
            self._frames += 1
            self._faces += face is not None
            self.last_face = face
            self._analyse_frame(frame, face, record)
        self.recorder.frame(record)
        return record

    def _analyse_frame(self, frame: VideoFrame, face: Face | None, record: FrameRecord) -> None:
        """Gaze, lighting, framing and mouth movement for one frame (under `_shared`)."""
        self.scene.on_frame(frame, face, record)

    # -- audio -------------------------------------------------------------------------------
    def on_audio(self, block: AudioBlock) -> None:
        samples = np.asarray(block.samples, dtype=np.float32)
        with self._shared:
            self._audio_samples += len(samples)
            self._analyse_audio(block.t0, samples)

    def _analyse_audio(self, t0: float, samples: np.ndarray) -> None:
        """Own-voice activity, answers, pace, fillers (under `_shared`)."""

    # -- screen and keyboard -----------------------------------------------------------------
    def on_screen(self, shot: ScreenShot) -> None:
        with self._shared:
            self._screens += 1
            self.meeting.on_screen(shot)

    def on_keystrokes(self, count: int, t: float) -> None:
        """Key presses counted since the last call (never which keys)."""
        with self._shared:
            self.meeting.on_keystrokes(t, count, self.speaking)

    # -- end ---------------------------------------------------------------------------------
    def finish(self, t_end: float) -> None:
        """Close open answers and segments at the end of the session."""

    def live_state(self, t: float) -> dict[str, object]:
        """What the overlay shows besides nudges: the answer timer and the gaze state."""
        return {"answer_elapsed_s": None, "gaze": None}

    @property
    def speaking(self) -> bool:
        return False

    def report(self) -> dict[str, object]:
        """Clip-level results for `oncue analyze` (fields stay present, null when unknown)."""
        out: dict[str, object] = {"talk_share": None, "eye_contact": None, "meeting": None}
        out.update(self.scene.report())
        out.update(self.meeting.report())
        return out

    def stats(self) -> PipelineStats:
        return PipelineStats(self._frames, self._faces, self._audio_samples / 16_000.0,
                             self._screens)
