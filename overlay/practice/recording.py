"""Opt-in recording of a practice session (video and audio) for self-review, with PyAV.

Written only when the user opted in (`oncue practice --record` or `practice.record = true`):
`PracticeSession` creates a `PracticeRecording` in no other case. The file goes to
`<data dir>/recordings/<session id>.mp4`, created with mode 0600 inside the private data dir, so
the summary can find it from the session id alone (`recording_for`), and its timeline can link to
a moment with `moment_url` (a media fragment, `#t=SECONDS`, which browsers and most players
honour). Times in the file are session-clock times, so a moment in the event log is the same
moment in the recording.

Frames and audio blocks arrive on the session's workers (through the pipeline tap) and are only
queued there; one writer thread encodes. The queue is bounded: if encoding falls behind, video
frames are dropped (counted) rather than slowing the analysis; audio is never dropped.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from overlay.capture.base import AudioBlock, VideoFrame

log = logging.getLogger(__name__)

RATE = 16_000
AAC_FRAME = 1024
AUDIO_ONLY_AFTER_S = 3.0


def recordings_dir() -> Path:
    from overlay.paths import data_dir

    return data_dir() / "recordings"


def recording_for(session_id: str) -> Path | None:
    """The recording of a practice session, if the user recorded it."""
    path = recordings_dir() / f"{session_id}.mp4"
    return path if path.is_file() else None


def moment_url(path: Path, t: float) -> str:
    return f"{path.resolve().as_uri()}#t={max(0.0, t):.1f}"


class PracticeRecording:
    def __init__(self, path: Path, max_queue: int = 64) -> None:
        import av

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            path.parent.chmod(0o700)
        # Create the file private before PyAV writes a byte into it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._container = av.open(self._file, "w", format="mp4")
        self._video: Any = None  # created on the first frame, when its size is known
        self._audio = self._container.add_stream("aac", rate=RATE)
        self._audio.layout = "mono"
        self._audio_pts: int | None = None
        self._pending = np.zeros(0, np.float32)
        self._audio_only = False
        self._last_video_ms = -1
        self._queue: queue.Queue[VideoFrame | AudioBlock | None] = queue.Queue()
        self._video_waiting = 0
        self._max_video = max_queue
        self.dropped_frames = 0
        self.frames = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._write, name="practice-recording",
                                        daemon=True)
        self._thread.start()

    # -- called on the session's workers: queue only ------------------------------------------
    def add_frame(self, frame: VideoFrame) -> None:
        with self._lock:
            if self._video_waiting >= self._max_video:
                self.dropped_frames += 1
                return
            self._video_waiting += 1
        self._queue.put(frame)

    def add_audio(self, block: AudioBlock) -> None:
        self._queue.put(block)

    # -- the writer thread --------------------------------------------------------------------
    def _write(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                if isinstance(item, VideoFrame):
                    with self._lock:
                        self._video_waiting -= 1
                    self._encode_frame(item)
                else:
                    self._encode_audio(item)
            except Exception:  # noqa: BLE001 - a bad frame must not end the recording
                log.exception("recording: could not encode a sample")

    def _encode_frame(self, frame: VideoFrame) -> None:
        import av

        h, w = frame.rgb.shape[:2]
        if self._video is None and self._audio_only:
            return
        if self._video is None:
            stream = self._container.add_stream("libx264", rate=30)
            stream.width, stream.height = w - w % 2, h - h % 2
            stream.pix_fmt = "yuv420p"
            stream.time_base = Fraction(1, 1000)
            stream.options = {"preset": "veryfast", "crf": "26"}
            self._video = stream
            self._drain_audio()  # the audio held back until the video stream existed
        ms = round(frame.t * 1000)
        if ms <= self._last_video_ms:  # pts must increase
            return
        self._last_video_ms = ms
        rgb = np.ascontiguousarray(frame.rgb[: self._video.height, : self._video.width])
        vf = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        vf.pts, vf.time_base = ms, Fraction(1, 1000)
        for packet in self._video.encode(vf):
            self._container.mux(packet)
        self.frames += 1

    def _encode_audio(self, block: AudioBlock) -> None:
        if self._audio_pts is None:
            self._audio_pts = round(block.t0 * RATE)
        self._pending = np.concatenate([self._pending, np.asarray(block.samples, np.float32)])
        # Every stream must exist before the first packet is muxed (the mp4 header lists them;
        # a stream added later crashes the encoder), and the video stream needs the first
        # frame's size: hold the audio until then, or go audio-only after a while without one.
        if self._video is None and not self._audio_only:
            if len(self._pending) < AUDIO_ONLY_AFTER_S * RATE:
                return
            self._audio_only = True
            log.info("recording: no video after %.0f s, recording sound only",
                     AUDIO_ONLY_AFTER_S)
        self._drain_audio()

    def _drain_audio(self) -> None:
        while len(self._pending) >= AAC_FRAME:
            self._encode_samples(self._pending[:AAC_FRAME])
            self._pending = self._pending[AAC_FRAME:]

    def _encode_samples(self, samples: np.ndarray) -> None:
        import av

        af = av.AudioFrame.from_ndarray(samples[None, :].copy(), format="flt", layout="mono")
        af.sample_rate = RATE
        assert self._audio_pts is not None
        af.pts, af.time_base = self._audio_pts, Fraction(1, RATE)
        self._audio_pts += len(samples)
        for packet in self._audio.encode(af):
            self._container.mux(packet)

    def close(self) -> Path:
        """Flush and close; joins the writer thread. Safe to call twice."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=30)
        if self._container is not None:
            try:
                if self._audio_pts is not None:
                    self._audio_only = self._video is None
                    self._drain_audio()
                    if len(self._pending):
                        self._encode_samples(self._pending)
                for stream in (self._video, self._audio):
                    if stream is not None:
                        for packet in stream.encode(None):
                            self._container.mux(packet)
            finally:
                self._container.close()
                self._file.close()
                self._container = None  # type: ignore[assignment]
        log.info("practice recording %s: %d frames, %d dropped", self.path, self.frames,
                 self.dropped_frames)
        return self.path
