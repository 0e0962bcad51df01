"""A slow, small screen grab of the meeting window's toolbar, for the mute watcher.

What is grabbed, in order of preference:
1. a calibrated mute button (`oncue calibrate --mute-button`): that region only ("button");
2. the meeting window found in the platform's window list (overlay/capture/meeting_window.py),
   on any monitor: its toolbar strip ("toolbar"), and every `whole_every_s` the whole window
   ("window"), because Zoom's audio-options dialog ("no audio") opens over the middle of the
   meeting, not over its toolbar. The window is looked up again every `find_every_s`, so a
   window moved to another monitor, resized or closed is followed;
3. with no window list (Wayland) or no meeting window: the configured monitor ("screen").

The mss instance and the window lister are created inside the grabbing thread and never shared:
mss keeps per-thread display handles (it breaks on Windows otherwise), and so does an X11
display connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from overlay.capture.base import LatestFrame, ScreenShot, SourceFailed, ThreadedSource
from overlay.capture.meeting_window import (
    MeetingWindow,
    Region,
    WindowLister,
    clip_region,
    find_meeting,
    platform_lister,
    toolbar_region,
)
from overlay.clock import SessionClock

log = logging.getLogger(__name__)


def new_grabber():  # type: ignore[no-untyped-def]
    """An mss instance (mss 10 renamed the factory `MSS`; `mss()` is deprecated)."""
    import mss

    return mss.MSS() if hasattr(mss, "MSS") else mss.mss()


FIND_EVERY_S = 2.0
WHOLE_EVERY_S = 5.0


def monitors() -> list[dict[str, int]]:
    """mss's monitor list: [0] is the whole virtual desktop, [1:] the physical screens."""
    try:
        with new_grabber() as grabber:
            return [dict(m) for m in grabber.monitors]
    except Exception as exc:  # noqa: BLE001 - mss raises its own error types per platform
        raise SourceFailed(f"screen: cannot be read ({exc}); is there a display?") from exc


def _box(area: dict[str, int]) -> Region:
    return area["left"], area["top"], area["width"], area["height"]


def _area(region: Region) -> dict[str, int]:
    return {"left": region[0], "top": region[1], "width": region[2], "height": region[3]}


class ScreenWatcher(ThreadedSource):
    name = "screen"

    def __init__(self, clock: SessionClock, slot: LatestFrame[ScreenShot], *,
                 region: tuple[int, int, int, int] | None = None, monitor: int = 1,
                 rate_hz: float = 2.0,
                 on_status: Callable[[str, str], None] | None = None,
                 windows: Callable[[], WindowLister | None] = platform_lister,
                 find_every_s: float = FIND_EVERY_S,
                 whole_every_s: float = WHOLE_EVERY_S) -> None:
        super().__init__(slot, "screen")
        self.clock = clock
        self.region = region
        self.monitor = monitor
        self.period = 1.0 / max(rate_hz, 0.1)
        self.on_status = on_status or (lambda state, detail: None)
        self.windows = windows
        self.find_every_s, self.whole_every_s = find_every_s, whole_every_s
        self.meeting: MeetingWindow | None = None  # the window last found (any thread may read)
        self._found_at = float("-inf")
        self._whole_at = float("-inf")

    def _run(self) -> None:
        try:
            grabber = new_grabber()  # created here: this thread owns it
        except Exception as exc:  # noqa: BLE001
            self.on_status("lost", f"screen cannot be read: {exc}")
            return
        # After mss: on Windows creating it makes the process per-monitor DPI aware, so window
        # bounds and grabs are both in physical pixels (overlay/capture/meeting_window.py).
        lister = self._lister()
        with grabber:
            lost = False
            while not self._stop.is_set():
                t = self.clock.now()
                try:
                    if lister is not None and self.region is None:
                        self._find(lister, t)
                    area, scope = self._choose(grabber, t)
                    shot = grabber.grab(area)
                    # BGRA -> RGB without a colour-conversion library in the hot path.
                    rgb = np.asarray(shot, dtype=np.uint8)[:, :, 2::-1].copy()
                    if lost:
                        self.on_status("back", "screen readable again")
                        lost = False
                    self.slot.put(ScreenShot(t=t, rgb=rgb, region=_box(area), scope=scope))
                except Exception as exc:  # noqa: BLE001 - resolution change, display gone
                    if not lost:
                        self.on_status("lost", f"screen grab failed: {exc}")
                        lost = True
                self._stop.wait(self.period)

    def _lister(self) -> WindowLister | None:
        try:
            return self.windows()
        except Exception as exc:  # noqa: BLE001 - no window list: the monitor is watched instead
            log.info("no window list (%s): watching monitor %d", exc, self.monitor)
            return None

    def _find(self, lister: WindowLister, t: float) -> None:
        if t - self._found_at < self.find_every_s:
            return
        self._found_at = t
        try:
            found = find_meeting(lister())
        except Exception as exc:  # noqa: BLE001 - a window closing under us, a dropped display
            log.debug("window list failed: %s", exc)
            found = None
        if (found is None) != (self.meeting is None) or (
                found is not None and self.meeting is not None and found.app != self.meeting.app):
            log.info("meeting window: %s", f"{found.app} {found.region}" if found else "none")
        self.meeting = found

    def _choose(self, grabber, t: float) -> tuple[dict[str, int], str]:  # type: ignore[no-untyped-def]
        if self.region is not None:
            return _area(self.region), "button"
        mons = grabber.monitors
        meeting = self.meeting
        if meeting is not None:
            desktop = _box(mons[0])
            if t - self._whole_at >= self.whole_every_s:
                whole = clip_region(meeting.region, desktop)
                if whole is not None:
                    self._whole_at = t
                    return _area(whole), "window"
            strip = clip_region(toolbar_region(meeting), desktop)
            if strip is not None:
                return _area(strip), "toolbar"
        return dict(mons[self.monitor if self.monitor < len(mons) else 0]), "screen"
