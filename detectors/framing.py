"""Where the face sits in the frame and where the camera sits relative to the eyes.

Interview framing advice in short: chest up, a little space above the head, centred, camera at eye
height. `FramingCheck.measure` turns one face into those measures and a concrete fix for each
problem; it needs only the landmarks and the head transform, no pixels, so it costs microseconds.

Camera height comes from the head transform. What matters is the face's pitch *relative to the
line of sight* from the face to the camera: a laptop camera below the eyes looks up the nose even
when the head is level, and it does so whether the camera points up at the face or the face sits
high in a level camera's frame. So the elevation of that line is subtracted from the pitch of the
face's normal. Positive = the camera sees the face from below.
"""

from __future__ import annotations

import logging
import math
import statistics
from dataclasses import dataclass

from detectors.face import Face
from detectors.scene_evidence import SceneEvidence

log = logging.getLogger(__name__)

# Verdict -> the fix we show. Order is the order of importance in the pre-flight list.
FIXES: dict[str, str] = {
    "camera_low": "raise the camera to eye level",
    "camera_high": "lower the camera to eye level",
    "too_close": "move back a little",
    "too_far": "move closer",
    "no_headroom": "leave a little space above your head",
    "low_in_frame": "tilt the camera down a little",
    "off_centre": "centre yourself",
}

# The face oval (landmark 10 to the chin) stops at the upper forehead; the top of the skull and
# the hair sit about this share of the oval's height above it on an adult.
_HAIR_ABOVE_OVAL = 0.3


def relative_pitch_deg(face: Face) -> float:
    """Degrees by which the face's normal points above the line from the face to the camera.

    MediaPipe's transform maps the canonical face (y up, z out of the face) into camera space
    (y up, the camera looking down -z), so column 2 of the rotation is the face normal and the
    translation is the face's position in cm. Positive: the camera is below the eyes.
    """
    m = face.head_matrix
    normal_y, normal_z = float(m[1, 2]), float(m[2, 2])
    tx, ty, tz = (float(v) for v in m[:3, 3])
    face_pitch = math.degrees(math.atan2(normal_y, normal_z))
    sight = math.degrees(math.atan2(-ty, math.hypot(-tz, tx))) if tz < 0 else 0.0
    return face_pitch - sight


@dataclass(frozen=True)
class FramingReading:
    """One frame's framing. Fractions are of the frame's height (sizes) or width (offset)."""

    verdicts: tuple[str, ...]  # ("ok",), keys of FIXES, or () without a face
    fixes: tuple[str, ...]  # the fix text of each verdict, same order
    face_height: float | None = None  # face oval height / frame height
    headroom: float | None = None  # estimated top of the head to the frame's top; < 0 cut off
    offset_x: float | None = None  # face centre from frame centre; negative = image left
    camera_pitch_deg: float | None = None  # see relative_pitch_deg

    @property
    def judged(self) -> bool:
        return bool(self.verdicts)


class FramingCheck:
    """Framing verdicts with fixes. Defaults describe a chest-up webcam shot."""

    def __init__(self, *, min_face_height: float = 0.18, max_face_height: float = 0.55,
                 min_headroom: float = 0.0, max_headroom: float = 0.3,
                 max_offset: float = 0.2, camera_low_deg: float = 15.0,
                 camera_high_deg: float = 20.0) -> None:
        self.min_face_height = min_face_height
        self.max_face_height = max_face_height
        self.min_headroom = min_headroom
        self.max_headroom = max_headroom
        self.max_offset = max_offset
        self.camera_low_deg = camera_low_deg
        self.camera_high_deg = camera_high_deg

    def measure(self, face: Face | None, image_size: tuple[int, int]) -> FramingReading:
        if face is None:
            return FramingReading(verdicts=(), fixes=())
        w, h = image_size
        x0, y0, x1, y1 = face.box()
        face_height = (y1 - y0) / h
        headroom = (y0 - _HAIR_ABOVE_OVAL * (y1 - y0)) / h
        offset_x = ((x0 + x1) / 2.0 - w / 2.0) / w
        pitch = relative_pitch_deg(face)

        verdicts: list[str] = []
        if pitch >= self.camera_low_deg:
            verdicts.append("camera_low")
        elif pitch <= -self.camera_high_deg:
            verdicts.append("camera_high")
        if face_height > self.max_face_height:
            verdicts.append("too_close")
        elif face_height < self.min_face_height:
            verdicts.append("too_far")
        if headroom < self.min_headroom:
            verdicts.append("no_headroom")
        elif headroom > self.max_headroom:
            verdicts.append("low_in_frame")
        if abs(offset_x) > self.max_offset:
            verdicts.append("off_centre")
        verdicts = verdicts or ["ok"]
        return FramingReading(
            verdicts=tuple(verdicts), fixes=tuple(FIXES[v] for v in verdicts if v in FIXES),
            face_height=face_height, headroom=headroom, offset_x=offset_x,
            camera_pitch_deg=pitch)


@dataclass(frozen=True)
class ClipFraming:
    verdicts: tuple[str, ...]  # ("ok",), keys of FIXES, or () when unknown
    fixes: tuple[str, ...]
    shares: dict[str, float]  # verdict -> share of frames with a face where it held
    camera_pitch_deg: float | None  # median over frames with a face
    face_height: float | None  # median
    evidence: SceneEvidence = SceneEvidence(0, 0)
    why_unknown: str | None = None  # why verdicts is (), in the user's words


class FramingSummary:
    """Clip framing: a problem counts when it holds in at least `min_share` of face frames.

    Same rule and default (30 %) as `LightingSummary`; nods and leaning in are brief, a camera
    on the desk is there all session. No verdict without evidence
    (`detectors/scene_evidence.py`): too few frames with a face and framing and camera height
    are unknown, with the reason.
    """

    def __init__(self, min_share: float = 0.3) -> None:
        self.min_share = min_share
        self._counts: dict[str, int] = {}
        self._pitch: list[float] = []
        self._height: list[float] = []
        self._looks = 0

    def add(self, reading: FramingReading) -> None:
        self._looks += 1
        if not reading.judged:
            return
        for verdict in reading.verdicts:
            self._counts[verdict] = self._counts.get(verdict, 0) + 1
        if reading.camera_pitch_deg is not None:
            self._pitch.append(reading.camera_pitch_deg)
        if reading.face_height is not None:
            self._height.append(reading.face_height)

    @property
    def evidence(self) -> SceneEvidence:
        return SceneEvidence(self._looks, len(self._height))

    def result(self) -> ClipFraming:
        evidence = self.evidence
        n = len(self._height)
        shares = {k: v / n for k, v in self._counts.items()} if n else {}
        if not evidence.judgeable:
            return ClipFraming(verdicts=(), fixes=(), shares=shares, camera_pitch_deg=None,
                               face_height=None, evidence=evidence,
                               why_unknown=evidence.why_unknown("framing"))
        held = tuple(v for v in FIXES if shares.get(v, 0.0) >= self.min_share)
        return ClipFraming(
            verdicts=held or ("ok",), fixes=tuple(FIXES[v] for v in held), shares=shares,
            camera_pitch_deg=statistics.median(self._pitch) if self._pitch else None,
            face_height=statistics.median(self._height) if self._height else None,
            evidence=evidence)
