"""A recording on disk, decoded: its video frames and its audio, timed on the recording's clock.

`Recording` decodes a file (mp4/mov/mkv/avi/mpg with PyAV, wav/flac/mp3 audio) into timestamped
`VideoFrame`s and `AudioBlock`s, as fast as it can. `oncue analyze` and the check of a recording
iterate them directly; the replay sources (overlay/capture/replay.py) pace them on the session
clock. `fit_frame` brings any picture (a camera's, a screenshot's) to the analysis resolution.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np

from overlay.capture.base import AudioBlock, VideoFrame
from overlay.capture.media import AUDIO_RATE, MediaError, _open, read_audio

log = logging.getLogger(__name__)

MAX_SIDE = 640  # analysis resolution: landmarks need no more, and it keeps a frame under 12 ms


def fit_frame(rgb: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return rgb
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def _to_rgb(frame, max_side: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Scale and convert in one swscale pass: a 4K frame is never expanded to full-size RGB."""
    w, h = frame.width, frame.height
    scale = min(1.0, max_side / max(w, h))
    if scale < 1.0:
        size = (max(2, round(w * scale)), max(2, round(h * scale)))
        return frame.reformat(width=size[0], height=size[1], format="rgb24",
                              interpolation="AREA").to_ndarray()
    return frame.to_ndarray(format="rgb24")


class Recording:
    """A recording on disk. Opening it checks that it is readable and has something to analyse."""

    def __init__(self, path: str | Path) -> None:
        import av

        self.path = Path(path)
        container = _open(self.path)
        try:
            self.has_video = bool(container.streams.video)
            self.has_audio = bool(container.streams.audio)
            if not (self.has_video or self.has_audio):
                raise MediaError(f"{self.path}: holds neither video nor audio")
            self.fps = 0.0
            self.frame_count_hint = 0
            if self.has_video:
                stream = container.streams.video[0]
                self.fps = float(stream.average_rate or stream.guessed_rate or 0.0)
                self.frame_count_hint = int(stream.frames or 0)
            dur = container.duration
            self.duration_s = float(dur / av.time_base) if dur else 0.0
        finally:
            container.close()

    def video_frames(self, max_side: int = MAX_SIDE,
                     min_gap_s: float = 0.0) -> Iterator[VideoFrame]:
        """Decoded frames with t = presentation time from the first frame (seconds).

        `min_gap_s` passes on only frames at least that far apart (a camera's frame rate):
        the others are decoded (H.264 needs them) but never converted, which is most of the
        cost for a large video.
        """
        import av

        if not self.has_video:
            return
        container = _open(self.path)
        t_first: float | None = None
        next_t = 0.0
        try:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for index, frame in enumerate(container.decode(stream)):
                t = float(frame.time) if frame.time is not None else index / (self.fps or 25.0)
                if t_first is None:
                    t_first = t
                t -= t_first
                if min_gap_s and t + 1e-6 < next_t:
                    continue
                next_t = max(next_t + min_gap_s, t)
                yield VideoFrame(t=t, index=index, convert=partial(_to_rgb, frame, max_side))
        except av.error.FFmpegError as exc:
            raise MediaError(f"{self.path}: video is corrupt or truncated ({exc})") from exc
        finally:
            container.close()

    def audio(self) -> np.ndarray:
        return read_audio(self.path, AUDIO_RATE) if self.has_audio else np.zeros(0, np.float32)

    def audio_blocks(self, block_s: float = 0.5) -> Iterator[AudioBlock]:
        samples = self.audio()
        step = max(1, int(block_s * AUDIO_RATE))
        for start in range(0, len(samples), step):
            yield AudioBlock(t0=start / AUDIO_RATE, samples=samples[start:start + step])
