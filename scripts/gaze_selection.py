"""Which features, penalty and unsure band the eye-contact model gets: chosen on held-out sources.

`choose(rows_by_clip)` sees only the clips it is given. Inside them it holds out one source at a
time (a source is the clip name before `__`: one repository's people and cameras), fits on the
rest and scores the held-out labels; the choice is the one these inner folds score best. So when
`scripts/cv_gaze.py` calls it with an outer fold's training clips, the outer held-out clip played
no part in any choice, and its figure is a held-out one (nested cross-validation). Called with
every clip (`scripts/train_gaze.py`), it gives the shipped model's choice.

- Features: forward selection from `gaze_model.CANDIDATES` (each step adds the candidate and L2
  penalty that score best), while a step gains more than `MIN_GAIN` balanced accuracy, at most
  `MAX_FEATURES`. The inner score is balanced accuracy lens vs away at p = 0.5 over the pooled
  held-out labels; ties go to the lower balanced log-loss.
- Penalty: L2 on standardised features, one of `L2_GRID` (the fit's class weights sum to the row
  count, so 1 is weak and 100 strong for about 350 rows).
- Unsure band: with the chosen features, the lens threshold of `BAND_GRID` whose "forced"
  balanced accuracy (a lens label not called lens is wrong, unsure included) is best on the
  inner folds; ties go to the wider band (a wrong cue is worse than none); symmetric about 0.5.

Scored per labelled frame without the app's smoothing (the outer figures in cv_gaze.py are the
app's own): fast enough to run inside every outer fold.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from detectors.gaze_model import ANGLES, CANDIDATES, fit_logistic

log = logging.getLogger(__name__)

L2_GRID = (1.0, 10.0, 100.0)
BAND_GRID = (0.5, 0.55, 0.6, 0.65, 0.7)
MAX_FEATURES = 6
MIN_GAIN = 0.002

Row = tuple[float, ...]  # EyeContact.last_inputs (gaze_model.RAW order)


@dataclass(frozen=True)
class Choice:
    features: tuple[str, ...]
    l2: float
    band: tuple[float, float]  # (away at or below, lens at or above)
    inner: float = float("nan")  # inner held-out balanced accuracy at p = 0.5

    def __str__(self) -> str:
        return (f"features {', '.join(self.features)}; L2 {self.l2:g}; band "
                f"{self.band[0]:g}-{self.band[1]:g} (inner held-out {self.inner:.3f})")


def candidate_matrix(raw: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Every one of CANDIDATES for raw rows: `gaze_model.feature_values`, vectorised."""
    n = len(ANGLES)
    return np.c_[np.abs(raw[:, :n] - centres), raw[:, n:]]


def lens_centres(raw: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The median of each angle over the lens rows: where 'into the lens' lies on average."""
    return np.median(raw[lens, :len(ANGLES)], axis=0)


def source_of(clip_name: str) -> str:
    return clip_name.split("__", 1)[0]


@dataclass
class _Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _splits(rows_by_clip: Mapping[str, Sequence[tuple[Row, bool]]]) -> list[_Split]:
    groups = sorted({source_of(c) for c in rows_by_clip})
    out = []
    for held in groups:
        train = [r for c, rs in rows_by_clip.items() if source_of(c) != held for r in rs]
        test = [r for c, rs in rows_by_clip.items() if source_of(c) == held for r in rs]
        if not test or len({y for _, y in train}) < 2:
            continue
        raw = np.array([r for r, _ in train], dtype=np.float64)
        y = np.array([lab for _, lab in train])
        centres = lens_centres(raw, y)
        raw_test = np.array([r for r, _ in test], dtype=np.float64)
        out.append(_Split(candidate_matrix(raw, centres), y,
                          candidate_matrix(raw_test, centres), np.array([lab for _, lab in test])))
    return out


def _held_out(splits: Sequence[_Split], cols: list[int], l2: float) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    ps, ys = [], []
    for s in splits:
        mean, scale, w, b = fit_logistic(s.x_train[:, cols].tolist(), s.y_train.tolist(), l2=l2)
        z = b + ((s.x_test[:, cols] - np.array(mean)) / np.array(scale)) @ np.array(w)
        ps.append(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))
        ys.append(s.y_test)
    return np.concatenate(ps), np.concatenate(ys)


def balanced_accuracy(y: np.ndarray, said_lens: np.ndarray) -> float:
    parts = [float(np.mean(said_lens[y])) if y.any() else None,
             float(np.mean(~said_lens[~y])) if (~y).any() else None]
    known = [p for p in parts if p is not None]
    return sum(known) / len(known)


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    losses = [-np.mean(np.log(p[y])) if y.any() else 0.0,
              -np.mean(np.log(1 - p[~y])) if (~y).any() else 0.0]
    return float(sum(losses))


def choose(rows_by_clip: Mapping[str, Sequence[tuple[Row, bool]]]) -> Choice:
    """Features, L2 and band for a model of these clips, chosen on their held-out sources."""
    splits = _splits(rows_by_clip)
    chosen: list[int] = []
    best: tuple[float, float] = (-1.0, 0.0)
    best_l2 = L2_GRID[0]
    while len(chosen) < MAX_FEATURES:
        step: tuple[tuple[float, float], int, float] | None = None
        for col in range(len(CANDIDATES)):
            if col in chosen:
                continue
            for l2 in L2_GRID:
                p, y = _held_out(splits, chosen + [col], l2)
                key = (round(balanced_accuracy(y, p >= 0.5), 6), -_log_loss(y, p))
                if step is None or key > step[0]:
                    step = (key, col, l2)
        if step is None or step[0][0] <= best[0] + MIN_GAIN:
            break
        best, best_l2 = step[0], step[2]
        chosen.append(step[1])
    p, y = _held_out(splits, chosen, best_l2)
    # Highest-first, so that on a tie the wider band (larger lens threshold) is kept.
    lens_at = max(reversed(BAND_GRID), key=lambda th: balanced_accuracy(y, p >= th))
    return Choice(tuple(CANDIDATES[c] for c in chosen), best_l2,
                  (round(1.0 - lens_at, 4), lens_at), best[0])
