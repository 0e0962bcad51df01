"""Filled pauses ("uh", "um") from the sound alone, after Goto, Itou and Hayamizu (1999).

A filled pause is a vowel (or the nasal of "um") held while the speaker thinks: voiced, with an
almost flat pitch and a spectral envelope that does not move, for a few hundred milliseconds.
Running speech changes its spectrum every 50-100 ms (consonants, vowel transitions) and its pitch
along the phrase, so a stretch that stays put for `min_s` (0.25 s) is almost always a filler or a
drawn-out word ("so...", "and..."), which a listener hears as hesitation too.

No recogniser, no labels: the only checks are synthetic (a held vowel spliced into real speech
is found, a gliding one is not) and the false-alarm rate on fluent read speech
(scripts/eval_speech.py).
Frames come from `detectors.pace.FrameTrack` (10 ms hops), shared with the pace meter.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from detectors.pace import Frames

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filler:
    t: float  # session seconds at its start
    duration_s: float


class FillerDetector:
    """Streams frames in, returns each filled pause once it has ended."""

    def __init__(self, *, min_s: float = 0.25, max_s: float = 2.0, voiced: float = 0.6,
                 max_semitones: float = 1.0, max_drift_semitones: float = 3.0,
                 pitch_smooth_s: float = 0.05, max_spectral_db: float = 3.0,
                 below_peak_db: float = 25.0, max_misses: int = 2, max_phases: int = 2,
                 min_phase_s: float = 0.1) -> None:
        # Pitch: a filler's pitch is level or drifts slowly down (an "um" falls 1-3 semitones
        # over half a second), so each frame is compared with the last `pitch_smooth_s` of the
        # run (within `max_semitones`) and the whole run may drift `max_drift_semitones` from
        # its start; a word's intonation glides faster and further.
        self.min_s = min_s
        self.max_s = max_s
        self.voiced = voiced
        self.max_semitones = max_semitones
        self.max_drift_semitones = max_drift_semitones
        self._pitch_alpha = 1.0 - math.exp(-0.01 / pitch_smooth_s)
        self.max_spectral_db = max_spectral_db
        self.below_peak_db = below_peak_db
        self.max_misses = max_misses  # odd frames (a pitch-tracker slip) a run may absorb
        # "Um" is two steady sounds on one unbroken pitch: the vowel, then the lips close on the
        # nasal and the spectrum changes at once. A run may change its envelope this often, each
        # sound held at least `min_phase_s`, so a short "um" (0.4 s: 0.15 s vowel, 0.25 s "m")
        # is one filler instead of two pieces too short to count.
        self.max_phases = max_phases
        self.min_phase_s = min_phase_s
        self._phases = 1
        self._phase_start = 0.0
        self._last_bands: np.ndarray | None = None  # the run's previous steady frame
        self._last_db = 0.0
        self._misses = 0
        # Slow tracker of the loud end of voiced frames. It starts low and rises to the first
        # voiced frame: an assumed level (it was -20 dBFS) put a quiet speaker's every vowel
        # "below the peak" until it had decayed for tens of seconds.
        self._ref_db = -90.0
        self._start: float | None = None
        self._end = 0.0
        self._log_f0 = 0.0  # log2 f0 over the last pitch_smooth_s of the run
        self._first_f0 = 0.0  # log2 f0 where the run began
        self._env: np.ndarray | None = None  # running mean spectral envelope of the run
        self._n = 0

    def feed_frames(self, fr: Frames) -> list[Filler]:
        out: list[Filler] = []
        if self._start is None and not (fr.periodicity >= self.voiced).any():
            return out  # nothing voiced, no run open: no frame here could change anything
        for i, (t, db, per, f0) in enumerate(zip(fr.t.tolist(), fr.db.tolist(),
                                                 fr.periodicity.tolist(), fr.f0.tolist(),
                                                 strict=True)):
            bands = fr.bands[i]
            if per >= self.voiced:
                # Rises at once, decays by ~1 dB/s: a loud word sets the reference for a while.
                self._ref_db = max(db, self._ref_db - 0.01)
            if self._steady(db, per, f0, bands):
                if self._start is None:
                    self._start, self._env, self._n = t, bands.copy(), 0
                    self._log_f0 = self._first_f0 = math.log2(f0)
                    self._phases, self._phase_start = 1, t
                assert self._env is not None
                self._n += 1
                self._log_f0 += self._pitch_alpha * (math.log2(f0) - self._log_f0)
                self._env += (bands - self._env) / self._n
                self._last_bands, self._last_db = bands, db
                self._end = t
                self._misses = 0
            elif self._start is not None and self._next_phase(t, db, per, f0, bands):
                self._misses = 0
            elif self._start is not None:
                self._misses += 1
                if self._misses > self.max_misses:
                    out.extend(self._close())
        return out

    def _steady(self, db: float, per: float, f0: float, bands: np.ndarray) -> bool:
        if self._start is None:
            return self._voiced(db, per)
        if not self._holds_pitch(db, per, f0):
            return False
        assert self._env is not None
        return _shape_db(bands, self._env) <= self.max_spectral_db

    def _next_phase(self, t: float, db: float, per: float, f0: float, bands: np.ndarray) -> bool:
        """The spectrum changed but the voice held its pitch: start the run's next sound."""
        if self._phases >= self.max_phases or t - self._phase_start < self.min_phase_s:
            return False
        if not self._holds_pitch(db, per, f0):
            return False
        # A closure is a jump from one frame to the next at about the same loudness; a slow
        # drift of the envelope is a vowel gliding (a diphthong, a drawn-out word): no new sound.
        # Without this test the stuttered no-filler clip HeStutters_1_21 (a 0.3 s drawn vowel
        # gliding on a level pitch) became a filler (tests/test_pace_fillers.py).
        assert self._last_bands is not None
        if _shape_db(bands, self._last_bands) <= self.max_spectral_db \
                or abs(db - self._last_db) > 10.0:
            return False
        self._env, self._n = bands.copy(), 1
        self._last_bands, self._last_db = bands, db
        self._phases, self._phase_start, self._end = self._phases + 1, t, t
        return True

    def _voiced(self, db: float, per: float) -> bool:
        return per >= self.voiced and db >= self._ref_db - self.below_peak_db

    def _holds_pitch(self, db: float, per: float, f0: float) -> bool:
        """Voiced, loud enough, and on the open run's pitch (recent and since its start)."""
        if not self._voiced(db, per):
            return False
        pitch = math.log2(f0)
        return abs(12.0 * (pitch - self._log_f0)) <= self.max_semitones \
            and abs(12.0 * (pitch - self._first_f0)) <= self.max_drift_semitones

    def _close(self) -> list[Filler]:
        if self._start is None:
            return []
        duration = self._end - self._start + 0.01
        start = self._start
        self._start, self._env, self._misses = None, None, 0
        if self.min_s <= duration <= self.max_s:
            return [Filler(start, duration)]
        return []

    def finish(self) -> list[Filler]:
        return self._close()


def _shape_db(bands: np.ndarray, reference: np.ndarray) -> float:
    """Mean difference of two spectral envelopes in dB, their level difference removed."""
    diff = bands - reference
    diff -= diff.mean()
    return float(np.abs(diff).mean())
