"""The look-at-the-lens nudge, the rarer face-not-visible nudge, and the eye-contact share.

The advice is to look into the lens about 70 to 80% of the time while delivering key points, and at
the interviewer's face the rest; so a glance away is normal and the nudge must not nag. It fires
only while the user speaks, only once the gaze has been away for `sustain_s` without a break, and
at most once per `min_interval_s`. A blink (`closed`) never starts or triggers an away count:
after a look at the lens it counts for nothing, and the nudge only fires on an `away` frame. But a
blink in the middle of a look-away does not reset it either, and its time counts as part of the
look-away (the user never looked back; people who look away to think blink and squint a lot).
Eyes "closed" for longer than a blink (`blink_max_s`, blinks last 0.1 to 0.4 s) are not a blink:
lids lowered over a downcast gaze, a squint while thinking. Such a closure starts a look-away,
counted from its beginning, though the nudge still waits for an `away` frame.
An `unknown` frame inside a look-away (the gaze between the lens and clearly away, or a frame the
detector is unsure of) counts the same way: the user has not looked back, and only a `lens`
frame ends a look-away.
"While the user speaks" means inside an answer: a pause shorter than `pause_s` (people pause to
think, and that is when they look away) does not reset the count, though the nudge itself waits
for the voice (a pause under a second, inside a turn, does not hold it back); longer silence is
listening, and the next answer starts a fresh count.
A missing face never counts as away; it has its own nudge after `no_face_s` of speaking with no
face (the camera slipped, the user leaned out), rate-limited separately.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from detectors.eye_contact import GazeReading
from detectors.nudge import Nudge

log = logging.getLogger(__name__)

LOOK_TEXT = "Look at the lens"
NO_FACE_TEXT = "Face not visible"


class LookAwayNudger:
    def __init__(self, sustain_s: float = 3.0, min_interval_s: float = 20.0,
                 no_face_s: float = 10.0, no_face_interval_s: float = 60.0,
                 max_gap_s: float = 1.5, blink_max_s: float = 0.5,
                 pause_s: float = 2.5, glance_s: float = 0.5, back_s: float = 1.0) -> None:
        # max_gap_s: a longer gap between readings (a stalled camera, a paused replay) breaks
        # the away streak rather than counting unseen time as away. Above the analysis rate's
        # longest step (1 s between frames while the gaze is steady).
        self.sustain_s = sustain_s
        self.min_interval_s = min_interval_s  # between nudges within one long look-away
        self.no_face_s = no_face_s
        self.no_face_interval_s = no_face_interval_s
        self.max_gap_s = max_gap_s
        self.blink_max_s = blink_max_s
        self.pause_s = pause_s
        # The nudge itself waits for speech (or a pause short enough to be inside a turn, as the
        # speech turns bridge them): looking away once the answer is over is listening.
        self.turn_pause_s = 1.0
        # A look at the lens shorter than glance_s does not end a look-away (a flick of the
        # eyes, or one frame the detector got wrong); one of back_s or more makes the next
        # look-away a new one, nudged on its own rather than waiting min_interval_s.
        self.glance_s = glance_s
        self.back_s = back_s
        self._last_speech: float | None = None
        self._away_s = 0.0
        self._closed_s = 0.0  # current closure after a look at the lens (not yet a look-away)
        self._lens_s = 0.0  # current look at the lens
        self._no_face_s = 0.0
        self._last_t: float | None = None
        self._last_look: float | None = None
        self._back_since_look = False  # looked back at the lens since the last nudge
        self._last_no_face: float | None = None

    def update(self, reading: GazeReading, speaking: bool, t: float) -> Nudge | None:
        dt = 0.0 if self._last_t is None else t - self._last_t
        self._last_t = t
        if dt < 0.0 or dt > self.max_gap_s:
            self._away_s = self._no_face_s = self._closed_s = self._lens_s = 0.0
            dt = 0.0
        state = reading.state
        if speaking:
            self._last_speech = t
        if self._last_speech is None or t - self._last_speech > self.pause_s:
            # Looking away while listening is fine, and a new answer starts a fresh count.
            self._away_s = self._no_face_s = self._closed_s = self._lens_s = 0.0
            return None
        if state == "lens":
            self._lens_s += dt
            self._closed_s = 0.0
            if self._lens_s >= self.glance_s:
                self._away_s = 0.0
            if self._lens_s >= self.back_s:
                self._back_since_look = True
        elif state == "away" or (state in ("closed", "unknown") and self._away_s > 0.0):
            self._away_s += dt + (self._lens_s if self._away_s > 0.0 else 0.0)
            self._closed_s = self._lens_s = 0.0
        elif state == "closed":
            self._closed_s += dt
            if self._closed_s > self.blink_max_s:
                self._away_s, self._closed_s = self._closed_s, 0.0
        if state != "lens" and state != "noface":
            self._lens_s = 0.0
        # noface: neither away nor lens; hold the count.
        if state == "noface":
            self._no_face_s += dt
        else:
            self._no_face_s = 0.0

        in_turn = t - self._last_speech <= self.turn_pause_s
        if (state == "away" and self._away_s >= self.sustain_s and in_turn
                and (self._back_since_look
                     or self._ready(self._last_look, self.min_interval_s, t))):
            self._last_look = t
            self._away_s = 0.0
            self._back_since_look = False
            log.debug("look-at-lens nudge at %.2f", t)
            return Nudge(t, "look_at_lens", LOOK_TEXT)
        if (self._no_face_s >= self.no_face_s
                and self._ready(self._last_no_face, self.no_face_interval_s, t)):
            self._last_no_face = t
            self._no_face_s = 0.0
            return Nudge(t, "no_face", NO_FACE_TEXT)
        return None

    @staticmethod
    def _ready(last: float | None, interval: float, t: float) -> bool:
        return last is None or t - last >= interval


@dataclass(frozen=True)
class ContactShare:
    """Share of lens time among lens+away time, while speaking and while listening."""

    speaking_lens_s: float = 0.0
    speaking_away_s: float = 0.0
    listening_lens_s: float = 0.0
    listening_away_s: float = 0.0

    @property
    def speaking(self) -> float | None:
        total = self.speaking_lens_s + self.speaking_away_s
        return self.speaking_lens_s / total if total > 0 else None

    @property
    def listening(self) -> float | None:
        total = self.listening_lens_s + self.listening_away_s
        return self.listening_lens_s / total if total > 0 else None


class EyeContactShare:
    """Tracks `ContactShare` from readings in time order; blinks and no-face excluded."""

    def __init__(self, max_gap_s: float = 1.0) -> None:
        self.max_gap_s = max_gap_s
        self._share = ContactShare()
        self._prev: tuple[float, str, bool] | None = None

    def update(self, reading: GazeReading, speaking: bool) -> ContactShare:
        # Each interval is credited to the state that held at its start.
        if self._prev is not None:
            t0, state, was_speaking = self._prev
            dt = reading.t - t0
            if 0.0 < dt <= self.max_gap_s and state in ("lens", "away"):
                key = f"{'speaking' if was_speaking else 'listening'}_{state}_s"
                s = self._share
                self._share = ContactShare(**{**vars(s), key: getattr(s, key) + dt})
        self._prev = (reading.t, reading.state, speaking)
        return self._share

    @property
    def share(self) -> ContactShare:
        return self._share
