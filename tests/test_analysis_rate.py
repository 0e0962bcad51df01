"""The analysis-rate policy on simulated results, and offline analysis that uses it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detectors.analysis_rate import AnalysisRate, Looked, RateSettings
from detectors.face import Face

FPS = 15.0


def face_at(x: float = 0.5) -> Face:
    lm = np.full((478, 3), 0.5, dtype=np.float32)
    lm[:, 0] = x
    lm[33, 0], lm[263, 0] = x - 0.1, x + 0.1  # the eye corners: a 128 px eye span at 640 px
    return Face(landmarks=lm, blendshapes={}, head_matrix=np.eye(4), image_size=(640, 480))


def run(results, seconds: float = 10.0, rate: AnalysisRate | None = None,  # type: ignore[no-untyped-def]
        mouth=lambda t: False, speaking=lambda t: False) -> list[float]:  # type: ignore[no-untyped-def]
    """Offers a 15 fps camera for `seconds`; `results(t)` gives (face, state, eye_contact) for
    the frames the policy picks. Returns the analysed frames' times."""
    rate = rate or AnalysisRate()
    picked = []
    for i in range(int(seconds * FPS)):
        t = i / FPS
        if rate.wants(t, mouth(t), speaking(t)):
            face, state, p = results(t)
            rate.analysed(Looked(t, face, state, p))
            picked.append(t)
    return picked


def steady(t: float):  # type: ignore[no-untyped-def]
    return face_at(), "lens", 0.95


def test_a_steady_face_at_the_lens_is_analysed_about_once_a_second() -> None:
    picked = np.array(run(steady))
    gaps = np.diff(picked[picked > 0.6])  # the first half second is the start: every frame
    assert 8 <= len(gaps) <= 11
    # Never more than steady_s apart: the eye-contact share and the look-away count drop
    # longer gaps as unseen time.
    assert gaps.max() <= 1.0 + 1e-9 and gaps.min() >= 0.8


def test_every_frame_while_the_gaze_changes_then_slow_again() -> None:
    def glance(t: float):  # type: ignore[no-untyped-def]
        return face_at(), "away" if 4.0 <= t < 4.6 else "lens", 0.95

    picked = np.array(run(glance))
    # The change is seen on the first analysed frame after 4.0 (at most 1 s late) and from then
    # on every frame is analysed for linger_s, so the return to the lens is seen within a frame.
    first_away = picked[picked >= 4.0][0]
    assert first_away <= 5.0
    back = [t for t in picked if t >= 4.6][0]
    assert back - 4.6 <= 1.0 / FPS + 1e-9 or first_away >= 4.6
    assert len(picked[picked > 6.5]) <= 5


def test_a_look_away_is_followed_every_third_of_a_second() -> None:
    def away(t: float):  # type: ignore[no-untyped-def]
        return face_at(), "lens" if t < 1.0 else "away", 0.02 if t >= 1.0 else 0.95

    picked = np.array(run(away))
    late = np.diff(picked[picked > 3.0])
    assert late.max() <= 0.34  # the look-away nudge's count advances on analysed frames


def test_blinks_undecided_gaze_and_head_turns_speed_it_up() -> None:
    def blink(t: float):  # type: ignore[no-untyped-def]
        return face_at(), "closed" if 3.0 <= t < 3.3 else "lens", 0.95

    def undecided(t: float):  # type: ignore[no-untyped-def]
        return face_at(), "lens", 0.5

    def turning(t: float):  # type: ignore[no-untyped-def]
        # The head swings between two places a third of the eye span apart every 0.2 s.
        return face_at(0.45 if int(t * 5) % 2 else 0.55), "lens", 0.95

    assert len(run(steady)) < 25
    assert len(run(undecided)) > 0.9 * 10 * FPS
    assert len(run(turning)) > 0.8 * 10 * FPS
    picked = np.array(run(blink))
    assert len(picked) > len(run(steady))


def test_calibration_and_a_voice_the_mouth_has_not_claimed_want_frames() -> None:
    rate = AnalysisRate()
    rate.wants(0.0)
    rate.analysed(Looked(0.0, face_at(), "lens", 0.95, calibrating=True))
    assert all(rate.wants(i / FPS) for i in range(1, 10))
    picked = run(steady, mouth=lambda t: t >= 5.0)
    later = np.diff(np.array(picked)[np.array(picked) > 5.5])
    assert later.max() <= 0.14


def test_while_the_user_speaks_a_look_away_is_seen_within_half_a_second() -> None:
    """The look-away nudge can fire only while the user speaks: then a steady face at the lens
    is looked at every half second, so a glance that starts between two frames is seen at most
    half a second late; while the user listens, once a second."""
    talking = np.array(run(steady, speaking=lambda t: 5.0 <= t < 10.0))
    listening, speaking = np.diff(talking[(talking > 0.6) & (talking < 5.0)]), \
        np.diff(talking[talking > 5.5])
    assert listening.min() >= 0.8 and speaking.max() <= 0.5 + 1e-9
    rate = AnalysisRate()
    run(steady, rate=rate, speaking=lambda t: True)
    assert rate.reasons.get("speaking", 0) >= 10

    def away_after(t0: float):  # type: ignore[no-untyped-def]
        return lambda t: (face_at(), "away" if t >= t0 else "lens", 0.02 if t >= t0 else 0.95)

    for t0 in np.arange(6.0, 7.0, 1.0 / FPS):  # wherever between two frames it starts
        picked = np.array(run(away_after(t0), speaking=lambda t: True))
        assert picked[picked >= t0][0] - t0 <= 0.5


def test_every_frame_policy_and_a_clock_that_goes_back() -> None:
    assert len(run(steady, rate=AnalysisRate(RateSettings.every_frame()))) == 10 * FPS
    rate = AnalysisRate()
    run(steady, seconds=3.0, rate=rate)
    assert rate.wants(0.0)  # a replay restarted: analysed at once
    assert 0.0 < rate.share < 0.5 and sum(rate.reasons.values()) == rate.chosen


def test_offline_analysis_uses_the_live_policy(shared_data: Path) -> None:
    from overlay.session.offline import analyze_recording
    from overlay.settings import load_settings

    clip = shared_data / "video" / "lia__obama.mov"
    settings = load_settings(environ={})
    try:
        result = analyze_recording(clip, settings)
    except Exception as exc:  # noqa: BLE001 - no model here: say why
        pytest.skip(f"cannot analyse {clip.name}: {exc}")
    rate = result.pipeline.rate
    # The camera's 15 fps of a 25 fps clip were offered, and far fewer analysed; the JSON's
    # frames are the analysed ones.
    assert rate.offered == pytest.approx(result.duration_s * FPS, rel=0.05)
    assert rate.chosen == len(result.recorder.frames) == result.pipeline.stats().frames
    assert rate.share < 0.5
