"""A meeting app's mute button learnt by calibration: two appearances of one screen region.

For an app whose look the zero-configuration readers do not know (`detectors/meeting_apps.py`
reads Zoom, Teams, Meet and Webex as seen so far; another version, another app), the user points
at their mute button once and toggles it (`overlay/capture/mute_pick.py`). This keeps the two
grabs and afterwards says which one the region looks like now, or `unknown` when it looks like
neither (another window over it, the toolbar hidden, a hover highlight we never saw).

The images are small (the region around the button, not the screen), so the calibration can be
stored in the settings as PNG text (`to_dict` / `from_dict`).
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field

import cv2
import numpy as np

from detectors.meeting import MeetingReading

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]


class CalibrationFailed(ValueError):
    """The two grabs do not differ enough to tell muted from unmuted."""


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY).astype(np.float32)


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute colour difference, 0..255: simple, and what the eye would call different."""
    if a.size == 0:
        return 0.0
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def _changing(muted: np.ndarray, unmuted: np.ndarray) -> np.ndarray:
    """The pixels where the two looks differ (a slash, a colour), grown by one pixel so a
    slightly shifted redraw still lands on them."""
    diff = (np.abs(_grey(muted) - _grey(unmuted)) > 30).astype(np.uint8)
    colour = (np.abs(muted.astype(np.int16) - unmuted.astype(np.int16)).max(axis=2) > 40)
    mask = (diff | colour.astype(np.uint8)).astype(np.uint8)
    return cv2.dilate(mask, np.ones((3, 3), np.uint8)).astype(bool)


@dataclass(frozen=True)
class MuteButton:
    """`region` is the (x, y, w, h) of the grab in screen coordinates; `muted` and `unmuted` are
    the RGB uint8 grabs of it in each state. `match` is how close (as a share of the distance
    between the two appearances, on the pixels that change) a new grab must be to one appearance
    to count as it."""

    region: Box
    muted: np.ndarray = field(repr=False)
    unmuted: np.ndarray = field(repr=False)
    app: str | None = None
    match: float = 0.35
    static_tol: float = 12.0  # mean colour difference allowed where the two looks agree

    @classmethod
    def learn(cls, region: Box, muted: np.ndarray, unmuted: np.ndarray,
              app: str | None = None, min_change: int = 8) -> MuteButton:
        """Builds the calibration from a grab in each state; raises CalibrationFailed when the
        button did not visibly change (the user clicked something else, or the app lagged)."""
        muted, unmuted = (np.ascontiguousarray(a[..., :3], dtype=np.uint8)
                          for a in (muted, unmuted))
        if muted.shape != unmuted.shape:
            raise CalibrationFailed(f"grabs differ in size: {muted.shape} vs {unmuted.shape}")
        changed = int(_changing(muted, unmuted).sum())
        if changed < min_change:
            raise CalibrationFailed(f"the button did not change ({changed} pixels differ)")
        change = _distance(muted, unmuted)
        log.info("mute button learnt at %s: appearances differ by %.1f", region, change)
        return cls(tuple(int(v) for v in region), muted, unmuted, app)  # type: ignore[arg-type]

    def read(self, rgb: np.ndarray) -> MeetingReading:
        """The state of a fresh grab of `region` (same size), or `unknown`."""
        grab = np.asarray(rgb)[..., :3]
        if grab.shape != self.muted.shape:
            grab = cv2.resize(np.ascontiguousarray(grab), self.muted.shape[1::-1],
                              interpolation=cv2.INTER_AREA)
        moving = _changing(self.muted, self.unmuted)
        # The pixels that stay put must still be there: otherwise something covers the button
        # (or the toolbar slid away) and either answer would be a guess.
        if _distance(grab[~moving], self.muted[~moving]) > self.static_tol:
            return MeetingReading("unknown", self.app, self.region, "calibration")
        d_muted = _distance(grab[moving], self.muted[moving])
        d_unmuted = _distance(grab[moving], self.unmuted[moving])
        apart = _distance(self.muted[moving], self.unmuted[moving])
        near, far = sorted((d_muted, d_unmuted))
        if near <= self.match * apart and near <= 0.5 * far:
            state = "muted" if d_muted < d_unmuted else "unmuted"
            return MeetingReading(state, self.app, self.region, "calibration")
        return MeetingReading("unknown", self.app, self.region, "calibration")

    def to_dict(self) -> dict[str, object]:
        return {"region": list(self.region), "app": self.app, "match": self.match,
                "static_tol": self.static_tol,
                "muted": _png(self.muted), "unmuted": _png(self.unmuted)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> MuteButton:
        region = tuple(int(v) for v in data["region"])  # type: ignore[attr-defined]
        return cls(region, _unpng(str(data["muted"])), _unpng(str(data["unmuted"])),  # type: ignore[arg-type]
                   data.get("app") or None, float(data.get("match", 0.35)),  # type: ignore[arg-type]
                   float(data.get("static_tol", 12.0)))  # type: ignore[arg-type]


def _png(rgb: np.ndarray) -> str:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:
        raise ValueError("cannot encode the button image")
    return base64.b64encode(buf.tobytes()).decode("ascii")


def _unpng(text: str) -> np.ndarray:
    buf = np.frombuffer(base64.b64decode(text), np.uint8)
    bgr = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("stored button image is not a PNG")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
