"""Replay of a recording: its video frames and its audio track, timed on the recording's clock.

`Recording` decodes a file (mp4/mov/mkv/avi/mpg with PyAV, wav/flac/mp3 audio) into timestamped
`VideoFrame`s and `AudioBlock`s. Offline analysis iterates them as fast as possible; the replay
sources (`ReplayCamera`, `ReplayMicrophone`) feed the same bounded buffers as the live devices,
paced by the session clock, so a replayed session exercises the live code path.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from overlay.capture.base import AudioBlock, AudioRing, LatestFrame, SourceFailed, VideoFrame
from overlay.capture.media import AUDIO_RATE, MediaError, _open, read_audio
from overlay.clock import SessionClock

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
                yield VideoFrame(t=t, rgb=_to_rgb(frame, max_side), index=index)
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


class _ReplayThread:
    """Common start/stop for the two replay sources; `fail_at` simulates a pulled device, and
    `back_after` plugs it back in that many seconds later (samples in the gap are never
    delivered, as from a real unplugged device), to test that the session picks it up again."""

    name = "replay"

    def __init__(self, clock: SessionClock, realtime: bool, fail_at: float | None,
                 loop: bool, on_status: Callable[[str, str], None] | None,
                 back_after: float | None = None) -> None:
        self.clock = clock
        self.on_status = on_status or (lambda state, detail: None)
        self.realtime = realtime
        self.fail_at = fail_at
        self.back_after = back_after
        self._unplugged = False
        self.loop = loop
        self.failed: str | None = None
        self.finished = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run_guarded, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run_guarded(self) -> None:
        try:
            self._run()
        except (MediaError, SourceFailed) as exc:
            self.failed = str(exc)
            log.warning("%s stopped: %s", self.name, exc)
            self.on_status("lost", str(exc))
        finally:
            self.finished.set()
            self._close()

    def _run(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _in_gap(self, t: float) -> bool:
        """True for a sample the unplugged device never delivers (the caller skips it)."""
        if self.fail_at is None or t < self.fail_at:
            return False
        detail = f"{self.name}: device lost (simulated at {self.fail_at:.1f} s)"
        if self.back_after is None:
            raise SourceFailed(detail)
        if t >= self.fail_at + self.back_after:
            return False
        if not self._unplugged:
            self._unplugged = True
            if self.realtime:
                self.clock.sleep_until(self.fail_at, self._stop)
            self.on_status("lost", detail)
        return True

    def _wait(self, t: float) -> bool:
        ok = self.clock.sleep_until(t, self._stop) if self.realtime else not self._stop.is_set()
        if ok and self._unplugged:  # first sample after the gap: the device is back
            self._unplugged, self.fail_at = False, None
            self.on_status("back", f"{self.name}: device back")
        return ok


class ReplayCamera(_ReplayThread):
    """Plays a recording's video into a latest-frame slot, as a camera would."""

    name = "replay-camera"

    def __init__(self, recording: Recording, clock: SessionClock, slot: LatestFrame[VideoFrame],
                 *, realtime: bool = True, fail_at: float | None = None,
                 loop: bool = False, on_status: Callable[[str, str], None] | None = None,
                 max_fps: float | None = None, back_after: float | None = None) -> None:
        self.recording = recording
        self.slot = slot
        # A webcam is asked for `camera.fps` frames per second; a replay of a 25 or 30 fps file
        # at real speed behaves like that camera by passing on only frames at that rate.
        self.min_gap = 1.0 / max_fps if max_fps else 0.0
        super().__init__(clock, realtime, fail_at, loop, on_status, back_after)

    def _run(self) -> None:
        offset = 0.0
        while True:
            last = 0.0
            for frame in self.recording.video_frames(min_gap_s=self.min_gap):
                t = frame.t + offset
                last = t
                if self._in_gap(t):
                    continue
                if not self._wait(t):
                    return
                self.slot.put(VideoFrame(t=t, rgb=frame.rgb, index=frame.index))
            if not self.loop or self._stop.is_set():
                return
            offset = last + 1.0 / (self.recording.fps or 25.0)

    def _close(self) -> None:
        self.slot.close()


class ReplayMicrophone(_ReplayThread):
    """Plays a recording's audio into the audio ring in 20 ms blocks, as a microphone would."""

    name = "replay-microphone"

    def __init__(self, recording: Recording, clock: SessionClock, ring: AudioRing,
                 *, realtime: bool = True, fail_at: float | None = None, loop: bool = False,
                 block_s: float = 0.02,
                 on_status: Callable[[str, str], None] | None = None,
                 back_after: float | None = None) -> None:
        self.recording = recording
        self.ring = ring
        self.block_s = block_s
        # Decoded here, before the session starts: decoding a whole track on the replay thread
        # mid-session holds the GIL in long C calls and stalls the overlay's event loop (a real
        # microphone has nothing to decode). 16 kHz float32 is 3.8 MB per minute.
        self.samples = recording.audio()
        super().__init__(clock, realtime, fail_at, loop, on_status, back_after)

    def _run(self) -> None:
        samples = self.samples
        if len(samples) == 0:
            return
        step = int(self.block_s * AUDIO_RATE)
        offset = 0.0
        while True:
            for start in range(0, len(samples), step):
                t0 = offset + start / AUDIO_RATE
                block = samples[start:start + step]
                if self._in_gap(t0):
                    continue
                # The microphone delivers a block once it has been recorded: at its end time.
                if not self._wait(t0 + len(block) / AUDIO_RATE):
                    return
                self.ring.put(AudioBlock(t0=t0, samples=block))
            if not self.loop or self._stop.is_set():
                return
            offset += len(samples) / AUDIO_RATE

    def _close(self) -> None:
        self.ring.close()
