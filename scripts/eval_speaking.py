"""The pace and filler rows of scripts/eval_speech.py (run them with `--only pace,fillers`).

Pace: words per minute of the app's `SpeakingAnalyzer` on each LibriVox utterance against the
aligner's word timings. Fillers: a synthetic held "uh" spliced into each utterance (found at its
place), the same vowel with a rising pitch (rejected), false alarms on the fluent read speech,
and the real fillers of fillers-sep28k through the app's analyser. The bars, and why no clip
here set a threshold, are in eval_speech.py's docstring.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
from speech_scoring import CHUNK, check  # scripts/: eval_speech.py's own folder

import overlay  # noqa: F401 - first: the app's process settings (one OpenMP thread for Silero)
from detectors.fillers import Filler, FillerDetector
from detectors.pace import FrameTrack
from detectors.speaking import AnswerSummary, SpeakingAnalyzer
from overlay.capture.media import read_audio

log = logging.getLogger(__name__)


def pace_truth(path: Path) -> tuple[int, float]:
    """Words and their span (first word's start to last word's end) from the aligner's JSON."""
    words = [w for w in json.loads(path.read_text())["w"]
             if w["t"] not in ("<sil>", "<s>", "</s>")]
    return len(words), words[-1]["b"] + words[-1]["d"] - words[0]["b"]


def measure_pace(x: np.ndarray) -> tuple[float | None, float, float]:
    """(wpm, answer start, answer end) for one utterance, through the pipeline's facade."""
    analyzer = SpeakingAnalyzer()
    events = []
    for i in range(0, x.size, CHUNK):
        events += analyzer.feed_audio(x[i:i + CHUNK], i / 16000)
    events += analyzer.finish(x.size / 16000)
    answers = [e for e in events if isinstance(e, AnswerSummary)]
    if len(answers) != 1:
        print(f"  expected one answer, got {len(answers)}")
    if not answers:
        return None, 0.0, 0.0
    return answers[0].wpm, answers[0].start, answers[0].end


def eval_pace(audio: Path) -> None:
    for js in sorted((audio / "pace-librivox").glob("*.json")):
        n_words, span = pace_truth(js)
        truth = n_words / (span / 60)
        wpm, start, end = measure_pace(read_audio(js.with_suffix(".wav")))
        err = abs((wpm or 0.0) - truth) / truth
        label = (f"wpm {js.stem[-4:]}: {wpm or 0:.0f} vs {truth:.0f} "
                 f"(span {end - start:.1f}/{span:.1f})")
        check(label, err, err <= 0.12, "<= 0.12")


def _formants(y: np.ndarray, formants: tuple[tuple[int, int], ...]) -> np.ndarray:
    for freq, bw in formants:
        r = np.exp(-np.pi * bw / 16000)
        a1, a2 = -2 * r * np.cos(2 * np.pi * freq / 16000), r * r
        out, y1, y2 = np.zeros(y.size), 0.0, 0.0
        for i, v in enumerate(y.tolist()):
            y1, y2 = (1 - r) * v - a1 * y1 - a2 * y2, y1
            out[i] = y1
        y = out
    return y


def _source(n: int, f0: tuple[float, float], rng: np.random.Generator) -> np.ndarray:
    pitch = np.geomspace(f0[0], f0[1], n) * (1 + 0.003 * rng.standard_normal(n))
    return np.diff(np.floor(np.cumsum(pitch / 16000)), prepend=0.0) + 0.005 * rng.standard_normal(n)


def _ramped(y: np.ndarray) -> np.ndarray:
    n = y.size
    y = y * np.minimum(1.0, np.minimum(np.arange(n), n - np.arange(n)) / 480.0)
    return (0.3 * y / np.abs(y).max()).astype(np.float32)


def held_vowel(seconds: float, f0: tuple[float, float], seed: int = 0) -> np.ndarray:
    """A synthetic schwa: a jittered pulse train through three formant resonators."""
    rng = np.random.default_rng(seed)
    return _ramped(_formants(_source(int(seconds * 16000), f0, rng),
                             ((500, 80), (1500, 100), (2500, 120))))


def held_um(vowel_s: float, nasal_s: float, fall_st: float, seed: int = 0) -> np.ndarray:
    """A synthetic "um": one falling pitch through an open vowel, then the nasal murmur (the
    lips closed within 40 ms), over a -45 dB noise floor."""
    rng = np.random.default_rng(seed)
    n = int((vowel_s + nasal_s) * 16000)
    src = _source(n, (150.0, 150.0 * 2 ** (-fall_st / 12)), rng)
    u = _formants(src, ((640, 90), (1190, 110), (2390, 140)))
    m = _formants(src, ((260, 60), (1100, 300), (2300, 350)))
    closing = np.clip((np.arange(n) - vowel_s * 16000) / 640 + 0.5, 0.0, 1.0)
    y = _ramped((1 - closing) * u / np.abs(u).max() + closing * 0.4 * m / np.abs(m).max())
    return y + (0.3 * 10 ** (-45 / 20) * rng.standard_normal(n)).astype(np.float32)


