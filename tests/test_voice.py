"""Voice activity: the WebRTC reference, real speech and noise clips, streaming behaviour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detectors.voice import SpeechBurst, SpeechTurn, VoiceActivity
from detectors.webrtc_gate import WebRtcGate


def run(x: np.ndarray, chunk: int = 320, **kw: float) -> list[SpeechBurst | SpeechTurn]:
    vad = VoiceActivity(**kw)  # type: ignore[arg-type]
    events: list[SpeechBurst | SpeechTurn] = []
    for i in range(0, x.size, chunk):
        events += vad.feed(x[i:i + chunk], 10.0 + i / 16000)  # session clock starts at 10 s
    return events + vad.finish(10.0 + x.size / 16000)


def frames(segs: list[tuple[float, float]], dur: float) -> np.ndarray:
    m = np.zeros(int(dur * 100), dtype=bool)
    for a, b in segs:
        m[int(round(a * 100)):int(round(b * 100))] = True
    return m


def test_webrtc_gate_reproduces_the_reference_decisions(shared_data: Path) -> None:
    ref = shared_data / "audio" / "webrtcvad-reference"
    raw = np.fromfile(ref / "test-audio.raw", dtype="<i2")
    lines = [ln.split() for ln in (ref / "expected.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 4
    for mode, expected in lines:
        gate = WebRtcGate(int(mode), rate=8000, frame_ms=30)
        # Odd chunk sizes: frames straddle chunks, the partial tail waits.
        got = np.concatenate([gate.feed(c) for c in np.array_split(raw, 9)])
        assert "".join("1" if d else "0" for d in got) == expected, f"mode {mode}"


def test_webrtc_gate_refuses_bad_settings() -> None:
    with pytest.raises(ValueError):
        WebRtcGate(4)
    with pytest.raises(ValueError):
        WebRtcGate(2, rate=22050)


def test_silence_is_not_speech() -> None:
    quiet = (0.001 * np.random.default_rng(1).standard_normal(16000 * 5)).astype(np.float32)
    assert run(quiet) == []


@pytest.mark.parametrize("clip", ["count", "count2"])
def test_counting_clip_words_are_found(shared_data: Path, clip: str) -> None:
    from overlay.capture.media import read_audio

    folder = shared_data / "audio" / "vad-count"
    x = read_audio(folder / f"{clip}.wav")
    labels = [ln.split()[:3] for ln in (folder / f"{clip}.segments").read_text().splitlines()
              if ln.strip()]
    speech = [(float(a), float(b)) for a, b, kind in labels if kind == "speech"]
    bursts = [(e.start - 10.0, e.end - 10.0) for e in run(x) if isinstance(e, SpeechBurst)]
    dur = x.size / 16000
    ref, hyp = frames(speech, dur), frames(bursts, dur)
    f1 = 2 * (ref & hyp).sum() / (ref.sum() + hyp.sum())
    assert f1 >= 0.92
    # Every counted number starts within 0.1 s of its label.
    for a, _ in speech:
        assert min(abs(b - a) for b, _ in bursts) <= 0.1


@pytest.mark.parametrize("name", ["keyboard_typing", "running_tap"])
def test_noise_is_not_speech(shared_data: Path, name: str) -> None:
    from overlay.capture.media import read_audio

    x = read_audio(shared_data / "audio" / "noise" / f"{name}.wav")[:16000 * 12]
    turns = [e for e in run(x, chunk=4000) if isinstance(e, SpeechTurn)]
    assert sum(t.end - t.start for t in turns) <= 0.02 * x.size / 16000


def test_chunk_size_does_not_change_the_result(shared_data: Path) -> None:
    from overlay.capture.media import read_audio

    x = read_audio(shared_data / "audio" / "vad-count" / "count2.wav")
    small = run(x, chunk=320)
    large = run(x, chunk=16000)
    assert small == large
    assert len([e for e in small if isinstance(e, SpeechBurst)]) >= 9


def test_turns_bridge_short_pauses_and_speaking_follows(shared_data: Path) -> None:
    from overlay.capture.media import read_audio

    x = read_audio(shared_data / "audio" / "vad-count" / "count.wav")  # numbers 0.1-0.2 s apart
    events = run(x)
    turns = [e for e in events if isinstance(e, SpeechTurn)]
    bursts = [e for e in events if isinstance(e, SpeechBurst)]
    assert len(turns) == 1 < len(bursts)
    assert turns[0].start <= bursts[0].start and turns[0].end >= bursts[-1].end
    vad = VoiceActivity()
    onset = None
    for i in range(0, x.size, 320):
        vad.feed(x[i:i + 320], i / 16000)
        if vad.speaking and onset is None:
            onset = (i + 320) / 16000
    assert onset is not None and onset - 0.13 < 0.5  # first number starts at 0.13 s


# -- mouth movement: is it the user's voice? ---------------------------------------------------
def face_with(jaw: float, gap: float) -> object:
    from detectors.face import CHIN, FOREHEAD, LOWER_LIP, UPPER_LIP, Face

    lm = np.full((478, 3), 0.5, dtype=np.float32)
    lm[FOREHEAD, 1], lm[CHIN, 1] = 0.2, 0.8
    lm[UPPER_LIP, 1], lm[LOWER_LIP, 1] = 0.6, 0.6 + gap
    return Face(landmarks=lm, blendshapes={"jawOpen": jaw}, head_matrix=np.eye(4),
                image_size=(640, 480))


def test_mouth_motion_tells_talking_from_still_and_no_face() -> None:
    from detectors.mouth import MouthMotion

    talking, still, absent = MouthMotion(), MouthMotion(), MouthMotion()
    for i in range(30):  # 1 s at 30 fps; the jaw opens and closes ~4 times a second
        t = i / 30
        phase = np.sin(2 * np.pi * 4 * t)
        talking.note(face_with(0.2 + 0.15 * phase, 0.02 + 0.015 * phase), t)  # type: ignore[arg-type]
        still.note(face_with(0.05, 0.005), t)  # type: ignore[arg-type]
        absent.note(None, t)
    assert (talking.moving(1.0) or 0) > 0.9
    assert (still.moving(1.0) or 1) < 0.1
    assert absent.moving(1.0) is None


def test_speech_with_a_still_mouth_is_not_the_users(shared_data: Path) -> None:
    from detectors.speaking import AnswerSummary, SpeakingAnalyzer, SpeechSegment
    from overlay.capture.media import read_audio

    x = read_audio(shared_data / "audio" / "vad-count" / "count2.wav")
    results = {}
    for label, amplitude in (("still", 0.0), ("talking", 0.15)):
        analyzer = SpeakingAnalyzer()
        events: list[object] = []
        for i in range(0, x.size, 1600):
            for k in range(3):  # ~30 fps of faces alongside the audio
                t = i / 16000 + k / 30
                phase = np.sin(2 * np.pi * 4 * t)
                analyzer.note_face(face_with(0.2 + amplitude * phase, 0.02), t)  # type: ignore[arg-type]
            events += analyzer.feed_audio(x[i:i + 1600], i / 16000)
        events += analyzer.finish(x.size / 16000)
        results[label] = events
    assert not any(isinstance(e, (SpeechSegment, AnswerSummary)) for e in results["still"])
    assert any(isinstance(e, SpeechSegment) for e in results["talking"])
    assert any(isinstance(e, AnswerSummary) for e in results["talking"])


def test_a_steady_low_rumble_stays_silence() -> None:
    # A train's rumble: brown noise below 600 Hz, an engine hum at 80 Hz, a slow swell (made
    # here; the same kind of signal as eval_speech.py's rumble rows).
    from detectors.voice import SpeechTurn, VoiceActivity

    rng = np.random.default_rng(7)
    n = 20 * 16000
    t = np.arange(n) / 16000
    f = np.fft.rfftfreq(n, 1 / 16000)
    shape = 1.0 / np.maximum(f, 20.0) / np.sqrt(1.0 + (f / 600.0) ** 8)
    noise = np.fft.irfft(np.fft.rfft(rng.standard_normal(n)) * shape, n)
    phase = 2 * np.pi * 80.0 * t
    hum = sum(np.sin(k * phase) / k for k in range(1, 9))
    x = noise / np.abs(noise).max() + 0.6 * hum / np.abs(hum).max()
    x *= 0.6 + 0.4 * np.sin(2 * np.pi * t / 11.0)
    x = (0.3 * x / np.abs(x).max()).astype(np.float32)
    vad = VoiceActivity()
    events = []
    for i in range(0, n, 320):
        events += vad.feed(x[i:i + 320], i / 16000)
    events += vad.finish(n / 16000)
    assert sum(e.duration_s for e in events if isinstance(e, SpeechTurn)) <= 0.02 * 20
