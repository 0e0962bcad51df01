"""Eye contact per frame: lens, away, closed or noface, smoothed so one noisy frame never flips it.

`EyeContact.update(face, t)` is fed every analysed frame in time order (live and offline alike).
Per frame it measures the gaze offset (`detectors.gaze`) and turns it, with the eye opening and
the eyeLook blendshapes, into an instant probability of eye contact (`detectors.gaze_model`: a
small logistic regression, validated leave-one-source-out). That probability is smoothed
(exponential, time constant `smoothing_s`) and read in three bands: `lens` at or above
`lens_above`, `away` at or below `away_below`, and `unknown` between them: a wrong cue is worse
than none, so an unsure frame gives no verdict. The state changes only after the new band has
held for `hold_frames` consecutive frames.

Latency: a clean change of gaze shows after about smoothing_s plus hold_frames frames (0.07 s + 2
frames; about 0.2 s at 15 fps), fast enough for the half-second glances people make; the two
hold frames, not the smoothing, are what keep one noisy frame from flipping the state.

A camera that corrects eye contact itself (`corrected_by`: NVIDIA Broadcast, Windows Studio
Effects) shows eyes on the lens whatever the user does: every face frame is then `unknown`.

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
from detectors.gaze import GazeGeometry, GazeSample
from detectors.gaze_calibration import GazeCalibration
from detectors.gaze_model import GazeModel, raw_inputs

log = logging.getLogger(__name__)

STATES = ("lens", "away", "unknown", "closed", "noface")


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
                 model: GazeModel | None = None, closed_threshold: float = 0.5,
                 smoothing_s: float = 0.07, lens_above: float | None = None,
                 away_below: float | None = None,
                 hold_frames: int = 2, noface_after_s: float = 0.3,
                 geometry: GazeGeometry | None = None, reopen_s: float = 0.2,
                 reopened_ratio: float = 0.75, max_blink_s: float = 0.0,
                 corrected_by: str | None = None) -> None:
        # lens_above, away_below: the unsure band of the smoothed probability; by default the
        # model's own (`GazeModel.band`, chosen with the features by scripts/train_gaze.py on
        # held-out sources of the training clips; docs/gaze.md).
        # reopen_s, reopened_ratio: a blink's reopening is its slow phase (about twice the
        # closing, 0.1 to 0.25 s); until the aperture is back to reopened_ratio of the
        # person's open baseline, and for at most reopen_s after the lids were last shut, the
        # eye still counts as closed. max_blink_s: after a closure longer than this the gaze
        # before it is stale and the filter restarts when the eyes open; 0 restarts after
        # every blink, because people blink as they move their eyes (gaze-evoked blinks).
        self.geometry = geometry or GazeGeometry()
        self.model = model or GazeModel.shipped()
        away_below = self.model.band[0] if away_below is None else away_below
        lens_above = self.model.band[1] if lens_above is None else lens_above
        if not 0.0 < away_below <= lens_above < 1.0:
            raise ValueError("need 0 < away_below <= lens_above < 1")
        self.calibration = calibration or GazeCalibration.population()
        self.centre = (self.calibration.lens_deg if self.calibration.measured
                       else self.model.centre_deg)
        self.closed_threshold = closed_threshold
        self.smoothing_s = smoothing_s
        self.lens_above = lens_above
        self.away_below = away_below
        self.hold_frames = hold_frames
        self.noface_after_s = noface_after_s
        self.reopen_s = reopen_s
        self.reopened_ratio = reopened_ratio
        self.max_blink_s = max_blink_s
        self.corrected_by = corrected_by
        self._baseline = OpenEyeBaseline()
        self._shut_t: float | None = None  # last frame with the lids shut
        self._closed_since: float | None = None  # start of the current closure
        self._p: float | None = None  # smoothed eye-contact probability
        self._gaze_state = "unknown"  # lens/away/unknown, held through blinks and dropouts
        self._pending: tuple[str, int] = ("", 0)  # band waiting to take over, frames held
        self._last_t: float | None = None
        self._face_seen_t: float | None = None
        self._last: GazeReading | None = None
        # The last open-eyed frame's raw inputs (`gaze_model.RAW`), else None: what
        # scripts/train_gaze.py fits the model on, exactly as the app computes them.
        self.last_inputs: tuple[float, ...] | None = None

    def instant_probability(self, sample: GazeSample, raw: tuple[float, ...]) -> float:
        """Probability of eye contact from one open-eyed frame's raw inputs."""
        offset = sample.offset_deg
        # Distances from this person's centre (calibrated) or the population's. Stretching a
        # calibrated distance by population over own spread was tried and measured worse
        # (docs/gaze.md, calibration).
        p = self.model.probability(raw, self.centre if self.calibration.measured else None)
        screen = self.calibration.screen_deg
        if screen is not None:
            # The interviewer's video was calibrated: a look nearer to it than to the lens (past
            # the midpoint along the lens-to-screen line) is a look at the interviewer.
            lens = self.centre
            axis = (screen[0] - lens[0], screen[1] - lens[1])
            length2 = axis[0] ** 2 + axis[1] ** 2
            spread = self.calibration.spread_deg
            if length2 > 4.0 * (spread[0] ** 2 + spread[1] ** 2):
                along = ((offset[0] - lens[0]) * axis[0] + (offset[1] - lens[1]) * axis[1])
                if along / length2 > 0.5:
                    p = min(p, 0.2)
        return p

    def update(self, face: Face | None, t: float) -> GazeReading:
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        self.last_inputs = None
        calibrated = self.calibration.measured
        if face is None:
            missing = self._face_seen_t is None or t - self._face_seen_t >= self.noface_after_s
            if missing or self._last is None:
                self._p = None
                self._pending = ("", 0)
                return self._emit(GazeReading(t, "noface", None, None, calibrated))
            return self._emit(GazeReading(t, self._last.state, self._last.eye_contact,
                                          self._last.offset_deg, calibrated, self._last.closed))
        self._face_seen_t = t
        self.last_inputs = None
        sample: GazeSample = self.geometry.measure(face)
        centre = self.centre
        offset = (sample.offset_deg[0] - centre[0], sample.offset_deg[1] - centre[1])
        baseline = self._baseline.add(t, sample.aperture)
        if self.corrected_by is not None:
            # The camera paints the eyes onto the lens: nothing here says where they look.
            return self._emit(GazeReading(t, "unknown", None, offset, calibrated, sample.closed))
        if self._eyes_closed(sample, t, baseline):
            return self._emit(GazeReading(t, "closed", self._p, offset, calibrated, sample.closed))
        long_closure = (self._closed_since is not None
                        and t - self._closed_since > self.max_blink_s)
        self._closed_since = None
        ratio = sample.aperture / baseline if baseline > 1e-6 else 1.0
        self.last_inputs = raw_inputs(sample, face, ratio)
        p_now = self.instant_probability(sample, self.last_inputs)
        if long_closure and self._p is not None:
            # The held probability is from before the eyes shut; start again from now, and
            # let the hold frames decide whether the state changes.
            self._p = p_now
        elif self._p is None:
            self._p = p_now
            self._gaze_state = self._band(p_now)
        else:
            alpha = 1.0 - math.exp(-dt / self.smoothing_s) if self.smoothing_s > 0 else 1.0
            self._p += alpha * (p_now - self._p)
        self._switch()
        return self._emit(GazeReading(t, self._gaze_state, self._p, offset, calibrated,
                                      sample.closed))

    def _band(self, p: float) -> str:
        if p >= self.lens_above:
            return "lens"
        return "away" if p <= self.away_below else "unknown"

    def _eyes_closed(self, sample: GazeSample, t: float, baseline: float) -> bool:
        """Shut lids, or a blink still reopening; tracks when the closure started."""
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
        band = self._band(self._p)
        if band == self._gaze_state:
            self._pending = ("", 0)
            return
        held = self._pending[1] + 1 if self._pending[0] == band else 1
        self._pending = (band, held)
        if held >= self.hold_frames:
            self._gaze_state = band
            self._pending = ("", 0)

    def _emit(self, reading: GazeReading) -> GazeReading:
        self._last = reading
        return reading
