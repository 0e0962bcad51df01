"""Gaze geometry, EyeContact smoothing and calibration on faces built from arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from detectors import face as fm
from detectors.eye_contact import EyeContact
from detectors.face import Face
from detectors.gaze import GazeGeometry
from detectors.gaze_calibration import CalibrationRecorder, GazeCalibration
from detectors.gaze_correction import eye_contact_corrector
from detectors.gaze_model import GazeModel, fit_logistic, raw_inputs

W, H = 640, 480


def make_face(*, yaw: float = 0.0, pitch: float = 0.0, iris_dx: float = 0.0, shift: float = 0.0,
              blink: float = 0.0, lid: float = 0.01, **blend: float) -> Face:
    """A face whose eyes sit at y=0.45; yaw/pitch in degrees (+yaw turns the nose image-right,
    +pitch turns it up); iris_dx moves both irises image-right by that fraction of the width."""
    lms = np.zeros((478, 3), np.float32)
    eyes = ((fm.RIGHT_EYE_OUTER, fm.RIGHT_EYE_INNER, fm.IRIS_OF_RIGHT_EYE, fm.RIGHT_EYE_TOP,
             fm.RIGHT_EYE_BOTTOM, 0.40),
            (fm.LEFT_EYE_INNER, fm.LEFT_EYE_OUTER, fm.IRIS_OF_LEFT_EYE, fm.LEFT_EYE_TOP,
             fm.LEFT_EYE_BOTTOM, 0.54))
    for a, b, iris, top, bottom, x0 in eyes:
        x0 += shift
        lms[a] = (x0, 0.45, 0)
        lms[b] = (x0 + 0.06, 0.45, 0)
        lms[iris] = (x0 + 0.03 + iris_dx, 0.45, 0)
        lms[top] = (x0 + 0.03, 0.45 - lid, 0)
        lms[bottom] = (x0 + 0.03, 0.45 + lid, 0)
    y, p = math.radians(yaw), math.radians(pitch)
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), math.sin(p)], [0, -math.sin(p), math.cos(p)]])
    m = np.eye(4, dtype=np.float32)
    m[:3, :3] = ry @ rx
    shapes = {"eyeBlinkLeft": blink, "eyeBlinkRight": blink, **blend}
    return Face(landmarks=lms, blendshapes=shapes, head_matrix=m, image_size=(W, H))


def test_frontal_face_looks_into_the_lens() -> None:
    s = GazeGeometry().measure(make_face())
    assert s.offset_deg == pytest.approx((0.0, 0.0), abs=0.5)
    assert s.closed < 0.2


def test_head_turn_signs() -> None:
    geo = GazeGeometry(blend_weight=0.0)
    assert geo.measure(make_face(yaw=20)).offset_deg[0] == pytest.approx(20, abs=1)
    assert geo.measure(make_face(yaw=-20)).offset_deg[0] == pytest.approx(-20, abs=1)
    assert geo.measure(make_face(pitch=15)).offset_deg[1] == pytest.approx(15, abs=1)
    assert geo.measure(make_face(pitch=-15)).head_deg[1] == pytest.approx(-15, abs=1)


def test_eyes_turn_signs_and_add_to_the_head() -> None:
    iris_only = GazeGeometry(blend_weight=0.0)
    right = iris_only.measure(make_face(iris_dx=0.01)).offset_deg[0]
    assert right > 5  # iris a third of the half-opening to image right: about 25 degrees
    left = iris_only.measure(make_face(iris_dx=-0.01)).offset_deg[0]
    assert left == pytest.approx(-right, abs=0.01)
    # Eyes turned against the head cancel it: head right, eyes left, gaze back at the lens.
    back = iris_only.measure(make_face(yaw=right, iris_dx=-0.01)).offset_deg[0]
    assert abs(back) < 2
    blend_only = GazeGeometry(blend_weight=1.0)
    assert blend_only.measure(make_face(eyeLookOutLeft=0.6, eyeLookInRight=0.6)).offset_deg[0] > 10
    assert blend_only.measure(make_face(eyeLookDownLeft=0.6,
                                        eyeLookDownRight=0.6)).offset_deg[1] < -10


def test_the_offset_needs_no_field_of_view_and_ignores_where_the_face_sits() -> None:
    # MediaPipe's rotation is relative to the line of sight, so a frontal-looking face anywhere
    # in the image is looking into the lens (the retired camera.fov_deg cancelled out).
    geo = GazeGeometry()
    centred, aside = geo.measure(make_face()), geo.measure(make_face(shift=-0.3))
    assert aside.offset_deg == pytest.approx(centred.offset_deg, abs=1e-3)  # float32 pixels


def test_closed_measure_from_blendshapes_and_lids() -> None:
    geo = GazeGeometry()
    assert geo.closed(make_face(blink=0.9)) >= 0.9
    assert geo.closed(make_face(lid=0.002)) > 0.8  # lids nearly touching, blendshape silent
    assert geo.closed(make_face()) < 0.2


def run(detector: EyeContact, faces: list[Face | None], fps: float = 15.0, t0: float = 0.0):
    return [detector.update(f, t0 + i / fps) for i, f in enumerate(faces)]


def test_one_noisy_frame_never_flips_the_state() -> None:
    looking, glance = make_face(), make_face(yaw=40)
    for fps in (10.0, 15.0, 30.0):
        readings = run(EyeContact(), [looking] * 10 + [glance] + [looking] * 10, fps)
        assert {r.state for r in readings} == {"lens"}
        readings = run(EyeContact(), [glance] * 10 + [looking] + [glance] * 10, fps)
        assert {r.state for r in readings} == {"away"}


def test_sustained_change_flips_within_the_documented_latency() -> None:
    readings = run(EyeContact(), [make_face()] * 15 + [make_face(yaw=40)] * 15)
    first_away = next(r.t for r in readings if r.state == "away")
    assert 1.0 < first_away <= 1.0 + 0.07 + 3 / 15.0 + 1e-9  # smoothing_s + hold frames
    assert readings[-1].eye_contact is not None and readings[-1].eye_contact < 0.1
    assert not readings[-1].calibrated


def test_blinks_are_closed_never_away() -> None:
    blink = make_face(blink=0.95)
    readings = run(EyeContact(), [make_face()] * 10 + [blink] * 3 + [make_face()] * 5)
    assert [r.state for r in readings[10:13]] == ["closed"] * 3
    assert all(r.state == "lens" for r in readings[13:])
    assert "away" not in {r.state for r in readings}


def test_a_blink_reopening_is_closed_but_a_squint_is_not() -> None:
    # Open eyes: aperture 0.25 of the width; half-open (lid 0.007): 0.175, 70% of this person's
    # open eye, and not shut by the fixed measure (closedness about 0.44).
    half_open = make_face(lid=0.007)
    assert GazeGeometry().closed(half_open) < 0.5
    readings = run(EyeContact(), [make_face()] * 20 + [make_face(blink=0.95)] * 2
                   + [half_open] * 10, fps=15.0)
    assert [r.state for r in readings[20:24]] == ["closed"] * 4  # shut, shut, reopening x2
    assert {r.state for r in readings[25:]} == {"lens"}  # reopening lasts at most reopen_s
    squint = run(EyeContact(), [make_face()] * 20 + [half_open] * 10, fps=15.0)
    assert {r.state for r in squint} == {"lens"}


def test_the_gaze_after_a_closure_is_judged_afresh() -> None:
    # People often blink while moving their eyes: after a blink the gaze before it is stale.
    for fps in (10.0, 15.0, 30.0):
        readings = run(EyeContact(), [make_face()] * 20 + [make_face(blink=0.95)] * 3
                       + [make_face(yaw=40)] * 5, fps)
        states = [r.state for r in readings[23:]]
        assert states[0] == "lens"  # one frame never flips the state, even after a blink
        assert states[1:] == ["away"] * 4


def test_missing_face_is_noface_after_a_short_hold() -> None:
    readings = run(EyeContact(noface_after_s=0.3), [make_face()] * 10 + [None] * 10)
    assert readings[10].state == "lens"  # one dropped detection holds the state
    assert readings[-1].state == "noface"
    assert readings[-1].eye_contact is None and readings[-1].offset_deg is None


def test_calibration_moves_the_centre_and_round_trips() -> None:
    recorder = CalibrationRecorder(duration_s=3.0, settle_s=0.5)
    progress = [recorder.add(make_face(yaw=30), i / 15.0) for i in range(60)]
    assert progress[0] == 0.0 and progress == sorted(progress) and recorder.done()
    cal = recorder.result()
    assert cal.lens_deg[0] == pytest.approx(30, abs=1) and cal.measured
    assert GazeCalibration.from_dict(cal.to_dict()) == cal
    # Uncalibrated, this person's look into the lens reads as away; calibrated, as lens.
    assert run(EyeContact(), [make_face(yaw=30)] * 10)[-1].state == "away"
    calibrated = run(EyeContact(cal), [make_face(yaw=30)] * 10)[-1]
    assert calibrated.state == "lens" and calibrated.calibrated


def test_calibration_needs_open_eyes_and_a_face() -> None:
    recorder = CalibrationRecorder()
    for i in range(60):
        recorder.add(None if i % 2 else make_face(blink=0.9), i / 15.0)
    assert recorder.progress() == 0.0
    with pytest.raises(ValueError):
        recorder.result()


def test_a_look_nearer_the_interviewers_video_than_the_lens_is_away() -> None:
    lens_only = GazeCalibration((0.0, 0.0), (3.0, 3.0))
    with_screen = GazeCalibration((0.0, 0.0), (3.0, 3.0), screen_deg=(0.0, -12.0))
    towards_screen = make_face(pitch=-8)  # two thirds of the way to the interviewer's video
    assert run(EyeContact(lens_only), [towards_screen] * 10)[-1].state == "lens"
    assert run(EyeContact(with_screen), [towards_screen] * 10)[-1].state == "away"
    assert run(EyeContact(with_screen), [make_face(pitch=-3)] * 10)[-1].state == "lens"


def test_an_unsure_probability_gives_no_verdict() -> None:
    def p(face: Face) -> float:
        sample = GazeGeometry().measure(face)
        return detector.instant_probability(sample, raw_inputs(sample, face, 1.0))

    detector = EyeContact(away_below=0.4, lens_above=0.6)
    yaw = next(y / 4 for y in range(0, 240) if 0.45 < p(make_face(yaw=y / 4)) < 0.55)
    readings = run(EyeContact(away_below=0.4, lens_above=0.6),
                   [make_face()] * 10 + [make_face(yaw=yaw)] * 15)
    assert readings[9].state == "lens" and readings[-1].state == "unknown"
    assert 0.4 < readings[-1].eye_contact < 0.6


def test_a_camera_that_corrects_eye_contact_gets_no_verdict() -> None:
    assert eye_contact_corrector("Camera (NVIDIA Broadcast)") == "NVIDIA Broadcast"
    assert eye_contact_corrector("Windows Studio Effects Camera") == "Windows Studio Effects"
    assert eye_contact_corrector("Integrated Webcam") is None
    assert eye_contact_corrector(None) is None
    readings = run(EyeContact(corrected_by="NVIDIA Broadcast"),
                   [make_face()] * 5 + [make_face(yaw=40)] * 5)
    assert {r.state for r in readings} == {"unknown"}


def test_the_gaze_step_says_why_eye_contact_is_not_judged() -> None:
    from overlay.session.gaze_step import GazeStep
    from overlay.session.recorder import FrameRecord, SessionRecorder
    from overlay.settings import load_settings

    recorder = SessionRecorder()
    step = GazeStep(load_settings(), recorder)
    step.use_camera("Camera (NVIDIA Broadcast)")
    for i in range(10):
        step.on_frame(i / 15.0, make_face(), FrameRecord(t=i / 15.0), speaking=True)
    first = recorder.events[0]
    assert first.kind == "gaze" and first.data["state"] == "unknown"
    assert "NVIDIA Broadcast" in first.data["not_judged"]
    assert [e.data["state"] for e in recorder.events if e.kind == "gaze"] == ["unknown"]
    assert [n.kind for n in recorder.nudges] == ["gaze_unjudged"]
    report = step.report()["eye_contact"]
    assert report["overall"] is None and "NVIDIA Broadcast" in report["not_judged"]
    plain = GazeStep(load_settings(), SessionRecorder())
    plain.use_camera("Integrated Webcam")
    assert plain.not_judged is None


def test_the_model_round_trips_and_fits_deterministically() -> None:
    model = GazeModel.shipped()
    assert GazeModel.from_dict(model.to_dict()) == model
    rng = np.random.default_rng(0)
    lens = rng.normal([2, 2, 1.0, 0.2], [1, 1, 0.05, 0.05], (50, 4))
    away = rng.normal([25, 5, 0.9, 0.6], [5, 3, 0.05, 0.1], (50, 4))
    rows, labels = np.r_[lens, away].tolist(), [True] * 50 + [False] * 50
    first, again = fit_logistic(rows, labels), fit_logistic(rows, labels)
    assert first == again
    mean, scale, weights, _ = first
    assert weights[0] < 0  # further from the lens, less eye contact


def test_the_retired_field_of_view_setting_is_told_not_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from overlay.settings import load_settings

    user = tmp_path / "settings.toml"
    user.write_text("[camera]\nfov_deg = 70.0\n")
    settings = load_settings(user, environ={})
    assert "camera.fov_deg" not in settings.values


def test_reading_mediapipes_packets_gives_the_public_apis_faces(shared_data) -> None:  # type: ignore[no-untyped-def]
    # FaceFinder reads the landmarker's output packets itself (3-5 ms less Python per frame);
    # it must give exactly what MediaPipe's public detect_for_video gives.
    import av

    from detectors.face import FaceFinder
    from overlay.paths import face_model_path

    if not face_model_path().is_file():
        pytest.skip(f"face model not fetched: {face_model_path()}")
    with FaceFinder(face_model_path()) as fast, \
            FaceFinder(face_model_path(), public_api=True) as public:
        assert fast._packets is not None, "MediaPipe 0.10.21's internals were not found"
        assert public._packets is None
        faces = 0
        with av.open(str(shared_data / "video" / "lia__obama.mov")) as container:
            for i, frame in enumerate(container.decode(video=0)):
                rgb = frame.to_ndarray(format="rgb24")
                a, b = fast.find(rgb, i / 25), public.find(rgb, i / 25)
                assert (a is None) == (b is None)
                if a is not None and b is not None:
                    faces += 1
                    assert np.array_equal(a.landmarks, b.landmarks)
                    assert a.blendshapes == b.blendshapes and len(a.blendshapes) == 52
                    assert np.array_equal(a.head_matrix, b.head_matrix)
                    assert a.image_size == b.image_size
                if i == 40:
                    break
        assert faces >= 30


def test_the_summary_says_why_eye_contact_was_not_judged() -> None:
    from overlay.review.summary import summarise
    from overlay.session.eventlog import SessionInfo
    from overlay.session.gaze_step import GazeStep
    from overlay.session.recorder import FrameRecord, SessionRecorder
    from overlay.settings import load_settings

    recorder = SessionRecorder()
    recorder.event(0.0, "session_started", mode="live", source="camera+microphone")
    step = GazeStep(load_settings(), recorder)
    step.use_camera("Windows Studio Effects Camera")
    for i in range(30):
        step.on_frame(i / 15.0, make_face(), FrameRecord(t=i / 15.0), speaking=True)
    info = SessionInfo("s1", "live", "cam", "2026-11-20T09:00:00+00:00",
                       "2026-11-20T09:00:02+00:00", 2.0, "ended", None)
    summary = summarise(recorder.events, info)
    assert summary.gaze_not_judged is not None and "Studio Effects" in summary.gaze_not_judged
    assert summary.speaking_eye.eye_contact is None  # no praise for painted-on eye contact
    from overlay.review.takeaways import takeaways

    texts = [t.text for t in takeaways(summary)]
    assert any("not judged" in t and "Studio Effects" in t for t in texts)
    assert not any("Sit centred" in t for t in texts)  # no posture advice for a camera effect
