"""Eye contact: the gaze state per frame, the look-away nudge, eye-contact share.

The smoothed state (lens / away / closed / noface) goes into every frame record; the event log
gets a `gaze` event when it changes, which is all the summary needs to compute eye contact over
any span exactly. The look-away nudge fires only while the user speaks (the speech step says so).

A camera that may redraw the eyes onto the lens (NVIDIA Broadcast, Windows Studio Effects:
`detectors.gaze_correction`) makes every verdict `unknown`; the session says so at its start (a
`gaze` event with `not_judged`, and a quiet nudge) and in the report (`eye_contact.not_judged`).
"""

from __future__ import annotations

import logging
from typing import Any

from detectors.eye_contact import EyeContact, GazeReading
from detectors.face import Face
from detectors.gaze_calibration import GazeCalibration
from detectors.gaze_correction import eye_contact_corrector
from detectors.look_away import EyeContactShare, LookAwayNudger
from detectors.nudge import Nudge
from overlay.session.recorder import FrameRecord, SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)


class GazeStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 calibration: GazeCalibration | None = None) -> None:
        gaze = settings.section("gaze")
        self.recorder = recorder
        self.calibrated = calibration is not None
        self.eye_contact = EyeContact(calibration)
        self.nudger = LookAwayNudger(sustain_s=gaze["away_sustain_s"],
                                     min_interval_s=gaze["away_repeat_s"],
                                     no_face_s=gaze["noface_sustain_s"])
        self.share = EyeContactShare()
        self.latest: GazeReading | None = None
        self.not_judged: str | None = None  # why eye contact cannot be judged, if so
        self._logged: str | None = None

    def use_camera(self, name: str | None, t: float = 0.0) -> None:
        """The live camera's name: one that may correct eye contact makes every verdict unknown."""
        product = eye_contact_corrector(name)
        if product is None:
            return
        self.not_judged = (f"{product} may correct eye contact on camera {name!r}: the eyes "
                           "in the picture look at the lens whatever you do")
        self.eye_contact.corrected_by = product
        log.warning("eye contact cannot be judged: %s", self.not_judged)
        self.recorder.event(t, "gaze", state="unknown", calibrated=self.calibrated,
                            not_judged=self.not_judged, camera=name)
        self._logged = "unknown"
        self.recorder.nudge(Nudge(t, "gaze_unjudged", "Eye contact not judged"))

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
        if self.not_judged is not None:
            return {"eye_contact": {"speaking": None, "listening": None, "overall": None,
                                    "calibrated": self.calibrated,
                                    "not_judged": self.not_judged}}
        if self.latest is None:
            return {"eye_contact": None}
        share = self.share.share
        lens = share.speaking_lens_s + share.listening_lens_s
        seen = lens + share.speaking_away_s + share.listening_away_s

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {"eye_contact": {"speaking": r(share.speaking), "listening": r(share.listening),
                                "overall": r(lens / seen) if seen > 0 else None,
                                "calibrated": self.calibrated, "not_judged": None}}


def camera_name(settings: Settings) -> str | None:
    """The name of the camera `camera.device` selects, as far as the OS tells it.

    Linux lists names (/sys/class/video4linux, `overlay.capture.camera.camera_names`); elsewhere
    OpenCV gives none, so only a setting that names the camera (e.g. "NVIDIA Broadcast") is known.
    """
    from overlay.capture.camera import camera_names

    choice = str(settings["camera.device"]).strip()
    names = camera_names()
    if choice.isdigit():
        return names.get(int(choice))
    return next((n for n in names.values() if choice.lower() in n.lower()), choice or None)
