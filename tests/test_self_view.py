"""The self-view fallback: a one-time region pick, the tile read off screen as a camera, and a
live session that switches to it when the camera is held by the meeting app."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from overlay.calibration_store import load_calibrations, save_calibration
from overlay.capture.base import LatestFrame, SourceFailed, VideoFrame
from overlay.capture.region_pick import PROMPTS, RegionPick, parse_region, region_from_corners
from overlay.capture.self_view import SelfView, save_self_view, stored_self_view
from overlay.clock import ManualClock

Region = tuple[int, int, int, int]


# -- the region pick -------------------------------------------------------------------------
@pytest.mark.parametrize("text, region", [("10,20,300,200", (10, 20, 300, 200)),
                                          (" 0, 0 ,64, 48", (0, 0, 64, 48))])
def test_region_typed_as_numbers(text: str, region: Region) -> None:
    assert parse_region(text) == region


@pytest.mark.parametrize("text", ["", "1,2,3", "a,b,c,d", "1,2,0,5", "1,2,3,-4", "1,2,3,4,5"])
def test_bad_region_text_says_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError, match="region"):
        parse_region(text)


def test_corners_in_any_order_give_the_same_box() -> None:
    assert region_from_corners((300, 40), (100, 240)) == (100, 40, 200, 200)
    assert region_from_corners((100, 240), (300, 40)) == (100, 40, 200, 200)


class FakeListener:
    def __init__(self, on_click: Callable[[int, int], None]) -> None:
        self.on_click = on_click
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def join(self, timeout: float | None = None) -> None:
        return None


def run_pick(clicks: list[tuple[int, int]], timeout: float = 5.0
             ) -> tuple[RegionPick, list[str], list[str], FakeListener]:
    listeners: list[FakeListener] = []
    prompts: list[str] = []
    failures: list[str] = []

    def listen(on_click: Callable[[int, int], None]) -> FakeListener:
        listeners.append(FakeListener(on_click))
        return listeners[0]

    pick = RegionPick(lambda step, text: prompts.append(step), lambda region: None,
                      failures.append, timeout=timeout, listen=listen)
    pick.start()
    for x, y in clicks:
        listeners[0].on_click(x, y)
    pick.wait(10)
    pick.stop()
    return pick, prompts, failures, listeners[0]


def test_two_clicks_pick_the_region() -> None:
    pick, prompts, failures, listener = run_pick([(900, 600), (660, 420)])
    assert pick.result == (660, 420, 240, 180)
    assert prompts == ["first", "second", "done"] and not failures and listener.stopped


def test_a_tiny_region_is_refused() -> None:
    pick, _, failures, _ = run_pick([(100, 100), (110, 400)])
    assert pick.result is None and "too small" in failures[0]


def test_no_clicks_time_out() -> None:
    pick, prompts, failures, _ = run_pick([(5, 5)], timeout=0.3)
    assert pick.result is None and prompts == ["first", "second"] and "no two clicks" in failures[0]


# -- the stored region -----------------------------------------------------------------------
def test_region_is_stored_once_and_read_back() -> None:
    assert stored_self_view() is None
    save_self_view((10, 20, 320, 180))
    assert stored_self_view() == (10, 20, 320, 180)
    assert load_calibrations()["self_view"] == {"x": 10, "y": 20, "width": 320, "height": 180,
                                                "mirrored": True}
    save_self_view(None)
    assert stored_self_view() is None


@pytest.mark.parametrize("data", [{"x": 1}, {"x": 0, "y": 0, "width": 10, "height": 10},
                                  {"x": "a", "y": 0, "width": 100, "height": 100}])
def test_a_damaged_stored_region_is_ignored(data: dict[str, object]) -> None:
    save_calibration("self_view", data)
    assert stored_self_view() is None


# -- the source ------------------------------------------------------------------------------
class Desktop:
    """A fake screen: a picture the grabs cut regions from; records which thread made it."""

    def __init__(self, picture: np.ndarray, fail: set[int] | None = None) -> None:
        self.picture = picture
        self.fail = fail or set()
        self.made_on: int | None = None
        self.grabbed_on: set[int] = set()
        self.calls = 0

    def factory(self) -> Callable[[Region], np.ndarray]:
        self.made_on = threading.get_ident()

        def grab(region: Region) -> np.ndarray:
            self.grabbed_on.add(threading.get_ident())
            self.calls += 1
            if self.calls in self.fail:
                raise RuntimeError("window moved off screen")
            x, y, w, h = region
            return self.picture[y:y + h, x:x + w].copy()

        return grab


def take_frames(view: SelfView, clock: ManualClock, slot: LatestFrame[VideoFrame],
                steps: int) -> list[VideoFrame]:
    frames = []
    view.start()
    for _ in range(steps):
        frame = slot.take(5)
        assert frame is not None
        frames.append(frame)
        clock.advance(view.period)
    view.stop()
    return frames


def test_self_view_grabs_the_tile_at_the_camera_rate_on_its_own_thread() -> None:
    picture = np.zeros((400, 600, 3), np.uint8)
    picture[100:220, 200:360] = (10, 200, 30)  # the tile
    desktop = Desktop(picture)
    clock, slot = ManualClock(), LatestFrame[VideoFrame]()
    view = SelfView((200, 100, 160, 120), clock, slot, fps=15, grabber=desktop.factory)
    frames = take_frames(view, clock, slot, 5)
    assert [f.rgb.shape for f in frames] == [(120, 160, 3)] * 5
    assert (frames[0].rgb == (10, 200, 30)).all()
    assert [round(f.t * 15) for f in frames] == [0, 1, 2, 3, 4]  # one grab per frame time
    assert desktop.made_on != threading.get_ident() and desktop.grabbed_on == {desktop.made_on}


def test_failed_grabs_report_the_camera_lost_then_back() -> None:
    desktop = Desktop(np.zeros((200, 200, 3), np.uint8), fail={2, 3})
    statuses: list[str] = []
    clock, slot = ManualClock(), LatestFrame[VideoFrame]()
    view = SelfView((0, 0, 100, 100), clock, slot, fps=10, grabber=desktop.factory,
                    on_status=lambda state, detail: statuses.append(state))
    view.start()
    assert slot.take(5) is not None  # grab 1 works
    while desktop.calls < 4:  # grabs 2 and 3 fail, grab 4 works again
        clock.advance(view.period)
        time.sleep(0.01)
    frame = slot.take(5)
    view.stop()
    assert statuses == ["lost", "back"] and frame is not None and frame.index == 1


def test_gaze_runs_on_the_tile(shared_data: Path) -> None:
    """Frames of a real talking head, shrunk into a tile of a bigger 'meeting window', read by
    the self-view source and analysed by the pipeline: the face and its gaze are found."""
    import cv2

    from overlay.capture.replay import Recording
    from overlay.face_model import open_face_finder
    from overlay.session.pipeline import InterviewPipeline
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings

    frames = [f.rgb for _, f in zip(range(40), Recording(
        shared_data / "video/lia__obama.mov").video_frames(), strict=False)]
    finder = open_face_finder(video=True)
    pipeline = InterviewPipeline(load_settings(), SessionRecorder(), finder)
    clock, slot = ManualClock(), LatestFrame[VideoFrame]()
    window = np.full((720, 1280, 3), 40, np.uint8)
    region = (1000, 520, 240, 180)  # the self-view tile, bottom right
    desktop = Desktop(window)
    view = SelfView(region, clock, slot, fps=15, grabber=desktop.factory)
    view.start()
    gazes = []
    for rgb in frames:
        tile = cv2.resize(rgb, (180, 180), interpolation=cv2.INTER_AREA)
        window[520:700, 1030:1210] = tile
        frame = slot.take(5)
        assert frame is not None
        record = pipeline.on_video(frame)
        gazes.append(record.gaze if record.face and record.eye_contact is not None else None)
        clock.advance(view.period)
    view.stop()
    finder.close()
    found = [g for g in gazes[1:] if g is not None]  # the first grab may predate the tile
    assert len(found) >= 0.9 * (len(gazes) - 1)


# -- the live session's fallback -------------------------------------------------------------
class NoCamera:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise SourceFailed("camera 0: could not be opened (in use by another app)")


class QuietMicrophone:
    name = "microphone"

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> None: ...

    def stop(self) -> None: ...


def start_session(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from overlay.capture import camera, microphone, self_view
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings

    monkeypatch.setattr(camera, "Camera", NoCamera)
    monkeypatch.setattr(microphone, "Microphone", QuietMicrophone)
    # The screen the tile is read from: a fake desktop (there may be no display here, and an
    # unreadable tile would make the session offer the pick again).
    desktop = Desktop(np.full((800, 1400, 3), 90, np.uint8))
    monkeypatch.setattr(self_view, "mss_grabber", lambda: desktop.factory)
    session = LiveSession(load_settings(), None, watch_screen=False)
    session.start()
    return session


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def device_states(session) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.data["state"] for e in session.recorder.events if e.kind == "device"]


@pytest.mark.parametrize("stored", [True, False])
def test_camera_in_use_switches_to_the_self_view_when_picked(
        monkeypatch: pytest.MonkeyPatch, stored: bool) -> None:
    if stored:
        save_self_view((1000, 520, 240, 180))
    session = start_session(monkeypatch)
    try:
        feed = session.camera_feed
        assert feed is not None and feed.open_error is not None and "in use" in feed.open_error
        if stored:
            assert wait_for(lambda: "self_view" in device_states(session))
            assert device_states(session)[:2] == ["lost", "self_view"]
            assert feed.region == (1000, 520, 240, 180) and session.finder is not None
            assert session.snapshot().offers == ()
        else:
            assert device_states(session) == ["lost"] and session.finder is None
            assert session.snapshot().devices["camera"].startswith("lost")
            assert session.snapshot().offers == ("pick_self_view",)
    finally:
        session.stop()


def test_the_overlay_command_picks_the_tile_and_the_session_reads_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No tile stored: the snapshot offers the pick, the command runs it (two clicks, here
    through a fake listener), its prompts reach the snapshot, the tile is stored and read."""
    session = start_session(monkeypatch)
    listeners: list[FakeListener] = []

    def listen(on_click: Callable[[int, int], None]) -> FakeListener:
        listeners.append(FakeListener(on_click))
        return listeners[-1]

    def make_pick(*args: Any, **kwargs: Any) -> RegionPick:
        return RegionPick(*args, listen=listen, **kwargs)

    session.self_view_pick.make_pick = make_pick
    try:
        assert session.snapshot().offers == ("pick_self_view",)
        session.command("pick_self_view")
        assert wait_for(lambda: session.snapshot().prompt == PROMPTS["first"])
        assert session.snapshot().offers == ("cancel_pick",)
        listeners[0].on_click(1240, 700)
        assert wait_for(lambda: session.snapshot().prompt == PROMPTS["second"])
        listeners[0].on_click(1000, 520)
        assert wait_for(lambda: "self_view" in device_states(session))
        assert stored_self_view() == (1000, 520, 240, 180)
        assert session.camera_feed.region == (1000, 520, 240, 180)
        snap = session.snapshot()
        assert snap.prompt is not None and snap.prompt.startswith("Got it")
        assert snap.offers == ()
        assert device_states(session).count("self_view_picked") == 1
        assert "self_view_lost" not in device_states(session)
    finally:
        session.stop()


