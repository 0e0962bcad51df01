"""Calibration runs: "look at the lens" for gaze, and the mute button of any meeting app.

`GazeCalibrationRun` owns a camera (or a replay), a worker thread running the face landmarks and
the `CalibrationRecorder`, and reports progress for the window's indicator. The result is stored
per camera (`gaze:<camera setting>`) in calibration.json, where live sessions find it. A session
without one uses the population default, and the summary says so.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from detectors.gaze import GazeGeometry
from detectors.gaze_calibration import CalibrationRecorder, GazeCalibration
from overlay.calibration_store import save_calibration, stored_calibration
from overlay.capture.base import LatestFrame, VideoFrame
from overlay.capture.camera import Camera
from overlay.capture.replay import Recording, ReplayCamera
from overlay.clock import SessionClock
from overlay.face_model import open_face_finder
from overlay.settings import Settings

log = logging.getLogger(__name__)


def gaze_key(settings: Settings) -> str:
    return f"gaze:{settings['camera.device']}"


def stored_gaze_calibration(settings: Settings) -> GazeCalibration | None:
    return stored_calibration(gaze_key(settings), GazeCalibration.from_dict, "gaze calibration")


class GazeCalibrationRun:
    """Records `seconds` of looking at `target` ("lens", then optionally "screen")."""

    def __init__(self, settings: Settings, *, replay: Path | None = None,
                 seconds: float = 3.0, targets: tuple[str, ...] = ("lens",)) -> None:
        self.settings = settings
        self.targets = targets
        self.clock = SessionClock()
        self.frames: LatestFrame[VideoFrame] = LatestFrame()
        self.recorder = CalibrationRecorder(GazeGeometry(), duration_s=seconds)
        self.target = targets[0]
        self.error: str | None = None
        self.calibration: GazeCalibration | None = None
        self._stop = threading.Event()
        self.source: ReplayCamera | Camera
        if replay is not None:
            self.source = ReplayCamera(Recording(replay), self.clock, self.frames,
                                       max_fps=settings["camera.fps"])
        else:
            cam = settings.section("camera")
            self.source = Camera(cam["device"], self.clock, self.frames, width=cam["width"],
                                 height=cam["height"], fps=cam["fps"])
        self.finder = open_face_finder(video=True)
        self._thread = threading.Thread(target=self._run, name="calibration", daemon=True)

    def start(self) -> None:
        self.clock.reset()
        self.source.start()
        self._thread.start()

    def progress(self) -> float:
        """Overall progress 0..1 across the targets."""
        done = self.targets.index(self.target) if self.target in self.targets else 0
        return min(1.0, (done + self.recorder.progress(self.target)) / len(self.targets))

    @property
    def finished(self) -> bool:
        return self.calibration is not None or self.error is not None

    def _run(self) -> None:
        while not self._stop.is_set() and not self.finished:
            frame = self.frames.take(timeout=0.2)
            if frame is None:
                if self.frames.closed:
                    self.error = "the camera stopped before calibration finished"
                continue
            self.recorder.add(self.finder.find(frame.rgb, frame.t), frame.t, self.target)
            if self.recorder.done(self.target):
                later = self.targets[self.targets.index(self.target) + 1:]
                if later:
                    self.target = later[0]
                else:
                    self._conclude()

    def _conclude(self) -> None:
        try:
            self.calibration = self.recorder.result()
        except ValueError as exc:
            self.error = str(exc)
            return
        save_calibration(gaze_key(self.settings), self.calibration.to_dict())
        log.info("gaze calibration saved for camera %s", self.settings["camera.device"])

    def stop(self) -> None:
        self._stop.set()
        self.source.stop()
        self._thread.join(timeout=5)
        self.finder.close()