def fillers_in(x: np.ndarray) -> list[Filler]:
    track, detector = FrameTrack(), FillerDetector()
    found: list[Filler] = []
    for i in range(0, x.size, CHUNK):
        found += detector.feed_frames(track.feed(x[i:i + CHUNK], i / 16000))
    return found + detector.finish()


def eval_fillers(audio: Path) -> None:
    clips = [read_audio(p) for p in sorted((audio / "pace-librivox").glob("*.wav"))]
    gap = np.zeros(2400, dtype=np.float32)
    found = rejected = 0
    for k, x in enumerate(clips):
        cut = x.size // 2
        for f0, is_filler in (((120.0, 120.0), True), ((110.0, 170.0), False)):
            mixed = np.concatenate([x[:cut], gap, held_vowel(0.45, f0, seed=k), gap, x[cut:]])
            at = (cut + gap.size) / 16000
            hits = [f for f in fillers_in(mixed) if abs(f.t - at) <= 0.1]
            found += is_filler and len(hits) == 1
            rejected += (not is_filler) and not hits
    check("held vowel in LibriVox found at its place", found, found == len(clips),
          f"{len(clips)} of {len(clips)}")
    check("rising-pitch vowel in LibriVox rejected", rejected, rejected == len(clips),
          f"{len(clips)} of {len(clips)}")
    # "Um" as two sounds on one pitch, each too short alone (0.15-0.3 s): vowel/nasal splits
    # and pitch falls as a speaker's vary; spliced between two phrases with a room-noise gap.
    floor = (0.3 * 10 ** (-45 / 20) * np.random.default_rng(9).standard_normal(2400))
    floor = floor.astype(np.float32)
    ums = found = 0
    for k, x in enumerate(clips):
        cut = x.size // 2
        for total in (0.4, 0.6):
            for vowel_share in (0.3, 0.5):
                for fall in (1.0, 2.5, 4.0):
                    y = held_um(total * vowel_share, total * (1 - vowel_share), fall, seed=k)
                    y *= 0.5 * np.abs(x).max() / 0.3
                    at = (cut + floor.size) / 16000
                    hits = [f for f in fillers_in(np.concatenate([x[:cut], floor, y, floor,
                                                                  x[cut:]]))
                            if at - 0.1 <= f.t <= at + total]
                    ums += 1
                    found += len(hits) == 1
    check("held um (vowel then nasal, 0.4/0.6 s) found once", found, found == ums,
          f"{ums} of {ums}")
    alarms = sum(len(fillers_in(x)) for x in clips)
    minutes = sum(x.size for x in clips) / 16000 / 60
    check(f"LibriVox fluent speech false alarms/min ({alarms})", alarms / minutes,
          alarms / minutes <= 1.0, "<= 1.0")
    eval_real_fillers(audio / "fillers-sep28k")
    for name, paths in (("AMI (real um/uh, unlabelled)", sorted((audio / "vad-ami").glob("*.wav"))),
                        ("long/silero_test_60s", [audio / "long" / "silero_test_60s.wav"])):
        n = sum(len(fillers_in(read_audio(p))) for p in paths)
        secs = sum(read_audio(p).size for p in paths) / 16000
        print(f"{'fillers/min, ' + name + ' (info)':<44} {n / secs * 60:>8.2f}  n={n}")


def app_fillers(x: np.ndarray) -> list[Filler]:
    """Fillers as the app reports them: the speaking analyser, fed 20 ms chunks, no camera."""
    analyzer = SpeakingAnalyzer()
    events: list[object] = []
    for i in range(0, x.size, CHUNK):
        events += analyzer.feed_audio(x[i:i + CHUNK], i / 16000)
    events += analyzer.finish(x.size / 16000)
    return [e for e in events if isinstance(e, Filler)]


def eval_real_fillers(folder: Path) -> None:
    labels = folder / "labels.csv"
    if not labels.is_file():
        print(f"{'fillers-sep28k: absent, skipped':<44}")
        return
    import csv

    found = {row["file"]: (row["label"], app_fillers(read_audio(folder / row["file"])))
             for row in csv.DictReader(labels.open())}
    has = [f for label, f in found.values() if label == "has_filler"]
    check("sep28k has_filler clips with a filler", sum(bool(f) for f in has),
          all(has), f"{len(has)} of {len(has)}")
    clean = [(n, f) for n, (label, f) in found.items() if label == "no_filler"]
    alarms = sum(len(f) for _, f in clean)
    minutes = sum(read_audio(folder / n).size for n, _ in clean) / 16000 / 60
    check(f"sep28k no_filler false alarms/min ({alarms} in {len(clean)})", alarms / minutes,
          alarms / minutes <= 1.0, "<= 1.0")
    maybe = [n for n, (label, f) in found.items() if label == "maybe_filler" and f]
    print(f"{'sep28k maybe_filler clips with one (info)':<44} {len(maybe):>8d}  of "
          f"{sum(label == 'maybe_filler' for label, _ in found.values())}")
