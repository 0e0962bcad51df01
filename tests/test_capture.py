from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from overlay.capture.base import AudioBlock, AudioRing, LatestFrame
from overlay.capture.media import MediaError, read_audio
from overlay.capture.replay import Recording, ReplayCamera, ReplayMicrophone
from overlay.clock import SessionClock
from tests.clips import make_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_clip(path, seconds=2.0, fps=15)
    return path


def test_latest_frame_wins_and_counts_drops() -> None:
    slot: LatestFrame[int] = LatestFrame()
    for i in range(5):
        slot.put(i)
    assert slot.take(0) == 4
    assert slot.dropped == 4 and slot.delivered == 5
    assert slot.take(0.01) is None


def test_audio_ring_is_bounded_and_drops_oldest() -> None:
    ring = AudioRing(max_seconds=1.0)
    for i in range(100):  # 2 s of 20 ms blocks
        ring.put(AudioBlock(t0=i * 0.02, samples=np.zeros(320, np.float32)))
    blocks = ring.drain(0)
    assert sum(len(b.samples) for b in blocks) <= 16_000
    assert blocks[-1].t0 == pytest.approx(99 * 0.02)
    assert ring.dropped_samples == 100 * 320 - sum(len(b.samples) for b in blocks)


def test_recording_frames_and_audio_match_the_file(clip: Path) -> None:
    rec = Recording(clip)
    frames = list(rec.video_frames())
    assert len(frames) == 30 and rec.fps == 15
    assert frames[0].t == 0.0 and frames[-1].t == pytest.approx(29 / 15, abs=1e-3)
    # AAC adds its encoder delay and padding (about 0.1 s) to the decoded track.
    assert abs(len(rec.audio()) / 16_000 - 2.0) < 0.15


def test_replay_as_fast_as_possible_delivers_everything(clip: Path) -> None:
    rec = Recording(clip)
    clock = SessionClock()
    ring = AudioRing(max_seconds=10)
    mic = ReplayMicrophone(rec, clock, ring, realtime=False)
    mic.start()
    mic.finished.wait(10)
    mic.stop()
    total = sum(len(b.samples) for b in ring.drain(0))
    assert total == len(rec.audio())


def test_replay_failure_on_cue_reports_lost(clip: Path) -> None:
    statuses: list[tuple[str, str]] = []
    slot: LatestFrame = LatestFrame()
    cam = ReplayCamera(Recording(clip), SessionClock(), slot, realtime=False, fail_at=1.0,
                       on_status=lambda s, d: statuses.append((s, d)))
    cam.start()
    assert cam.finished.wait(10)
    cam.stop()
    assert statuses and statuses[0][0] == "lost" and cam.failed
    assert not any(t.name == "replay-camera" for t in threading.enumerate())


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"), (b"not a video at all" * 10, "not a readable"),
])
def test_unreadable_files_name_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(MediaError) as err:
        Recording(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not found"):
        read_audio(tmp_path / "nope.wav")
