"""Eye contact per frame: lens, away, closed or noface, smoothed so one noisy frame never flips it.

`EyeContact.update(face, t)` is fed every analysed frame in time order (live and offline alike).
Per frame it measures the gaze offset (`detectors.gaze`), removes the calibrated centre, and
scores how far inside the lens cone the gaze lies (cone = `cone_sigmas` standard deviations of
the calibration's spread; an instant probability of 0.5 on the cone's edge). That probability is
smoothed (exponential, time constant `smoothing_s`) and the state switches with hysteresis: to
`lens` above `enter_lens`, to `away` below `enter_away`, and only after the new side has held for
`hold_frames` consecutive frames.

Latency: a clean change of gaze shows after about smoothing_s plus hold_frames frames (0.07 s + 2
frames; about 0.2 s at 15 fps), fast enough for the half-second glances people make; the two
hold frames, not the smoothing, are what keep one noisy frame from flipping the state.

Blinks: a frame with the lids shut reports `closed` at once (a blink lasts only 2 to 4 frames),
and so do the frames of its reopening (the slow phase, up to `reopen_s`) until the eye is back to
`reopened_ratio` of this person's own open aperture (`OpenEyeBaseline`). Closed frames neither feed
nor disturb the lens/away filter; when the eyes open, the filter restarts from the first open
frame (people blink as they move their eyes), while the state still needs hold_frames frames to
change. A missing face reports `noface` after `noface_after_s`; shorter dropouts hold the
previous state.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections import deque
from dataclasses import dataclass

from detectors.face import Face
from detectors.gaze import DEFAULT_HFOV_DEG, GazeGeometry, GazeSample
from detectors.gaze_calibration import (
    WITHIN_PERSON_SPREAD_DEG,
    GazeCalibration,
)

log = logging.getLogger(__name__)

STATES = ("lens", "away", "closed", "noface")


@dataclass(frozen=True)
class GazeReading:
    t: float
    state: str  # one of STATES
    eye_contact: float | None  # smoothed probability of looking into the lens; None when noface
    offset_deg: tuple[float, float] | None  # calibrated gaze offset from the lens (h, v)
    calibrated: bool  # False when the population default stands in for a calibration
    closed: float | None = None  # 0 open .. 1 shut, None when noface


class OpenEyeBaseline:
    """This person's usual open-eye aperture: a running high percentile over the last `window_s`.

    Eye openings differ between faces (0.25 to 0.45 of the width on the labelled clips) and with
    the camera's angle, so "has the eye reopened after a blink" is judged against the person's
    own recent open eye, not a fixed ratio. Blinks fill well under 10% of the time, so the 90th
    percentile ignores them; squints and smiles pull it down only when they last.
    """

    def __init__(self, window_s: float = 10.0, percentile: float = 90.0) -> None:
        self.window_s = window_s
        self.percentile = percentile
        self._samples: deque[tuple[float, float]] = deque()
        self._sorted: list[float] = []  # the window's apertures, kept sorted (bisect, in C)

    def add(self, t: float, aperture: float) -> float:
        """Record one frame's aperture; returns the baseline including it.

        The same value as np.percentile (linear interpolation) over the window, without building
        an array every frame: this runs 15 times a second for the whole interview.
        """
        self._samples.append((t, aperture))
        bisect.insort(self._sorted, aperture)
        while self._samples and self._samples[0][0] < t - self.window_s:
            _, old = self._samples.popleft()
            del self._sorted[bisect.bisect_left(self._sorted, old)]
        values = self._sorted
        pos = self.percentile / 100.0 * (len(values) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(values) - 1)
        return values[lo] + (values[hi] - values[lo]) * (pos - lo)


class EyeContact:
    def __init__(self, calibration: GazeCalibration | None = None,
                 hfov_deg: float = DEFAULT_HFOV_DEG, cone_sigmas: float = 2.5,
                 closed_threshold: float = 0.5, smoothing_s: float = 0.07,
                 enter_lens: float = 0.55, enter_away: float = 0.45, hold_frames: int = 2,
                 noface_after_s: float = 0.3, geometry: GazeGeometry | None = None,
                 reopen_s: float = 0.2, reopened_ratio: float = 0.75,
                 max_blink_s: float = 0.0) -> None:
        # reopen_s, reopened_ratio: a blink's reopening is its slow phase (about twice the
        # closing, 0.1 to 0.25 s); until the aperture is back to reopened_ratio of the
        # person's open baseline, and for at most reopen_s after the lids were last shut, the
        # eye still counts as closed. max_blink_s: after a closure longer than this the gaze
        # before it is stale and the lens/away filter restarts when the eyes open; 0 restarts
        # after every blink, because people blink as they move their eyes (gaze-evoked blinks).
        if not 0.0 < enter_away < enter_lens < 1.0:
            raise ValueError("need 0 < enter_away < enter_lens < 1 for hysteresis")
        self.geometry = geometry or GazeGeometry(hfov_deg=hfov_deg)
        self.calibration = calibration or GazeCalibration.population()
        self.closed_threshold = closed_threshold
        self.smoothing_s = smoothing_s
        self.enter_lens = enter_lens
        self.enter_away = enter_away
        self.hold_frames = hold_frames
        self.noface_after_s = noface_after_s
        self.reopen_s = reopen_s
        self.reopened_ratio = reopened_ratio
        self.max_blink_s = max_blink_s
        self._baseline = OpenEyeBaseline()
        self._shut_t: float | None = None  # last frame with the lids shut
        self._closed_since: float | None = None  # start of the current closure
        self.cone_deg = self._cone(self.calibration, cone_sigmas)
        self._p: float | None = None  # smoothed eye-contact probability
        self._gaze_state = "lens"  # lens/away, held through blinks and short dropouts
        self._pending = 0  # consecutive frames on the other side of the hysteresis band
        self._last_t: float | None = None
        self._face_seen_t: float | None = None
        self._last: GazeReading | None = None

    @staticmethod
    def _cone(cal: GazeCalibration, sigmas: float) -> tuple[float, float]:
        """Half-widths (h, v) in degrees of the lens cone for this calibration."""
        spread = cal.spread_deg
        if cal.measured:
            # A 3 s recording underestimates how much a reading wanders over an interview.
            spread = (max(spread[0], WITHIN_PERSON_SPREAD_DEG[0]),
                      max(spread[1], WITHIN_PERSON_SPREAD_DEG[1]))
        cone = [sigmas * spread[0], sigmas * spread[1]]
        if cal.screen_deg is not None:
            # Keep the interviewer's video outside the cone: at most halfway to it on each axis
            # where it lies clearly apart from the lens.
            for i in (0, 1):
                gap = abs(cal.screen_deg[i] - cal.lens_deg[i])
                if gap > 2.0 * spread[i]:
                    cone[i] = min(cone[i], gap / 2.0)
        return cone[0], cone[1]

    def instant_probability(self, offset: tuple[float, float]) -> float:
        """Probability of eye contact from one frame's calibrated offset: 0.5 on the cone edge."""
        d = math.hypot(offset[0] / self.cone_deg[0], offset[1] / self.cone_deg[1])
        return 1.0 / (1.0 + math.exp(6.0 * (d - 1.0)))

    def update(self, face: Face | None, t: float) -> GazeReading:
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        calibrated = self.calibration.measured
        if face is None:
            missing = self._face_seen_t is None or t - self._face_seen_t >= self.noface_after_s
            if missing or self._last is None:
                self._p = None
                self._pending = 0
                return self._emit(GazeReading(t, "noface", None, None, calibrated))
            return self._emit(GazeReading(t, self._last.state, self._last.eye_contact,
                                          self._last.offset_deg, calibrated, self._last.closed))
        self._face_seen_t = t
        sample: GazeSample = self.geometry.measure(face)
        lens = self.calibration.lens_deg
        offset = (sample.offset_deg[0] - lens[0], sample.offset_deg[1] - lens[1])
        if self._eyes_closed(sample, t):
            return self._emit(GazeReading(t, "closed", self._p, offset, calibrated, sample.closed))
        long_closure = (self._closed_since is not None
                        and t - self._closed_since > self.max_blink_s)
        self._closed_since = None
        p_now = self.instant_probability(offset)
        if long_closure and self._p is not None:
            # The held probability is from before the eyes shut; start again from now, and
            # let the hysteresis and hold frames decide whether the state changes.
            self._p = p_now
        elif self._p is None:
            self._p = p_now
            self._gaze_state = "lens" if p_now >= 0.5 else "away"
        else:
            alpha = 1.0 - math.exp(-dt / self.smoothing_s) if self.smoothing_s > 0 else 1.0
            self._p += alpha * (p_now - self._p)
        self._switch()
        return self._emit(GazeReading(t, self._gaze_state, self._p, offset, calibrated,
                                      sample.closed))

    def _eyes_closed(self, sample: GazeSample, t: float) -> bool:
        """Shut lids, or a blink still reopening; tracks when the closure started."""
        baseline = self._baseline.add(t, sample.aperture)
        shut = sample.closed >= self.closed_threshold
        reopening = (self._shut_t is not None and t - self._shut_t <= self.reopen_s
                     and sample.aperture < self.reopened_ratio * baseline)
        if shut:
            self._shut_t = t
        if shut or reopening:
            if self._closed_since is None:
                self._closed_since = t
            return True
        return False

    def _switch(self) -> None:
        assert self._p is not None
        crossing = ((self._gaze_state == "away" and self._p > self.enter_lens)
                    or (self._gaze_state == "lens" and self._p < self.enter_away))
        self._pending = self._pending + 1 if crossing else 0
        if self._pending >= self.hold_frames:
            self._gaze_state = "lens" if self._gaze_state == "away" else "away"
            self._pending = 0

    def _emit(self, reading: GazeReading) -> GazeReading:
        self._last = reading
        return reading
