"""What each analysis-rate policy costs and what it does to eye contact and the look-away delay.

For every clip labelled in ../shared/data/video/gaze-labels: the frames a 15 fps camera delivers
(`Recording.video_frames(min_gap_s=1/camera.fps)`, as the replay camera and `oncue analyze` do),
each policy of detectors/analysis_rate.py choosing which of them MediaPipe sees, and the app's
`EyeContact` fed the analysed ones in time order. Faces come from scripts/gaze_cache.py's /tmp
cache (MediaPipe run on every frame; a frame the cache lacks is run here), so a policy is scored
on the landmarks of its frames and its cost is the share of camera frames analysed.

Scored as the app shows it: at each label time, the state of the latest analysed frame at or
before it (a passed-over frame holds the previous state). Balanced accuracy lens vs away as in
eval_gaze.py (`away` right when not `lens`; `?`, `closed`, `noface` labels left out), closed
labels called `closed`. Look-away delay: for each lens -> away change in the labels that stays
away for >= 1 s, from the first `away` label to the first shown state that is not `lens`
(negative: shown before the label, which is every 0.5 s); the median and the mean over them.
Those are three look-aways with labels 0.5 s apart, so the script also measures against the
app analysing every camera frame (the behaviour before the analysis rate): each look-away that
run shows (lens -> away, no `lens` for 1 s after), and how much later the policy first shows
`away` (mean, 90th percentile, max; "lost" when not within 2 s).

    .venv/bin/python scripts/bench_rate.py [--policies every,1.0,0.5,...]

Nothing here is fitted on the labels: the policies are chosen by their cost and these scores,
and the same figures are printed per clip so a policy that only suits some clips shows.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))



def detectors_at(rev: str) -> None:
    """Import `detectors` as committed at `rev` (with this tree's analysis_rate.py): another
    engineer may be mid-change in the gaze detectors, and the policies must be compared on one
    and the same eye-contact code."""
    import shutil
    import subprocess
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="oncue-rev-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "detectors"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    shutil.copy(ROOT / "detectors" / "analysis_rate.py", root / "detectors")
    sys.path.insert(0, str(root))


if "--eye-contact-rev" in sys.argv:
    detectors_at(sys.argv[sys.argv.index("--eye-contact-rev") + 1])

from gaze_scoring import tally_labels  # noqa: E402

from detectors.analysis_rate import AnalysisRate, Looked, RateSettings  # noqa: E402
from detectors.eye_contact import EyeContact  # noqa: E402
from detectors.look_away import LookAwayNudger  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "video"


@dataclass
class Score:
    lens_n: int = 0
    lens_ok: int = 0
    away_n: int = 0
    away_ok: int = 0
    closed_n: int = 0
    closed_ok: int = 0
    offered: int = 0
    analysed: int = 0
    delays: list[float] = field(default_factory=list)
    missed: int = 0  # look-aways not shown within 2 s
    nudge_delays: list[float] = field(default_factory=list)  # sustained look-away -> nudge
    # Against the app at 15 fps: each look-away it shows (lens -> away, no `lens` for 1 s),
    # how much later this policy shows it (`inf`: not within 2 s).
    late_vs_every: list[float] = field(default_factory=list)
    shown: list[tuple[float, str]] = field(default_factory=list, repr=False)

    def add(self, other: Score) -> None:
        for k in ("lens_n", "lens_ok", "away_n", "away_ok", "closed_n", "closed_ok", "offered",
                  "analysed", "missed"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.delays += other.delays
        self.nudge_delays += other.nudge_delays
        self.late_vs_every += other.late_vs_every

    @property
    def agree(self) -> float:
        return (self.lens_ok + self.away_ok) / max(self.lens_n + self.away_n, 1)

    @property
    def bacc(self) -> float:
        return 0.5 * (self.lens_ok / max(self.lens_n, 1) + self.away_ok / max(self.away_n, 1))


KEYS = {"steady": "steady_s", "away": "away_s", "speaking": "speaking_s", "linger": "linger_s",
        "move": "move_frac"}


def policy(name: str) -> RateSettings:
    """"every" (every camera frame), "fixedN" (one frame in N, no triggers), "default" (the
    app's), or the default with changes: "steady=1,away=0.2,move=off" (keys: steady, away,
    speaking, linger, move, undecided)."""
    if name == "every":
        return RateSettings.every_frame()
    if name.startswith("fixed"):
        n = float(name[5:])
        # Due one frame early (AnalysisRate keeps gaps under steady_s): frames 1/n apart.
        return RateSettings(steady_s=1.0 / n + 1.25 / 15.0 - 1e-2, away_s=1e9, speaking_s=1e9,
                            linger_s=0.0,
                            undecided=(1.0, 0.0), move_frac=1e9, on_state=False)
    rate = RateSettings()
    for part in name.split(",") if name != "default" else []:
        key, _, value = part.partition("=")
        if key == "undecided":
            rate = replace(rate, undecided=(1.0, 0.0) if value == "off" else
                           tuple(float(x) for x in value.split("-")))  # type: ignore[arg-type]
            continue
        rate = replace(rate, **{KEYS[key]: 1e9 if value == "off" else float(value)})
    return rate


def load_labels(path: Path) -> list[tuple[float, str]]:
    with path.open(newline="") as f:
        return [(float(r["t"]), r["label"].strip()) for r in csv.DictReader(f)]


def clip_frames(clip: Path, fps: float):  # type: ignore[no-untyped-def]
    """(t, face) of the frames a camera at `fps` delivers, faces from the /tmp cache."""
    from gaze_cache import CachedFaceFinder

    from overlay.capture.replay import Recording

    finder = CachedFaceFinder(clip)
    finder.cache.save = lambda: None  # type: ignore[method-assign]  # read-only: shared cache
    out = []
    for frame in Recording(clip).video_frames(min_gap_s=1.0 / fps):
        out.append((frame.t, finder.find(frame.rgb, frame.t)))
    finder.close()
    return out


def run(frames, labels, rate: RateSettings, eye_contact) -> Score:  # type: ignore[no-untyped-def]
    policy = AnalysisRate(rate)
    detector = eye_contact()
    nudger = LookAwayNudger(sustain_s=3.0, min_interval_s=20.0, no_face_s=10.0)  # the defaults
    nudge_t: list[float] = []
    shown_t: list[float] = []
    shown: list[str] = []
    for t, face in frames:
        if not policy.wants(t, speaking=True):  # as the nudge below: speaking throughout
            continue
        r = detector.update(face, t)
        shown_t.append(t)
        shown.append(r.state)
        if nudger.update(r, True, t) is not None:  # as if speaking throughout
            nudge_t.append(t)
        policy.analysed(Looked(t, face, r.state, r.eye_contact))
    s = Score(offered=policy.offered, analysed=policy.chosen,
              shown=list(zip(shown_t, shown, strict=True)))
    times = np.array(shown_t)

    def state_at(t: float) -> str:
        i = int(np.searchsorted(times, t + 1e-6)) - 1
        return shown[max(i, 0)]

    tally = tally_labels(labels, state_at)  # the one label tally (scripts/gaze_scoring.py)
    s.lens_n, s.lens_ok = tally.lens_n, tally.lens_said_lens
    s.away_n, s.away_ok = tally.away_n, tally.away_n - tally.away_said_lens
    s.closed_n, s.closed_ok = tally.closed_n, tally.closed_ok
    # Look-aways: a `lens` label, then `away` for >= 1 s (three labels; a `closed` or `?`
    # label inside the look-away is allowed, as a look-away often starts with a blink).
    for i in range(1, len(labels)):
        (t0, a), (t1, b) = labels[i - 1], labels[i]
        if a != "lens" or b != "away":
            continue
        run = [lab for _, lab in labels[i:i + 4]]
        if sum(lab.startswith("away") for lab in run) >= 3 and "lens" not in run:
            after = [t for t, st in zip(shown_t, shown, strict=True)
                     if t > t0 and st not in ("lens", "closed")]
            if after and after[0] <= t1 + 2.0:
                s.delays.append(after[0] - t1)
            else:
                s.missed += 1
    start = first_sustained_away(labels)
    if start is not None:
        later = [t for t in nudge_t if t >= start]
        s.nudge_delays.append(later[0] - start if later else float("inf"))
    return s


def look_aways(shown: list[tuple[float, str]], hold_s: float = 1.0) -> list[float]:
    """When the shown state turns from `lens` to `away` and shows no `lens` for `hold_s`."""
    onsets = []
    for i in range(1, len(shown)):
        if shown[i - 1][1] == "lens" and shown[i][1] == "away":
            t = shown[i][0]
            if not any(st == "lens" for u, st in shown[i:] if u < t + hold_s):
                onsets.append(t)
    return onsets


def late_against(reference: list[tuple[float, str]], shown: list[tuple[float, str]]) -> list[float]:
    """For each look-away the reference shows, how much later `shown` first shows `away` (from
    the last `lens` before it, so an earlier detection counts as early); inf when not in 2 s."""
    out = []
    ref_t = [t for t, _ in reference]
    for onset in look_aways(reference):
        i = ref_t.index(onset)
        start = reference[i - 1][0]
        seen = [t for t, st in shown if start < t <= onset + 2.0 and st == "away"]
        out.append(seen[0] - onset if seen else float("inf"))
    return out


def first_sustained_away(labels: list[tuple[float, str]], span_s: float = 3.5) -> float | None:
    """Start of the first labelled `away` span (blinks allowed) lasting `span_s`, as in
    tests/test_look_away.py."""
    start = None
    for t, label in labels:
        if label == "away":
            start = t if start is None else start
            if t - start >= span_s:
                return start
        elif label != "closed":
            start = None
    return None


def late_figures(late: list[float]) -> str:
    seen = np.array([x for x in late if np.isfinite(x)]) if late else np.array([])
    if not len(seen):
        return f"{len(late):17d} {'-':>5s} {'-':>5s} {'-':>5s} {len(late):4d}"
    return (f"{len(late):17d} {seen.mean():5.2f} {np.percentile(seen, 90):5.2f} "
            f"{seen.max():5.2f} {len(late) - len(seen):4d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", default="every;fixed5;fixed3;default",
                        help="policies separated by ';' (see `policy`)")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--per-clip", action="store_true")
    parser.add_argument("--nudges", action="store_true", help="print each clip's nudge delay")
    parser.add_argument("--eye-contact-rev", metavar="REV",
                        help="score with detectors/eye_contact.py as committed at REV")
    args = parser.parse_args()
    eye_contact = EyeContact
    label_files = sorted((DATA / "gaze-labels").glob("*.csv"))
    if not label_files:
        print(f"no gaze labels under {DATA}", file=sys.stderr)
        return 2
    chosen = {name: policy(name) for name in args.policies.split(";")}
    totals = {name: Score() for name in chosen}
    per_clip: dict[str, dict[str, Score]] = {}
    t0 = time.monotonic()
    for f in label_files:
        clip = DATA / f.name[:-4]
        frames = clip_frames(clip, args.fps)
        labels = load_labels(f)
        per_clip[clip.name] = {}
        reference = run(frames, labels, policy("every"), eye_contact).shown
        for name, rate in chosen.items():
            s = run(frames, labels, rate, eye_contact)
            s.late_vs_every = late_against(reference, s.shown)
            s.shown = []
            per_clip[clip.name][name] = s
            totals[name].add(s)
        del frames
    print(f"{len(label_files)} clips, camera at {args.fps:g} fps, {time.monotonic() - t0:.0f} s")
    if args.per_clip:
        print(f"{'clip':46s} " + " ".join(f"{n:>12s}" for n in chosen))
        for clip_name, scores in per_clip.items():
            print(f"{clip_name:46s} " + " ".join(
                f"{s.agree:5.2f} {s.analysed / max(s.offered, 1):5.2f}f" for s in scores.values()))
    if args.nudges:
        for clip_name, scores in per_clip.items():
            if any(sc.nudge_delays for sc in scores.values()):
                print(f"nudge delay {clip_name}: " + ", ".join(
                    f"{n} {sc.nudge_delays[0]:.2f}" for n, sc in scores.items()))
    print(f"{'policy':14s} {'analysed':>9s} {'fps':>5s} {'bacc':>6s} {'lens':>5s} {'away':>5s} "
          f"{'closed':>7s} {'worst':>6s} {'delay med':>9s} {'mean':>6s} {'n':>3s} {'missed':>6s} "
          f"{'late vs 15 fps: n':>17s} {'mean':>5s} {'p90':>5s} {'max':>5s} {'lost':>4s} "
          f"nudge after a sustained look-away, s")
    for name, s in totals.items():
        worst = min(c[name].agree for c in per_clip.values() if c[name].away_n + c[name].lens_n)
        d = np.array(s.delays) if s.delays else np.array([np.nan])
        share = s.analysed / max(s.offered, 1)
        print(f"{name:14s} {share:9.3f} {share * args.fps:5.1f} {s.bacc:6.3f} "
              f"{s.lens_ok / max(s.lens_n, 1):5.3f} {s.away_ok / max(s.away_n, 1):5.3f} "
              f"{s.closed_ok:3d}/{s.closed_n:<3d} {worst:6.3f} {np.median(d):9.2f} "
              f"{np.mean(d):6.2f} {len(s.delays):3d} {s.missed:6d} "
              + late_figures(s.late_vs_every) + " "
              + " ".join(f"{x:.2f}" for x in s.nudge_delays))
    return 0


if __name__ == "__main__":
    sys.exit(main())
