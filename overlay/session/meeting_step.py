"""The meeting app: its mute state from the screen, and the three microphone mistakes.

Screenshots come a few times a second from the screen watcher. With a learned mute button
(calibrated for any app) that region is read; otherwise Zoom's toolbar is found without
configuration. The state enters the event log when it changes and feeds the "You're muted" rule;
the speech step reports speech onsets and microphone levels, the keyboard counter keystrokes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from detectors.meeting import MeetingReading, ZoomMuteReader
from detectors.mute_button import MuteButton
from detectors.mute_nudges import AudibleTyping, DeadMic, MutedTalk
from detectors.nudge import Nudge
from overlay.capture.base import ScreenShot
from overlay.session.recorder import SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)


class MeetingStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 button: MuteButton | None = None) -> None:
        mute = settings.section("mute")
        self.recorder = recorder
        self.button = button
        self.reader = ZoomMuteReader()
        self.muted_talk = MutedTalk() if mute["warn_muted"] else None
        self.dead_mic = DeadMic(window=mute["dead_mic_s"])
        self.typing = AudibleTyping() if mute["warn_typing"] else None
        self.latest: MeetingReading | None = None
        self._logged_state: str | None = None

    @property
    def state(self) -> str:
        return self.latest.state if self.latest is not None else "unknown"

    def on_screen(self, shot: ScreenShot) -> None:
        if self.button is not None:
            reading = self.button.read(shot.rgb)
        else:
            reading = self.reader.read(shot.rgb, t=shot.t)
        if reading.box is not None:
            # Boxes are in the grab's pixels; the log and the overlay want desktop coordinates.
            x, y, w, h = reading.box
            reading = MeetingReading(reading.state, reading.app,
                                     (x + shot.region[0], y + shot.region[1], w, h))
        self.latest = reading
        if reading.state != self._logged_state:
            self._logged_state = reading.state
            self.recorder.event(shot.t, "meeting", state=reading.state, app=reading.app)
        if self.muted_talk is not None:
            self._raise(self.muted_talk.meeting(shot.t, reading.state))

    def on_speaking(self, t: float, speaking: bool) -> None:
        if self.muted_talk is not None:
            self._raise(self.muted_talk.speech(t, speaking))

    def on_level(self, t: float, rms: float, mouth_moving: bool | None) -> None:
        self._raise(self.dead_mic.audio(t, rms, mouth_moving))

    def on_keystrokes(self, t: float, count: int, speaking: bool) -> None:
        if self.typing is not None and count:
            self._raise(self.typing.keys(t, count, self.state, speaking))

    def _raise(self, nudge: Nudge | None) -> None:
        if nudge is not None:
            self.recorder.nudge(nudge)

    def report(self) -> dict[str, Any]:
        if self.latest is None:
            return {"meeting": None}
        out = asdict(self.latest)
        out["box"] = list(out["box"]) if out["box"] is not None else None
        return {"meeting": out}
