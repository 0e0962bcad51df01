"""The camera's stand-in when the meeting app holds it: the user's self-view tile, read off screen.

On Windows and Linux a webcam often has one user at a time; when Zoom or Teams has it, OnCue can
still see the user through the meeting window's self-view tile. Its place on screen is picked
once (`overlay.capture.region_pick`) and stored as the `self_view` calibration; `SelfView` then
grabs that region at the camera's frame rate into the same latest-frame slot a camera fills, so
the face, gaze and lighting steps run unchanged. The tile is mirrored: Zoom, Teams, Meet and
Webex show the user their own video as in a mirror by default (others see it unmirrored). A
mirrored face looks the other way, so the horizontal gaze offset changes sign, and the gaze
calibration measured on the camera (applied to every frame the session analyses, whichever source
gave it) would push the lens cone to the wrong side. The tile is therefore flipped back before it
enters the slot, unless the pick stored `mirrored: false` (the user turned "mirror my video" off).

The mss instance is created inside the grabbing thread (mss handles belong to the thread that
made them; sharing one breaks on Windows). A failed grab (window moved off screen, resolution
changed) reports the camera lost once and back when grabs work again, like a real camera.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from overlay.calibration_store import save_calibration, stored_calibration
from overlay.capture.base import LatestFrame, ThreadedSource, VideoFrame
from overlay.capture.mute_pick import mss_grabber
from overlay.capture.replay import fit_frame
from overlay.clock import SessionClock

log = logging.getLogger(__name__)

KEY = "self_view"
MIN_SIDE = 48  # a smaller tile holds too few pixels for landmarks

Region = tuple[int, int, int, int]  # x, y, width, height on the virtual desktop
Grab = Callable[[Region], np.ndarray]  # region -> RGB uint8, called on the grabbing thread


def check_region(region: Region) -> Region:
    x, y, w, h = (int(v) for v in region)
    if w < MIN_SIDE or h < MIN_SIDE:
        raise ValueError(f"self-view region {w}x{h} is too small; pick at least "
                         f"{MIN_SIDE}x{MIN_SIDE} pixels")
    return x, y, w, h


def save_self_view(region: Region | None, *, mirrored: bool = True) -> None:
    """Store the picked tile (None forgets it) and whether the meeting app mirrors it."""
    if region is None:
        save_calibration(KEY, None)
        return
    x, y, w, h = check_region(region)
    save_calibration(KEY, {"x": x, "y": y, "width": w, "height": h, "mirrored": mirrored})


def stored_self_view() -> Region | None:
    """The picked tile, or None when there is none or the stored one is damaged."""
    return stored_calibration(
        KEY, lambda d: check_region((d["x"], d["y"], d["width"], d["height"])),
        "self-view region", redo="pick it again")


def stored_self_view_mirrored() -> bool:
    """Whether the stored tile is mirrored; True unless the pick said otherwise (the default
    of every meeting app, and of picks stored before this was asked)."""
    mirrored = stored_calibration(KEY, lambda d: bool(d.get("mirrored", True)),
                                  "self-view region", redo="pick it again")
    return True if mirrored is None else mirrored


class SelfView(ThreadedSource):
    """A video source reading the self-view tile; named `camera` since it stands in for it."""

    name = "camera"

    def __init__(self, region: Region, clock: SessionClock, slot: LatestFrame[VideoFrame], *,
                 fps: float = 15.0, grabber: Callable[[], Grab] | None = None,
                 on_status: Callable[[str, str], None] | None = None,
                 mirrored: bool = True, close_slot: bool = True) -> None:
        super().__init__(slot, "self-view", close_slot=close_slot)
        self.mirrored = mirrored
        self.region = check_region(region)
        self.clock = clock
        self.period = 1.0 / max(fps, 0.5)
        self.grabber = grabber or mss_grabber()
        self.on_status = on_status or (lambda state, detail: None)
        self.grabs = 0

    def _run(self) -> None:
        try:
            grab = self.grabber()  # the mss instance is born on this thread
        except Exception as exc:  # noqa: BLE001 - mss raises its own error types per platform
            self.on_status("lost", f"self-view cannot be read: {exc}")
            return
        lost = False
        due = self.clock.now()
        while self.clock.sleep_until(due, self._stop):
            t = self.clock.now()
            try:
                rgb = grab(self.region)
            except Exception as exc:  # noqa: BLE001 - window gone, resolution changed
                if not lost:
                    self.on_status("lost", f"self-view grab failed: {exc}")
                    lost = True
            else:
                if lost:
                    self.on_status("back", "self-view readable again")
                    lost = False
                if self.mirrored:
                    rgb = rgb[:, ::-1]  # back to the camera's view (see the module docstring)
                self.slot.put(VideoFrame(t=t, rgb=fit_frame(np.ascontiguousarray(rgb)),
                                         index=self.grabs))
                self.grabs += 1
            # Keep to the frame rate without drifting, but never queue up missed ticks.
            due = max(due + self.period, self.clock.now())
