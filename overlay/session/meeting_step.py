"""The meeting app: its mute state from the screen, and the three microphone mistakes.

Screenshots come a few times a second from the screen watcher. With a learned mute button
(calibrated for any app) that region is read; otherwise the mute button of Zoom, Teams, Meet or
Webex is found without configuration (detectors/meeting_apps.py), in the meeting window's
toolbar strip (most shots) or in the whole window (one every few seconds: Zoom's audio-options
dialog opens over the middle of the window). Each kind of
shot has its own reader, so each keeps its own idea of where the button was. Where one view
shows a definite state and the other, seconds apart, does not (the dialog covers the meeting but
not the toolbar), the definite one stands, so the state does not flicker between the two.

Before any of that, the meeting app's own accessibility tree (`overlay/capture/a11y`, read on
its own thread) is asked: a recent definite reading from it decides, and `source` says so.

The state enters the event log when it changes and feeds the "You're muted" rule; the speech
step reports speech onsets and microphone levels, the keyboard counter keystrokes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from typing import Any, Protocol

from detectors.meeting import MeetingReading
from detectors.meeting_apps import MeetingMuteReader
from detectors.mute_button import MuteButton
from detectors.mute_nudges import AudibleTyping, DeadMic, MutedTalk
from detectors.nudge import Nudge
from overlay.capture.base import ScreenShot
from overlay.session.recorder import SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)

DEFINITE = ("muted", "unmuted", "no_audio")
WINDOW_READING_HOLD_S = 12.0  # a little over two whole-window grabs (screen.WHOLE_EVERY_S)
STRIP_READING_HOLD_S = 1.5  # the strip is grabbed twice a second
_Seen = tuple[float, MeetingReading, tuple[int, int, int, int]]  # when, what, where grabbed


class AppReadings(Protocol):
    def current(self, t: float) -> MeetingReading | None: ...


class MeetingStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 button: MuteButton | None = None) -> None:
        mute = settings.section("mute")
        self.recorder = recorder
        self.button = button
        self.a11y: AppReadings | None = None  # the app's own controls, asked before the pixels
        self.reader = MeetingMuteReader()  # whole monitors and whole windows
        self.strip_reader = MeetingMuteReader()  # the toolbar strip
        self._window_reading: _Seen | None = None
        self._strip_reading: _Seen | None = None
        self.muted_talk = MutedTalk() if mute["warn_muted"] else None
        self.dead_mic = DeadMic(window=mute["dead_mic_s"])
        self.typing = AudibleTyping() if mute["warn_typing"] else None
        self.latest: MeetingReading | None = None
        self._logged_state: str | None = None

    @property
    def state(self) -> str:
        return self.latest.state if self.latest is not None else "unknown"

    def on_screen(self, shot: ScreenShot) -> None:
        from_app = self.a11y.current(shot.t) if self.a11y is not None else None
        if from_app is not None:
            self._record(shot.t, from_app)
            return
        reading, region = self._read(shot), shot.region
        # The strip and the whole window are two views of one screen, seconds apart: where one
        # is definite and the other is not, the definite one stands (see the module docstring).
        other = None
        if shot.scope == "window":
            self._window_reading = (shot.t, reading, shot.region)
            other, hold = self._strip_reading, STRIP_READING_HOLD_S
        elif shot.scope == "toolbar":
            self._strip_reading = (shot.t, reading, shot.region)
            other, hold = self._window_reading, WINDOW_READING_HOLD_S
        if (other is not None and reading.state not in DEFINITE
                and other[1].state in DEFINITE and shot.t - other[0] <= hold):
            _, reading, region = other
        if reading.box is not None:
            # Boxes are in the grab's pixels; the log and the overlay want desktop coordinates.
            x, y, w, h = reading.box
            reading = replace(reading, box=(x + region[0], y + region[1], w, h))
        self._record(shot.t, reading)

    def _record(self, t: float, reading: MeetingReading) -> None:
        self.latest = reading
        if reading.state != self._logged_state:
            self._logged_state = reading.state
            self.recorder.event(t, "meeting", state=reading.state, app=reading.app,
                                via=reading.source)
        if self.muted_talk is not None:
            self._raise(self.muted_talk.meeting(t, reading.state))

    def _read(self, shot: ScreenShot) -> MeetingReading:
        if self.button is not None:
            return self.button.read(shot.rgb)
        reader = self.strip_reader if shot.scope == "toolbar" else self.reader
        return reader.read(shot.rgb, t=shot.t)

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
