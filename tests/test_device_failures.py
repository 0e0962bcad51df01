"""Devices that fail mid-session: the session goes on with what remains, logs the gap, and picks
the device up again when it comes back. Replay sources fail on cue (`fail_at`, `back_after`) on a
clock that runs twice as fast as the wall clock, so a 20 s session takes 10 s."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from overlay.capture.base import LatestFrame, ScreenShot
from overlay.capture.media import AUDIO_RATE, read_audio
from overlay.capture.screen import ScreenWatcher
from overlay.clock import ScaledClock, SessionClock
from overlay.review.summary import summarise
from overlay.session.eventlog import open_log
from overlay.session.live import LiveSession
from overlay.settings import load_settings
from tests.clips import make_clip


@pytest.fixture(scope="module")
def talk_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 s: counting 0-6 s, silence, counting 10-16 s, silence (two answers that end)."""
    from tests.conftest import SHARED_DATA

    wav = SHARED_DATA / "audio/vad-count/count.wav"
    if not wav.is_file():
        pytest.skip(f"real recordings not available: {wav} is absent")
    count = read_audio(wav)[: 6 * AUDIO_RATE]
    quiet = np.zeros(4 * AUDIO_RATE, np.float32)
    path = tmp_path_factory.mktemp("talk") / "talk.mp4"
    make_clip(path, sound=np.concatenate([count, quiet, count, quiet]).astype(np.float32))
    return path


def run_session(clip: Path, **kwargs: object) -> tuple[list, list[dict[str, str]], list[float],
                                                        object]:
    """Plays the clip through a live session; returns its logged events, the devices the
    snapshots showed, the times of analysed frames and the summary built from the log."""
    with open_log() as event_log:
        session = LiveSession(load_settings(), event_log, replay=clip, clock=ScaledClock(2.0),
                              watch_screen=False, **kwargs)  # type: ignore[arg-type]
        frames: list[float] = []
        session.pipeline.frame_listeners.append(lambda frame, record: frames.append(frame.t))
        shown: list[dict[str, str]] = []
        session.start()
        deadline = time.monotonic() + 40
        while not session.finished() and time.monotonic() < deadline:
            shown.append(session.snapshot().devices)
            time.sleep(0.05)
        session.stop()
        sid = session.recorder.session_id
        assert sid is not None
        events = event_log.events(sid)
        summary = summarise(events, event_log.session(sid))
    return events, shown, frames, summary


def device_events(events: list, source: str) -> list[tuple[str, float]]:
    return [(e.data["state"], e.t) for e in events
            if e.kind == "device" and e.data.get("source") == source]


def answers(events: list) -> list[tuple[float, float]]:
    return [(e.data["start"], e.data["end"]) for e in events if e.kind == "answer"]


def test_camera_lost_for_good_the_session_goes_on_with_audio(talk_clip: Path) -> None:
    events, shown, frames, summary = run_session(talk_clip, fail_camera_at=4.0)
    assert [s for s, _ in device_events(events, "camera")] == ["lost"]
    assert any(d.get("camera", "").startswith("lost") for d in shown)
    assert max(frames) < 4.0  # no frame after the camera went
    # Both answers still end, the second one wholly after the camera was lost.
    ends = answers(events)
    assert len(ends) == 2 and ends[1][0] > 9.0
    assert any(e.kind == "speech" and e.data["start"] > 9.0 for e in events)
    gaps = [(g.source, g.end) for g in summary.device_gaps]
    assert gaps == [("camera", None)]
    assert abs(summary.device_gaps[0].start - 4.0) < 1.0


def test_camera_that_comes_back_is_picked_up_again(talk_clip: Path) -> None:
    events, shown, frames, summary = run_session(talk_clip, fail_camera_at=4.0, back_after=5.0)
    states = device_events(events, "camera")
    assert [s for s, _ in states] == ["lost", "back"]
    assert abs(states[1][1] - 9.0) < 1.0
    cams = [d.get("camera", "") for d in shown]
    first_lost = next(i for i, c in enumerate(cams) if c.startswith("lost"))
    assert "ok" in cams[first_lost:]  # the overlay's status returns to ok
    assert not [t for t in frames if 4.0 <= t < 9.0]
    assert len([t for t in frames if t >= 9.0]) > 10  # frames analysed again
    assert len(answers(events)) == 2
    gap = summary.device_gaps[0]
    assert gap.source == "camera" and abs(gap.start - 4.0) < 1.0 and abs(gap.end - 9.0) < 1.0


def test_microphone_lost_the_session_goes_on_with_video(talk_clip: Path) -> None:
    events, shown, frames, summary = run_session(talk_clip, fail_microphone_at=8.0)
    assert [s for s, _ in device_events(events, "microphone")] == ["lost"]
    assert any(d.get("microphone", "").startswith("lost") for d in shown)
    assert len([t for t in frames if t > 10.0]) > 30  # video analysed on after the loss
    assert not any(e.kind == "speech" and e.data["start"] > 8.0 for e in events)
    assert [(g.source, g.end) for g in summary.device_gaps] == [("microphone", None)]


def test_microphone_that_comes_back_is_heard_again(talk_clip: Path) -> None:
    events, _, _, summary = run_session(talk_clip, fail_microphone_at=3.0, back_after=6.0)
    assert [s for s, _ in device_events(events, "microphone")] == ["lost", "back"]
    # The second counting (10-16 s) is after the microphone came back: it is an answer.
    assert any(start >= 9.0 for start, _ in answers(events))
    gap = summary.device_gaps[0]
    assert gap.source == "microphone" and gap.end is not None and abs(gap.end - 9.0) < 1.0


class FlakyScreen:
    """A stand-in for mss: the resolution changes after a few grabs, the next grab fails (the
    old area is off the new screen), then grabs work at the new size."""

    def __init__(self) -> None:
        self.calls = 0
        self.size = (1280, 720)

    @property
    def monitors(self) -> list[dict[str, int]]:
        w, h = self.size
        mon = {"left": 0, "top": 0, "width": w, "height": h}
        return [mon, mon]

    def grab(self, area: dict[str, int]) -> np.ndarray:
        self.calls += 1
        if self.calls == 3:
            self.size = (1920, 1080)
            raise RuntimeError("XGetImage() failed")
        return np.zeros((area["height"], area["width"], 4), np.uint8)

    def __enter__(self) -> FlakyScreen:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_screen_resolution_change_is_lost_then_back_at_the_new_size(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import mss

    fake = FlakyScreen()
    monkeypatch.setattr(mss, "mss", lambda: fake)
    monkeypatch.setattr(mss, "MSS", lambda: fake, raising=False)
    statuses: list[str] = []
    slot: LatestFrame[ScreenShot] = LatestFrame()
    shots: list[tuple[int, int]] = []
    watcher = ScreenWatcher(SessionClock(), slot, rate_hz=50.0, windows=lambda: None,
                            on_status=lambda state, detail: statuses.append(state))
    watcher.start()
    deadline = time.monotonic() + 10
    while fake.calls < 6 and time.monotonic() < deadline:
        shot = slot.take(0.1)
        if shot is not None:
            shots.append(shot.rgb.shape[:2])
    watcher.stop()
    assert statuses == ["lost", "back"]
    assert shots[0] == (720, 1280) and shots[-1] == (1080, 1920)
