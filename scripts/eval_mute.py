"""Accuracy of the pixel mute reader on every labelled meeting screen, scored leave-one-source-out.

The cases (`scripts/mute_cases.py`): every labelled file of ../shared/data/screens/zoom-linux and
screens/meeting-apps, and whole frames made from them in memory, never saved: crops pasted into
real screenshots and into call screens drawn in code (`scripts/mute_frames.py`), at 0.75x, 1x,
Windows 125% and 150%, retina 2x, in the light theme, in a window moved across a desktop, and
with the toolbar hidden or cut away (which must read `unknown`, never `not_in_meeting` or a
state). Sources are app/OS groups (Zoom Linux, Zoom Windows, Meet macOS, Teams Windows, Teams
Linux, Webex web).

Leave-one-source-out: the reader's tunable thresholds (Zoom glyph correlation, the meeting
canvas share, the round button's glyph margin) are chosen on every other source by accuracy
(fewest wrong cues first), then the held-out source is scored with them. A wrong cue is a
definite muted/unmuted where the label says otherwise: worse than `unknown`. A second table
splits the held-out figures by app and by variant.

    .venv/bin/python scripts/eval_mute.py [--shared DIR] [-v] [--no-cv]

Prints the tables; exits 1 when a held-out case is wrong.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mute_cases import (  # noqa: E402
    VARIANTS,
    Case,
    app_cases,
    variant,
    variant_cases,
    zoom_linux_cases,
)

from detectors.meeting_apps import MeetingMuteReader  # noqa: E402

log = logging.getLogger(__name__)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "screens"
GRID = {"min_score": (0.6, 0.65, 0.7), "canvas_share": (0.15, 0.25, 0.35),
        "round_margin": (0.03, 0.06, 0.1), "light_share": (0.4, 0.5, 0.6),
        "round_plain": (0.55, 0.65, 0.75)}
DEFAULTS = {"min_score": 0.65, "canvas_share": 0.25, "round_margin": 0.06, "light_share": 0.5,
            "round_plain": 0.65}


def grid_points() -> list[tuple[float, ...]]:
    """The defaults and every point one threshold away from them (11 points; the full product,
    243, would take hours on the development machine)."""
    base = tuple(DEFAULTS.values())
    points = [base]
    for k, name in enumerate(GRID):
        points += [base[:k] + (v,) + base[k + 1:] for v in GRID[name] if v != DEFAULTS[name]]
    return points


def outcomes(cases: list[Case], params: dict[str, float]) -> list[str]:
    """The state read from every case, a fresh reader each (no memory between images)."""
    return [MeetingMuteReader(**params).read(rgb).state for _, _, _, rgb in cases]  # type: ignore[arg-type]


def tally(cases: list[Case], got: list[str]) -> tuple[int, int]:
    """(right, wrong cues): a wrong cue is a definite muted/unmuted the label does not say."""
    right = sum(g == c[2] for c, g in zip(cases, got, strict=True))
    wrong = sum(g in ("muted", "unmuted") and g != c[2] for c, g in zip(cases, got, strict=True))
    return right, wrong


def choose(cases: list[Case], table: dict[tuple[float, ...], list[str]],
           keep: list[bool]) -> tuple[float, ...]:
    """The grid point with the fewest wrong cues on the kept cases, then the most right, then
    the fewest moves from the defaults."""
    def key(values: tuple[float, ...]) -> tuple[int, int, int]:
        kept = [c for c, k in zip(cases, keep, strict=True) if k]
        got = [g for g, k in zip(table[values], keep, strict=True) if k]
        right, wrong = tally(kept, got)
        moved = sum(v != DEFAULTS[k] for k, v in zip(GRID, values, strict=True))
        return (wrong, -right, moved)
    return min(table, key=key)


def print_variants(cases: list[Case], got: list[str]) -> None:
    """Held-out right/total (and wrong cues, if any) by app and variant."""
    apps = list(dict.fromkeys(c[0].split("/")[0] for c in cases))
    print(f"\n{'app':8s} " + " ".join(f"{v:>12s}" for v in VARIANTS))
    for app in apps:
        cells = []
        for v in VARIANTS:
            idx = [i for i, c in enumerate(cases) if c[0].startswith(app + "/")
                   and variant(c[1]) == v]
            right, wrong = tally([cases[i] for i in idx], [got[i] for i in idx])
            cells.append(f"{right}/{len(idx)}" + (f" {wrong}!" if wrong else "") if idx else "-")
        print(f"{app:8s} " + " ".join(f"{c:>12s}" for c in cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the screens folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    ap.add_argument("--no-cv", action="store_true", help="defaults only, no leave-one-out")
    args = ap.parse_args()
    zoom, apps = args.shared / "zoom-linux", args.shared / "meeting-apps"
    for folder in (zoom, apps):
        if not (folder / "labels.csv").is_file():
            print(f"no labelled screens at {folder}", file=sys.stderr)
            return 2
    cases = zoom_linux_cases(zoom) + app_cases(apps, zoom) + variant_cases(apps, zoom)
    grid = [tuple(DEFAULTS.values())] if args.no_cv else grid_points()
    table = {values: outcomes(cases, dict(zip(GRID, values, strict=True))) for values in grid}
    sources = list(dict.fromkeys(c[0] for c in cases))
    print(f"{'held-out source':16s} {'params (chosen on the others)':44s} {'right':>6s} "
          f"{'total':>6s} {'acc':>7s} {'wrong cues':>10s}")
    all_right = all_wrong = 0
    failures: list[str] = []
    held_out: list[str] = [""] * len(cases)  # each case's reading with its fold's thresholds
    for source in sources:
        chosen = choose(cases, table, [c[0] != source for c in cases])
        held = [i for i, c in enumerate(cases) if c[0] == source]
        got = [table[chosen][i] for i in held]
        for i, g in zip(held, got, strict=True):
            held_out[i] = g
        right, wrong = tally([cases[i] for i in held], got)
        all_right, all_wrong = all_right + right, all_wrong + wrong
        for i, g in zip(held, got, strict=True):
            src, name, expected, _ = cases[i]
            cue = g in ("muted", "unmuted") and g != expected
            if g != expected:
                failures.append(f"  {src:13s} {name:48s} expected {expected:14s} got {g}"
                                + ("   <- WRONG CUE" if cue else ""))
            if args.verbose:
                print(f"{'ok ' if g == expected else 'BAD'} {src:13s} {name:48s} {g}")
        shown = " ".join(f"{k}={v}" for k, v in zip(GRID, chosen, strict=True)
                         if v != DEFAULTS[k]) or "the defaults"
        print(f"{source:16s} {shown:44s} {right:6d} {len(held):6d} {right / len(held):7.1%} "
              f"{wrong:10d}")
    print(f"{'all':16s} {'':44s} {all_right:6d} {len(cases):6d} "
          f"{all_right / len(cases):7.1%} {all_wrong:10d}")
    print_variants(cases, held_out)
    labelled = [i for i, c in enumerate(cases) if c[1].endswith(".png") and ":" not in c[1]]
    defaults = table.get(tuple(DEFAULTS.values())) or outcomes(cases, DEFAULTS)
    right, wrong = tally([cases[i] for i in labelled], [defaults[i] for i in labelled])
    print(f"labelled files alone (defaults): {right}/{len(labelled)} right, {wrong} wrong cues")
    if failures:
        print("failures (held out):\n" + "\n".join(failures))
    return 0 if all_right == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
