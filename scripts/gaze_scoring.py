"""The one way eye contact is scored against the hand labels (cv_gaze, eval_gaze, bench_rate).

A label at time t is scored against what the app showed at t (`said(t)`: the state of the last
analysed frame at or before t, which the caller knows how to find). Labels are `lens`, `away`,
`closed`, `noface`, with a trailing `?` when the annotator was unsure; `?` labels are left out
unless `with_unsure`, then counted as their label.

Figures:
- forced: lens vs not-lens, the way issue 16 measured (on an `away` label anything but `lens` is
  right; on a `lens` label anything else, `unknown` included, is wrong): balanced accuracy of lens
  recall and away recall;
- coverage: share of lens/away labels where the app said `lens` or `away` (not `unknown`,
  `closed`, `noface`), and on_verdicts: the balanced accuracy on those;
- agreement: plain accuracy of lens vs not-lens (bench_rate's per-clip column);
- closed: `closed` labels shown as `closed`, and shown as `away` (a blink taken for a look-away).

Pure: no detectors imported, so bench_rate can load another revision's detectors first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

Said = Callable[[float], "str | None"]


@dataclass
class Tally:
    lens_n: int = 0
    lens_said_lens: int = 0
    lens_said_away: int = 0
    away_n: int = 0
    away_said_lens: int = 0
    away_said_away: int = 0
    closed_n: int = 0
    closed_ok: int = 0
    closed_said_away: int = 0

    def add(self, label: str, said: str | None) -> None:
        if label == "lens":
            self.lens_n += 1
            self.lens_said_lens += said == "lens"
            self.lens_said_away += said == "away"
        elif label == "away":
            self.away_n += 1
            self.away_said_lens += said == "lens"
            self.away_said_away += said == "away"
        elif label == "closed":
            self.closed_n += 1
            self.closed_ok += said == "closed"
            self.closed_said_away += said == "away"

    def __iadd__(self, other: Tally) -> Tally:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        return self

    @property
    def lens_recall(self) -> float | None:
        return rate(self.lens_said_lens, self.lens_n)

    @property
    def away_recall(self) -> float | None:
        return rate(self.away_n - self.away_said_lens, self.away_n)

    @property
    def forced(self) -> float:
        return mean([self.lens_recall, self.away_recall])

    @property
    def agreement(self) -> float:
        n = self.lens_n + self.away_n
        return (self.lens_said_lens + self.away_n - self.away_said_lens) / n if n else float("nan")

    @property
    def coverage(self) -> float:
        said = self.lens_said_lens + self.lens_said_away + self.away_said_lens + self.away_said_away
        r = rate(said, self.lens_n + self.away_n)
        return float("nan") if r is None else r

    @property
    def on_verdicts(self) -> float:
        return mean([rate(self.lens_said_lens, self.lens_said_lens + self.lens_said_away),
                     rate(self.away_said_away, self.away_said_away + self.away_said_lens)])


def rate(ok: int, n: int) -> float | None:
    return ok / n if n else None


def mean(xs: Iterable[float | None]) -> float:
    known = [x for x in xs if x is not None and x == x]
    return sum(known) / len(known) if known else float("nan")


def fmt(x: float | None) -> str:
    return "   -" if x is None or x != x else f"{x:.3f}"


def tally_labels(labels: Iterable[tuple[float, str]], said: Said, with_unsure: bool = False,
                 after: float = -1.0) -> Tally:
    """Each label (after time `after`) against what the app showed then."""
    tally = Tally()
    for t, label in labels:
        if t <= after:
            continue
        if label.endswith("?"):
            if not with_unsure:
                continue
            label = label[:-1]
        tally.add(label, said(t))
    return tally


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out += t
    return out


def print_table(title: str, rows: Sequence[tuple[str, Tally]]) -> None:
    print(f"\n{title}")
    print(f"  {'':44s} {'lens':>5s} {'away':>5s} {'forced':>6s} {'lensR':>6s} {'awayR':>6s} "
          f"{'cover':>6s} {'onVerd':>6s} {'closed':>7s}")
    for name, t in rows:
        print(f"  {name:44s} {t.lens_n:5d} {t.away_n:5d} {fmt(t.forced):>6s} "
              f"{fmt(t.lens_recall):>6s} {fmt(t.away_recall):>6s} {fmt(t.coverage):>6s} "
              f"{fmt(t.on_verdicts):>6s} {t.closed_ok:3d}/{t.closed_n:<3d}")
