"""Which camera frames are worth a MediaPipe run: the analysis rate follows what the cues need.

The camera delivers 15 frames a second, but gaze, light and framing change over seconds while
the face is steady and the gaze state is clear, and MediaPipe is nearly all of OnCue's cost. So
a camera frame is analysed when one of these holds, and otherwise passed over:

- a change is under way: within `linger_s` of an analysed frame whose results moved (the gaze
  state changed, a blink began or ended, a face appeared or vanished, the eye-contact
  probability is not clearly on the side of the state shown, the head turned by `move_frac` of
  the eye span). Then every camera frame is analysed, so the eye-contact filter's hold frames
  come at the camera's pace;
- it is due: the gap to the last analysed frame would otherwise pass `steady_s` (light and
  framing, and drifts too slow to move one frame's results), `away_s` while the gaze is away
  (the look-away nudge fires on an analysed frame, so its timing is as fine as that step),
  `speaking_s` while the user speaks (the look-away nudge can fire only then: a glance away that
  starts between two frames a second apart is seen up to that second late, and at this step
  the look-aways of the labelled clips show as early as at the camera's full rate), or
  `mouth_s` while a voice is heard that the mouth has not been seen making (whose voice is it?);
- calibration is running (every frame counts toward it).

Pure: timestamps and the last results in, a yes or no out. The pipeline asks for every camera
frame, live and in `oncue analyze` alike (on the recording's clock), so the offline figures are
the live app's. What each setting costs and does to eye contact and the look-away nudge was
measured on the labelled clips (scripts/bench_rate.py, docs/PERFORMANCE.md "Third session").
A pixel-difference trigger around the eyes, a gaze-jump trigger and a lids-closing trigger were
measured too and left out: each cost 5-25% more frames for no gain in accuracy.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from detectors.face import (
    LEFT_EYE_INNER,
    LEFT_EYE_OUTER,
    RIGHT_EYE_INNER,
    RIGHT_EYE_OUTER,
    Face,
)

log = logging.getLogger(__name__)

_EYE_CORNERS = (RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_INNER, LEFT_EYE_OUTER)
NOSE_BRIDGE = 168  # between the eyes: moves with the head, not with the gaze


@dataclass(frozen=True)
class Looked:
    """What the last analysed frame showed, as far as the rate is concerned."""

    t: float
    face: Face | None
    state: str | None  # the smoothed gaze state (lens / away / closed / noface)
    eye_contact: float | None  # smoothed probability of looking into the lens
    calibrating: bool = False


@dataclass(frozen=True)
class RateSettings:
    steady_s: float = 1.0  # longest gap between analysed frames
    away_s: float = 0.33  # the same while the gaze is away: the look-away nudge's count runs
    speaking_s: float = 0.5  # the same while the user speaks: when a look-away is nudged
    mouth_s: float = 0.13  # the same while a voice is heard that the mouth has not claimed
    linger_s: float = 0.5  # every frame this long after the last sign of change
    undecided: tuple[float, float] = (0.25, 0.75)  # eye-contact probability band
    move_frac: float = 0.35  # a head shift of this fraction of the eye span: a turn
    on_state: bool = True  # a change of the gaze state or of the face's presence

    @classmethod
    def every_frame(cls) -> RateSettings:
        """The old behaviour: every camera frame analysed."""
        return cls(steady_s=0.0)


class AnalysisRate:
    """Call `wants(t)` for every camera frame, `analysed(look)` after each analysis."""

    def __init__(self, settings: RateSettings | None = None) -> None:
        self.settings = settings or RateSettings()
        self._last: Looked | None = None
        self._busy_until = -math.inf
        self._offered_t: float | None = None
        self._frame_gap = 1.0 / 15.0
        self.offered = 0
        self.chosen = 0
        self.reasons: dict[str, int] = {}  # why frames were analysed
        self.changes: dict[str, int] = {}  # which sign of change sped the rate up

    def wants(self, t: float, mouth_wanted: bool = False, speaking: bool = False) -> bool:
        """Should the camera frame at `t` be analysed? `mouth_wanted`: a voice is heard and
        the mouth has not been seen moving lately (is it the user's?); `speaking`: the user is
        speaking (a look-away now is nudged). Counted, with reasons."""
        if self._offered_t is not None and 0.0 < t - self._offered_t < 1.0:
            # The camera's frame interval, smoothed (a webcam's timing jitters).
            self._frame_gap += 0.2 * (t - self._offered_t - self._frame_gap)
        self._offered_t = t
        reason = self._reason(t, mouth_wanted, speaking)
        self.offered += 1
        if reason is not None:
            self.chosen += 1
            self.reasons[reason] = self.reasons.get(reason, 0) + 1
        return reason is not None

    def _reason(self, t: float, mouth_wanted: bool, speaking: bool) -> str | None:
        s, last = self.settings, self._last
        if last is None or s.steady_s <= 0.0:
            return "every"
        if last.calibrating:
            return "calibrating"
        if t < last.t:  # a replay restarted or the clock went back: start over
            return "clock"
        if t <= self._busy_until:
            return "changing"
        # Due on this frame if waiting for the next one would pass `steady_s`: the gap between
        # analysed frames stays below it, jitter included (the eye-contact share and the look-away
        # count treat longer gaps as unseen time).
        steady = min(s.steady_s, s.away_s) if last.state == "away" else s.steady_s
        gap = t - last.t + 1.25 * self._frame_gap
        if gap > steady:
            return "due"
        if speaking and gap > s.speaking_s:
            return "speaking"
        if mouth_wanted and gap > s.mouth_s:
            return "mouth"
        return None

    def analysed(self, look: Looked) -> None:
        """Note an analysed frame's results; they decide how soon the next one is."""
        why = self._changing(self._last, look)
        if why is not None:
            self._busy_until = look.t + self.settings.linger_s
            self.changes[why] = self.changes.get(why, 0) + 1
        self._last = look

    def _changing(self, before: Looked | None, now: Looked) -> str | None:
        """Which sign of change the last results show, or None when all is steady."""
        s = self.settings
        if before is None:
            return "start"
        if s.on_state and (before.face is None) != (now.face is None):
            return "face"
        if s.on_state and before.state != now.state:
            return "state"
        if s.on_state and now.state == "closed":
            return "blink"  # until the eyes open: the gaze after a blink is news
        p = now.eye_contact
        if p is not None and (
                (now.state == "lens" and p < s.undecided[1])
                or (now.state == "away" and p > s.undecided[0])
                or (now.state not in ("lens", "away") and s.undecided[0] < p < s.undecided[1])):
            # Not clearly on the side of the state shown: a change may be on its way, and the
            # eye-contact filter switches only after its hold frames.
            return "undecided"
        if before.face is not None and now.face is not None:
            a, b = before.face.pixels(NOSE_BRIDGE), now.face.pixels(NOSE_BRIDGE)
            span = max(_eye_span(now.face), 1.0)
            if float(np.hypot(*(b - a))) >= s.move_frac * span:
                return "head turned"
        return None

    @property
    def share(self) -> float:
        """Fraction of offered frames analysed so far."""
        return self.chosen / self.offered if self.offered else 0.0


def _eye_span(face: Face) -> float:
    pts = face.pixels([RIGHT_EYE_OUTER, LEFT_EYE_OUTER])
    return float(np.linalg.norm(pts[1] - pts[0]))
