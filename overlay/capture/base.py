"""What every capture source hands to the session: timestamped samples and two bounded buffers.

Video: the latest frame wins. A camera produces frames whether or not analysis keeps up, so a
`LatestFrame` slot keeps only the newest and counts the ones it overwrote (dropped frames are
counted, never queued). Audio: a gap in audio would cut words in half, so the `AudioRing` keeps
every block up to a bound (a few seconds) and only then drops the oldest, counting them.

Both are written from device callbacks or reader threads and read by the session's workers, so
they use a Condition; the producer side does nothing but store a reference and notify.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import numpy as np

log = logging.getLogger(__name__)

T = TypeVar("T")


class VideoFrame:
    """A camera frame: its capture time (seconds on the session clock), its RGB pixels
    ((H, W, 3) uint8) and its number at the source (replay: its position in the file).

    The pixels come ready (`rgb=`) or as the conversion that makes them (`convert=`, run once, by
    the first thread that reads `rgb`: the vision worker). The analysis rate passes most camera
    frames over (detectors/analysis_rate.py), and turning a webcam's BGR or a decoder's YUV into
    scaled RGB is most of what a camera costs: a frame passed over is never converted.
    """

    __slots__ = ("_convert", "_rgb", "index", "t")

    def __init__(self, t: float, rgb: np.ndarray | None = None, index: int = 0, *,
                 convert: Callable[[], np.ndarray] | None = None) -> None:
        if (rgb is None) == (convert is None):
            raise ValueError("a VideoFrame needs its pixels or their conversion, not both")
        self.t, self.index = t, index
        self._rgb, self._convert = rgb, convert

    @property
    def rgb(self) -> np.ndarray:
        if self._rgb is None:
            assert self._convert is not None
            # Two readers at once would both convert and keep the same pixels: harmless.
            self._rgb, self._convert = self._convert(), None
        return self._rgb

    def at(self, t: float) -> VideoFrame:
        """The same frame stamped with another capture time, still unconverted if it was."""
        if self._rgb is not None:
            return VideoFrame(t, self._rgb, self.index)
        return VideoFrame(t, index=self.index, convert=self._convert)

    def __repr__(self) -> str:
        return f"VideoFrame(t={self.t!r}, index={self.index!r})"


@dataclass(frozen=True)
class AudioBlock:
    t0: float  # capture time of the first sample, seconds on the session clock
    samples: np.ndarray = field(repr=False)  # float32 mono, 16 kHz

    @property
    def t1(self) -> float:
        return self.t0 + len(self.samples) / 16_000.0


@dataclass(frozen=True)
class ScreenShot:
    t: float
    rgb: np.ndarray = field(repr=False)
    region: tuple[int, int, int, int]  # x, y, width, height on the virtual desktop
    # What was grabbed: "toolbar" (the meeting window's control strip), "window" (the whole
    # meeting window), "button" (a calibrated mute button) or "screen" (a whole monitor).
    scope: str = "screen"


class SourceFailed(Exception):
    """A device could not be opened or stopped delivering; str() says which and why."""


class Source(Protocol):
    """A capture source: started with the session clock's zero, stopped and joined by its owner."""

    name: str

    def start(self) -> None: ...

    def stop(self) -> None: ...


class ThreadedSource:
    """A source whose reader runs `_run` on a thread it owns, feeding `slot`.

    `stop()` asks the reader to stop, joins it and closes the slot, so the worker waiting on the
    slot wakes up and ends too. Subclasses implement `_run`, watching `self._stop`.
    """

    name = "source"

    def __init__(self, slot: LatestFrame, thread_name: str,  # type: ignore[type-arg]
                 *, close_slot: bool = True) -> None:
        self.slot = slot
        # A stand-in (the self-view while the camera is away) shares the session's slot with
        # the camera: stopping it must not close the slot the camera goes on filling.
        self.close_slot = close_slot
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self.close_slot:
            self.slot.close()

    def _run(self) -> None:
        raise NotImplementedError


class Backoff:
    """Delays between attempts to reopen a lost device: `first`, doubling up to `longest`.

    A device that is gone for the whole session (the meeting app holds the camera for an hour)
    must not be asked for at full rate all along; one that comes back is found within `longest`.
    """

    def __init__(self, first: float = 2.0, longest: float = 30.0) -> None:
        self.first, self.longest = first, longest
        self._next = first

    def next_delay(self) -> float:
        delay, self._next = self._next, min(self._next * 2.0, self.longest)
        return delay

    def reset(self) -> None:
        self._next = self.first


class LatestFrame(Generic[T]):
    """A one-item slot: `put` replaces, `take` waits for something new."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self.delivered = 0
        self.dropped = 0
        self.closed = False

    def put(self, item: T) -> None:
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self.delivered += 1
            self._cond.notify()

    def take(self, timeout: float | None = None) -> T | None:
        with self._cond:
            if self._item is None and not self.closed:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class AudioRing:
    """Bounded FIFO of audio blocks; the oldest are dropped (and counted) past `max_seconds`."""

    def __init__(self, max_seconds: float = 5.0) -> None:
        self._cond = threading.Condition()
        self._blocks: deque[AudioBlock] = deque()
        self._samples = 0
        self._max_samples = int(max_seconds * 16_000)
        self.dropped_samples = 0
        self.closed = False

    def put(self, block: AudioBlock) -> None:
        with self._cond:
            self._blocks.append(block)
            self._samples += len(block.samples)
            while self._samples > self._max_samples and len(self._blocks) > 1:
                old = self._blocks.popleft()
                self._samples -= len(old.samples)
                self.dropped_samples += len(old.samples)
            self._cond.notify()

    def drain(self, timeout: float | None = None) -> list[AudioBlock]:
        with self._cond:
            if not self._blocks and not self.closed:
                self._cond.wait(timeout)
            out = list(self._blocks)
            self._blocks.clear()
            self._samples = 0
            return out

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
