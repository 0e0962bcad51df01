"""The one-minute mute-button calibration for any meeting app, without UI of its own.

Steps (the overlay shows `prompt` texts; this module only listens and grabs):

1. "Unmute yourself, then click your mute button." The user's click mutes them; the listener keeps
   only where it was (never anything else). Once the pointer has left the button (a hover
   highlight is not the button's look) or `settle_max` passed, a small region around the click is
   grabbed: the muted appearance.
2. "Click it again to unmute." A click near the first one; the same wait; the unmuted grab.
3. `MuteButton.learn` builds the calibration; `on_done` gets it (or `on_failed` a reason).

Threads: the pynput listener thread only puts (x, y) on a queue (DESIGN.md: callbacks copy and
return). One worker thread owned by `MutePick` does the waiting and the grabs; the mss instance is
created inside that thread, since mss handles belong to the thread that made them. `stop()` joins
both. Coordinates are the X server's (pynput and mss agree on Linux; on scaled macOS/Windows
desktops they may not, which is why the grab is generous around the click).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from detectors.mute_button import CalibrationFailed, MuteButton
from overlay.capture.listening import left_click_listener

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]
Grab = Callable[[Box], np.ndarray]  # region -> RGB uint8, called on the worker thread only

PROMPTS = {
    "first": "Unmute yourself, then click your mute button.",
    "second": "Click it again to unmute.",
    "done": "Got it.",
}


def mss_grabber() -> Callable[[], Grab]:
    """A factory the worker calls on its own thread, so the mss instance is born there."""

    def make() -> Grab:
        import mss

        grabber = mss.MSS() if hasattr(mss, "MSS") else mss.mss()

        def grab(region: Box) -> np.ndarray:
            x, y, w, h = region
            shot = grabber.grab({"left": x, "top": y, "width": w, "height": h})
            return np.asarray(shot, dtype=np.uint8)[:, :, 2::-1].copy()  # BGRA -> RGB

        return grab

    return make


class MutePick:
    """One calibration run. `on_prompt(step, text)` is called with step in {"first", "second",
    "done", "failed"}; `on_done(button)` or `on_failed(reason)` ends it. Callbacks run on the
    worker thread: the UI must hand them to its own thread."""

    def __init__(self, on_prompt: Callable[[str, str], None],
                 on_done: Callable[[MuteButton], None],
                 on_failed: Callable[[str], None], *,
                 size: int = 72, settle: float = 0.5, settle_max: float = 3.0,
                 timeout: float = 60.0, warmup: float = 1.0, app: str | None = None,
                 grabber: Callable[[], Grab] | None = None,
                 listen: Callable[[Callable[[int, int], None], Callable[[int, int], None]],
                                  object] | None = None) -> None:
        self.on_prompt, self.on_done, self.on_failed = on_prompt, on_done, on_failed
        self.size, self.settle, self.settle_max, self.timeout = size, settle, settle_max, timeout
        self.app, self.warmup = app, warmup
        self.grabber = grabber or mss_grabber()
        self.listen = listen or left_click_listener
        self.step = "idle"
        self.result: MuteButton | None = None
        self._clicks: queue.Queue[tuple[int, int]] = queue.Queue()
        self._pointer = (0, 0)
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._listener: object | None = None
        self._worker = threading.Thread(target=self._run, name="mute-pick", daemon=True)

    # -- control (any thread) ---------------------------------------------------------------
    def start(self) -> None:
        self._listener = self.listen(self._clicked, self._moved)
        self._worker.start()

    def stop(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.stop()  # type: ignore[attr-defined]
            try:
                self._listener.join(timeout=5)  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - join re-raises the listener's own failure
                log.exception("mouse listener ended with an error")
        if self._worker.is_alive():
            self._worker.join(timeout=5)

    def wait(self, timeout: float | None = None) -> MuteButton | None:
        self._finished.wait(timeout)
        return self.result

    # -- listener thread: copy and return ---------------------------------------------------
    def _clicked(self, x: int, y: int) -> None:
        self._pointer = (int(x), int(y))
        self._clicks.put((int(x), int(y)))

    def _moved(self, x: int, y: int) -> None:
        self._pointer = (int(x), int(y))

    # -- worker thread ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            grab = self.grabber()
            # Give the X RECORD context time to come up before asking for the click: a click in
            # its first moments was lost under Xvfb (and no user clicks that fast anyway).
            self._stop.wait(self.warmup)
            first = self._next_click("first")
            region = self._region(first)
            muted = self._grab_after_leaving(grab, region)
            while True:
                second = self._next_click("second")
                if _inside(second, region):
                    break  # a click elsewhere (another window) is not the toggle: keep waiting
            unmuted = self._grab_after_leaving(grab, region)
            self.result = MuteButton.learn(region, muted, unmuted, app=self.app)
            self.step = "done"
            self.on_prompt("done", PROMPTS["done"])
            self.on_done(self.result)
        except (CalibrationFailed, TimeoutError, OSError, RuntimeError) as exc:
            self.step = "failed"
            if not self._stop.is_set():
                log.warning("mute calibration failed: %s", exc)
                self.on_prompt("failed", str(exc))
                self.on_failed(str(exc))
        except Exception as exc:  # noqa: BLE001 - mss errors differ per platform
            self.step = "failed"
            log.exception("mute calibration broke")
            self.on_failed(f"screen cannot be read: {exc}")
        finally:
            self._finished.set()

    def _next_click(self, step: str) -> tuple[int, int]:
        self.step = step
        self.on_prompt(step, PROMPTS[step])
        deadline = time.monotonic() + self.timeout
        while not self._stop.is_set():
            try:
                return self._clicks.get(timeout=min(0.1, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise TimeoutError("no click on the mute button within a minute") from None
        raise RuntimeError("calibration stopped")

    def _region(self, click: tuple[int, int]) -> Box:
        half = self.size // 2
        return (max(0, click[0] - half), max(0, click[1] - half), self.size, self.size)

    def _grab_after_leaving(self, grab: Grab, region: Box) -> np.ndarray:
        """Waits for the app to redraw and the pointer to leave the button, then grabs it."""
        start = time.monotonic()
        self._stop.wait(self.settle)
        while (_inside(self._pointer, region) and time.monotonic() - start < self.settle_max
               and not self._stop.is_set()):
            self._stop.wait(0.05)
        if self._stop.is_set():
            raise RuntimeError("calibration stopped")
        self._stop.wait(0.15)  # the hover highlight fades after the pointer leaves
        return grab(region)


def _inside(point: tuple[int, int], region: Box) -> bool:
    x, y, w, h = region
    return x <= point[0] < x + w and y <= point[1] < y + h
