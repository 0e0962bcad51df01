"""The live microphone through sounddevice: 16 kHz mono, 20 ms blocks into the audio ring.

The PortAudio callback runs on a real-time audio thread: it copies the block and returns. No
detector, no logging, no allocation beyond the copy happens there (DESIGN.md, as in Friture).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from overlay.capture.base import AudioBlock, AudioRing, SourceFailed
from overlay.session.clock import SessionClock

log = logging.getLogger(__name__)

RATE = 16_000
BLOCK = 320  # 20 ms


def _sounddevice():  # type: ignore[no-untyped-def]
    try:
        import sounddevice as sd
    except OSError as exc:  # PortAudio library missing
        raise SourceFailed(f"microphone: PortAudio is not installed ({exc}); "
                           "run scripts/setup.sh") from exc
    return sd


class Microphone:
    name = "microphone"

    def __init__(self, device: str | int | None, clock: SessionClock, ring: AudioRing,
                 on_status: Callable[[str, str], None] | None = None) -> None:
        sd = _sounddevice()
        self.clock = clock
        self.ring = ring
        self.on_status = on_status or (lambda state, detail: None)
        self.overflows = 0
        try:
            self._stream = sd.InputStream(
                samplerate=RATE, blocksize=BLOCK, channels=1, dtype="float32",
                device=device if device not in ("", None) else None, callback=self._callback,
                finished_callback=self._finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise SourceFailed(f"microphone {device or '(default)'}: cannot be opened ({exc}); "
                               "analyse a recording instead") from exc

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        # Copy and return: indata is reused by PortAudio after this call.
        if status.input_overflow:
            self.overflows += 1
        t0 = self.clock.now() - frames / RATE
        self.ring.put(AudioBlock(t0=t0, samples=indata[:, 0].copy()))

    def _finished(self) -> None:
        if not self._closing:
            self.on_status("lost", "microphone stream ended")

    def start(self) -> None:
        self._closing = False
        self._stream.start()

    def stop(self) -> None:
        self._closing = True
        self._stream.stop()
        self._stream.close()
        self.ring.close()
