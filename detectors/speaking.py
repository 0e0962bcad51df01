"""Everything the microphone tells about the user's speaking, behind one object for the pipeline.

`SpeakingAnalyzer.feed_audio(samples, t0)` runs voice activity, pace and filled-pause detection on
each chunk and returns what happened, in time order: closed own-speech segments (`SpeechSegment`),
finished answers (`AnswerSummary`), filled pauses (`Filler`) and nudges (`Nudge`: the answer-timer
cues and "slow down"). `note_face(face, t)` feeds mouth movement from the vision worker; while a
face is seen, speech with a still mouth is not the user's (a voice in the room, the interviewer
through the speakers) and is left out of answers, talk share and `speaking`.

Latency: `speaking` turns True when Silero confirms the onset, 0.17 s after the labelled onset on
the counting clips (scripts/eval_speech.py), well inside the mute nudge's 1 s. Closed segments
come `turn_gap_s` (1 s) after the last word; answers `answer_gap_s` (2.5 s) after it.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass

import numpy as np

from detectors.answers import DEFAULT_CUES, Answer, AnswerSegmenter, AnswerTimer, Cue
from detectors.face import Face
from detectors.fillers import Filler, FillerDetector
from detectors.mouth import MouthMotion
from detectors.nudge import Nudge
from detectors.pace import FrameTrack, PaceMeter
from detectors.voice import SpeechBurst, SpeechTurn, VoiceActivity

log = logging.getLogger(__name__)

RATE = 16_000


@dataclass(frozen=True)
class SpeechSegment:
    """A closed stretch of the user's own speech (a turn: pauses under 1 s bridged)."""

    start: float
    end: float


@dataclass(frozen=True)
class AnswerSummary:
    start: float
    end: float
    duration_s: float
    wpm: float | None  # None for answers under 2 s
    fillers: int
    fillers_per_min: float


SpeakingEvent = SpeechSegment | AnswerSummary | Filler | Nudge


