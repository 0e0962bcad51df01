"""Eye contact of the shipped model against the hand labels, IN-SAMPLE, as the app runs.

Every labelled clip in ../shared/data/video goes through the app's own offline pipeline
(`overlay.session.offline.analyze_recording`: the analysis-rate policy, the smoothing, the
states), faces from the /tmp cache (`scripts/gaze_cache.py`). A label at time t is scored against
what the app showed at t (the last analysed frame at or before t), by the one tally all gaze
scripts share (`scripts/gaze_scoring.py`, which explains the columns). The shipped weights
were fitted on these same clips, so these figures are in-sample: the held-out ones, which the
README and docs/gaze.md report, come from `scripts/cv_gaze.py`.

`--calibrate`: on clips whose first 2 s are all labelled `lens`, calibrate on those 2 s
(`analyze_recording(calibrate=(0, 2))`, as `oncue analyze --calibrate 0-2`) and score the rest.
Set ONCUE_CAMERA_ANALYSIS_STEADY_S=0 to score every camera frame (15 fps) instead of the
adaptive rate. Exits 1 when more than 10% of the closed labels are shown as `away`: at the
adaptive rate (1-3 analysed frames a second on a steady face) most blinks fall between two
analysed frames and the state shown is the one before, which is right for the cues; what must
not happen is a blink taken for a look-away. The share called `closed` is printed as well.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from gaze_cache import labelled_clips, load_labels, run_app, source_of  # noqa: E402
from gaze_scoring import Tally, print_table, tally_labels, total  # noqa: E402

from overlay.settings import load_settings  # noqa: E402

log = logging.getLogger(__name__)
CALIBRATE_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true",
                        help="calibrate on the first 2 s of clips labelled lens there")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    clips = labelled_clips()
    if not clips:
        print("no gaze labels under ../shared/data/video/gaze-labels", file=sys.stderr)
        return 2
    settings = load_settings()
    table: list[tuple[str, Tally]] = []
    by_source: dict[str, Tally] = {}
    for clip in clips:
        span = None
        if args.calibrate:
            first = [lab for t, lab in load_labels(clip) if t < CALIBRATE_S]
            if not first or any(lab != "lens" for lab in first):
                continue
            span = (0.0, CALIBRATE_S)
        run = run_app(clip, settings, span)
        tally = tally_labels(load_labels(clip), run.state_at, after=span[1] if span else -1.0)
        table.append((clip.name, tally))
        by_source.setdefault(source_of(clip.name), Tally()).__iadd__(tally)
    mode = "calibrated on the first 2 s" if args.calibrate else "uncalibrated"
    print_table(f"in-sample, {mode}: per clip", table)
    pooled = total(t for _, t in table)
    print_table("per source", sorted(by_source.items()) + [("ALL", pooled)])
    closed = pooled.closed_ok / pooled.closed_n if pooled.closed_n else float("nan")
    closed_away = pooled.closed_said_away / pooled.closed_n if pooled.closed_n else float("nan")
    print(f"\nforced balanced accuracy {pooled.forced:.3f}; coverage {pooled.coverage:.3f}, "
          f"balanced accuracy on verdicts {pooled.on_verdicts:.3f}; closed called closed "
          f"{closed:.2f}, called away {closed_away:.2f} ({mode}, in-sample)")
    ok = closed_away <= 0.10
    print("PASS" if ok else "BELOW BAR (closed labels shown as away <= 0.10)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