# -- the mirror -----------------------------------------------------------------------------
def test_the_calibration_fits_the_mirrored_tile_once_it_is_flipped_back(
        shared_data: Path) -> None:
    """A person who looks about 11 degrees to one side of the lens, calibrated on the camera.
    The meeting app shows them mirrored: read as it is, the tile looks 11 degrees the other way
    and the calibration calls it away; flipped back (the default) it reads as the camera does."""
    import cv2

    from detectors.gaze_calibration import GazeCalibration
    from overlay.capture.replay import Recording
    from overlay.face_model import open_face_finder
    from overlay.session.pipeline import InterviewPipeline
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings

    frames = [f.rgb for _, f in zip(range(30), Recording(
        shared_data / "video/videoretalking__1.mp4").video_frames(), strict=False)]
    calibration = GazeCalibration((11.3, -0.4), (3.1, 3.0), samples=45)

    def gazes(source: str) -> list[str | None]:
        finder = open_face_finder(video=True)
        pipeline = InterviewPipeline(load_settings(), SessionRecorder(), finder,
                                     gaze_calibration=calibration)
        clock, slot = ManualClock(), LatestFrame[VideoFrame]()
        h, w = frames[0].shape[:2]
        window = np.full((h, w + 200, 3), 40, np.uint8)
        view = SelfView((100, 0, w, h), clock, slot, fps=15, grabber=Desktop(window).factory,
                        mirrored=source == "tile, flipped back")
        out = []
        if source != "camera":
            view.start()
        for i, rgb in enumerate(frames):
            if source == "camera":
                frame: VideoFrame | None = VideoFrame(t=i / 15, rgb=rgb, index=i)
            else:
                window[:, 100:100 + w] = cv2.flip(rgb, 1)  # the meeting app's mirror
                frame = slot.take(5)
                clock.advance(view.period)
            assert frame is not None
            out.append(pipeline.on_video(frame).gaze)
        if source != "camera":
            view.stop()
        finder.close()
        return out[5:]  # the first frames: the tile may predate the picture; smoothing settles

    camera = gazes("camera")
    assert camera.count("lens") >= 0.8 * len(camera)
    flipped = gazes("tile, flipped back")
    assert flipped.count("lens") >= 0.8 * len(flipped)
    as_shown = gazes("tile, as shown")
    assert as_shown.count("lens") <= 0.2 * len(as_shown)
