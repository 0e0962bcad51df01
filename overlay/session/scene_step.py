"""The room and the camera: lighting and framing per frame, their nudges, their clip verdicts.

Per-frame verdicts go into the frame record; the event log gets a `lighting` or `framing` event
only when the steady verdicts change (held for `STEADY_S`), so the log reads like a person's
account ("backlit from 0:12") and not like a flickering meter.
"""

from __future__ import annotations

import logging
from typing import Any

from detectors.clip_lighting import LightingSummary
from detectors.face import Face
from detectors.framing import FramingCheck, FramingSummary
from detectors.lighting import LightMeter
from detectors.scene_nudges import SceneNudger
from detectors.scene_report import scene_report
from detectors.steady import SteadyValue
from overlay.capture.base import VideoFrame
from overlay.session.recorder import FrameRecord, SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)

STEADY_S = 2.0
SCENE_EVENT_S = 30.0  # how often the clip report so far is logged (and once at the end)


class SceneStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder) -> None:
        scene = settings.section("scene")
        self.recorder = recorder
        self.meter = LightMeter()
        self.framing = FramingCheck()
        self.lighting_summary = LightingSummary()
        self.framing_summary = FramingSummary()
        self.nudger = SceneNudger(sustain_s=scene["sustain_s"], repeat_s=scene["repeat_s"],
                                  quiet_s=settings["answer.gap_s"])
        self._light_state: SteadyValue[tuple[str, ...]] = SteadyValue(STEADY_S)
        self._frame_state: SteadyValue[tuple[str, ...]] = SteadyValue(STEADY_S)
        self.dark_no_face = False  # the latest frame had no face because it was too dark
        # Light and framing change over seconds and their nudges wait `sustain_s` (5 s), so a
        # few looks a second are enough; the camera's other frames (15 fps) only cost CPU.
        self._every_s = 1.0 / scene["rate_hz"] if scene["rate_hz"] > 0 else 0.0
        self._next_t = float("-inf")
        self._held_lighting: list[str] | None = None
        self._logged_at = 0.0

    def on_frame(self, frame: VideoFrame, face: Face | None, record: FrameRecord,
                 speaking: bool = False) -> None:
        # `speaking`: the user speaks now; light and framing nudges wait for the pause.
        t = frame.t
        if t < self._next_t:
            record.lighting = self._held_lighting
            return
        # On the grid of the first frame, so a late frame does not push every later look back.
        self._next_t = t + self._every_s if t - self._next_t > self._every_s \
            else self._next_t + self._every_s
        light = self.meter.measure(frame.rgb, face)
        framing = self.framing.measure(face, (frame.rgb.shape[1], frame.rgb.shape[0]))
        self.lighting_summary.add(light)
        self.framing_summary.add(framing)
        self.dark_no_face = light.dark_no_face
        record.lighting = self._held_lighting = list(light.verdicts) if light.judged else None
        # Frames that judge nothing (no face) are steady state () too: a span of "backlit" in
        # the log ends when the face is gone, rather than running on through unseen time.
        steady = self._light_state.update(light.verdicts if light.judged else (), t)
        if steady is not None:
            self.recorder.event(t, "lighting", verdicts=list(steady),
                                dark_no_face=light.dark_no_face)
        steady = self._frame_state.update(framing.verdicts if framing.judged else (), t)
        if steady is not None:
            self.recorder.event(t, "framing", verdicts=list(steady),
                                fixes=list(framing.fixes) if framing.judged else [])
        if t - self._logged_at >= SCENE_EVENT_S:
            # The clip report so far, now and then: a crash keeps a recent one for the summary.
            self._logged_at = t
            self.recorder.event(t, "scene", **self.report())
        for reading in (light, framing):
            nudge = self.nudger.update(reading, t, speaking)
            if nudge is not None:
                self.recorder.nudge(nudge)

    def report(self) -> dict[str, Any]:
        """The clip's light and framing (detectors/scene_report.py: one computation for the
        JSON, the check and the logged `scene` event the summary reads)."""
        return scene_report(self.lighting_summary.result(), self.framing_summary.result())

    def finish(self, t_end: float) -> None:
        """Log the final clip report, for the summary."""
        self.recorder.event(t_end, "scene", **self.report())
