"""The microphone check on synthetic signals with known levels, and on real recordings."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.mic_check import MicCheck, MicVerdicts

RATE = 16_000


def _tone(seconds: float, amp: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _noise(seconds: float, rms: float, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * rms).astype(
        np.float32)


def _speech_like(amp: float = 0.14, floor: float = 0.001) -> np.ndarray:
    """Bursts of 'voice' (a tone) separated by room noise, like words and pauses."""
    parts = []
    for i in range(10):
        parts.append(_tone(0.6, amp) + _noise(0.6, floor, seed=i))
        parts.append(_noise(0.4, floor, seed=100 + i))
    return np.concatenate(parts)


def _read(samples: np.ndarray, block: int = 320) -> MicCheck:
    check = MicCheck()
    for start in range(0, len(samples), block):
        check.feed(samples[start:start + block])
    return check


def test_digital_silence_is_a_dead_input() -> None:
    r = _read(np.zeros(5 * RATE, np.float32)).result()
    assert r.dead and r.digital_silence and not r.speech_heard
    assert r.noise_dbfs is None and r.seconds == pytest.approx(5.0)


def test_a_whisper_of_noise_below_the_dead_level_is_dead_too() -> None:
    r = _read(_noise(3, 1e-6)).result()
    assert r.dead and not r.digital_silence


def test_levels_of_speech_and_floor_match_the_signal() -> None:
    r = _read(_speech_like(amp=0.14, floor=0.001)).result()
    assert r.speech_heard and not r.dead
    # A sine of amplitude 0.14 has an RMS of 0.099: -20 dBFS. The floor is -60 dBFS.
    assert r.speech_dbfs == pytest.approx(-20.0, abs=1.5)
    assert r.noise_dbfs == pytest.approx(-60.0, abs=1.5)
    v = MicVerdicts()
    assert not v.too_quiet(r) and not v.noisy(r) and not v.clipping(r)


def test_block_size_does_not_change_the_reading() -> None:
    x = _speech_like()
    assert _read(x, 320).result() == _read(x, 1777).result() == _read(x, len(x)).result()


def test_quiet_voice_noisy_room_and_clipping_are_told_apart() -> None:
    v = MicVerdicts()
    quiet = _read(_speech_like(amp=0.01, floor=0.0001)).result()
    assert quiet.speech_heard and v.too_quiet(quiet) and not v.noisy(quiet)
    noisy = _read(_speech_like(amp=0.14, floor=0.03)).result()
    assert v.noisy(noisy) and not v.too_quiet(noisy)
    hot = _read(np.clip(_speech_like(amp=1.6), -1.0, 1.0)).result()
    assert v.clipping(hot) and hot.clipped_share > 0.1


def test_steady_noise_without_a_voice_is_not_speech() -> None:
    r = _read(_noise(5, 0.02)).result()
    assert not r.speech_heard and r.speech_dbfs is None
    assert MicVerdicts().noisy(r)  # a fan at -34 dBFS
    assert r.echo_risk == "unknown"


@pytest.mark.realdata
def test_real_interview_audio_passes_and_a_laptop_recording_is_quiet(shared_data) -> None:
    from overlay.capture.media import read_audio

    v = MicVerdicts()
    obama = _read(read_audio(shared_data / "video" / "lia__obama.mov")[: 20 * RATE]).result()
    assert obama.speech_heard and not (v.too_quiet(obama) or v.noisy(obama) or v.clipping(obama))
    # A laptop webcam's microphone in a quiet bedroom, far from the speaker.
    pavan = _read(read_audio(shared_data / "video" / "3ddfa_pavan__Side.mp4")).result()
    assert pavan.speech_heard and v.too_quiet(pavan)
    tap = _read(read_audio(shared_data / "audio" / "noise" / "running_tap.wav")).result()
    assert not tap.speech_heard and v.noisy(tap)
