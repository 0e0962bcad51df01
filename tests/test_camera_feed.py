"""A camera that opens and then delivers nothing (Windows Media Foundation, camera held by the
meeting app), one that stops mid-session with its read blocked, and one that comes back: the feed
calls it lost, stands the self-view tile in (or offers the pick), reopens with a back-off and
uses the camera again. Driven by a manual clock: no test waits for a timed behaviour."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
import pytest

from overlay.capture.base import Backoff, LatestFrame, SourceFailed, VideoFrame
from overlay.capture.camera import Camera
from overlay.capture.camera_feed import CameraFeed
from overlay.capture.self_view import SelfView
from overlay.clock import ManualClock

Region = tuple[int, int, int, int]


class FakeDevice:
    """A webcam that other apps may hold. `delivering` says whether reads give frames; when not,
    a read fails at once (mode "fail"), returns a black image ("black") or blocks until the
    device delivers again or the test ends ("block")."""

    def __init__(self, delivering: bool, mode: str = "fail") -> None:
        self.delivering, self.mode = delivering, mode
        self.opens = 0
        self.released = 0
        self.wake = threading.Event()
        self.frame = np.full((480, 640, 3), 120, np.uint8)

    def capture(self, index: int) -> FakeDevice.Capture:
        self.opens += 1
        return FakeDevice.Capture(self)

    class Capture:
        def __init__(self, device: FakeDevice) -> None:
            self.device = device

        def isOpened(self) -> bool:  # noqa: N802
            return True

        def set(self, prop: int, value: float) -> bool:
            return True

        def read(self) -> tuple[bool, np.ndarray | None]:
            device = self.device
            time.sleep(0.005)
            if device.delivering:
                return True, device.frame
            if device.mode == "block":
                device.wake.wait(10)
                return device.delivering, device.frame if device.delivering else None
            if device.mode == "black":
                return True, np.zeros_like(device.frame)
            return False, None

        def release(self) -> None:
            self.device.released += 1


class Tile:
    """The self-view grabs: a fixed picture, counted; `failing` makes them fail (the meeting
    window moved off screen)."""

    def __init__(self) -> None:
        self.grabs = 0
        self.failing = False

    def factory(self) -> Callable[[Region], np.ndarray]:
        def grab(region: Region) -> np.ndarray:
            self.grabs += 1
            if self.failing:
                raise RuntimeError("XGetImage() failed")
            return np.full((region[3], region[2], 3), 200, np.uint8)
        return grab


def make_feed(device: FakeDevice, region: Region | None = None
              ) -> tuple[CameraFeed, ManualClock, LatestFrame[VideoFrame], list[tuple[str, str]],
                         Tile]:
    clock, slot = ManualClock(), LatestFrame[VideoFrame]()
    statuses: list[tuple[str, str]] = []
    tile = Tile()

    def open_camera() -> Camera:
        return Camera(0, clock, slot, capture=device.capture, close_slot=False)

    def self_view(region: Region, on_status: Callable[[str, str], None]) -> SelfView:
        return SelfView(region, clock, slot, fps=15, grabber=tile.factory, on_status=on_status,
                        close_slot=False)

    feed = CameraFeed(open_camera, clock, slot, self_view=self_view, region=region,
                      on_status=lambda state, detail: statuses.append((state, detail)),
                      backoff=Backoff(2.0, 30.0))
    return feed, clock, slot, statuses, tile


def advance_until(clock: ManualClock, done: Callable[[], bool], limit_s: float,
                  step: float = 0.25) -> float:
    """Moves the clock a tick at a time, letting the threads act, until `done()` or `limit_s`
    simulated seconds; returns the clock's time."""
    end = clock.now() + limit_s
    while not done() and clock.now() < end:
        clock.advance(step)
        time.sleep(0.01)
    return clock.now()


def settle(clock: ManualClock, seconds: float, step: float = 0.25) -> None:
    advance_until(clock, lambda: False, seconds, step)


@pytest.mark.parametrize("mode", ["fail", "black"])
def test_opened_but_silent_is_lost_and_the_pick_is_offered(mode: str) -> None:
    device = FakeDevice(delivering=False, mode=mode)
    feed, clock, slot, statuses, _ = make_feed(device)
    assert feed.open_error is None  # it opened: only its silence tells
    feed.start()
    try:
        t = advance_until(clock, lambda: bool(statuses), 10)
        assert statuses[0][0] == "lost" and "opened but delivered no frames" in statuses[0][1]
        assert 5.0 <= t <= 5.75  # a fresh opening gets 5 s for its first frame
        assert feed.offer == "pick_self_view" and slot.take(0) is None
    finally:
        feed.stop()
    assert device.released == device.opens  # every opening given back, also the abandoned


