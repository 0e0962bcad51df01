"""Eye contact: the gaze state per frame, the look-away nudge, eye-contact share.

The smoothed state (lens / away / closed / noface) goes into every frame record; the event log
gets a `gaze` event when it changes, which is all the summary needs to compute eye contact over
any span exactly. The look-away nudge fires only while the user speaks (the speech step says so).
"""

from __future__ import annotations

import logging
from typing import Any

from detectors.eye_contact import EyeContact, GazeReading
from detectors.face import Face
from detectors.gaze_calibration import GazeCalibration
from detectors.look_away import EyeContactShare, LookAwayNudger
from overlay.session.recorder import FrameRecord, SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)


class GazeStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 calibration: GazeCalibration | None = None) -> None:
        gaze = settings.section("gaze")
        self.recorder = recorder
        self.calibrated = calibration is not None
        self.eye_contact = EyeContact(calibration, hfov_deg=settings["camera.fov_deg"])
        self.nudger = LookAwayNudger(sustain_s=gaze["away_sustain_s"],
                                     min_interval_s=gaze["away_repeat_s"],
                                     no_face_s=gaze["noface_sustain_s"])
        self.share = EyeContactShare()
        self.latest: GazeReading | None = None
        self._logged: str | None = None

    def on_frame(self, t: float, face: Face | None, record: FrameRecord,
                 speaking: bool) -> None:
        reading = self.eye_contact.update(face, t)
        self.latest = reading
        record.gaze = reading.state
        record.eye_contact = reading.eye_contact
        if reading.offset_deg is not None:
            record.gaze_offset_deg = [round(reading.offset_deg[0], 1),
                                      round(reading.offset_deg[1], 1)]
        if reading.state != self._logged:
            self._logged = reading.state
            self.recorder.event(t, "gaze", state=reading.state, calibrated=self.calibrated)
        self.share.update(reading, speaking)
        nudge = self.nudger.update(reading, speaking, t)
        if nudge is not None:
            self.recorder.nudge(nudge)

    def report(self) -> dict[str, Any]:
        if self.latest is None:
            return {"eye_contact": None}
        share = self.share.share
        lens = share.speaking_lens_s + share.listening_lens_s
        seen = lens + share.speaking_away_s + share.listening_away_s

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {"eye_contact": {"speaking": r(share.speaking), "listening": r(share.listening),
                                "overall": r(lens / seen) if seen > 0 else None,
                                "calibrated": self.calibrated}}