class SpeakingAnalyzer:
    def __init__(self, *, answer_gap_s: float = 2.5, min_answer_s: float = 1.0,
                 cues: tuple[Cue, ...] = DEFAULT_CUES, pace_limit_wpm: float = 165.0,
                 pace_sustain_s: float = 20.0, filler_min_s: float = 0.25,
                 turn_gap_s: float = 1.0, mouth_min: float = 0.3,
                 voice: VoiceActivity | None = None, cue_ahead_s: float = 0.0) -> None:
        if not 0.0 <= cue_ahead_s < answer_gap_s:
            raise ValueError("cue_ahead_s must be at least 0 and shorter than answer_gap_s")
        self.voice = voice or VoiceActivity(turn_gap_s=turn_gap_s)
        self.track = FrameTrack()
        self.pace = PaceMeter(limit_wpm=pace_limit_wpm, sustain_s=pace_sustain_s)
        self.filler_detector = FillerDetector(min_s=filler_min_s)
        self.mouth = MouthMotion()
        self.segmenter = AnswerSegmenter(gap_s=answer_gap_s, min_answer_s=min_answer_s)
        self.timer = AnswerTimer(cues)
        # Answer-timer cues are returned up to this long before their moment (stamped with it),
        # so a batch of audio analysed late does not make them late: see AnswerTimer.
        self.cue_ahead_s = cue_ahead_s
        self.mouth_min = mouth_min
        # The mouth was last seen moving then; while a voice is heard, the camera is asked to
        # look again every `mouth_recheck_s` (a voice in the room must not pass as the user's).
        self._mouth_seen_t = -np.inf
        self.mouth_recheck_s = 5.0
        # Mouth scores while a face is seen, in time order (bisected by `_own`).
        self._mouth_t: list[float] = []
        self._mouth_s: list[float] = []
        self._pending_fillers: list[Filler] = []
        self.filler_gap_s = 0.3
        self.filler_prob = 0.5
        self._own_bursts: list[tuple[float, float]] = []  # since the open answer started
        self._fillers_in_answer: list[Filler] = []
        self._t_first: float | None = None
        self._t_now = 0.0
        self._talk_s = 0.0
        self._last_pace_check = -np.inf
        self._ring: deque[tuple[float, np.ndarray]] = deque()  # recent unanalysed chunks
        self._ring_n = 0
        self._ring_s = 0.5

    # -- inputs ------------------------------------------------------------------------------
    def note_face(self, face: Face | None, t: float) -> None:
        self.mouth.note(face, t)
        score = self.mouth.moving(t)
        if score is not None and score >= self.mouth_min:
            self._mouth_seen_t = t
        if score is not None and (not self._mouth_t or t >= self._mouth_t[-1]):
            self._mouth_t.append(t)
            self._mouth_s.append(score)
        if len(self._mouth_t) > 20_000:  # ~10 min of video: older is long past any segment
            del self._mouth_t[:10_000], self._mouth_s[:10_000]

    def feed_audio(self, samples: np.ndarray, t0: float) -> list[SpeakingEvent]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self._t_first is None:
            self._t_first = t0
        self._t_now = t0 + samples.size / RATE
        voice_events = self.voice.feed(samples, t0)
        # Pace and fillers only measure speech: skip the frame analysis unless Silero hears
        # speech, and when it starts to, catch up on the last `_ring_s` first (the onset came
        # before Silero's confirmation). Typing and noise then cost only the voice detector.
        if self.voice.speaking or self.voice.last_prob >= 0.2:
            for ring_t0, ring_samples in self._ring:
                self._analyse(ring_samples, ring_t0)
            self._ring.clear()
            self._ring_n = 0
            self._analyse(samples, t0)
        else:
            self._ring.append((t0, samples))
            self._ring_n += samples.size
            while self._ring and self._ring_n - self._ring[0][1].size >= self._ring_s * RATE:
                self._ring_n -= self._ring.popleft()[1].size
        out = self._voice_events(voice_events)
        start = self.voice.burst_start
        if start is not None and self.voice.burst_confirmed and self._own(start, self._t_now):
            out += self._answers(self.segmenter.voice_started(start))
        elif start is None and self.segmenter.voiced:
            # The open burst vanished without a report (sharpened away): voice stopped by now.
            self.segmenter.voice_stopped(self._t_now)
        out += self._answers(self.segmenter.tick(self._t_now))
        out += self._nudges(self._t_now)
        return out

    def _analyse(self, samples: np.ndarray, t0: float) -> None:
        frames = self.track.feed(samples, t0)
        self.pace.feed_frames(frames)
        self._pending_fillers += self.filler_detector.feed_frames(frames)

    def finish(self, t_end: float) -> list[SpeakingEvent]:
        self._pending_fillers += self.filler_detector.finish()
        out = self._voice_events(self.voice.finish(t_end))
        out += self._answers(self.segmenter.finish(t_end))
        self._t_now = max(self._t_now, t_end)
        return out

    # -- state -------------------------------------------------------------------------------
    @property
    def mouth_wanted(self) -> bool:
        """A voice is being heard and the camera has not yet said whose it is: the analysis
        rate should give the mouth enough frames (detectors/analysis_rate.py)."""
        if self.voice.burst_start is None and not self.voice.speaking:
            return False
        return self._t_now - self._mouth_seen_t > self.mouth_recheck_s

    @property
    def speaking(self) -> bool:
        """The user is speaking right now (inside an own turn; the gaze nudge waits for it)."""
        if not self.voice.speaking:
            return False
        score = self.mouth.moving(self._t_now)
        return score is None or score >= self.mouth_min

    def answer_elapsed(self, t: float) -> float | None:
        start = self.segmenter.open_start
        return None if start is None else max(0.0, t - start)

    @property
    def talk_share(self) -> float | None:
        """Fraction of the session so far the user spoke (closed own turns)."""
        if self._t_first is None or self._t_now <= self._t_first:
            return None
        return min(1.0, self._talk_s / (self._t_now - self._t_first))

    # -- internals ---------------------------------------------------------------------------
    def _own(self, start: float, end: float) -> bool:
        """Audio alone decides without a face; with one, the mouth must have moved."""
        lo = bisect_left(self._mouth_t, start - 0.2)
        hi = bisect_right(self._mouth_t, end + 0.2)
        if hi <= lo:
            return True
        return sum(self._mouth_s[lo:hi]) / (hi - lo) >= self.mouth_min

    def _voice_events(self, events: list[SpeechBurst | SpeechTurn]) -> list[SpeakingEvent]:
        out: list[SpeakingEvent] = []
        for e in events:
            if not self._own(e.start, e.end):
                log.debug("speech %.1f-%.1f s with a still mouth: not the user", e.start, e.end)
                continue
            if isinstance(e, SpeechTurn):
                self._talk_s += e.end - e.start
                out.append(SpeechSegment(e.start, e.end))
                continue
            self.pace.add_burst(e.start, e.end)
            self._own_bursts.append((e.start, e.end))
            out += self._answers(self.segmenter.add_speech(e.start, e.end))
        out += self._confirm_fillers()
        return out

    def _confirm_fillers(self) -> list[SpeakingEvent]:
        """A filler counts once it is the user's speech: music and hums are voiced and steady
        too. Either an own burst covers it, or it sits against one (within `filler_gap_s`)
        and Silero gave it at least `filler_prob`: Silero hears an "um" as less like speech
        than words (the labelled one of fillers-sep28k only just reached the burst's 0.9;
        HeStutters_2_125's, which one annotator of three heard, peaked at 0.6 against the
        word it led into), so an "um" before a word may never be covered by a burst."""
        out: list[SpeakingEvent] = []
        keep = []
        for f in self._pending_fillers:
            end = f.t + f.duration_s
            covered = any(a - 0.05 <= f.t and end <= b + 0.05 for a, b in self._own_bursts)
            beside = not covered and any(
                a - self.filler_gap_s <= end and f.t <= b + self.filler_gap_s
                for a, b in self._own_bursts)
            if covered or (beside and self.voice.peak_prob(f.t, end) >= self.filler_prob
                           and self._own(f.t, end)):
                out.append(f)
                self._fillers_in_answer.append(f)
            elif self._t_now - (f.t + f.duration_s) < 3.0:  # its burst may not have closed yet
                keep.append(f)
        self._pending_fillers = keep
        return out

    def _answers(self, answers: list[Answer]) -> list[SpeakingEvent]:
        out: list[SpeakingEvent] = []
        for a in answers:
            # An "um" that leads into the answer's first word ends up to `filler_gap_s` before it.
            fillers = [f for f in self._fillers_in_answer
                       if a.start - self.filler_gap_s <= f.t + f.duration_s and f.t <= a.end]
            minutes = max(a.duration_s, 1e-6) / 60.0
            out.append(AnswerSummary(a.start, a.end, a.duration_s, self.pace.wpm(a.start, a.end),
                                     len(fillers), len(fillers) / minutes))
            self._fillers_in_answer = [f for f in self._fillers_in_answer if f.t > a.end]
            self._own_bursts = [b for b in self._own_bursts if b[1] > a.end]
            self.pace.forget_before(a.end)
        return out

    def _nudges(self, t: float) -> list[SpeakingEvent]:
        start = self.segmenter.open_start
        out: list[SpeakingEvent] = list(self.timer.update(
            t, start, ahead_s=self.cue_ahead_s, open_until=self.segmenter.open_until(t)))
        if t - self._last_pace_check >= 1.0:  # the 20 s pace window needs no finer steps
            self._last_pace_check = t
            out += self.pace.update(t, start)
        return out
