"""The eye-contact classifier: a logistic regression on a few per-frame features.

Why learned, and why so small: the hand-set lens cone (2.5 population standard deviations around
one centre) called most look-aways of new people "lens" (away recall 0.74 on recordings kept
apart from development). Which features, which L2 penalty and which unsure band are not set by
hand: `scripts/train_gaze.py` chooses them (`scripts/gaze_selection.py`: forward selection
scored on held-out sources) from CANDIDATES, quantities that transfer between faces and cameras:

- angles (degrees) as unsigned distances from where the training lens frames lie: the blended
  gaze offset (`detectors.gaze`: head rotation composed with the eyes'), the head's direction,
  the eyes' rotation from the iris between the eye corners (in units of the eye's half-width, so
  face size and distance cancel) and from the eyeLook blendshapes;
- ratios: the eye opening over this person's own open-eye baseline (`OpenEyeBaseline`, a
  per-session normalisation that needs no labels), the strongest eyeLook direction and each one.

The shipped choice is in `detectors/gaze_weights.py` (generated; docs/gaze.md gives it and the
held-out figures, `scripts/cv_gaze.py` re-runs the choice inside every outer fold). Each feature
is standardised by the training mean and scale stored with the weights; the weights are a
module, so the detector stays pure: no file is read at run time.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from detectors.face import Face
from detectors.gaze import GazeSample

log = logging.getLogger(__name__)

# Per-frame raw inputs (`EyeContact.last_inputs`, in this order). The angles are degrees, +h =
# image right, +v = up: the blended gaze offset, the head's direction (MediaPipe's transform),
# the eyes' rotation in the head from the iris between the eye corners and from the eyeLook
# blendshapes. Then ratios that no face size or camera distance changes: the eye opening over
# this person's open-eye baseline, the strongest eyeLook direction and each of the four.
ANGLES = ("off_h", "off_v", "head_h", "head_v", "iris_h", "iris_v", "blend_h", "blend_v")
RATIOS = ("aperture", "eye_look", "look_right", "look_left", "look_up", "look_down")
RAW = ANGLES + RATIOS
# What a model may be fitted on: each angle as its unsigned distance from the lens centre of
# the training lens frames (a look to either side is away), each ratio as it is.
CANDIDATES = tuple(f"abs_{a}" for a in ANGLES) + RATIOS


def eye_looks(face: Face) -> tuple[float, float, float, float]:
    """The eyeLook directions image-right, image-left, up, down, each the mean of both eyes."""
    b = face.blend
    return ((b("eyeLookOutLeft") + b("eyeLookInRight")) / 2.0,  # the subject's left eye looks out
            (b("eyeLookInLeft") + b("eyeLookOutRight")) / 2.0,
            (b("eyeLookUpLeft") + b("eyeLookUpRight")) / 2.0,
            (b("eyeLookDownLeft") + b("eyeLookDownRight")) / 2.0)


def eye_look(face: Face) -> float:
    """The strongest eyeLook direction, 0..1."""
    return max(eye_looks(face))


def raw_inputs(sample: GazeSample, face: Face, aperture_ratio: float) -> tuple[float, ...]:
    """One open-eyed frame's raw inputs, in RAW order."""
    looks = eye_looks(face)
    return (*sample.offset_deg, *sample.head_deg, *sample.iris_deg, *sample.blend_deg,
            aperture_ratio, max(looks), *looks)


def feature_values(raw: Sequence[float], names: Sequence[str],
                   centres: Sequence[float]) -> list[float]:
    """The named CANDIDATES from raw inputs; `centres` are the lens centres of ANGLES."""
    out = []
    for name in names:
        if name.startswith("abs_"):
            i = ANGLES.index(name[4:])
            out.append(abs(raw[i] - centres[i]))
        else:
            out.append(raw[RAW.index(name)])
    return out


@dataclass(frozen=True)
class GazeModel:
    """P(looking into the lens) = logistic(bias + sum(weight * (x - mean) / scale))."""

    features: tuple[str, ...]  # a subset of CANDIDATES, chosen by scripts/train_gaze.py
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    centres: tuple[float, ...]  # lens centre of each of ANGLES: the training lens frames' median
    spread_deg: tuple[float, float]  # population spread of lens frames' offsets (h, v)
    band: tuple[float, float] = (0.4, 0.6)  # away at or below, lens at or above; unknown between

    def __post_init__(self) -> None:
        n = len(self.features)
        if not n or not len(self.mean) == len(self.scale) == len(self.weights) == n:
            raise ValueError("a gaze model needs one mean, scale and weight per feature")
        if unknown := set(self.features) - set(CANDIDATES):
            raise ValueError(f"unknown gaze features: {sorted(unknown)}")
        if len(self.centres) != len(ANGLES):
            raise ValueError(f"a gaze model needs {len(ANGLES)} centres")
        if any(s <= 0 for s in self.scale):
            raise ValueError("gaze model scales must be positive")
        if not 0.0 < self.band[0] <= self.band[1] < 1.0:
            raise ValueError("the unsure band needs 0 < away <= lens < 1")

    @property
    def centre_deg(self) -> tuple[float, float]:
        """The population lens centre of the gaze offset (what a calibration measures)."""
        return self.centres[0], self.centres[1]

    def probability(self, raw: Sequence[float],
                    lens_deg: tuple[float, float] | None = None) -> float:
        """From one frame's raw inputs; `lens_deg`: a calibrated centre of the gaze offset."""
        centres = self.centres if lens_deg is None else (*lens_deg, *self.centres[2:])
        z = self.bias
        values = feature_values(raw, self.features, centres)
        for x, m, s, w in zip(values, self.mean, self.scale, self.weights, strict=True):
            z += w * (x - m) / s
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                "centres": list(self.centres), "spread_deg": list(self.spread_deg),
                "band": list(self.band)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GazeModel:
        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(x) for x in data[key])

        spread, band = floats("spread_deg"), floats("band")
        return cls(tuple(str(f) for f in data["features"]), floats("mean"), floats("scale"),
                   floats("weights"), float(data["bias"]), floats("centres"),
                   (spread[0], spread[1]), (band[0], band[1]))

    @classmethod
    def shipped(cls) -> GazeModel:
        """The weights `scripts/train_gaze.py` fitted on all labelled clips."""
        from detectors.gaze_weights import WEIGHTS

        return cls.from_dict(WEIGHTS)


def fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[bool],
                 l2: float = 1.0, iterations: int = 50) -> tuple[list[float], list[float],
                                                                 list[float], float]:
    """Class-balanced, L2-regularised logistic regression by Newton's method (numpy).

    Returns (mean, scale, weights, bias) for standardised features. Deterministic: the same
    rows give the same weights, so the shipped file is reproducible.
    """
    import numpy as np

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if len(x) == 0 or y.min() == y.max():
        raise ValueError("need frames of both classes to fit the gaze model")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    # Balanced: lens and away frames weigh the same in total, whatever their counts.
    cw = np.where(y > 0.5, 0.5 / y.mean(), 0.5 / (1.0 - y.mean()))
    penalty = l2 * np.diag(np.r_[0.0, np.ones(z.shape[1] - 1)])
    w = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (cw * (p - y)) + penalty @ w
        hess = (z * (cw * p * (1.0 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return mean.tolist(), scale.tolist(), w[1:].tolist(), float(w[0])
