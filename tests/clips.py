"""Small recordings the tests make for themselves (never copies of ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from overlay.capture.media import AUDIO_RATE


def tone(seconds: float, hz: float = 220.0, level: float = 0.1) -> np.ndarray:
    t = np.arange(int(seconds * AUDIO_RATE)) / AUDIO_RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def make_clip(path: Path, seconds: float = 2.0, fps: int = 15,
              sound: np.ndarray | None = None) -> Path:
    """A grey picture with a moving square, and `sound` (16 kHz float32; a 220 Hz tone by
    default). With `sound`, the clip lasts as long as it."""
    import av

    if sound is None:
        sound = tone(seconds)
    else:
        seconds = len(sound) / AUDIO_RATE
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = out.add_stream("aac", rate=AUDIO_RATE)
        audio.layout = "mono"
        for i in range(int(seconds * fps)):
            img = np.full((120, 160, 3), 90, np.uint8)
            x = (4 * i) % 110
            img[40:80, x:x + 40] = 200
            for packet in video.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        samples = np.asarray(sound, np.float32)
        for start in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(samples[None, start:start + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate = AUDIO_RATE
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
    return path
