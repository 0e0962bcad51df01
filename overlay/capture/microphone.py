"""The live microphone through sounddevice: 16 kHz mono, 20 ms blocks into the audio ring.

The PortAudio callback runs on a real-time audio thread: it copies the block, notes the time and
returns. No detector, no logging, no allocation beyond the copy happens there (DESIGN.md, as in
Friture).

A microphone that goes away (a USB headset unplugged, a Bluetooth one out of range, PulseAudio's
source removed) ends the stream: PortAudio calls `finished_callback`, or the callback simply stops
coming. A `microphone-watch` thread owned here notices either (no block for `STALL_S`), reports
the microphone lost and reopens it with a back-off (1 s doubling to 10 s). PortAudio lists devices
once, at `Pa_Initialize`; sounddevice's author gives `sd._terminate(); sd._initialize()` as the
way to see devices that appeared since (spatialaudio/python-sounddevice#125, #382: it stops every
stream, which is why it is done only while ours is gone). The device is found again by name (its
index may change) and the default input is asked for afresh, so a new default is followed.
"Back" is reported when audio flows again, not when the stream opens.

A default device changed while the old one stays present is not followed mid-stream: PortAudio
cannot refresh its list without stopping the stream (PortAudio/portaudio#11, hot-plug unfinished).
On Linux, PulseAudio (15 and later) and PipeWire move a stream on the "default" device to a new
default source themselves (tests/test_mic_reconnect.py checks it on a real PulseAudio).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from overlay.capture.base import AudioBlock, AudioRing, Backoff, SourceFailed
from overlay.clock import SessionClock

log = logging.getLogger(__name__)

RATE = 16_000
BLOCK = 320  # 20 ms
# No block for this long is a lost microphone. PulseAudio's ALSA plug-in takes up to about 2 s to
# deliver the first block of a freshly created source, so the first wait is longer.
STALL_S = 1.5
FIRST_BLOCK_S = 4.0
WATCH_S = 0.25


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
                 on_status: Callable[[str, str], None] | None = None, *,
                 backoff: Backoff | None = None) -> None:
        self.sd = _sounddevice()
        self.clock = clock
        self.ring = ring
        self.on_status = on_status or (lambda state, detail: None)
        self.backoff = backoff or Backoff(1.0, 10.0)
        self.overflows = 0
        self.reopened = 0
        self.wanted = device if device not in ("", None) else None
        self.device_name: str | None = None  # what was opened, to find it again by name
        self._ended = False
        self._last_block = 0.0  # time.monotonic() of the last block (wall clock: a device's)
        self._opened_at = 0.0
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watch_loop, name="microphone-watch",
                                       daemon=True)
        self._stream: Any = self._open(self.wanted)
        log.info("microphone %s opened", self.device_name or "(default)")

    # -- opening --------------------------------------------------------------------------
    def _open(self, wanted: str | int | None):  # type: ignore[no-untyped-def]
        sd = self.sd
        try:
            stream = sd.InputStream(
                samplerate=RATE, blocksize=BLOCK, channels=1, dtype="float32", device=wanted,
                callback=self._callback, finished_callback=self._finished)
        except (sd.PortAudioError, ValueError) as exc:
            raise SourceFailed(f"microphone {wanted or '(default)'}: cannot be opened ({exc}); "
                               "analyse a recording instead") from exc
        try:
            self.device_name = str(sd.query_devices(stream.device)["name"])
        except (sd.PortAudioError, ValueError, KeyError):
            self.device_name = None
        return stream

    def _reopen(self) -> None:
        """Refresh PortAudio's device list (only while no stream of ours runs) and open the
        same device again, by name, or the default input as it is now."""
        sd = self.sd
        sd._terminate()
        sd._initialize()
        wanted = self.wanted
        if isinstance(wanted, int) and self.device_name is not None:
            wanted = self.device_name  # the index may belong to another device now
        stream = self._open(wanted)
        self._ended = False
        self._opened_at = time.monotonic()
        stream.start()
        self._stream = stream

    # -- PortAudio's threads: copy and return -------------------------------------------------
    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        # Copy and return: indata is reused by PortAudio after this call.
        if status.input_overflow:
            self.overflows += 1
        t0 = self.clock.now() - frames / RATE
        self.ring.put(AudioBlock(t0=t0, samples=indata[:, 0].copy()))
        self._last_block = time.monotonic()

    def _finished(self) -> None:
        self._ended = True

    # -- the watch thread -----------------------------------------------------------------
    def start(self) -> None:
        self._opened_at = time.monotonic()
        self._stream.start()
        self._watch.start()

    def _silent(self, now: float) -> bool:
        if self._ended:
            return True
        if self._last_block < self._opened_at:  # nothing yet from this opening
            return now - self._opened_at > FIRST_BLOCK_S
        return now - self._last_block > STALL_S

    def _watch_loop(self) -> None:
        lost = False
        retry_at = 0.0
        while not self._stop.wait(WATCH_S):
            now = time.monotonic()
            if not lost:
                if self._silent(now):
                    lost = True
                    self.on_status("lost", f"microphone {self.device_name or '(default)'} "
                                           "stopped delivering audio")
                    self._close_stream()
                    retry_at = now + self.backoff.next_delay()
                continue
            if self._stream is not None:  # reopened: waiting for its first block
                if self._last_block >= self._opened_at:
                    lost = False
                    self.backoff.reset()
                    self.on_status("back", f"microphone {self.device_name or '(default)'} "
                                           "delivering audio again")
                elif self._silent(now):
                    self._close_stream()
                    retry_at = now + self.backoff.next_delay()
                continue
            if now >= retry_at:
                try:
                    self._reopen()
                    self.reopened += 1
                except Exception as exc:  # noqa: BLE001 - PortAudio errors per host API
                    retry_at = now + self.backoff.next_delay()
                    log.info("microphone still unavailable (%s); next try in %.0f s", exc,
                             retry_at - now)

    def _close_stream(self, *, finish: bool = False) -> None:
        """Close our stream: `finish` lets PortAudio deliver the blocks it holds (the session's
        end keeps the last words); a lost device is aborted, since it delivers nothing more."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            if finish:
                stream.stop()
            else:
                stream.abort()
            stream.close()
        except Exception as exc:  # noqa: BLE001 - the device is gone: closing may fail too
            log.debug("closing the lost microphone stream: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._watch.is_alive():
            self._watch.join(timeout=5)
        self._close_stream(finish=True)
        self.ring.close()
