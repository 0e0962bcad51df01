"""The live webcam through OpenCV, read on its own thread into a latest-frame slot.

Chosen by index or by name (Linux exposes names in /sys/class/video4linux). A `Camera` is one
opening of the device: it reads until it is stopped and notes when it last delivered a real frame
(`last_frame_at`). Whether that is too long ago, and what to do then (the self-view stand-in, a
reopen later), is decided by `overlay.capture.camera_feed.CameraFeed`, because a camera taken by
the meeting app often fails in ways the reader itself cannot see:

- on Windows (Media Foundation) a camera in use opens and then delivers nothing: `read()` keeps
  returning False, or True with an all-black image (opencv/opencv#23373, shimat/opencvsharp#1443);
- `read()` may block for seconds or for good (opencv/opencv#5547), so the reader's thread cannot
  be the one that notices the silence.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from overlay.capture.base import LatestFrame, SourceFailed, VideoFrame
from overlay.capture.replay import fit_frame
from overlay.clock import SessionClock

log = logging.getLogger(__name__)

FAILED_READ_PAUSE_S = 0.05  # a failing read returns at once: do not spin a core on it


class Capture(Protocol):
    """The part of cv2.VideoCapture the reader uses (tests pass a fake)."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's name

    def read(self) -> tuple[bool, Any]: ...

    def set(self, prop: int, value: float) -> bool: ...

    def release(self) -> None: ...


def camera_names() -> dict[int, str]:
    """Index -> name of the cameras the OS lists (Linux only; elsewhere OpenCV gives no names)."""
    out: dict[int, str] = {}
    for node in sorted(Path("/sys/class/video4linux").glob("video*")):
        try:
            out[int(node.name[5:])] = (node / "name").read_text().strip()
        except (OSError, ValueError):
            continue
    return out


def resolve_camera(choice: str | int) -> int:
    """A camera index from a setting that may be an index or part of a name."""
    if isinstance(choice, int) or str(choice).strip().isdigit():
        return int(choice)
    wanted = str(choice).strip().lower()
    for index, name in camera_names().items():
        if wanted in name.lower():
            return index
    raise SourceFailed(f"camera {choice!r}: no camera with that name; see `oncue devices`")


def opencv_capture(index: int) -> Capture:
    import cv2

    return cv2.VideoCapture(index)  # type: ignore[no-any-return]


def _bgr_to_rgb(bgr: Any) -> Any:
    import cv2

    return fit_frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def is_blank(bgr: Any) -> bool:
    """An all-black image: what some drivers return for a camera another app holds. A real
    camera in a dark room still shows sensor noise, so a sparse sample of zeros is enough."""
    return int(bgr[::16, ::16].max()) == 0


class Camera:
    name = "camera"

    def __init__(self, choice: str | int, clock: SessionClock, slot: LatestFrame[VideoFrame],
                 *, width: int = 640, height: int = 480, fps: float = 15.0,
                 capture: Callable[[int], Capture] | None = None,
                 close_slot: bool = True) -> None:
        self.index = resolve_camera(choice)
        if capture is None and sys.platform.startswith("linux") \
                and self.index not in camera_names():
            # No /dev/videoN: asking OpenCV anyway only prints its own errors on the terminal.
            raise SourceFailed(f"camera {self.index}: not found; analyse a recording instead "
                               "(oncue analyze FILE, oncue --replay FILE)")
        self.clock = clock
        self.slot = slot
        self.size = (width, height)
        self.fps = fps
        self.close_slot = close_slot
        self.opened_at = clock.now()
        self.last_frame_at: float | None = None  # clock time of the last real frame
        self.frames = 0
        self._capture = capture or opencv_capture
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)
        self._cap = self._open()
        if self._cap is None:
            raise SourceFailed(f"camera {self.index}: could not be opened (missing, in use by "
                               "another app, or no permission); analyse a recording instead")

    def _open(self) -> Capture | None:
        cap = self._capture(self.index)
        if not cap.isOpened():
            cap.release()
            return None
        import cv2

        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        return cap

    def silent_for(self, now: float) -> float:
        """Seconds since the last real frame (or since opening, if none came yet)."""
        return now - (self.last_frame_at if self.last_frame_at is not None else self.opened_at)

    def start(self) -> None:
        self.opened_at = self.clock.now()
        self._thread.start()

    def abandon(self) -> None:
        """Ask the reader to stop without waiting: it may be blocked in `read()` for a long
        time. It releases the device itself when the read returns; `join` waits for that."""
        self._stop.set()
        if self._thread.ident is None and self._cap is not None:  # never started: no reader
            self._cap.release()
            self._cap = None

    def join(self, timeout: float) -> bool:
        """True once the reader has ended (and released the device)."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def stop(self) -> None:
        self.abandon()
        self.join(5)
        if self.close_slot:
            self.slot.close()

    def _run(self) -> None:
        cap = self._cap
        assert cap is not None
        try:
            while not self._stop.is_set():
                ok, bgr = cap.read()
                if self._stop.is_set():
                    break
                if not ok or bgr is None or is_blank(bgr):
                    self._stop.wait(FAILED_READ_PAUSE_S)
                    continue
                t = self.clock.now()
                # Converted only if the analysis rate takes this frame (VideoFrame).
                self.slot.put(VideoFrame(t=t, index=self.frames,
                                         convert=partial(_bgr_to_rgb, bgr)))
                self.last_frame_at = t
                self.frames += 1
        except Exception:  # noqa: BLE001 - a driver error ends this opening, not the session
            log.exception("camera %s reader failed", self.index)
        finally:
            cap.release()
            self._cap = None
