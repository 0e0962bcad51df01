"""The live webcam through OpenCV, read on its own thread into a latest-frame slot.

Chosen by index or by name (Linux exposes names in /sys/class/video4linux). When the camera stops
delivering (unplugged, taken by the meeting app) the reader reports it as lost and keeps trying to
reopen it every couple of seconds, so the session goes on and picks it up again.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from overlay.capture.base import LatestFrame, SourceFailed, VideoFrame
from overlay.capture.replay import fit_frame
from overlay.session.clock import SessionClock

log = logging.getLogger(__name__)

REOPEN_EVERY_S = 2.0


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


class Camera:
    name = "camera"

    def __init__(self, choice: str | int, clock: SessionClock, slot: LatestFrame[VideoFrame],
                 *, width: int = 640, height: int = 480, fps: float = 15.0,
                 on_status: Callable[[str, str], None] | None = None) -> None:
        self.index = resolve_camera(choice)
        if sys.platform.startswith("linux") and self.index not in camera_names():
            # No /dev/videoN: asking OpenCV anyway only prints its own errors on the terminal.
            raise SourceFailed(f"camera {self.index}: not found; analyse a recording instead "
                               "(oncue analyze FILE, oncue --replay FILE)")
        self.clock = clock
        self.slot = slot
        self.size = (width, height)
        self.fps = fps
        self.on_status = on_status or (lambda state, detail: None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)
        self._cap = self._open()
        if self._cap is None:
            raise SourceFailed(f"camera {self.index}: could not be opened (missing, in use by "
                               "another app, or no permission); analyse a recording instead")

    def _open(self):  # type: ignore[no-untyped-def]
        import cv2

        cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            cap.release()
            return None
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        return cap

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self._cap is not None:
            self._cap.release()
        self.slot.close()

    def _run(self) -> None:
        import cv2

        index = 0
        while not self._stop.is_set():
            ok, bgr = self._cap.read() if self._cap is not None else (False, None)
            if not ok or bgr is None:
                self.on_status("lost", f"camera {self.index} stopped delivering frames")
                if self._cap is not None:
                    self._cap.release()
                self._cap = None
                while not self._stop.wait(REOPEN_EVERY_S):
                    self._cap = self._open()
                    if self._cap is not None:
                        self.on_status("back", f"camera {self.index} reconnected")
                        break
                continue
            t = self.clock.now()
            rgb = fit_frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            self.slot.put(VideoFrame(t=t, rgb=rgb, index=index))
            index += 1
