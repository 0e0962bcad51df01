"""Gaze calibration: where this person's "into the lens" lies, measured, or a population default.

Faces and landmark models differ: the same look into the lens reads a few degrees off zero for one
person and the other way for the next (between-person spread about 4 to 5 degrees on the labelled
clips). A short recording of "look at the lens" (about 3 s) fixes that person's centre and shows how
much their reading wanders; an optional second target, "look at the interviewer's video", shows in
which direction and how far their usual look-away lies, so the lens cone never swallows it.

`GazeCalibration` is what the lead stores per camera in the user's settings (`to_dict`/`from_dict`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from detectors.face import Face
from detectors.gaze import GazeGeometry

log = logging.getLogger(__name__)

# What remains of the population spread once each person's own centre is known (pooled
# within-clip sd of lens-labelled frames): a floor for a short calibration's measured spread.
WITHIN_PERSON_SPREAD_DEG = (3.1, 3.0)
CLOSED_LIMIT = 0.5  # frames with eyes this closed say nothing about gaze


@dataclass(frozen=True)
class GazeCalibration:
    lens_deg: tuple[float, float]  # raw gaze offset (h, v) while looking into the lens
    spread_deg: tuple[float, float]  # its standard deviation (h, v)
    screen_deg: tuple[float, float] | None = None  # raw offset while watching the interviewer
    samples: int = 0  # frames behind the estimate; 0 for the population default
    measured: bool = True  # False only for the population default

    @classmethod
    def population(cls) -> GazeCalibration:
        """No calibration: the shipped model's lens centre (median of the training lens frames)."""
        from detectors.gaze_model import GazeModel

        model = GazeModel.shipped()
        return cls(model.centre_deg, model.spread_deg, None, 0, measured=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lens_deg": list(self.lens_deg),
            "spread_deg": list(self.spread_deg),
            "screen_deg": list(self.screen_deg) if self.screen_deg is not None else None,
            "samples": self.samples,
            "measured": self.measured,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GazeCalibration:
        def pair(value: Any) -> tuple[float, float]:
            h, v = (float(x) for x in value)
            if not (math.isfinite(h) and math.isfinite(v)):
                raise ValueError(f"not a finite angle pair: {value!r}")
            return h, v

        screen = data.get("screen_deg")
        return cls(
            lens_deg=pair(data["lens_deg"]),
            spread_deg=pair(data["spread_deg"]),
            screen_deg=pair(screen) if screen is not None else None,
            samples=int(data.get("samples", 0)),
            measured=bool(data.get("measured", True)),
        )


class CalibrationRecorder:
    """Collects gaze offsets while the user looks at a target; reports progress 0..1.

    Feed it frames in time order with `add(face, t, target)`, target "lens" or "screen". Only
    frames with an open-eyed face count towards progress; the first `settle_s` of each target is
    skipped because the eyes are still travelling there when the prompt appears.
    """

    TARGETS = ("lens", "screen")

    def __init__(self, geometry: GazeGeometry | None = None, duration_s: float = 3.0,
                 settle_s: float = 0.5, min_samples: int = 10) -> None:
        self.geometry = geometry or GazeGeometry()
        self.duration_s = duration_s
        self.settle_s = settle_s
        self.min_samples = min_samples
        self._offsets: dict[str, list[tuple[float, float]]] = {k: [] for k in self.TARGETS}
        self._started: dict[str, float] = {}
        self._covered: dict[str, float] = dict.fromkeys(self.TARGETS, 0.0)
        self._last_t: dict[str, float] = {}

    def add(self, face: Face | None, t: float, target: str = "lens") -> float:
        """Record one frame; returns that target's progress 0..1."""
        if target not in self.TARGETS:
            raise ValueError(f"unknown calibration target: {target!r}")
        start = self._started.setdefault(target, t)
        last = self._last_t.get(target)
        self._last_t[target] = t
        if face is None or t - start < self.settle_s:
            return self.progress(target)
        sample = self.geometry.measure(face)
        if sample.closed >= CLOSED_LIMIT:
            return self.progress(target)
        self._offsets[target].append(sample.offset_deg)
        if last is not None:
            # Count time by gaps between frames, capped so a stalled camera does not fill it.
            self._covered[target] += min(max(t - last, 0.0), 0.2)
        return self.progress(target)

    def progress(self, target: str = "lens") -> float:
        return min(1.0, self._covered[target] / self.duration_s)

    def done(self, target: str = "lens") -> bool:
        return self.progress(target) >= 1.0 and len(self._offsets[target]) >= self.min_samples

    def result(self) -> GazeCalibration:
        """The calibration from what was recorded; raises ValueError without enough lens frames."""
        lens = np.asarray(self._offsets["lens"], dtype=np.float64)
        if len(lens) < self.min_samples:
            raise ValueError(f"only {len(lens)} usable lens frames; look at the lens and retry")
        centre = np.median(lens, axis=0)
        # A 3 s recording underestimates how much a reading wanders over an interview.
        spread = np.maximum(lens.std(axis=0), WITHIN_PERSON_SPREAD_DEG)
        screen = np.asarray(self._offsets["screen"], dtype=np.float64)
        screen_deg = None
        if len(screen) >= self.min_samples:
            s = np.median(screen, axis=0)
            screen_deg = (float(s[0]), float(s[1]))
        log.info("gaze calibration: lens %s spread %s from %d frames", centre, spread, len(lens))
        return GazeCalibration(
            lens_deg=(float(centre[0]), float(centre[1])),
            spread_deg=(float(spread[0]), float(spread[1])),
            screen_deg=screen_deg,
            samples=len(lens),
        )
