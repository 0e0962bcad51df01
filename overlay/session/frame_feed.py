"""A recording fed to the pipeline in capture order, as a camera and a microphone would deliver it.

Used where nobody watches and the same file must always give the same result: `oncue analyze`
(overlay/session/offline.py) and the check of a recording without a window (overlay/preflight/
replay_check.py). Both walk this one timeline, so a check and an analysis of one clip see the
same frames in the same order; the live session gets its frames from capture threads instead.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterator

from overlay.capture.base import AudioBlock, VideoFrame
from overlay.capture.recording import Recording
from overlay.session.pipeline import InterviewPipeline

log = logging.getLogger(__name__)

# (capture time, tie-break, what was captured): a video frame or an audio block.
Moment = tuple[float, int, VideoFrame | AudioBlock]


def camera_timeline(recording: Recording, camera_fps: float) -> Iterator[Moment]:
    """The frames a camera at `camera_fps` would deliver (as the live replay camera passes
    them on) merged with 0.1 s audio blocks; the pipeline's analysis rate then picks among the
    frames exactly as it does live."""
    # Audio blocks are keyed by their end time: that is when a live microphone delivers them.
    # The middle element breaks ties (audio before video at the same instant).
    gap = 1.0 / camera_fps if camera_fps > 0 else 0.0
    video: Iterator[Moment] = ((f.t, 1, f) for f in recording.video_frames(min_gap_s=gap))
    audio: Iterator[Moment] = ((b.t1, 0, b) for b in recording.audio_blocks(block_s=0.1))
    yield from heapq.merge(audio, video, key=lambda item: (item[0], item[1]))


def feed(pipeline: InterviewPipeline, item: VideoFrame | AudioBlock) -> None:
    """One moment of the timeline into the pipeline, on the caller's thread."""
    if isinstance(item, VideoFrame):
        pipeline.on_video(item)
    else:
        pipeline.on_audio(item)
