"""Small recordings the tests make for themselves (never copies of ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from overlay.capture.media import AUDIO_RATE


def make_clip(path: Path, seconds: float = 2.0, fps: int = 15) -> None:
    """A small recording made here: a grey picture with a moving square and a tone."""
    import av

    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = out.add_stream("aac", rate=AUDIO_RATE)
        audio.layout = "mono"
        for i in range(int(seconds * fps)):
            img = np.full((120, 160, 3), 90, np.uint8)
            img[40:80, 10 + 4 * i: 50 + 4 * i] = 200
            for packet in video.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        t = np.arange(int(seconds * AUDIO_RATE)) / AUDIO_RATE
        tone = (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        for start in range(0, len(tone), 1024):
            frame = av.AudioFrame.from_ndarray(tone[None, start:start + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate = AUDIO_RATE
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
