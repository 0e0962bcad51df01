"""Mute nudges on a simulated clock: a replayed session with a screenshot and speech onsets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detectors.meeting import ZoomMuteReader
from detectors.mute_nudges import AudibleTyping, DeadMic, MutedTalk
from overlay.capture.media import read_image
from tests.test_meeting import zoom_screen


def replay(screen: np.ndarray, onset: float, screen_period: float = 0.5,
           chunk: float = 0.03, end: float = 8.0) -> list[tuple[float, str]]:
    """A session: the screen watcher reads `screen` every `screen_period` s; the voice
    activity says silent until `onset`, speaking after. Returns the nudges (t, kind)."""
    reader, policy = ZoomMuteReader(), MutedTalk()
    nudges, next_shot = [], 0.0
    for i in range(int(end / chunk)):
        t = i * chunk
        if t >= next_shot:
            nudge = policy.meeting(t, reader.read(screen, t=t).state)
            nudges += [nudge] if nudge else []
            next_shot += screen_period
        nudge = policy.speech(t, t >= onset)
        nudges += [nudge] if nudge else []
    return [(n.t, n.kind) for n in nudges]


@pytest.mark.parametrize("onset", [1.0, 2.26, 3.49])
def test_muted_nudge_within_a_second_of_speech_onset(onset: float) -> None:
    nudges = replay(zoom_screen(True), onset)
    assert len(nudges) == 1
    t, kind = nudges[0]
    assert kind == "muted" and onset <= t <= onset + 1.0


def test_no_muted_nudge_when_unmuted_or_unknown() -> None:
    assert replay(zoom_screen(False), 2.0) == []
    assert replay(zoom_screen(True, toolbar=False), 2.0) == []


def test_muted_nudge_on_the_real_zoom_screen(shared_data: Path) -> None:
    shot = shared_data / "screens" / "zoom-linux" / "join-meeting-url_frame497.png"
    if not shot.is_file():
        pytest.skip(f"no Zoom screen at {shot}")
    nudges = replay(read_image(shot)[..., :3], 3.1)
    assert [k for _, k in nudges] == ["muted"] and 3.1 <= nudges[0][0] <= 4.1


def test_screen_reading_arriving_late_still_nudges_within_grace() -> None:
    policy = MutedTalk(grace=1.0)
    assert policy.speech(10.0, True) is None  # nothing known yet
    nudge = policy.meeting(10.4, "muted")
    assert nudge is not None and nudge.t == 10.4
    assert policy.speech(10.5, True) is None  # once per talk spurt
    quiet = MutedTalk(grace=1.0)
    quiet.speech(10.0, True)
    assert quiet.meeting(11.5, "muted") is None  # muted mid-sentence on purpose


def test_dead_mic_needs_ten_seconds_of_flat_input_and_a_moving_mouth() -> None:
    rng = np.random.default_rng(0)
    policy = DeadMic()
    fired = [policy.audio(i * 0.1, 0.0, True) for i in range(120)]  # digital silence
    times = [n.t for n in fired if n]
    assert times and 9.9 <= times[0] <= 10.1 and len(times) == 1  # then rate-limited
    floor = DeadMic()
    noise = [floor.audio(i * 0.1, 0.002 * (1 + 0.05 * rng.standard_normal()), True)
             for i in range(120)]
    assert any(noise)
    still = DeadMic()
    assert not any(still.audio(i * 0.1, 0.0, False) for i in range(200))  # mouth closed
    unseen = DeadMic()
    assert not any(unseen.audio(i * 0.1, 0.0, None) for i in range(200))  # no face
    live = DeadMic()
    speech = np.abs(rng.standard_normal(200)) * 0.1 * (np.arange(200) % 7 < 4)
    assert not any(live.audio(i * 0.1, float(r), True) for i, r in enumerate(speech))


def test_typing_only_while_unmuted_and_silent() -> None:
    def run(state: str, speaking: bool) -> list[float]:
        policy = AudibleTyping()
        out = [policy.keys(i * 0.5, 2, state, speaking) for i in range(20)]
        return [n.t for n in out if n]

    assert run("unmuted", False)[:1] == [1.0]  # 6 keys within 3 s
    assert run("muted", False) == [] and run("unmuted", True) == []
    assert run("unknown", False) == []
