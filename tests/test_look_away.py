"""The look-away nudge on a simulated clock, and on replayed real clips."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from detectors.eye_contact import EyeContact, GazeReading
from detectors.look_away import EyeContactShare, LookAwayNudger
from detectors.nudge import Nudge

FPS = 15.0


def reading(t: float, state: str) -> GazeReading:
    noface = state == "noface"
    return GazeReading(t, state, None if noface else 0.5, None if noface else (0.0, 0.0), False)


def replay(states: list[tuple[float, str]], speaking: bool = True,
           nudger: LookAwayNudger | None = None) -> list[Nudge]:
    """states: (duration_s, state) spans, played at FPS on a simulated clock."""
    nudger = nudger or LookAwayNudger()
    t, out = 0.0, []
    for duration, state in states:
        for _ in range(round(duration * FPS)):
            if (n := nudger.update(reading(t, state), speaking, t)) is not None:
                out.append(n)
            t += 1 / FPS
    return out


def test_nudge_after_sustained_look_away_while_speaking() -> None:
    nudges = replay([(2.0, "lens"), (5.0, "away")])
    assert len(nudges) == 1
    assert nudges[0].kind == "look_at_lens" and nudges[0].text == "Look at the lens"
    assert nudges[0].t == pytest.approx(5.0, abs=1.5 / FPS)


def test_no_nudge_while_listening_or_for_short_glances() -> None:
    assert replay([(2.0, "lens"), (10.0, "away")], speaking=False) == []
    assert replay([(2.5, "away"), (0.5, "lens")] * 10) == []


def test_at_most_once_per_interval() -> None:
    nudges = replay([(60.0, "away")])
    times = [n.t for n in nudges]
    assert len(times) == 3  # at 3 s, 23 s, 43 s
    assert all(b - a >= 20.0 - 1e-9 for a, b in zip(times, times[1:], strict=False))


def test_blinks_never_count_as_away_nor_reset_it() -> None:
    assert replay([(0.2, "closed"), (1.0, "lens")] * 30) == []
    assert replay([(1.0, "lens"), (8.0, "closed")]) == []  # eyes shut after a look at the lens
    # Away 2 s, blink, away 0.9 s: one sustained look-away, nudged on an away frame.
    nudges = replay([(2.0, "away"), (0.2, "closed"), (0.9, "away")])
    assert len(nudges) == 1
    assert replay([(2.0, "away"), (5.0, "closed")]) == []  # never fires on a closed frame


def test_a_closure_longer_than_a_blink_starts_a_look_away() -> None:
    # Lids lowered over a downcast gaze for 1 s, then eyes aside: away from t=1, nudged at t=4.
    nudges = replay([(1.0, "lens"), (1.0, "closed"), (3.0, "away")])
    assert len(nudges) == 1 and nudges[0].t == pytest.approx(4.0, abs=1.5 / FPS)
    # A blink is not: 0.3 s closed then 2.8 s away is no sustained look-away.
    assert replay([(1.0, "lens"), (0.3, "closed"), (2.8, "away"), (1.0, "lens")]) == []


def test_a_pause_inside_an_answer_keeps_the_count() -> None:
    """Thinking pauses are when people look away: a 1 s pause neither resets nor blocks."""
    nudger = LookAwayNudger()
    t, out = 0.0, []
    for _ in range(round(5.0 * FPS)):
        speaking = not (1.0 <= t < 2.0)  # a 1 s pause in the middle of the look-away
        if (n := nudger.update(reading(t, "away"), speaking, t)) is not None:
            out.append(n)
        t += 1 / FPS
    assert len(out) == 1 and out[0].t == pytest.approx(3.0, abs=1.5 / FPS)
    # Looking away once the answer ends is listening: no nudge in the silence, and a silence
    # longer than pause_s starts the count again with the next answer.
    nudger, t, out = LookAwayNudger(), 0.0, []
    for _ in range(round(9.0 * FPS)):
        speaking = not (2.0 <= t < 5.0)
        if (n := nudger.update(reading(t, "away"), speaking, t)) is not None:
            out.append(n)
        t += 1 / FPS
    assert len(out) == 1 and out[0].t == pytest.approx(8.0, abs=2 / FPS)


def test_a_glance_at_the_lens_or_an_unsure_frame_does_not_end_a_look_away() -> None:
    assert len(replay([(2.0, "away"), (0.3, "lens"), (1.0, "away")])) == 1
    assert len(replay([(2.0, "away"), (0.5, "unknown"), (0.6, "away")])) == 1
    # A real look back (0.5 s or more) does.
    assert replay([(2.0, "away"), (0.6, "lens"), (2.0, "away"), (1.0, "lens")]) == []
    # An unsure frame never starts a look-away.
    assert replay([(1.0, "lens"), (5.0, "unknown")]) == []


def test_a_new_look_away_after_looking_back_is_nudged_on_its_own() -> None:
    nudges = replay([(4.0, "away"), (2.0, "lens"), (4.0, "away")])
    assert len(nudges) == 2 and nudges[1].t == pytest.approx(9.0, abs=1.5 / FPS)
    # Without a real look back in between (a glance), the interval holds.
    assert len(replay([(4.0, "away"), (0.3, "lens"), (4.0, "away")])) == 1


def test_missing_face_gets_its_own_rarer_nudge() -> None:
    nudges = replay([(25.0, "noface")])
    assert [n.kind for n in nudges] == ["no_face"]
    assert nudges[0].t == pytest.approx(10.0, abs=1.5 / FPS)
    assert nudges[0].text == "Face not visible"


def test_eye_contact_share_split_by_speaking() -> None:
    share = EyeContactShare()
    t = 0.0
    for duration, state, speaking in ((6.0, "lens", True), (2.0, "away", True),
                                      (1.0, "closed", True), (3.0, "away", False),
                                      (1.0, "lens", False), (1.0, "noface", False)):
        for _ in range(round(duration * FPS)):
            share.update(reading(t, state), speaking)
            t += 1 / FPS
    s = share.share
    assert s.speaking == pytest.approx(0.75, abs=0.02)
    assert s.listening == pytest.approx(0.25, abs=0.03)


# --- replayed real clips -------------------------------------------------------------------

def replay_clip(path: Path, fps: float = FPS) -> list[tuple[float, Nudge | None, GazeReading]]:
    """Runs FaceFinder + EyeContact + LookAwayNudger over a clip at about `fps`, speaking=True."""
    av = pytest.importorskip("av")
    from detectors.face import FaceFinder, FaceModelMissing
    from overlay.paths import face_model_path

    try:
        finder = FaceFinder(face_model_path(), video=True)
    except FaceModelMissing as exc:
        pytest.skip(str(exc))
    detector, nudger, out = EyeContact(), LookAwayNudger(), []
    next_t = 0.0
    with finder, av.open(str(path)) as box:
        for frame in box.decode(video=0):
            t = float(frame.time)
            if t + 1e-6 < next_t:
                continue  # the live pipeline analyses about 15 frames a second
            next_t = t + 1.0 / fps
            r = detector.update(finder.find(frame.to_ndarray(format="rgb24"), t), t)
            out.append((t, nudger.update(r, True, t), r))
    return out


def first_sustained_away(labels: Path, span_s: float = 3.5) -> float:
    """Start of the first labelled span of `away` (blinks allowed inside) lasting span_s."""
    rows = [(float(r["t"]), r["label"]) for r in csv.DictReader(labels.open())]
    start = None
    for t, label in rows:
        if label == "away":
            start = t if start is None else start
            if t - start >= span_s:
                return start
        elif label != "closed":
            start = None
    raise AssertionError(f"no sustained look-away labelled in {labels}")


def test_nudge_within_3_5_s_of_a_sustained_look_away(shared_data: Path) -> None:
    name = "pcavs__Input_00098.mp4"  # speaks while looking at the host, never at the lens
    start = first_sustained_away(shared_data / "video" / "gaze-labels" / f"{name}.csv")
    nudges = [n for _, n, _ in replay_clip(shared_data / "video" / name) if n is not None]
    assert nudges, "no look-away nudge"
    assert nudges[0].kind == "look_at_lens"
    assert start + 3.0 - 0.2 <= nudges[0].t <= start + 3.5


def test_no_nudge_during_steady_eye_contact(shared_data: Path) -> None:
    out = replay_clip(shared_data / "video" / "lia__obama.mov")
    assert [n for _, n, _ in out if n is not None] == []
    states = [r.state for _, _, r in out]
    assert states.count("lens") > 0.8 * len(states)  # the clip really was analysed
