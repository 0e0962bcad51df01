"""A one-time pick of a screen region, without UI of its own: two clicks, or "x,y,w,h".

Used for the self-view tile (`overlay.capture.self_view`). The overlay shows the prompts
(`PROMPTS`); this module only listens. The user clicks two opposite corners of the region, in
any order; the region is the box between them.

Threads: the pynput listener thread only puts (x, y) on a queue (DESIGN.md: callbacks copy and
return); one worker thread owned by `RegionPick` waits for the clicks and calls `on_done` or
`on_failed`; `stop()` joins both. Coordinates are those mss grabs in: the X server's on Linux;
on Windows the low-level mouse hook's (pynput), "per-monitor aware screen coordinates"
(Microsoft, MSLLHOOKSTRUCT), i.e. physical pixels in a per-monitor aware process, as mss makes it;
on macOS points, as mss grabs at the nominal resolution.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from overlay.capture.listening import left_click_listener

log = logging.getLogger(__name__)

Region = tuple[int, int, int, int]  # x, y, width, height
Listen = Callable[[Callable[[int, int], None]], object]  # on_click -> a started listener

PROMPTS = {
    "first": "Click one corner of your self-view.",
    "second": "Now click the opposite corner.",
    "done": "Got it.",
}


def parse_region(text: str) -> Region:
    """A region typed as `x,y,w,h` (spaces allowed); ValueError says what is wrong."""
    parts = [p.strip() for p in text.split(",")]
    try:
        x, y, w, h = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"region {text[:40]!r}: expected four whole numbers x,y,w,h") from None
    if w <= 0 or h <= 0:
        raise ValueError(f"region {text[:40]!r}: width and height must be positive")
    return x, y, w, h


def region_from_corners(a: tuple[int, int], b: tuple[int, int]) -> Region:
    """The box between two opposite corners, whichever was clicked first."""
    x0, x1 = sorted((int(a[0]), int(b[0])))
    y0, y1 = sorted((int(a[1]), int(b[1])))
    return x0, y0, x1 - x0, y1 - y0


class RegionPick:
    """One pick. `on_prompt(step, text)` gets step in {"first", "second", "done"};
    `on_done(region)` or `on_failed(reason)` ends it. Callbacks run on the worker thread: the UI
    must hand them to its own thread."""

    def __init__(self, on_prompt: Callable[[str, str], None], on_done: Callable[[Region], None],
                 on_failed: Callable[[str], None], *, min_side: int = 48,
                 timeout: float = 60.0, listen: Listen | None = None) -> None:
        self.on_prompt, self.on_done, self.on_failed = on_prompt, on_done, on_failed
        self.min_side, self.timeout = min_side, timeout
        self.listen = listen or left_click_listener
        self.result: Region | None = None
        self._clicks: queue.Queue[tuple[int, int]] = queue.Queue()
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._listener: object | None = None
        self._worker = threading.Thread(target=self._run, name="region-pick", daemon=True)

    def start(self) -> None:
        self._listener = self.listen(self._clicked)
        self._worker.start()

    def stop(self) -> None:
        self._stop.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()  # type: ignore[attr-defined]
            try:
                listener.join(timeout=5)  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - join re-raises the listener's own failure
                log.exception("mouse listener ended with an error")
        if self._worker.is_alive():
            self._worker.join(timeout=5)

    def wait(self, timeout: float | None = None) -> Region | None:
        self._finished.wait(timeout)
        return self.result

    def _clicked(self, x: int, y: int) -> None:  # listener thread: copy and return
        self._clicks.put((int(x), int(y)))

    def _next_click(self, deadline: float) -> tuple[int, int] | None:
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                return self._clicks.get(timeout=0.1)
            except queue.Empty:
                continue
        return None

    def _run(self) -> None:
        try:
            deadline = time.monotonic() + self.timeout
            self.on_prompt("first", PROMPTS["first"])
            first = self._next_click(deadline)
            if first is not None:
                self.on_prompt("second", PROMPTS["second"])
            second = self._next_click(deadline) if first is not None else None
            if first is None or second is None:
                self.on_failed("stopped" if self._stop.is_set()
                               else f"no two clicks within {self.timeout:.0f} s")
                return
            region = region_from_corners(first, second)
            if min(region[2], region[3]) < self.min_side:
                self.on_failed(f"the region {region[2]}x{region[3]} is too small; click two "
                               "opposite corners of your self-view")
                return
            self.result = region
            self.on_prompt("done", PROMPTS["done"])
            self.on_done(region)
        finally:
            self._finished.set()
