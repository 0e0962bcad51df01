"""Replay of a recording as live devices: its video frames and its audio track, paced by the
session clock.

The replay sources (`ReplayCamera`, `ReplayMicrophone`) play a `Recording` (decoded in
overlay/capture/recording.py, re-exported here) into the same bounded buffers as the live
devices, so a replayed session exercises the live code path; they can also simulate a pulled
device and its return.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from overlay.capture.base import AudioBlock, AudioRing, LatestFrame, SourceFailed, VideoFrame
from overlay.capture.media import AUDIO_RATE, MediaError
from overlay.capture.recording import (  # noqa: F401 - re-exported: the replay's file
    MAX_SIDE,
    Recording,
    fit_frame,
)
from overlay.clock import SessionClock

log = logging.getLogger(__name__)

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
                self.slot.put(frame.at(t))
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
