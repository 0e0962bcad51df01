"""Score the nudges a user would see on the labelled clips against the gaze labels.

Each clip runs through the app's own offline pipeline (`overlay.session.offline.analyze_recording`,
faces from `scripts/gaze_cache.py` so MediaPipe runs once per frame ever). The nudges it raises are
then put through the live coach (`detectors.coach.Coach`) at every analysed frame, with what the
live overlay passes it: the gaze state of that frame and whether the user is speaking (inside one
of the app's own speech turns). That gives the on-screen timeline, which is scored on three rules
(docs/nudges.md):

1. every look-away of 4 s or more while speaking (labels `away`, blinks inside bridged; speaking as
   the app decides it from the clip's audio) has "Look at the lens" on screen within 5 s of its
   start;
2. "Look at the lens" is never on screen after 3 s of lens labels;
3. no light or framing nudge is raised or on screen inside an answer (the app's answers).

Prints a table and exits non-zero when a rule is broken. `--clips` picks some clips by name;
`--all-speaking` takes every clip as spoken throughout, which scores the policy on every
labelled look-away rather than only those inside the app's speech.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from detectors.coach import SCENE_KINDS, Coach  # noqa: E402
from detectors.nudge import Nudge  # noqa: E402

log = logging.getLogger(__name__)
DATA = ROOT.parent / "shared" / "data" / "video"
LOOK_AWAY_S = 4.0  # a look-away this long while speaking must be nudged...
ON_TIME_S = 5.0  # ...within this long of its start
BACK_S = 3.0  # no look-at-lens nudge on screen after this long back at the lens
LABEL_STEP_S = 0.5
POLL_S = 0.1  # the overlay polls at 30 Hz; 0.1 s is finer than any rule here


def load_labels(path: Path) -> list[tuple[float, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [(float(r["t"]), r["label"].strip().rstrip("?")) for r in csv.DictReader(fh)]


def look_aways(labels: list[tuple[float, str]]) -> list[tuple[float, float]]:
    """Stretches labelled away, blinks inside bridged (the nudge counts them as part of it)."""
    out: list[tuple[float, float]] = []
    start: float | None = None
    last_away = 0.0
    for t, label in labels:
        if label == "away":
            start = t if start is None else start
            last_away = t
        elif label != "closed" and start is not None:
            out.append((start, last_away + LABEL_STEP_S))
            start = None
    if start is not None:
        out.append((start, last_away + LABEL_STEP_S))
    return out


def at_lens_for(labels: list[tuple[float, str]], t: float) -> float:
    """How long the labels say the user has been looking at the lens at time t."""
    since = None
    for lt, label in labels:
        if lt > t:
            break
        if label == "lens":
            since = lt if since is None else since
        else:
            since = None
    return 0.0 if since is None else t - since


def inside(spans: list[tuple[float, float]], t: float) -> bool:
    return any(a <= t <= b for a, b in spans)


@dataclass
class ClipNudges:
    clip: str
    looks_due: int = 0
    looks_on_time: int = 0
    late: list[str] = field(default_factory=list)
    after_lens: list[float] = field(default_factory=list)  # times a look nudge outstayed 3 s
    scene_in_answer: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)


def on_screen(nudges: list[Nudge], frames: list[tuple[float, str | None]],
              speech: list[tuple[float, float]], settings: dict[str, float]
              ) -> list[tuple[float, Nudge | None]]:
    """What the live overlay would show, polled at `POLL_S` as its GUI timer does: the coach fed
    with the raised nudges, the gaze state of the latest analysed frame and speaking."""
    coach = Coach(settings["min_display_s"], settings["display_s"], settings["snooze_s"])
    pending = sorted(nudges, key=lambda n: n.t)
    out: list[tuple[float, Nudge | None]] = []
    i = j = 0
    gaze: str | None = None
    end = max([f[0] for f in frames] + [n.t for n in pending] + [0.0]) + 5.0
    for step in range(int(end / POLL_S) + 1):
        t = step * POLL_S
        while j < len(frames) and frames[j][0] <= t:
            gaze = frames[j][1]
            j += 1
        while i < len(pending) and pending[i].t <= t:
            coach.raise_nudge(pending[i])
            i += 1
        shown = coach.current(t, speaking=inside(speech, t), gaze=gaze)
        out.append((t, None if shown is None else shown.nudge))
    return out


@contextmanager
def speaking_throughout() -> Iterator[None]:
    """The app told that the user speaks all along (for a clip without a sound track)."""
    from detectors.speaking import SpeakingAnalyzer

    original = SpeakingAnalyzer.speaking
    SpeakingAnalyzer.speaking = property(lambda self: True)  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        SpeakingAnalyzer.speaking = original  # type: ignore[method-assign]


def score_clip(clip: Path, settings_obj: object, all_speaking: bool = False) -> ClipNudges:
    from gaze_cache import CachedFaceFinder

    from overlay.capture.replay import Recording
    from overlay.session.offline import analyze_recording

    # A clip without sound (an interview crop, a talking head) is taken as one answer spoken
    # throughout: the labels' clips are people talking, and the app cannot hear it.
    silent = all_speaking or not Recording(clip).has_audio
    finder = CachedFaceFinder(clip)
    try:
        with speaking_throughout() if silent else nullcontext():
            result = analyze_recording(clip, settings_obj,  # type: ignore[arg-type]
                                       face_finder=finder)
    finally:
        finder.close()
    rec = result.recorder
    if silent:
        speech = answers = [(0.0, result.duration_s)]
    else:
        speech = [(e.data["start"], e.data["end"]) for e in rec.events_of("speech")]
        answers = [(e.data["start"], e.data["end"]) for e in rec.events_of("answer")]
    frames = [(f.t, f.gaze) for f in rec.frames]
    timeline = on_screen(rec.nudges, frames, speech,
                         settings_obj.section("nudges"))  # type: ignore[attr-defined]
    labels = load_labels(DATA / "gaze-labels" / f"{clip.name}.csv")
    score = ClipNudges(clip.name + (" (speaking throughout)" if silent else ""))
    last: str | None = None
    for t, nudge in timeline:
        kind = None if nudge is None else nudge.kind
        if kind is not None and kind != last:
            score.shown.append(f"{kind}@{t:.1f}")
        last = kind
    # Rule 1: look-aways of 4 s or more while speaking, cut to their speaking part.
    for a, b in look_aways(labels):
        for s0, s1 in speech:
            lo, hi = max(a, s0), min(b, s1)
            if hi - lo < LOOK_AWAY_S:
                continue
            score.looks_due += 1
            if any(lo <= t <= lo + ON_TIME_S and n is not None and n.kind == "look_at_lens"
                   for t, n in timeline):
                score.looks_on_time += 1
            else:
                score.late.append(f"{lo:.1f}-{hi:.1f}")
    # Rule 2: the look nudge leaves once the user is back at the lens.
    for t, nudge in timeline:
        if nudge is not None and nudge.kind == "look_at_lens" and at_lens_for(labels, t) > BACK_S:
            score.after_lens.append(t)
    # Rule 3: no light or framing nudge inside an answer, raised or on screen.
    for nudge in rec.nudges:
        if nudge.kind in SCENE_KINDS and inside(answers, nudge.t):
            score.scene_in_answer.append(f"raised {nudge.text!r}@{nudge.t:.1f}")
    for t, nudge in timeline:
        if nudge is not None and nudge.kind in SCENE_KINDS and inside(answers, t):
            score.scene_in_answer.append(f"shown {nudge.text!r}@{t:.1f}")
            break
    return score


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", nargs="*", default=None, help="clip names (default: all)")
    ap.add_argument("--all-speaking", action="store_true",
                    help="take every clip as one answer spoken throughout (more look-aways to "
                         "score: the policy alone, without the app's voice detection)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from overlay.settings import load_settings

    if not (DATA / "gaze-labels").is_dir():
        print(f"no labelled clips in {DATA}", file=sys.stderr)
        return 2
    settings = load_settings(user_file=Path("/nonexistent"), environ={})
    clips = sorted(DATA / p.name[:-4] for p in (DATA / "gaze-labels").glob("*.csv"))
    if args.clips:
        clips = [c for c in clips if any(name in c.name for name in args.clips)]
    due = on_time = after = scene = 0
    print(f"{'clip':44s} {'look-aways':>10s} {'late':>14s} {'after lens':>10s}  scene in answer")
    for clip in clips:
        s = score_clip(clip, settings, args.all_speaking)
        due, on_time = due + s.looks_due, on_time + s.looks_on_time
        after += bool(s.after_lens)
        scene += bool(s.scene_in_answer)
        late = ",".join(s.late) or "-"
        print(f"{s.clip:44s} {s.looks_on_time:>4d}/{s.looks_due:<5d} {late:>14s} "
              f"{len(s.after_lens):>10d}  {'; '.join(s.scene_in_answer) or '-'}", flush=True)
        print(f"{'':44s} shown: {' '.join(s.shown) or '-'}")
    print(f"\nlook-aways >= {LOOK_AWAY_S:g} s while speaking nudged within {ON_TIME_S:g} s: "
          f"{on_time}/{due}")
    print(f"clips with a look nudge on screen after {BACK_S:g} s at the lens: {after}")
    print(f"clips with a light or framing nudge inside an answer: {scene}")
    return 0 if on_time == due and after == 0 and scene == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
