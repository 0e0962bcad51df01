"""Fit the eye-contact classifier on the labelled clips and write detectors/gaze_weights.py.

Training frames are the frames the app analyses: every labelled clip goes through the app's own
offline pipeline (`overlay.session.offline.analyze_recording`, its analysis-rate policy
included), faces from the /tmp cache (`scripts/gaze_cache.py`). For each `lens` or `away` label
(unsure `?` labels left out) the frame the app showed at that time gives one row, if its eyes
were open: the raw inputs `EyeContact` computes (`EyeContact.last_inputs`). The features, the
L2 penalty and the unsure band are chosen on held-out sources of these clips
(`scripts/gaze_selection.py`); the lens centres are the medians of the lens rows; the model is
a class-balanced logistic regression (`detectors.gaze_model.fit_logistic`), deterministic.

The adaptive analysis rate follows the gaze state, so the frames it picks depend on the model
(retraining on them never settled: 360-362 frames from round to round). Training therefore uses
every frame the camera offers (`camera.analysis_steady_s = 0`, 15 fps): a superset of whatever the
adaptive rate analyses, the same per-frame computation, and independent of the model, so the
weights are reproducible. The held-out scoring (`scripts/cv_gaze.py`) runs the default policy.
`--check` fits without writing and exits 1 if the shipped file differs.
"""

from __future__ import annotations

import argparse
import logging
import os
import pprint
import sys
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from gaze_cache import ClipRun, labelled_clips, load_labels, run_app  # noqa: E402
from gaze_selection import Choice, candidate_matrix, choose, lens_centres  # noqa: E402

from detectors.eye_contact import EyeContact  # noqa: E402
from detectors.gaze_model import CANDIDATES, GazeModel, fit_logistic  # noqa: E402
from overlay.settings import Settings, load_settings  # noqa: E402

log = logging.getLogger(__name__)
WEIGHTS_FILE = ROOT / "detectors" / "gaze_weights.py"

Row = tuple[float, ...]  # EyeContact.last_inputs


def replay_inputs(run: ClipRun, model: GazeModel) -> list[Row | None]:
    """`EyeContact.last_inputs` for each analysed frame, replaying the app's frames in order.

    With the model the run used, the replayed states are the app's own; `check_replay` asserts it.
    """
    detector = EyeContact(run.calibration, model=model)
    out: list[Row | None] = []
    for t, face in zip(run.times, run.faces, strict=True):
        detector.update(face, t)
        out.append(detector.last_inputs)
    return out


def check_replay(run: ClipRun, model: GazeModel) -> None:
    detector = EyeContact(run.calibration, model=model)
    states = [detector.update(face, t).state for t, face in zip(run.times, run.faces, strict=True)]
    if states != run.states:
        bad = sum(a != b for a, b in zip(states, run.states, strict=True))
        raise SystemExit(f"{run.clip.name}: replaying the app's frames gives {bad} other states "
                         "than the app: the scripts would not score what the app does")


def labelled_rows(run: ClipRun, inputs: Sequence[Row | None]) -> list[tuple[Row, bool]]:
    rows: list[tuple[Row, bool]] = []
    for t, label in load_labels(run.clip):
        if label not in ("lens", "away"):
            continue
        i = run.index_at(t)
        row = inputs[i] if i is not None else None
        if row is not None:
            rows.append((row, label == "lens"))
    return rows


def fit_model(rows: Sequence[tuple[Row, bool]], choice: Choice) -> GazeModel:
    raw = np.array([r for r, _ in rows], dtype=np.float64)
    lens = np.array([y for _, y in rows])
    centres = lens_centres(raw, lens)
    spread = raw[lens, :2].std(axis=0)
    cols = [CANDIDATES.index(f) for f in choice.features]
    x = candidate_matrix(raw, centres)[:, cols]
    mean, scale, weights, bias = fit_logistic(x.tolist(), lens.tolist(), l2=choice.l2)
    r = lambda v: round(float(v), 4)  # noqa: E731 - short files, stable diffs
    return GazeModel(choice.features, tuple(map(r, mean)), tuple(map(r, scale)),
                     tuple(map(r, weights)), r(bias), tuple(map(r, centres)),
                     (r(spread[0]), r(spread[1])), choice.band)


def training_settings() -> Settings:
    """The app's settings with every camera frame analysed (see the module docstring)."""
    return load_settings(environ={**os.environ, "ONCUE_CAMERA_ANALYSIS_STEADY_S": "0"})


def app_runs(model: GazeModel, clips: Sequence[Path],
             settings: Settings | None = None) -> list[ClipRun]:
    settings = settings or training_settings()
    with mock.patch.object(GazeModel, "shipped", return_value=model):
        runs = [run_app(clip, settings) for clip in clips]
        for run in runs:
            check_replay(run, model)
    return runs


def rows_of(runs: Sequence[ClipRun], model: GazeModel) -> dict[str, list[tuple[Row, bool]]]:
    return {run.clip.name: labelled_rows(run, replay_inputs(run, model)) for run in runs}


def write_weights(model: GazeModel) -> None:
    text = ('"""Generated by scripts/train_gaze.py (do not edit): the eye-contact classifier\'s '
            'weights."""\n\n'
            f"WEIGHTS = {pprint.pformat(model.to_dict(), width=96, sort_dicts=False)}\n")
    WEIGHTS_FILE.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fit, compare, do not write")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    clips = labelled_clips()
    shipped = GazeModel.shipped()
    per_clip = rows_of(app_runs(shipped, clips), shipped)
    rows = [row for clip_rows in per_clip.values() for row in clip_rows]
    choice = choose(per_clip)
    print(f"chosen on held-out sources of all clips: {choice}")
    model = fit_model(rows, choice)
    lens = sum(y for _, y in rows)
    print(f"{len(rows)} frames ({lens} lens, {len(rows) - lens} away) from {len(clips)} clips")
    print(pprint.pformat(model.to_dict(), sort_dicts=False))
    if args.check:
        same = model == GazeModel.shipped()
        print("shipped weights reproduced" if same else "shipped weights DIFFER")
        return 0 if same else 1
    write_weights(model)
    print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
