"""Gaze geometry: where one face's eyes point, relative to the camera lens, in degrees.

The gaze direction is the head's rotation (MediaPipe's facial transform) composed with the eyes'
rotation inside the head (iris position in the eye opening, both eyes, blended with the eyeLook*
blendshapes). MediaPipe estimates the head's rotation from the face's appearance (its geometry
pipeline unprojects all landmarks at nearly one depth), so the rotation it reports is already
relative to the line of sight from the eyes to the lens: a face anywhere in the image that looks
frontal comes out as the identity. The gaze's angles in that frame are its offset from the lens,
and no camera field of view enters (an earlier version rotated into the camera frame with the
`camera.fov_deg` setting and back, which cancelled exactly; the setting is gone). Checked on
latentsync__demo2_video (face at the top of a portrait frame, looking into the lens): the head
pitch reads about +3 degrees, not the -27 that a camera-frame rotation would need.

Angles: (horizontal, vertical); positive horizontal = gaze passes image-right of the lens,
positive vertical = above. Frames as MediaPipe's transform uses them: +x image right (the
subject's left), +y up, +z from the screen towards the user.

Constants here are anatomy, not fitted to labels: an eye opening is about 30 mm wide and the
eyeball has a radius of about 12 mm, so an iris displaced by a fraction `h` of the half-opening
has turned by asin(1.25 h). See docs/gaze.md.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from detectors.face import (
    IRIS_OF_LEFT_EYE,
    IRIS_OF_RIGHT_EYE,
    LEFT_EYE_BOTTOM,
    LEFT_EYE_INNER,
    LEFT_EYE_OUTER,
    LEFT_EYE_TOP,
    RIGHT_EYE_BOTTOM,
    RIGHT_EYE_INNER,
    RIGHT_EYE_OUTER,
    RIGHT_EYE_TOP,
    Face,
)

log = logging.getLogger(__name__)

EYE_HALF_WIDTH_MM = 15.0
EYEBALL_RADIUS_MM = 12.0


@dataclass(frozen=True)
class GazeSample:
    """One frame's gaze measurement, before calibration and smoothing."""

    offset_deg: tuple[float, float]  # gaze minus eyes-to-lens direction (horizontal, vertical)
    head_deg: tuple[float, float]  # head direction minus eyes-to-lens direction
    eyes_deg: tuple[float, float]  # eyes' rotation in the head (iris and blendshapes blended)
    closed: float  # 0 wide open .. 1 shut (blink blendshapes and eye aspect ratio)
    aperture: float = 0.3  # eye opening height / width, mean of both eyes (about 0.3 open)
    # The two measures of the eyes' rotation before blending (the classifier weighs them
    # apart: they fail on different faces).
    iris_deg: tuple[float, float] = (0.0, 0.0)  # iris along the eye corners (`iris_rotation`)
    blend_deg: tuple[float, float] = (0.0, 0.0)  # eyeLook blendshapes (`blend_rotation`)