def test_the_picked_tile_stands_in_and_the_camera_takes_over_when_it_comes_back() -> None:
    device = FakeDevice(delivering=False)
    feed, clock, slot, statuses, tile = make_feed(device)
    feed.start()
    try:
        advance_until(clock, lambda: bool(statuses), 10)
        feed.use_self_view((0, 0, 160, 120))  # what the overlay's pick hands over
        advance_until(clock, lambda: tile.grabs > 3, 5)
        assert [s for s, _ in statuses] == ["lost", "self_view"] and feed.offer is None
        frame = slot.take(1)
        assert frame is not None and frame.rgb.shape == (120, 160, 3)
        tile.failing = True  # the tile cannot be read any more: offer the pick again
        advance_until(clock, lambda: feed.offer is not None, 2)
        assert statuses[-1][0] == "self_view_lost" and feed.offer == "pick_self_view"
        tile.failing = False
        advance_until(clock, lambda: feed.offer is None, 2)
        assert statuses[-1][0] == "self_view" and feed.offer is None
        del statuses[2:]
        device.delivering = True  # the meeting app let go of the camera
        advance_until(clock, lambda: len(statuses) > 2, 40)
        assert [s for s, _ in statuses] == ["lost", "self_view", "back"]
        grabs = tile.grabs
        settle(clock, 2)
        assert tile.grabs == grabs  # the stand-in stopped
        frame = slot.take(1)
        assert frame is not None and frame.rgb.shape == (480, 640, 3)  # the camera's frames
    finally:
        feed.stop()


def test_a_camera_held_all_session_is_asked_for_ever_more_rarely() -> None:
    device = FakeDevice(delivering=False)
    feed, clock, _, statuses, _ = make_feed(device)
    feed.start()
    try:
        settle(clock, 300, step=1.0)
    finally:
        feed.stop()
    # Retries 2, 4, 8, 16, 30, 30 ... s apart, each probe 5 s: 12 in five minutes, where a
    # fixed 2 s retry would have opened it about 40 times.
    assert 8 <= device.opens <= 14
    assert [s for s, _ in statuses] == ["lost"]


def test_a_read_that_blocks_mid_session_is_lost_without_stalling_the_watch() -> None:
    device = FakeDevice(delivering=True, mode="block")
    feed, clock, slot, statuses, _ = make_feed(device, region=(0, 0, 160, 120))
    feed.start()
    try:
        settle(clock, 2)
        assert slot.take(1) is not None and not statuses
        device.delivering = False  # the next read blocks in the driver
        t0 = clock.now()
        t = advance_until(clock, lambda: len(statuses) >= 2, 10)
        assert [s for s, _ in statuses] == ["lost", "self_view"]
        assert "stopped delivering" in statuses[0][1] and t - t0 <= 4.0
    finally:
        device.wake.set()
        feed.stop()


def test_a_camera_missing_at_start_is_lost_then_found() -> None:
    clock, slot = ManualClock(), LatestFrame[VideoFrame]()
    device = FakeDevice(delivering=True)
    plugged = threading.Event()
    statuses: list[str] = []

    def open_camera() -> Camera:
        if not plugged.is_set():
            raise SourceFailed("camera 0: not found")
        return Camera(0, clock, slot, capture=device.capture, close_slot=False)

    feed = CameraFeed(open_camera, clock, slot, self_view=lambda r, s: None,  # type: ignore
                      on_status=lambda state, detail: statuses.append(state))
    assert feed.open_error == "camera 0: not found"
    feed.start()
    try:
        settle(clock, 5)
        plugged.set()
        advance_until(clock, lambda: "back" in statuses, 40)
        assert statuses == ["lost", "back"] and slot.take(1) is not None
    finally:
        feed.stop()
    assert slot.closed


class QuietMicrophone:
    name = "microphone"

    def __init__(self, *args: object, **kwargs: object) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


def test_the_live_session_shows_a_silent_camera_offers_the_pick_and_sees_it_return(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from overlay.capture import camera, microphone
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings

    device = FakeDevice(delivering=False)
    real_camera = camera.Camera
    monkeypatch.setattr(camera, "Camera",
                        lambda *a, **k: real_camera(*a, capture=device.capture, **k))
    monkeypatch.setattr(microphone, "Microphone", QuietMicrophone)
    clock = ManualClock()
    session = LiveSession(load_settings(), None, watch_screen=False, clock=clock)
    session.start()
    try:
        advance_until(clock, lambda: session.snapshot().devices["camera"] != "ok", 10)
        snap = session.snapshot()
        assert snap.devices["camera"].startswith("lost: camera 0 opened but delivered no frames")
        assert snap.offers == ("pick_self_view",)
        device.delivering = True
        advance_until(clock, lambda: session.snapshot().devices["camera"] == "ok", 40)
        assert session.snapshot().offers == ()
        advance_until(clock, lambda: session.pipeline.stats().frames > 3, 5)
        assert session.pipeline.stats().frames > 3  # analysed again
    finally:
        session.stop()
    states = [e.data["state"] for e in session.recorder.events if e.kind == "device"]
    assert states == ["lost", "back"]
