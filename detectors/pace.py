"""Speaking pace from syllable nuclei: intensity peaks in voiced speech (de Jong & Wempe 2009).

A syllable nucleus is a vowel: a local peak of intensity that stands `min_dip_db` (2 dB) above the
dip before the next peak, lies no more than `silence_db` (25 dB) below the loud end of the recent
speech (its 99th percentile) and is voiced (periodic). Nuclei inside the voice detector's bursts are
counted; words = nuclei / `syllables_per_word`. The truth for words per minute is words over the
span of the answer, pauses included, so the meter divides by the same span.

`syllables_per_word` (1.4) is the English average (read and conversational speech, 1.3-1.5; the
LibriVox transcripts give 1.37 by vowel groups); it is a property of the language, not fitted to
the test audio.

Streaming: intensity frames are 10 ms hops of a 50 ms window, a peak is judged once the next peak
arrives (at most a syllable later); `FrameTrack` also serves the filled-pause detector (pitch and
spectrum per frame), so the audio is framed and transformed once.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass

import numpy as np

from detectors.nudge import Nudge

log = logging.getLogger(__name__)

RATE = 16_000
HOP = 160  # 10 ms
WIN = 800  # 50 ms: one pitch period of a deep voice fits several times, a syllable does not
NFFT = 1024
LAG_MIN, LAG_MAX = RATE // 400, RATE // 60  # pitch 60-400 Hz
_VOWEL = slice(300 * NFFT // RATE, 2500 * NFFT // RATE + 1)
# Spectral envelope bands, 250 Hz to 6 kHz, each wider than the harmonic spacing of a voice so
# that a small pitch change does not move energy between bands.
_BANDS = (np.array([250, 500, 750, 1000, 1300, 1650, 2050, 2500, 3000, 3600, 4300, 5100, 6000])
          * NFFT // RATE)


@dataclass(frozen=True)
class Frames:
    """Per-frame measures for one batch of 10 ms hops (arrays of equal length)."""

    t: np.ndarray  # centre time of each frame
    db: np.ndarray  # intensity, dBFS
    vowel_db: np.ndarray  # intensity of the 300-2500 Hz band where vowels carry their energy
    periodicity: np.ndarray  # normalised autocorrelation peak in the pitch range, 0-1
    f0: np.ndarray  # Hz (meaningful where periodicity is high)
    bands: np.ndarray  # (n, len(_BANDS) - 1) log band energies, dB: the spectral envelope


class FrameTrack:
    """Frames a stream of samples (chunks of any size) into overlapping 50 ms analysis frames."""

    def __init__(self, batch_s: float = 0.3) -> None:
        # Frames are computed `batch_s` at a time: numpy's per-call costs dominate small
        # batches (0.1 s batches were 4x cheaper than 20 ms chunks, 0.3 s ones halve it again).
        # Pace and fillers need no lower latency: both are judged after the words.
        self.batch = max(1, round(batch_s * RATE / HOP))
        self._buf = np.zeros(0, dtype=np.float32)
        self._waiting: list[np.ndarray] = []  # chunks not yet joined to _buf (joined per batch)
        self._waiting_n = 0
        self._origin = 0.0  # session time of the first sample since the stream was anchored
        self._consumed = 0  # samples framed away since then (integer, so times do not drift)
        self._t_next: float | None = None
        self._window = np.hanning(WIN).astype(np.float32)
        w_ac = np.fft.irfft(np.abs(np.fft.rfft(self._window, NFFT)) ** 2, NFFT)
        self._win_ac = (w_ac / w_ac[0]).astype(np.float32)

    def skip(self, samples: np.ndarray, t0: float) -> None:
        """Let silence pass without analysis (the caller knows nobody is speaking)."""
        n = np.asarray(samples).size
        self._t_next = t0 + n / RATE
        self._buf = np.zeros(0, dtype=np.float32)
        self._waiting, self._waiting_n = [], 0
        self._origin, self._consumed = self._t_next, 0

    def feed(self, samples: np.ndarray, t0: float) -> Frames:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self._t_next is None or abs(t0 - self._t_next) > 0.1:
            self._buf = np.zeros(0, dtype=np.float32)
            self._waiting, self._waiting_n = [], 0
            self._origin, self._consumed = t0, 0
        self._t_next = t0 + samples.size / RATE
        self._waiting.append(samples)
        self._waiting_n += samples.size
        n = 0 if self._buf.size + self._waiting_n < WIN \
            else 1 + (self._buf.size + self._waiting_n - WIN) // HOP
        if n < self.batch:  # numpy's per-call overhead dominates small batches: wait for more
            n = 0
        else:
            self._buf = np.concatenate([self._buf, *self._waiting])
            self._waiting, self._waiting_n = [], 0
        if n == 0:
            empty = np.zeros(0)
            return Frames(empty, empty, empty, empty, empty, np.zeros((0, _BANDS.size - 1)))
        frames = np.lib.stride_tricks.sliding_window_view(self._buf, WIN)[:n * HOP:HOP] \
            * self._window
        t = self._origin + (self._consumed + HOP * np.arange(n) + WIN / 2) / RATE
        self._buf = self._buf[n * HOP:]
        self._consumed += n * HOP
        spec = np.fft.rfft(frames, NFFT)
        power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
        db = 10.0 * np.log10(power.sum(axis=1) / (NFFT * WIN / 2) + 1e-10)
        vowel_db = 10.0 * np.log10(power[:, _VOWEL].sum(axis=1) / (NFFT * WIN / 2) + 1e-10)
        ac = np.fft.irfft(power, NFFT)[:, :LAG_MAX + 1]
        # Divide by the window's own autocorrelation so longer lags are not penalised.
        norm = ac[:, LAG_MIN:] / (ac[:, :1] + 1e-12) / self._win_ac[LAG_MIN:LAG_MAX + 1]
        rows = np.arange(n)
        best = np.argmax(norm, axis=1)
        peak = norm[rows, best]
        # A periodic signal correlates as well at two periods as at one: prefer the shorter lag
        # when it is nearly as good, or the pitch jumps an octave down from frame to frame.
        lag = best + LAG_MIN
        half = np.clip(lag // 2 - LAG_MIN, 0, norm.shape[1] - 3)
        near = np.stack([norm[rows, np.clip(half + k, 0, norm.shape[1] - 1)]
                         for k in (-2, -1, 0, 1, 2)], axis=1)
        use_half = (lag // 2 >= LAG_MIN) & (near.max(axis=1) >= 0.85 * peak)
        lag = np.where(use_half, half + np.argmax(near, axis=1) - 2 + LAG_MIN, lag)
        periodicity = np.clip(peak, 0.0, 1.0)
        f0 = RATE / lag
        cum = np.cumsum(power, axis=1)
        bands = 10.0 * np.log10(np.diff(cum[:, _BANDS], axis=1) + 1e-10)
        return Frames(t, db, vowel_db, periodicity, f0, bands)


class PaceMeter:
    """Syllable nuclei -> words per minute per answer, and the sustained "slow down" nudge."""

    def __init__(self, *, syllables_per_word: float = 1.4, limit_wpm: float = 165.0,
                 sustain_s: float = 20.0, cooldown_s: float = 60.0, min_dip_db: float = 2.0,
                 silence_db: float = 25.0, voiced: float = 0.45, smooth_s: float = 0.04) -> None:
        self.syllables_per_word = syllables_per_word
        self.limit_wpm = limit_wpm
        self.sustain_s = sustain_s
        self.cooldown_s = cooldown_s
        self.min_dip_db = min_dip_db
        self.silence_db = silence_db
        self.voiced = voiced
        # Moving average of intensity over `smooth_s`, so a vowel's ripples are one peak.
        self._recent: deque[float] = deque(maxlen=max(1, round(smooth_s * RATE / HOP)))
        self._loud: deque[float] = deque(maxlen=30 * RATE // HOP)  # recent voiced frames (30 s)
        self._ref_db = -20.0
        self._since_ref = 0
        self._prev_db = -120.0
        self._rising = False
        self._cand: tuple[float, float, float] | None = None  # (t, db, periodicity) of a peak
        self._dip = 0.0  # lowest intensity since the candidate peak
        self._peaks: list[float] = []  # accepted voiced nuclei (times), pruned to the answer
        self._bursts: list[tuple[float, float]] = []  # the voice detector's speech, same pruning
        self._last_nudge = -np.inf

    def feed_frames(self, fr: Frames) -> None:
        for t, raw, per in zip(fr.t.tolist(), fr.vowel_db.tolist(), fr.periodicity.tolist(),
                                  strict=True):
            self._recent.append(raw)
            db = sum(self._recent) / len(self._recent)
            if per >= self.voiced:
                self._loud.append(db)
            self._since_ref += 1
            if self._since_ref >= RATE // HOP and self._loud:  # once a second
                self._ref_db = float(np.percentile(np.fromiter(self._loud, float), 99))
                self._since_ref = 0
            if self._cand is not None:
                self._dip = min(self._dip, db)
            if db < self._prev_db and self._rising:  # the previous frame was a local maximum
                self._peak(t - HOP / RATE, self._prev_db, per)
            self._rising = db > self._prev_db
            self._prev_db = db

    def _peak(self, t: float, db: float, per: float) -> None:
        if db < self._ref_db - self.silence_db:
            return
        if self._cand is not None:
            ct, cdb, cper = self._cand
            if cdb - self._dip >= self.min_dip_db:
                if cper >= self.voiced:
                    self._peaks.append(ct)
                self._cand = (t, db, per)
            elif db > cdb:  # no real dip: the two maxima are one nucleus, keep the louder
                self._cand = (t, db, per)
        else:
            self._cand = (t, db, per)
        self._dip = db

    def add_burst(self, start: float, end: float) -> None:
        self._bursts.append((start, end))

    def syllables(self, start: float, end: float) -> int:
        """Voiced nuclei inside the bursts that fall within [start, end]."""
        count = 0
        peaks = self._peaks
        if self._cand is not None and self._cand[2] >= self.voiced \
                and self._cand[1] - self._dip >= self.min_dip_db:
            # The latest nucleus already has its dip; the next peak would only confirm it.
            peaks = peaks + [self._cand[0]]
        for t in peaks[bisect_left(peaks, start):]:
            if t > end:
                break
            if any(a - 0.02 <= t <= b + 0.02 for a, b in self._bursts if a <= end and b >= start):
                count += 1
        return count

    def wpm(self, start: float, end: float) -> float | None:
        span = end - start
        if span < 2.0:
            return None
        return self.syllables(start, end) / self.syllables_per_word / (span / 60.0)

    def update(self, t: float, answer_start: float | None) -> list[Nudge]:
        """The "slow down" nudge: the last `sustain_s` of this answer averaged above the limit."""
        if answer_start is None or t - answer_start < self.sustain_s:
            return []
        if t - self._last_nudge < self.cooldown_s:
            return []
        rate = self.wpm(t - self.sustain_s, t)
        if rate is not None and rate > self.limit_wpm:
            self._last_nudge = t
            log.info("pace %.0f wpm over the last %.0f s", rate, self.sustain_s)
            return [Nudge(t, "slow_down", "Slow down")]
        return []

    def forget_before(self, t: float) -> None:
        """Drop nuclei and bursts older than `t` (the start of the open answer) to bound memory."""
        self._peaks = self._peaks[bisect_left(self._peaks, t):]
        self._bursts = [b for b in self._bursts if b[1] >= t]