def _angles(v: np.ndarray) -> tuple[float, float]:
    """(horizontal, vertical) angles in degrees of a camera-frame direction pointing at +z."""
    horizontal = math.degrees(math.atan2(float(v[0]), float(v[2])))
    vertical = math.degrees(math.atan2(float(v[1]), math.hypot(float(v[0]), float(v[2]))))
    return horizontal, vertical


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _direction(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    return np.array([math.sin(yaw) * math.cos(pitch), math.sin(pitch),
                     math.cos(yaw) * math.cos(pitch)])


class GazeGeometry:
    """Turns a `Face` into a `GazeSample`. Stateless."""

    def __init__(self, blend_yaw_deg: float = 35.0, blend_pitch_deg: float = 25.0,
                 blend_weight: float = 0.5) -> None:
        # blend_*_deg: eye rotation that a full (1.0) eyeLook blendshape stands for; the
        # weight blends that estimate with the iris-based one (the two fail differently:
        # the iris landmarks jitter on small eyes, the blendshapes saturate and lag).
        self.blend_yaw_deg = blend_yaw_deg
        self.blend_pitch_deg = blend_pitch_deg
        self.blend_weight = blend_weight

    def head_rotation(self, face: Face) -> np.ndarray:
        """3x3 rotation of the head (canonical face -> camera), scale removed."""
        r = np.asarray(face.head_matrix, dtype=np.float64)[:3, :3]
        u, _, vt = np.linalg.svd(r)  # nearest rotation: the transform may carry a scale
        return u @ vt

    def iris_rotation(self, face: Face) -> tuple[float, float]:
        """Eyes' (yaw, pitch) in the head from the iris in the eye opening, in degrees.

        Each eye is measured along its own corner-to-corner axis (so head roll cancels) and in
        units of its own half-width (so distance and head yaw's foreshortening cancel); the two
        eyes are weighted by their visible width, since a turned head hides the far eye.
        """
        eyes = ((RIGHT_EYE_OUTER, RIGHT_EYE_INNER, IRIS_OF_RIGHT_EYE),  # image-left eye
                (LEFT_EYE_INNER, LEFT_EYE_OUTER, IRIS_OF_LEFT_EYE))  # image-right eye
        # Plain floats, not 2-vectors in numpy: this runs for every frame and numpy's per-call
        # overhead on two numbers was most of the gaze step's cost.
        yaw_sum = pitch_sum = weight_sum = 0.0
        for left_corner, right_corner, iris in eyes:
            (ax, ay), (bx, by), (cx, cy) = face.pixels([left_corner, right_corner, iris]).tolist()
            half = math.hypot(bx - ax, by - ay) / 2.0
            if half < 1e-6:
                continue
            axis_x, axis_y = (bx - ax) / (2.0 * half), (by - ay) / (2.0 * half)
            up_x, up_y = axis_y, -axis_x  # perpendicular, pointing up in the image
            rel_x, rel_y = cx - (ax + bx) / 2.0, cy - (ay + by) / 2.0
            scale = EYE_HALF_WIDTH_MM / EYEBALL_RADIUS_MM / half
            along = _clamp((rel_x * axis_x + rel_y * axis_y) * scale, -1.0, 1.0)
            across = _clamp((rel_x * up_x + rel_y * up_y) * scale, -1.0, 1.0)
            yaw_sum += math.degrees(math.asin(along)) * half
            pitch_sum += math.degrees(math.asin(across)) * half
            weight_sum += half
        if weight_sum == 0.0:
            return 0.0, 0.0
        return yaw_sum / weight_sum, pitch_sum / weight_sum

    def blend_rotation(self, face: Face) -> tuple[float, float]:
        """Eyes' (yaw, pitch) from the eyeLook blendshapes, in degrees (+yaw = image right).

        The subject's left eye looks image-right when it looks Out, the right eye when it looks In.
        """
        b = face.blend
        horizontal = (b("eyeLookOutLeft") - b("eyeLookInLeft")
                      + b("eyeLookInRight") - b("eyeLookOutRight")) / 2.0
        vertical = (b("eyeLookUpLeft") + b("eyeLookUpRight")
                    - b("eyeLookDownLeft") - b("eyeLookDownRight")) / 2.0
        return horizontal * self.blend_yaw_deg, vertical * self.blend_pitch_deg

    def aperture(self, face: Face) -> float:
        """Eye aspect ratio: the lids' gap over the corner-to-corner width, mean of both eyes."""
        ratios = []
        for top, bottom, c0, c1 in ((LEFT_EYE_TOP, LEFT_EYE_BOTTOM, LEFT_EYE_INNER, LEFT_EYE_OUTER),
                                    (RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM, RIGHT_EYE_INNER,
                                     RIGHT_EYE_OUTER)):
            t, bt, p, q = face.pixels([top, bottom, c0, c1]).tolist()
            width = math.dist(q, p)
            ratios.append(math.dist(t, bt) / width if width > 1e-6 else 0.0)
        return sum(ratios) / len(ratios)

    def closed(self, face: Face, aperture: float | None = None) -> float:
        """0 (open) .. 1 (shut): the blink blendshapes, backed by the eye aspect ratio."""
        blink = (face.blend("eyeBlinkLeft") + face.blend("eyeBlinkRight")) / 2.0
        ratio = self.aperture(face) if aperture is None else aperture
        # An open eye's height is about 0.3 of its width, a shut one's under 0.1.
        ear_closed = _clamp((0.25 - ratio) / 0.17, 0.0, 1.0)
        return max(blink, ear_closed)

    def measure(self, face: Face) -> GazeSample:
        rotation = self.head_rotation(face)  # relative to the line of sight (module docstring)
        iris = self.iris_rotation(face)
        blend = self.blend_rotation(face)
        w = self.blend_weight
        eyes = ((1 - w) * iris[0] + w * blend[0], (1 - w) * iris[1] + w * blend[1])
        aperture = self.aperture(face)
        return GazeSample(
            offset_deg=_angles(rotation @ _direction(*eyes)),
            head_deg=_angles(rotation[:, 2]),
            eyes_deg=eyes,
            closed=self.closed(face, aperture),
            aperture=aperture,
            iris_deg=iris,
            blend_deg=blend,
        )
