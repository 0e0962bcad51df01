"""The cheap first voice gate: WebRTC VAD on 10-30 ms frames of 16-bit PCM.

WebRTC VAD is a GMM on sub-band energies. It answers in microseconds but calls almost any broadband
noise speech (typing, dishes, a running tap: 60-97% of frames, DESIGN.md), so on its own it only
says "something is there"; `detectors/voice.py` asks Silero to confirm. Here we just wrap it for a
stream of float or int16 chunks of any length: samples are buffered until a whole frame exists.
"""

from __future__ import annotations

import logging

import numpy as np
import webrtcvad

log = logging.getLogger(__name__)

RATES = (8000, 16000, 32000, 48000)  # the only rates the WebRTC VAD accepts
FRAME_MS = (10, 20, 30)


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float in [-1, 1] -> int16; int16 passes through untouched (so reference bytes stay exact)."""
    if samples.dtype == np.int16:
        return samples
    scaled = np.asarray(samples, dtype=np.float32) * 32767.0
    return np.clip(scaled, -32768.0, 32767.0, out=scaled).astype(np.int16)


class WebRtcGate:
    """Frame-by-frame WebRTC VAD decisions over a stream of chunks of arbitrary length.

    `mode` is WebRTC's aggressiveness, 0 (lenient) to 3 (strict). `feed` returns one bool per
    whole frame completed by this chunk; a partial frame waits for the next chunk.
    """

    def __init__(self, mode: int = 3, *, rate: int = 16_000, frame_ms: int = 10,
                 levels: bool = False) -> None:
        if mode not in (0, 1, 2, 3):
            raise ValueError(f"WebRTC VAD mode must be 0-3, got {mode}")
        if rate not in RATES:
            raise ValueError(f"WebRTC VAD needs a rate in {RATES}, got {rate}")
        if frame_ms not in FRAME_MS:
            raise ValueError(f"WebRTC VAD frames are 10, 20 or 30 ms, got {frame_ms}")
        self.mode = mode
        self.rate = rate
        self.frame_ms = frame_ms
        self.frame_samples = rate * frame_ms // 1000
        self.levels = levels
        self._vad = webrtcvad.Vad(mode)
        self._pending = np.zeros(0, dtype=np.int16)
        self.last_levels_db = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """Decisions (bool array) for every whole frame now available, in time order."""
        pcm = to_pcm16(np.asarray(samples).reshape(-1))
        if self._pending.size:
            pcm = np.concatenate([self._pending, pcm])
        n = pcm.size // self.frame_samples
        out = np.zeros(n, dtype=bool)
        step = self.frame_samples
        if self.levels:
            # Frame levels in dB full scale, for callers that sharpen segment edges to 10 ms.
            frames = pcm[:n * step].reshape(n, step).astype(np.float32) / 32768.0
            self.last_levels_db = 10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-10)
        for i in range(n):
            out[i] = self._vad.is_speech(pcm[i * step:(i + 1) * step].tobytes(), self.rate)
        self._pending = pcm[n * step:].copy()
        return out

    @property
    def pending(self) -> int:
        """Samples waiting for the rest of their frame."""
        return int(self._pending.size)

    def reset(self) -> None:
        """Forget buffered samples and start a fresh VAD (its noise estimate adapts over time)."""
        self._vad = webrtcvad.Vad(self.mode)
        self._pending = np.zeros(0, dtype=np.int16)
