"""Where the light meter reads the face: skin patches laid out in a face-aligned frame.

The frame is built from the iris centres and the nose base: `u` = iris to iris, `v` = eye
midpoint to the closed mouth, taken from the nose base because it moves with the skull and the
mouth does not (an open mouth would drag the patches down). The patches then follow roll, yaw and
distance without rasterising the landmark polygon, and a face costs 180 pixels, not its area.

No chin patch (beards, open mouths) and no eye-band patch: with frontal light the eye band already
sits 1 to 4 stops below the cheeks (iris, lashes, brows, deep sockets; measured on Yale), so it
cannot tell an overhead shadow from an eye (docs/lighting.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from detectors.face import Face

log = logging.getLogger(__name__)

# (a0, a1, b0, b1) in units of u and v; the irises sit at a = -0.5 / +0.5, b = 0.
PATCHES: dict[str, tuple[float, float, float, float]] = {
    "forehead_l": (-0.40, -0.05, -0.60, -0.40),
    "forehead_r": (0.05, 0.40, -0.60, -0.40),
    "nose": (-0.08, 0.08, 0.10, 0.50),
    "cheek_l": (-0.68, -0.32, 0.35, 0.70),
    "cheek_r": (0.32, 0.68, 0.35, 0.70),
}
SKIN = ("forehead_l", "forehead_r", "cheek_l", "cheek_r")
_NOSE_BASE, _NOSE_BASE_B = 2, 0.66  # landmark 2 sits at b = 0.63..0.70 on frontal Yale faces
_GRID = 6  # samples per side of each patch: 36 pixels a patch, 180 for the face


def _patch_grid() -> tuple[np.ndarray, np.ndarray, list[str]]:
    steps = (np.arange(_GRID) + 0.5) / _GRID
    a_list, b_list, names = [], [], []
    for name, (a0, a1, b0, b1) in PATCHES.items():
        aa, bb = np.meshgrid(a0 + (a1 - a0) * steps, b0 + (b1 - b0) * steps)
        a_list.append(aa.ravel())
        b_list.append(bb.ravel())
        names.append(name)
    return np.concatenate(a_list), np.concatenate(b_list), names


_A, _B, _NAMES = _patch_grid()
_N = _GRID * _GRID
_SKIN_MASK = np.repeat([name in SKIN for name in _NAMES], _N)


def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec.601 luma of (..., 3) uint8 samples, as float32 in 0..255."""
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class SkinSample:
    levels: dict[str, float]  # median luma per patch; patches mostly outside the frame left out
    skin: np.ndarray  # luma of every skin sample inside the frame (forehead and cheeks)
    noise: float  # median |pixel - right neighbour| over the skin samples, 8-bit units


def sample_skin(rgb: np.ndarray, face: Face) -> SkinSample:
    """The patches' levels and skin samples of one frame.

    Vectorised over all patches at once: per-patch numpy calls cost more than the pixels.
    """
    h, w = rgb.shape[:2]
    left_eye, right_eye = face.pixels([468, 473])
    if left_eye[0] > right_eye[0]:  # a mirrored frame: keep "l" on the image's left
        left_eye, right_eye = right_eye, left_eye
    mid = (left_eye + right_eye) / 2.0
    u = right_eye - left_eye
    v = (face.pixels(_NOSE_BASE) - mid) / _NOSE_BASE_B
    x = np.rint(mid[0] + _A * u[0] + _B * v[0]).astype(np.intp)
    y = np.rint(mid[1] + _A * u[1] + _B * v[1]).astype(np.intp)
    inside = (x >= 0) & (x < w - 1) & (y >= 0) & (y < h)
    xc, yc = np.clip(x, 0, w - 2), np.clip(y, 0, h - 1)
    pair = luma(rgb[np.concatenate([yc, yc]), np.concatenate([xc, xc + 1])].astype(np.float32))
    here, right = pair[: len(x)], pair[len(x):]
    grid = np.where(inside, here, np.nan).reshape(len(_NAMES), _N)
    count = inside.reshape(len(_NAMES), _N).sum(axis=1)
    ordered = np.sort(grid, axis=1)  # NaN (outside the frame) sorts last
    lo = np.take_along_axis(ordered, np.maximum(count - 1, 0)[:, None] // 2, axis=1)[:, 0]
    hi = np.take_along_axis(ordered, count[:, None] // 2, axis=1)[:, 0]
    medians = (lo + hi) / 2.0
    levels = {name: float(medians[i]) for i, name in enumerate(_NAMES) if count[i] >= _N // 2}
    skin_mask = _SKIN_MASK & inside
    if not skin_mask.any():  # the face is almost entirely outside the frame
        skin_mask = inside if inside.any() else np.ones_like(inside)
    skin = here[skin_mask]
    noise = float(np.median(np.abs(skin - right[skin_mask])))
    return SkinSample(levels=levels, skin=skin, noise=noise)
