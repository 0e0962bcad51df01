"""The microphone part of the pre-flight check: is the input alive, loud enough, clean, quiet?

Fed the check's audio in time order (any block size, 16 kHz float32 mono), it cuts the stream
into 20 ms frames and keeps only a histogram of their levels in dBFS plus a few counters, so
memory stays constant however long it listens. At the end, `result()` reads:

- dead input: every sample exactly zero is what a muted or disconnected input delivers on most
  systems ("digital silence"); a peak below `dead_dbfs` is an input that hears nothing either;
- speech level: the loud frames (the `speech_percentile` of frame levels) while the user reads
  the sample sentence. No voice detector here: the check asks the user to talk, so the loudest
  frames are their voice, provided they stand `min_speech_db` above the floor (else "no speech");
- noise floor: the quiet frames (`floor_percentile`), i.e. the room between words;
- clipping: the share of samples at or near full scale while speaking.

Echo (speakers instead of a headset) cannot be told honestly from the microphone alone: the
interviewer's voice is not playing during the check. `echo_risk` is therefore always "unknown".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

_BIN_DB = 0.5
_LOW_DB = -120.0  # levels below this (and digital zeros) land in the lowest bin
_BINS = int(-_LOW_DB / _BIN_DB) + 1


def dbfs(rms: float) -> float:
    """Level of an RMS amplitude (full scale = 1.0) in dB, floored at -120."""
    return float(max(_LOW_DB, 20.0 * np.log10(max(rms, 1e-12))))


@dataclass(frozen=True)
class MicReading:
    """What the microphone check heard. Levels are dBFS of 20 ms frames; None when unknown."""

    seconds: float  # audio received
    dead: bool  # digital silence or nothing above `dead_dbfs`
    digital_silence: bool  # every sample exactly zero
    peak_dbfs: float
    speech_heard: bool
    speech_dbfs: float | None  # level of the loud (speaking) frames
    noise_dbfs: float | None  # level between words
    snr_db: float | None
    clipped_share: float  # share of samples at or near full scale among the loud frames
    echo_risk: str = "unknown"  # never measured: see the module docstring


class MicCheck:
    """Streaming microphone levels; thresholds are the caller's to judge (see `MicVerdicts`)."""

    def __init__(self, rate: int = 16_000, frame_s: float = 0.02, dead_dbfs: float = -90.0,
                 clip_level: float = 0.99, speech_percentile: float = 90.0,
                 floor_percentile: float = 10.0, min_speech_db: float = 12.0) -> None:
        self.rate = rate
        self.frame = max(1, int(rate * frame_s))
        self.dead_dbfs = dead_dbfs
        self.clip_level = clip_level
        self.speech_percentile = speech_percentile
        self.floor_percentile = floor_percentile
        self.min_speech_db = min_speech_db
        self._hist = np.zeros(_BINS, np.int64)
        self._clip_hist = np.zeros(_BINS, np.int64)  # clipped samples, by their frame's level
        self._pending = np.zeros(0, np.float32)
        self._samples = 0
        self._nonzero = False
        self._peak = 0.0

    def feed(self, samples: np.ndarray) -> None:
        x = np.asarray(samples, dtype=np.float32).ravel()
        if x.size == 0:
            return
        self._samples += x.size
        self._nonzero = self._nonzero or bool(np.any(x != 0.0))
        self._peak = max(self._peak, float(np.max(np.abs(x))))
        x = np.concatenate([self._pending, x]) if self._pending.size else x
        whole = (x.size // self.frame) * self.frame
        self._pending = x[whole:].copy()
        if whole == 0:
            return
        frames = x[:whole].reshape(-1, self.frame)
        rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
        levels = 20.0 * np.log10(np.maximum(rms, 1e-12))
        idx = np.clip(((levels - _LOW_DB) / _BIN_DB).astype(np.int64), 0, _BINS - 1)
        np.add.at(self._hist, idx, 1)
        clipped = np.sum(np.abs(frames) >= self.clip_level, axis=1)
        np.add.at(self._clip_hist, idx, clipped)

    def _percentile(self, pct: float) -> float | None:
        total = int(self._hist.sum())
        if total == 0:
            return None
        k = int(np.searchsorted(np.cumsum(self._hist), pct / 100.0 * total, side="left"))
        return _LOW_DB + _BIN_DB * min(k, _BINS - 1)

    def result(self) -> MicReading:
        seconds = self._samples / self.rate
        peak = dbfs(self._peak)
        digital = self._samples > 0 and not self._nonzero
        dead = self._samples == 0 or digital or peak < self.dead_dbfs
        loud = self._percentile(self.speech_percentile)
        floor = self._percentile(self.floor_percentile)
        heard = (not dead and loud is not None and floor is not None
                 and loud - floor >= self.min_speech_db)
        clipped_share = 0.0
        if heard and loud is not None:
            # Samples of the frames at least as loud as the speech level: the talking part.
            first = int((loud - _LOW_DB) / _BIN_DB)
            frames = int(self._hist[first:].sum())
            if frames:
                clipped_share = float(self._clip_hist[first:].sum()) / (frames * self.frame)
        return MicReading(
            seconds=seconds, dead=dead, digital_silence=digital, peak_dbfs=peak,
            speech_heard=heard, speech_dbfs=loud if heard else None,
            noise_dbfs=None if dead else floor,
            snr_db=(loud - floor) if heard and loud is not None and floor is not None else None,
            clipped_share=clipped_share)


@dataclass(frozen=True)
class MicVerdicts:
    """Pass/fail limits for a `MicReading`, in dBFS and dB. Defaults suit a headset or laptop mic.

    Speech between -35 and -6 dBFS is what meeting apps handle well (their automatic gain lifts a
    quiet voice only so far, and lifts the room with it). A floor above -45 dBFS is a fan, a
    street or a hum; under 15 dB between voice and floor, the meeting's noise suppression starts
    eating syllables.
    """

    quiet_dbfs: float = -35.0
    max_noise_dbfs: float = -45.0
    min_snr_db: float = 15.0
    max_clipped_share: float = 0.001

    def too_quiet(self, r: MicReading) -> bool:
        return r.speech_dbfs is not None and r.speech_dbfs < self.quiet_dbfs

    def noisy(self, r: MicReading) -> bool:
        if r.noise_dbfs is None:
            return False
        low_snr = r.snr_db is not None and r.snr_db < self.min_snr_db
        return r.noise_dbfs > self.max_noise_dbfs or low_snr

    def clipping(self, r: MicReading) -> bool:
        return r.clipped_share > self.max_clipped_share
