"""Overload: analysis slower than the camera, and an audio worker that stalls. Frames are skipped
(counted), the frame analysed is always the newest, buffers stay bounded, and the snapshot reports
the rate analysis really reaches. The pipeline is slowed by wrappers; the session is unchanged."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from overlay.capture.base import VideoFrame
from overlay.session.live import LiveSession
from overlay.settings import load_settings
from tests.clips import make_clip

VIDEO_COST_S = 0.3  # four and a half frame-times of a 15 fps camera per analysed frame
AUDIO_STALL_S = 6.5  # the audio worker stalls once for longer than the ring's 5 s


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overload") / "clip.mp4"
    make_clip(path, seconds=8.0, fps=15)
    return path


def test_analysis_slower_than_the_devices_skips_frames_and_stays_bounded(clip: Path) -> None:
    # Every camera frame to the vision worker's slow analysis: the analysis rate would pass
    # most of them over, and this is about a worker slower than the camera.
    settings = load_settings(environ={"ONCUE_CAMERA_ANALYSIS_STEADY_S": "0"})
    session = LiveSession(settings, None, replay=clip, watch_screen=False)
    done = threading.Event()
    last_put: list[int] = [-1]
    behind: list[int] = []  # frames put after the one analysed, when its analysis starts
    analysed: list[float] = []  # session time each analysis ended
    ring_seconds: list[float] = []
    stalled: list[bool] = []

    put = session.frames.put

    def counting_put(frame: VideoFrame) -> None:
        last_put[0] = frame.index
        put(frame)

    session.frames.put = counting_put  # type: ignore[method-assign]
    video, audio = session.pipeline.on_video, session.pipeline.on_audio

    def slow_video(frame):  # type: ignore[no-untyped-def]
        behind.append(last_put[0] - frame.index)
        time.sleep(VIDEO_COST_S)
        record = video(frame)
        analysed.append(session.clock.now())
        return record

    def slow_audio(block):  # type: ignore[no-untyped-def]
        ring_seconds.append(session.audio._samples / 16_000)
        if not stalled:
            stalled.append(True)
            done.wait(AUDIO_STALL_S)
        audio(block)

    session.pipeline.on_video = slow_video  # type: ignore[method-assign]
    session.pipeline.on_audio = slow_audio  # type: ignore[method-assign]
    session.start()
    session.wait(20)
    snap = session.snapshot()
    done.set()
    session.stop()
    reported = snap.analysed_fps

    frames = session.frames
    # Every frame the camera gave was either analysed or skipped, and the skips were counted.
    assert frames.delivered - frames.dropped - len(analysed) in (0, 1)
    assert frames.dropped > len(analysed)  # at most 3.3 analysed per s of 15 delivered
    assert snap.dropped_frames > 0
    # The frame analysed is the newest one (a frame may arrive between take and analysis).
    assert len(behind) >= 10 and max(behind) <= 1
    # Audio: the ring stays within its bound and drops (and counts) the oldest beyond it.
    assert session.audio.dropped_samples > 0
    assert max(ring_seconds) <= 5.0 + 1e-6
    # The reported rate is the real one: at most 1 / VIDEO_COST_S, far below the camera's 15.
    recent = [t for t in analysed if t > analysed[-1] - 3.0]
    measured = (len(recent) - 1) / (recent[-1] - recent[0])
    assert reported < 0.5 * 15
    assert abs(reported - measured) <= 0.3 * measured
