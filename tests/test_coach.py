"""The coach: one nudge at a time, by priority, never flashing, silent while snoozed."""

from __future__ import annotations

from pathlib import Path

from detectors.coach import Coach
from detectors.nudge import Nudge


def test_one_nudge_shows_and_leaves_after_display_time() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(10.0, "look_at_lens", "Look at the lens"))
    shown = coach.current(10.0)
    assert shown is not None and shown.nudge.kind == "look_at_lens"
    assert coach.current(13.9) is shown
    assert coach.current(14.0) is None


def test_a_nudge_raised_ahead_of_its_moment_shows_then() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(120.0, "wrap_up", "Wrap up"))  # the answer timer, a batch early
    assert coach.current(119.9) is None
    shown = coach.current(120.0)
    assert shown is not None and shown.nudge.kind == "wrap_up" and shown.since == 120.0


def test_higher_priority_replaces_but_only_after_the_minimum_display() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(0.0, "backlit", "Light is behind you"))
    assert coach.current(0.0).nudge.kind == "backlit"
    coach.raise_nudge(Nudge(1.0, "muted", "You're muted"))
    assert coach.current(1.0).nudge.kind == "backlit"  # never flashes
    assert coach.current(2.0).nudge.kind == "muted"


def test_lower_priority_waits_and_is_dropped_when_stale() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(0.0, "muted", "You're muted"))
    coach.current(0.0)
    coach.raise_nudge(Nudge(0.5, "backlit", "Light is behind you"))
    assert coach.current(3.0).nudge.kind == "muted"
    assert coach.current(4.0) is not None and coach.current(4.0).nudge.kind == "backlit"
    coach2 = Coach(min_display_s=2.0, display_s=4.0)
    coach2.raise_nudge(Nudge(0.0, "muted", "You're muted"))
    coach2.current(0.0)
    coach2.raise_nudge(Nudge(0.0, "backlit", "Light is behind you"))
    assert coach2.current(4.5) is None  # its moment has passed


def test_snooze_silences_and_counts() -> None:
    coach = Coach(snooze_s=300.0)
    coach.snooze(0.0)
    coach.raise_nudge(Nudge(10.0, "wrap_up", "Wrap up"))
    assert coach.current(10.0) is None
    assert coach.suppressed == 1 and coach.raised == 1
    coach.raise_nudge(Nudge(301.0, "wrap_up", "Wrap up"))
    assert coach.current(301.0).nudge.kind == "wrap_up"


def test_texts_are_at_most_four_words() -> None:
    import pytest

    with pytest.raises(ValueError):
        Nudge(0.0, "framing", "Please move back a little")


def test_light_and_framing_never_on_screen_while_the_user_speaks() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(0.0, "framing", "Move back a little"))
    assert coach.current(0.0, speaking=True) is None  # dropped, not merely held back
    assert coach.current(0.5, speaking=False) is None
    coach.raise_nudge(Nudge(1.0, "backlit", "Light is behind you"))
    assert coach.current(1.0).nudge.kind == "backlit"  # in a pause: shown
    assert coach.current(1.2, speaking=True) is None  # the answer starts: it leaves at once


def test_look_at_lens_leaves_once_the_gaze_is_back_but_not_before_the_minimum() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(0.0, "look_at_lens", "Look at the lens"))
    assert coach.current(0.0, speaking=True, gaze="away") is not None
    assert coach.current(1.0, speaking=True, gaze="lens") is not None  # never flashes
    assert coach.current(2.0, speaking=True, gaze="lens") is None
    coach.raise_nudge(Nudge(10.0, "look_at_lens", "Look at the lens"))
    assert coach.current(10.0, speaking=True, gaze="lens") is None  # already back: never shown
    coach.raise_nudge(Nudge(20.0, "look_at_lens", "Look at the lens"))
    assert coach.current(20.0, speaking=True, gaze="away") is not None
    assert coach.current(23.9, speaking=True, gaze="away") is not None
    assert coach.current(24.0, speaking=True, gaze="away") is None  # display_s still ends it


def test_look_away_takes_the_slot_from_a_scene_nudge_when_speech_starts() -> None:
    coach = Coach(min_display_s=2.0, display_s=4.0)
    coach.raise_nudge(Nudge(0.0, "too_dark", "Too dark"))
    assert coach.current(0.5).nudge.kind == "too_dark"
    coach.raise_nudge(Nudge(1.0, "look_at_lens", "Look at the lens"))
    assert coach.current(1.0, speaking=True, gaze="away").nudge.kind == "look_at_lens"


def test_shared_coach_passes_every_call_through() -> None:
    from overlay.session.nudge_slot import SharedCoach

    shared = SharedCoach(Coach(min_display_s=2.0, display_s=4.0, snooze_s=10.0))
    shared.raise_nudge(Nudge(0.0, "framing", "Move back a little"))
    assert shared.current(0.0, speaking=True) is None
    shared.snooze(1.0)
    assert shared.snoozed(5.0) and not shared.snoozed(11.0)
    shared.raise_nudge(Nudge(2.0, "wrap_up", "Wrap up"))
    assert shared.raised == 2 and shared.suppressed == 1
    shared.unsnooze()
    assert not shared.snoozed(2.0)


def test_coach_is_pure() -> None:
    import detectors.coach as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "threading" not in source and "Lock" not in source
