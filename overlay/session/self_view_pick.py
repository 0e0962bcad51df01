"""The self-view region pick, run from a live session (the overlay's `pick_self_view` command).

The overlay calls `LiveSession.command("pick_self_view")` (offered while the camera is lost and
no tile is known: `SessionSnapshot.offers`) and shows `SessionSnapshot.prompt` while the pick
runs; `cancel_pick` ends it. A picked tile is stored (so the next session starts with it) and
handed to the camera feed, which reads it while the camera is away.

Threads: `RegionPick` owns its listener and worker; its callbacks run on that worker and only
replace `prompt` (a str, read by the GUI timer through the snapshot) or call
`CameraFeed.use_self_view`, which leaves the region for the feed's own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from overlay.capture.region_pick import RegionPick
from overlay.capture.self_view import MIN_SIDE, save_self_view

log = logging.getLogger(__name__)

Region = tuple[int, int, int, int]
RESULT_SHOWN_S = 6.0  # how long "Got it." or the reason for a failure stays in the prompt


class SelfViewPick:
    def __init__(self, use_region: Callable[[Region], None],
                 on_event: Callable[[str, str], None],
                 make_pick: Callable[..., RegionPick] = RegionPick) -> None:
        self.use_region, self.on_event, self.make_pick = use_region, on_event, make_pick
        self._pick: RegionPick | None = None
        self._prompt: str | None = None
        self._result_until = 0.0
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._pick is not None and not self._ended

    @property
    def prompt(self) -> str | None:
        """What the overlay shows now: the pick's step, or its result for a few seconds."""
        if self.running or time.monotonic() < self._result_until:
            return self._prompt
        return None

    def start(self) -> None:
        with self._lock:
            if self.running:
                return
            self.stop()
            self._ended = False
            self._pick = self.make_pick(self._prompted, self._done, self._failed,
                                        min_side=MIN_SIDE)
        try:
            self._pick.start()
        except Exception as exc:  # noqa: BLE001 - no mouse listener (Wayland, no permission)
            self._failed(f"clicks cannot be read here ({exc}); set the region in "
                         "calibration.json instead")

    def cancel(self) -> None:
        self.stop()
        self._prompt, self._result_until = None, 0.0

    def stop(self) -> None:
        pick, self._pick = self._pick, None
        if pick is not None:
            pick.stop()

    # -- the pick's worker thread ---------------------------------------------------------------
    def _prompted(self, step: str, text: str) -> None:
        self._prompt = text

    def _done(self, region: Region) -> None:
        self._ended = True
        self._prompt, self._result_until = "Got it: reading your self-view.", \
            time.monotonic() + RESULT_SHOWN_S
        try:
            save_self_view(region)
        except (OSError, ValueError) as exc:  # still used now, only not kept for next time
            log.warning("self-view region not stored: %s", exc)
        self.use_region(region)
        self.on_event("self_view_picked", "region x,y,w,h = " + ",".join(map(str, region)))

    def _failed(self, reason: str) -> None:
        self._ended = True
        self._prompt, self._result_until = f"Self-view not picked: {reason}", \
            time.monotonic() + RESULT_SHOWN_S
        self.on_event("self_view_pick_failed", reason)

    _ended = False
