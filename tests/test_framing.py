"""FramingCheck, FramingSummary and the framing nudges, on constructed faces and one real clip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detectors.framing import FIXES, FramingCheck, FramingReading, FramingSummary
from detectors.scene_nudges import SceneNudger
from tests.test_lighting import H, W, synthetic_face

CHECK = FramingCheck()


def with_position(face, x_cm: float, y_cm: float, z_cm: float):
    face.head_matrix[:3, 3] = (x_cm, y_cm, z_cm)
    return face


def test_centred_chest_up_face_at_eye_level_is_ok() -> None:
    r = CHECK.measure(synthetic_face(), (W, H))
    assert r.verdicts == ("ok",) and r.fixes == ()
    assert 0.18 < r.face_height < 0.55 and 0.0 < r.headroom < 0.3
    assert r.offset_x == pytest.approx(0.0, abs=1e-6)
    assert r.camera_pitch_deg == pytest.approx(0.0, abs=1e-3)


@pytest.mark.parametrize(("face", "verdict", "fix"), [
    (synthetic_face(iod=150, cy=170), "too_close", "move back a little"),
    (synthetic_face(iod=30), "too_far", "move closer"),
    (synthetic_face(cy=50), "no_headroom", "leave a little space above your head"),
    (synthetic_face(cy=330), "low_in_frame", "tilt the camera down a little"),
    (synthetic_face(cx=560), "off_centre", "centre yourself"),
    (synthetic_face(pitch_deg=22), "camera_low", "raise the camera to eye level"),
    (synthetic_face(pitch_deg=-28), "camera_high", "lower the camera to eye level"),
])
def test_each_problem_comes_with_its_fix(face, verdict: str, fix: str) -> None:
    r = CHECK.measure(face, (W, H))
    assert verdict in r.verdicts
    assert fix in r.fixes and r.fixes[r.verdicts.index(verdict)] == fix


def test_camera_below_shows_even_with_a_level_head_high_in_the_frame() -> None:
    # Level head (no pitch of its own), 20 cm above a camera 50 cm away: seen from 22 degrees
    # below, which is the look up the nose a laptop camera gives.
    face = with_position(synthetic_face(pitch_deg=0.0), 0.0, 20.0, -50.0)
    r = CHECK.measure(face, (W, H))
    assert r.camera_pitch_deg == pytest.approx(np.degrees(np.arctan2(20, 50)), abs=0.1)
    assert "camera_low" in r.verdicts
    # Tilting the head down to face that camera removes the up-the-nose view.
    aimed = with_position(synthetic_face(pitch_deg=-21.8), 0.0, 20.0, -50.0)
    assert "camera_low" not in CHECK.measure(aimed, (W, H)).verdicts


def test_no_face_judges_nothing() -> None:
    r = CHECK.measure(None, (W, H))
    assert r.verdicts == () and not r.judged


def test_summary_keeps_what_holds_for_a_meaningful_share() -> None:
    summary = FramingSummary(min_share=0.3)
    for _ in range(6):
        summary.add(CHECK.measure(synthetic_face(pitch_deg=22), (W, H)))
    for _ in range(3):
        summary.add(CHECK.measure(synthetic_face(), (W, H)))
    summary.add(CHECK.measure(synthetic_face(cx=560), (W, H)))  # one frame leaning aside
    summary.add(CHECK.measure(None, (W, H)))
    result = summary.result()
    assert result.verdicts == ("camera_low",)
    assert result.fixes == (FIXES["camera_low"],)
    assert result.shares["off_centre"] == pytest.approx(0.1)
    assert result.camera_pitch_deg == pytest.approx(22.0, abs=0.5)


def test_framing_nudge_after_five_seconds_with_a_short_text() -> None:
    nudger = SceneNudger(sustain_s=5.0, repeat_s=180.0)
    low = CHECK.measure(synthetic_face(pitch_deg=22), (W, H))
    nudges = [(t, n) for t in np.arange(0, 60, 0.5) if (n := nudger.update(low, float(t)))]
    assert len(nudges) == 1
    t, nudge = nudges[0]
    assert t == 5.0 and nudge.kind == "framing" and nudge.text == "Raise the camera"


def test_framing_nudge_waits_for_the_pause_after_an_answer() -> None:
    """Never mid-answer: a condition that held through the answer is told once it is over."""
    nudger = SceneNudger(sustain_s=5.0, repeat_s=180.0, quiet_s=2.5)
    close = CHECK.measure(synthetic_face(), (W, H))
    low = CHECK.measure(synthetic_face(pitch_deg=22), (W, H))
    assert close.verdicts == ("ok",) and "camera_low" in low.verdicts
    nudges = []
    for t in np.arange(0, 40, 0.5):
        speaking = 3.0 <= t < 20.0 or 21.0 <= t < 30.0  # two answers, a 1 s pause inside
        if (n := nudger.update(low, float(t), speaking)) is not None:
            nudges.append((float(t), n.text))
    assert nudges == [(32.0, "Raise the camera")]  # 2.5 s after the answer, not at 5 s


def test_framing_and_lighting_conditions_do_not_reset_each_other() -> None:
    from tests.test_lighting import reading

    nudger = SceneNudger(sustain_s=5.0)
    low = CHECK.measure(synthetic_face(pitch_deg=22), (W, H))
    kinds = []
    for t in np.arange(0, 8, 0.5):
        for r in (low, reading("uneven")):
            if (n := nudger.update(r, float(t))) is not None:
                kinds.append(n.kind)
    assert sorted(kinds) == ["framing", "uneven"]


def test_reading_without_verdicts_is_not_judged() -> None:
    assert not FramingReading(verdicts=(), fixes=()).judged


@pytest.mark.realdata
def test_studio_clip_has_the_camera_at_eye_level(shared_data: Path) -> None:
    import av

    from detectors.face import FaceFinder
    from overlay.paths import face_model_path

    if not face_model_path().is_file():
        pytest.skip(f"face model not fetched: {face_model_path()}")
    summary = FramingSummary()
    with FaceFinder(face_model_path(), video=True) as finder, \
            av.open(str(shared_data / "video" / "lia__obama.mov")) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= 100:
                break
            if i % 5:
                continue
            rgb = frame.to_ndarray(format="rgb24")
            summary.add(CHECK.measure(finder.find(rgb, float(frame.time)),
                                      (rgb.shape[1], rgb.shape[0])))
    result = summary.result()
    assert result.camera_pitch_deg is not None and abs(result.camera_pitch_deg) < 10
    assert "camera_low" not in result.verdicts and "camera_high" not in result.verdicts


def test_no_framing_verdict_from_a_few_frames_with_a_face() -> None:
    summary = FramingSummary()
    low = CHECK.measure(synthetic_face(pitch_deg=22), (W, H))
    for i in range(188):
        summary.add(low if i < 13 else FramingReading(verdicts=(), fixes=()))
    res = summary.result()
    assert res.verdicts == () and res.fixes == () and res.camera_pitch_deg is None
    assert res.why_unknown == ("a face was found in 7% of 188 frames: not enough to judge the "
                               "framing and camera height")
