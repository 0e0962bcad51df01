"""What a live session reads: a recording, or the camera and microphone (with the self-view
fallback when the meeting app holds the camera), and the meeting window on screen.

Opening is separate from running (overlay/session/live.py): a source that cannot be opened is
recorded as lost with its reason, the session goes on with the rest, and only "nothing at all"
is an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from detectors.mute_button import MuteButton
from overlay.calibration_store import stored_calibration
from overlay.capture.base import AudioRing, LatestFrame, ScreenShot, SourceFailed, VideoFrame
from overlay.capture.replay import Recording, ReplayCamera, ReplayMicrophone
from overlay.clock import SessionClock
from overlay.settings import Settings

log = logging.getLogger(__name__)

# source name -> the callback a source calls with (state, detail) when it is lost or back
StatusFor = Callable[[str], Callable[[str, str], None]]


@dataclass
class Opened:
    sources: list = field(default_factory=list)  # type: ignore[type-arg]
    has_video: bool = False
    lost: dict[str, str] = field(default_factory=dict)  # source -> "lost: why", at opening


def stored_mute_button() -> MuteButton | None:
    return stored_calibration("mute_button", MuteButton.from_dict, "mute-button calibration")


class SourceOpener:
    """Opens sources that write into one session's frame slot, audio ring and screenshot slot."""

    def __init__(self, settings: Settings, clock: SessionClock, frames: LatestFrame[VideoFrame],
                 audio: AudioRing, shots: LatestFrame[ScreenShot], status: StatusFor) -> None:
        self.settings, self.clock, self.status = settings, clock, status
        self.frames, self.audio, self.shots = frames, audio, shots

    def recording(self, path: Path, *, realtime: bool, loop: bool,
                  fail_camera_at: float | None, fail_microphone_at: float | None,
                  back_after: float | None) -> Opened:
        recording = Recording(path)
        opened = Opened(has_video=recording.has_video)
        if recording.has_video:
            opened.sources.append(ReplayCamera(recording, self.clock, self.frames,
                                               realtime=realtime, loop=loop,
                                               fail_at=fail_camera_at,
                                               on_status=self.status("camera"),
                                               max_fps=self.settings["camera.fps"],
                                               back_after=back_after))
        if recording.has_audio:
            opened.sources.append(ReplayMicrophone(recording, self.clock, self.audio,
                                                   realtime=realtime, loop=loop,
                                                   fail_at=fail_microphone_at,
                                                   on_status=self.status("microphone"),
                                                   back_after=back_after))
        return opened

    def devices(self) -> Opened:
        from overlay.capture.microphone import Microphone

        opened = Opened()
        feed = self.camera_feed()
        opened.sources.append(feed)
        if feed.open_error is not None:
            opened.lost["camera"] = f"lost: {feed.open_error}"
        # Frames are expected from the camera or the stored tile; a camera plugged in later or a
        # tile picked mid-session opens the face finder then (overlay/session/live.py).
        opened.has_video = feed.open_error is None or feed.region is not None
        try:
            opened.sources.append(Microphone(self.settings["microphone.device"] or None,
                                             self.clock, self.audio,
                                             on_status=self.status("microphone")))
        except SourceFailed as exc:
            opened.lost["microphone"] = f"lost: {exc}"
        if not opened.has_video and len(opened.sources) == 1:
            feed.stop()
            raise SourceFailed("no camera and no microphone could be opened; "
                               "try `oncue --replay FILE` with a recording")
        return opened

    def camera_feed(self):  # type: ignore[no-untyped-def]
        """The camera, watched for silence, with the self-view tile standing in while it is
        away (overlay/capture/camera_feed.py)."""
        from overlay.capture import camera
        from overlay.capture.camera_feed import CameraFeed
        from overlay.capture.self_view import (
            SelfView,
            stored_self_view,
            stored_self_view_mirrored,
        )

        cam = self.settings.section("camera")

        def open_camera() -> camera.Camera:
            return camera.Camera(cam["device"], self.clock, self.frames, width=cam["width"],
                                 height=cam["height"], fps=cam["fps"], close_slot=False)

        def self_view(region, on_status):  # type: ignore[no-untyped-def]
            return SelfView(region, self.clock, self.frames, fps=cam["fps"],
                            on_status=on_status, mirrored=stored_self_view_mirrored(),
                            close_slot=False)

        return CameraFeed(open_camera, self.clock, self.frames, self_view=self_view,
                          region=stored_self_view(), on_status=self.status("camera"))

    def screen(self, mute_button: MuteButton | None):  # type: ignore[no-untyped-def]
        from overlay.capture.screen import ScreenWatcher

        screen = self.settings.section("screen")
        # A calibrated mute button is all that needs watching; otherwise the meeting window's
        # toolbar, found in the window list (the configured monitor when there is none).
        region = mute_button.region if mute_button is not None else None
        return ScreenWatcher(self.clock, self.shots, monitor=screen["monitor"],
                             rate_hz=screen["rate_hz"], region=region,
                             on_status=self.status("screen"))
