"""Answers and the answer timer: on a simulated clock, and on real speech replayed with silences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detectors.answers import Answer, AnswerSegmenter, AnswerTimer, Cue
from detectors.fillers import Filler
from detectors.nudge import Nudge
from detectors.speaking import AnswerSummary, SpeakingAnalyzer, SpeechSegment

TICK = 0.1


def simulate(speech: list[tuple[float, float]], t_end: float,
             cues: tuple[Cue, ...] | None = None) -> tuple[list[Answer], list[Nudge]]:
    """Drive segmenter and timer with a voice that is on inside `speech`, ticking every 0.1 s."""
    seg = AnswerSegmenter()
    timer = AnswerTimer(cues) if cues else AnswerTimer()
    answers: list[Answer] = []
    nudges: list[Nudge] = []
    voiced = False
    for i in range(int(t_end / TICK) + 1):
        t = i * TICK
        now = any(a <= t < b for a, b in speech)
        if now and not voiced:
            answers += seg.voice_started(t)
        elif voiced and not now:
            seg.voice_stopped(t)
        voiced = now
        answers += seg.tick(t)
        nudges += timer.update(t, seg.open_start)
    answers += seg.finish(t_end)
    return answers, nudges


def talking(start: float, length: float, pause_every: float = 9.0,
            pause: float = 1.8) -> list[tuple[float, float]]:
    """Speech from `start` for `length` s with a thinking pause (< 2.5 s) every `pause_every` s."""
    out, t = [], start
    while t < start + length:
        out.append((t, min(t + pause_every - pause, start + length)))
        t += pause_every
    return out


def test_answer_of_2_10_gets_exactly_the_1_30_and_2_00_cues() -> None:
    answers, nudges = simulate(talking(5.0, 130.0), 150.0)
    assert len(answers) == 1
    assert answers[0].duration_s == pytest.approx(130.0, abs=0.2)
    assert [n.kind for n in nudges] == ["answer_soft", "wrap_up"]
    assert nudges[0].t == pytest.approx(5.0 + 90.0, abs=0.5)
    assert nudges[1].t == pytest.approx(5.0 + 120.0, abs=0.5)
    assert nudges[1].text == "Wrap up"


def test_pauses_inside_an_answer_do_not_reset_the_timer() -> None:
    # Pauses of 2.3 s every 10 s: each just under the 2.5 s gap.
    answers, nudges = simulate(talking(0.0, 190.0, pause_every=10.0, pause=2.3), 200.0)
    assert len(answers) == 1
    assert [(n.kind, round(n.t)) for n in nudges] == [
        ("answer_soft", 90), ("wrap_up", 120), ("answer_stop", 180)]


def test_two_answers_separated_by_4_s_of_silence_are_two_answers() -> None:
    answers, nudges = simulate([(1.0, 31.0), (35.0, 60.0)], 70.0)
    assert [(round(a.start), round(a.end)) for a in answers] == [(1, 31), (35, 60)]
    assert nudges == []


def test_a_2_s_pause_stays_inside_the_answer() -> None:
    answers, _ = simulate([(1.0, 31.0), (33.0, 60.0)], 70.0)
    assert [(round(a.start), round(a.end)) for a in answers] == [(1, 60)]


def test_each_cue_fires_once_per_answer_and_again_in_the_next() -> None:
    cues = (Cue(10.0, "answer_soft", "Ten seconds"), Cue(20.0, "wrap_up", "Wrap up"))
    _, nudges = simulate([(0.0, 25.0), (30.0, 45.0)], 50.0, cues)
    assert [(n.kind, round(n.t)) for n in nudges] == [
        ("answer_soft", 10), ("wrap_up", 20), ("answer_soft", 40)]


def test_coarse_ticks_stamp_the_cue_at_its_time() -> None:
    timer = AnswerTimer()
    assert timer.update(80.0, 0.0) == []
    nudges = timer.update(100.0, 0.0)  # one tick jumped past 1:30
    assert [(n.kind, n.t) for n in nudges] == [("answer_soft", 90.0)]


def test_a_cue_is_raised_ahead_only_when_the_answer_is_sure_to_be_open_then() -> None:
    # Live audio is analysed in batches; the cue is raised up to ahead_s early, stamped with its
    # moment, so that it is not a batch late on screen.
    seg = AnswerSegmenter(gap_s=2.5)
    timer = AnswerTimer((Cue(10.0, "wrap_up", "Wrap up"),))
    seg.voice_started(0.0)
    assert timer.update(9.7, seg.open_start, ahead_s=0.2, open_until=seg.open_until(9.7)) == []
    early = timer.update(9.85, seg.open_start, ahead_s=0.2, open_until=seg.open_until(9.85))
    assert [(n.kind, n.t) for n in early] == [("wrap_up", 10.0)]
    # Silent since 7.6 s: the answer closes at 10.1 s unless the voice comes back, so a cue
    # due at 10.0 s is still sure; one due at 10.2 s is not raised before its moment.
    seg2 = AnswerSegmenter(gap_s=2.5)
    late = AnswerTimer((Cue(10.2, "wrap_up", "Wrap up"),))
    seg2.voice_started(0.0)
    seg2.voice_stopped(7.6)
    assert seg2.open_until(10.05) == 7.6 + 2.5
    assert late.update(10.05, seg2.open_start, ahead_s=0.2, open_until=seg2.open_until(10.05)) == []
    assert AnswerSegmenter().open_until(3.0) == float("-inf")  # no answer in progress


def test_a_cough_is_not_an_answer() -> None:
    answers, _ = simulate([(1.0, 1.4)], 10.0)
    assert answers == []


# -- replayed audio ----------------------------------------------------------------------------
def speech_track(shared_data: Path, seconds: float) -> np.ndarray:
    """Real read speech (LibriVox utterances, looped) with 0.6 s pauses, `seconds` long."""
    from overlay.capture.media import read_audio

    clips = [read_audio(p) for p in sorted((shared_data / "audio" / "pace-librivox").glob("*.wav"))]
    pause = np.zeros(int(0.6 * 16000), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    while total < seconds * 16000:
        clip = clips[len(parts) // 2 % len(clips)]
        parts += [clip, pause]
        total += clip.size + pause.size
    return np.concatenate(parts)[:int(seconds * 16000)]


def replay(analyzer: SpeakingAnalyzer, audio: np.ndarray, chunk: int = 16000) -> list[object]:
    events: list[object] = []
    for i in range(0, audio.size, chunk):
        events += analyzer.feed_audio(audio[i:i + chunk], i / 16000)
    events += analyzer.finish(audio.size / 16000)
    return events


def test_replayed_speech_answer_of_2_10_gets_two_cues_and_a_4_s_gap_splits(
        shared_data: Path) -> None:
    silence = np.zeros(16000, dtype=np.float32)
    audio = np.concatenate([silence, speech_track(shared_data, 130.0),
                            np.zeros(4 * 16000, dtype=np.float32),
                            speech_track(shared_data, 10.0), silence])
    events = replay(SpeakingAnalyzer(), audio)
    answers = [e for e in events if isinstance(e, AnswerSummary)]
    nudges = [e for e in events if isinstance(e, Nudge) and e.kind != "slow_down"]
    assert len(answers) == 2
    first = answers[0]
    assert first.start == pytest.approx(1.0, abs=0.3)
    assert first.duration_s == pytest.approx(130.0, abs=1.0)
    assert [n.kind for n in nudges] == ["answer_soft", "wrap_up"]
    assert nudges[0].t == pytest.approx(1.0 + 90.0, abs=0.5)
    assert nudges[1].t == pytest.approx(1.0 + 120.0, abs=0.5)
    assert answers[1].start == pytest.approx(135.0, abs=0.5)
    assert first.wpm is not None and 150 < first.wpm < 230  # LibriVox reads at 170-200 wpm


def test_live_chunks_and_offline_blocks_give_the_same_events(shared_data: Path) -> None:
    audio = np.concatenate([speech_track(shared_data, 12.0), np.zeros(3 * 16000, np.float32),
                            speech_track(shared_data, 6.0), np.zeros(16000, np.float32)])
    live = replay(SpeakingAnalyzer(), audio, chunk=320)
    offline = replay(SpeakingAnalyzer(), audio, chunk=16000)
    answers = [e for e in live if isinstance(e, AnswerSummary)]
    assert len(answers) == 2
    for kind in (AnswerSummary, SpeechSegment, Filler):
        assert [e for e in live if isinstance(e, kind)] == \
            [e for e in offline if isinstance(e, kind)], kind.__name__
