"""A slow, small screen grab of the meeting window's toolbar region, for the mute watcher.

The mss instance is created inside the grabbing thread and never shared: mss keeps per-thread
display handles (it breaks on Windows otherwise). Grabs are a few per second and only of the
region asked for, never the whole desktop when a region is known.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from overlay.capture.base import LatestFrame, ScreenShot, SourceFailed, ThreadedSource
from overlay.session.clock import SessionClock

log = logging.getLogger(__name__)


def monitors() -> list[dict[str, int]]:
    """mss's monitor list: [0] is the whole virtual desktop, [1:] the physical screens."""
    try:
        import mss

        with mss.mss() as grabber:
            return [dict(m) for m in grabber.monitors]
    except Exception as exc:  # noqa: BLE001 - mss raises its own error types per platform
        raise SourceFailed(f"screen: cannot be read ({exc}); is there a display?") from exc


class ScreenWatcher(ThreadedSource):
    name = "screen"

    def __init__(self, clock: SessionClock, slot: LatestFrame[ScreenShot], *,
                 region: tuple[int, int, int, int] | None = None, monitor: int = 1,
                 rate_hz: float = 2.0,
                 on_status: Callable[[str, str], None] | None = None) -> None:
        super().__init__(slot, "screen")
        self.clock = clock
        self.region = region
        self.monitor = monitor
        self.period = 1.0 / max(rate_hz, 0.1)
        self.on_status = on_status or (lambda state, detail: None)

    def _run(self) -> None:
        import mss

        try:
            grabber = mss.mss()  # created here: this thread owns it
        except Exception as exc:  # noqa: BLE001
            self.on_status("lost", f"screen cannot be read: {exc}")
            return
        with grabber:
            lost = False
            while not self._stop.is_set():
                t = self.clock.now()
                try:
                    area = self._area(grabber)
                    shot = grabber.grab(area)
                    # BGRA -> RGB without a colour-conversion library in the hot path.
                    rgb = np.asarray(shot, dtype=np.uint8)[:, :, 2::-1].copy()
                    if lost:
                        self.on_status("back", "screen readable again")
                        lost = False
                    self.slot.put(ScreenShot(t=t, rgb=rgb, region=(
                        area["left"], area["top"], area["width"], area["height"])))
                except Exception as exc:  # noqa: BLE001 - resolution change, display gone
                    if not lost:
                        self.on_status("lost", f"screen grab failed: {exc}")
                        lost = True
                self._stop.wait(self.period)

    def _area(self, grabber) -> dict[str, int]:  # type: ignore[no-untyped-def]
        if self.region is not None:
            x, y, w, h = self.region
            return {"left": x, "top": y, "width": w, "height": h}
        mons = grabber.monitors
        return dict(mons[self.monitor if self.monitor < len(mons) else 0])
