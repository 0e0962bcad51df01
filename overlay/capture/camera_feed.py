"""The session's video: the camera while it delivers, the self-view tile while it does not.

"Opened but no frames for a few seconds" (5 s for a fresh opening, 3 s once it has delivered) is
a lost camera, at the start or mid-session: on Windows a camera the meeting app holds usually
opens and then delivers nothing (see overlay/capture/camera.py). Then, if the user's self-view
tile was picked once, `SelfView` reads it from the meeting window into the same slot; if not,
`offer` says the overlay may offer the pick (`pick_self_view`). Meanwhile the camera is reopened
with a back-off (2 s doubling to 30 s: a camera held for the whole interview is not asked for at
full rate all along), and a reopened camera that delivers takes over again.

Threads: one `camera-watch` thread, owned here, makes every decision and is the only one that
starts and stops the camera and the self-view, ticking on the session clock (so tests drive it
with a manual clock). `use_self_view` may be called from any thread; it only leaves the region
for the next tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from overlay.capture.base import Backoff, LatestFrame, SourceFailed, ThreadedSource, VideoFrame
from overlay.capture.camera import Camera
from overlay.clock import SessionClock

log = logging.getLogger(__name__)

Region = tuple[int, int, int, int]
STALL_S = 3.0  # no real frame for this long: the camera is lost
# A camera just opened may take a few seconds for its first frame (exposure, USB negotiation;
# Media Foundation often 1-2 s): a probe that gave up sooner would never use a slow camera.
FIRST_FRAME_S = 5.0
TICK_S = 0.25

# Device states reported through on_status(state, detail): "lost" and "back" are the camera's
# (they bound a gap in the summary); "self_view" and "self_view_lost" say what stands in.


class CameraFeed:
    name = "camera"

    def __init__(self, open_camera: Callable[[], Camera], clock: SessionClock,
                 slot: LatestFrame[VideoFrame], *,
                 self_view: Callable[[Region, Callable[[str, str], None]], ThreadedSource],
                 region: Region | None = None,
                 on_status: Callable[[str, str], None] | None = None,
                 stall_s: float = STALL_S, first_frame_s: float = FIRST_FRAME_S,
                 backoff: Backoff | None = None) -> None:
        self.clock, self.slot = clock, slot
        self._open_camera, self._make_view = open_camera, self_view
        self.region = region
        self.on_status = on_status or (lambda state, detail: None)
        self.stall_s, self.first_frame_s = stall_s, first_frame_s
        self.backoff = backoff or Backoff(2.0, 30.0)
        self.state = "camera"  # "camera" | "lost" | "self_view"
        self.open_error: str | None = None  # why the camera could not be opened at the start
        self._camera: Camera | None = None
        self._view: ThreadedSource | None = None
        self._abandoned: list[Camera] = []
        self._wanted: Region | None = None
        self._view_failing = False
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera-watch", daemon=True)
        try:
            self._camera = open_camera()
        except SourceFailed as exc:
            self.open_error, self.state = str(exc), "lost"

    @property
    def offer(self) -> str | None:
        """The command the overlay may offer now: the region pick while the camera is away and
        no self-view region is known, or the known one cannot be read (the window moved)."""
        if self._wanted is not None:
            return None
        if (self.state == "lost" and self.region is None) or (
                self.state == "self_view" and self._view_failing):
            return "pick_self_view"
        return None

    def use_self_view(self, region: Region) -> None:
        """A freshly picked tile: read it while the camera is away (any thread)."""
        with self._lock:
            self._wanted = region

    # -- the watch thread -----------------------------------------------------------------
    def start(self) -> None:
        if self._camera is not None:
            self._camera.start()
        else:
            self.on_status("lost", self.open_error or "camera unavailable")
        self._retry_at = self.clock.now() + (self.backoff.next_delay() if self.open_error
                                             else 0.0)
        self._thread.start()

    def _run(self) -> None:
        due = self.clock.now()
        while self.clock.sleep_until(due, self._stop):
            try:
                self._tick(self.clock.now())
            except Exception:  # noqa: BLE001 - the watch must outlive one bad decision
                log.exception("camera watch failed")
            due = max(due + TICK_S, self.clock.now())

    def _tick(self, now: float) -> None:
        cam = self._camera
        if cam is not None and cam.last_frame_at is not None and self.state != "camera":
            self._stop_view()
            self.state = "camera"
            self.backoff.reset()
            self.on_status("back", f"camera {cam.index} delivering again")
        elif cam is not None and cam.silent_for(now) >= (
                self.stall_s if cam.last_frame_at is not None else self.first_frame_s):
            detail = (f"camera {cam.index} opened but delivered no frames for "
                      f"{self.first_frame_s:g} s (the meeting app may be using it)"
                      if cam.last_frame_at is None else
                      f"camera {cam.index} stopped delivering frames")
            self._drop(cam)
            if self.state == "camera":
                self.state = "lost"
                self.on_status("lost", detail)
            self._retry_at = now + self.backoff.next_delay()
            log.info("%s; trying again at %.0f s", detail, self._retry_at)
        elif cam is None and now >= self._retry_at:
            try:
                cam = self._open_camera()
            except SourceFailed as exc:
                self._retry_at = now + self.backoff.next_delay()
                log.info("camera still unavailable (%s); next try at %.0f s", exc, self._retry_at)
            else:
                self._camera = cam
                cam.start()
        if self.state != "camera":
            self._stand_in()

    def _stand_in(self) -> None:
        with self._lock:
            wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.region = wanted
            self._stop_view()  # a new pick replaces a running tile
        if self._view is None and self.region is not None:
            self._view = self._make_view(self.region, self._view_status)
            self._view.start()
            self.state = "self_view"
            self.on_status("self_view", "camera unavailable; reading your self-view in the "
                                        "meeting window")

    def _view_status(self, state: str, detail: str) -> None:
        self._view_failing = state == "lost"
        self.on_status("self_view_lost" if state == "lost" else "self_view", detail)

    def _stop_view(self) -> None:
        view, self._view = self._view, None
        self._view_failing = False
        if view is not None:
            view.stop()

    def _drop(self, cam: Camera) -> None:
        # Never wait here for a reader stuck in read(): it ends (and releases) on its own.
        self._camera = None
        cam.abandon()
        self._abandoned = [c for c in self._abandoned if not c.join(0)] + [cam]

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._camera is not None:
            self._drop(self._camera)
        self._stop_view()
        for cam in self._abandoned:
            if not cam.join(2):
                log.warning("camera %s reader still blocked in the driver at stop", cam.index)
        self.slot.close()
