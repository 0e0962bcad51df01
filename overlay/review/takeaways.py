"""Three take-aways in plain words, ranked by what mattered most in this session.

Each candidate gets a weight: what costs an interview most (talking into a muted mic, a dead mic)
outweighs what merely distracts (fillers, a dim room). The weight grows with how often and how far
the session missed the mark, so the top take-away is the one worth working on first. When fewer
than three things went wrong, the rest say what went well, so the list always has substance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from detectors.framing import FIXES
from overlay.preflight.items import LIGHT_ITEMS
from overlay.review.summary import ANSWER_HARD_S, EYE_BAND, SessionSummary

log = logging.getLogger(__name__)

PACE_LIMIT_WPM = 165.0  # the speaking issue's "slow down" default
FILLERS_PER_MIN_LIMIT = 4.0  # a few per minute go unnoticed; more is heard


@dataclass(frozen=True)
class Takeaway:
    kind: str  # muted, mic_dead, long_answers, eye_contact, pace, fillers, lighting, ...
    text: str  # one or two plain sentences, with the figure that supports them
    weight: float  # higher came first
    good_news: bool = False


def clock(t: float) -> str:
    """Session time as m:ss (or h:mm:ss)."""
    secs = max(0, round(t))
    h, rest = divmod(secs, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _problems(s: SessionSummary) -> list[Takeaway]:
    out: list[Takeaway] = []
    muted = s.incidents_of("muted")
    if muted:
        out.append(Takeaway("muted", (
            f"You talked while muted {len(muted)} time{'s' * (len(muted) > 1)} "
            f"(first at {clock(muted[0].t)}). Glance at the mute button before you start "
            "each answer."), 100.0 + 10 * len(muted)))
    dead = s.incidents_of("mic_dead")
    if dead:
        out.append(Takeaway("mic_dead", (
            f"Your microphone heard nothing at {clock(dead[0].t)}. Check the input device in "
            "the meeting app's audio settings before the next interview."), 95.0))
    over = [a for a in s.answers if a.over_line]
    if over:
        longest = max(over, key=lambda a: a.duration_s)
        very = sum(a.duration_s > ANSWER_HARD_S for a in over)
        out.append(Takeaway("long_answers", (
            f"{len(over)} of {len(s.answers)} answers ran past 2:00; the longest lasted "
            f"{clock(longest.duration_s)} (answer {longest.index}, at {clock(longest.start)}). "
            "Give the headline, one example, the result, then stop."),
            40.0 + 12 * len(over) + 15 * very))
    eye = s.speaking_eye.eye_contact
    if eye is not None and eye < EYE_BAND[0]:
        out.append(Takeaway("eye_contact", (
            f"While speaking you looked at the lens {_pct(eye)} of the time; aim for 70-80%. "
            "Look into the lens for your key points, at the interviewer's face the rest."),
            30.0 + 100 * (EYE_BAND[0] - eye)))
    pace = s.mean_wpm
    if pace is not None and pace > PACE_LIMIT_WPM:
        out.append(Takeaway("pace", (
            f"Your pace averaged {round(pace)} words per minute, above about "
            f"{round(PACE_LIMIT_WPM)}. "
            "Speak slightly slower than feels natural and pause after key points."),
            25.0 + (pace - PACE_LIMIT_WPM) / 2))
    fpm = s.fillers_per_min
    if fpm is not None and fpm > FILLERS_PER_MIN_LIMIT:
        out.append(Takeaway("fillers", (
            f"About {fpm:.1f} \"um\"/\"uh\" per minute of answer. A silent pause sounds more "
            "confident than a filled one."), 20.0 + 3 * (fpm - FILLERS_PER_MIN_LIMIT)))
    out += _scene(s)
    lost = sum(((g.end if g.end is not None else s.duration_s) - g.start) for g in s.device_gaps)
    if lost >= 10.0:  # a blip of a few seconds is in the incidents, not worth a take-away
        out.append(Takeaway("device", (
            f"A device dropped out {len(s.device_gaps)} time{'s' * (len(s.device_gaps) > 1)} "
            f"({round(lost)} s in all). Close other apps that use the camera or mic."),
            10.0 + min(lost, 60.0) / 2))
    unsure = s.speaking_eye.unsure_share
    if s.gaze_not_judged:
        # The camera may paint the eyes onto the lens: neither praise nor posture advice.
        out.append(Takeaway("unsure", (
            f"Eye contact was not judged: {s.gaze_not_judged}. Turn that eye-contact effect "
            "off for practice to get feedback."), 12.0))
    elif unsure is not None and unsure > 0.25:
        out.append(Takeaway("unsure", (
            f"The camera could not read your eyes for {_pct(unsure)} of your speaking time, "
            "so eye contact is uncertain. Sit centred, facing the camera, in even light."), 12.0))
    return out


SCENE_FIXES = {
    "lighting": "Face a window or a lamp; keep bright light out from behind you.",
    "framing": "Eyes about a third from the top, head and shoulders in view.",
}


def _fix(kind: str, verdict: str) -> str:
    """The check's own fix for this verdict, as a sentence; the general advice otherwise."""
    fix = LIGHT_ITEMS[verdict][2] if kind == "lighting" and verdict in LIGHT_ITEMS else \
        FIXES.get(verdict, "") if kind == "framing" else ""
    return f"{fix[0].upper()}{fix[1:]}." if fix else SCENE_FIXES[kind]


def _scene(s: SessionSummary) -> list[Takeaway]:
    """Light and framing, in the pipeline's own figures (the JSON's and the check's): the
    share of the frames with a face where the worst problem held; or why they are unknown."""
    out: list[Takeaway] = []
    for kind, verdict, spans in (("lighting", s.light, s.lighting),
                                 ("framing", s.framing_verdict, s.framing)):
        topic = "light" if kind == "lighting" else "framing"
        if verdict is not None and not verdict.known:
            if verdict.frames != 0:  # with no camera at all there is nothing to explain
                out.append(Takeaway(f"{kind}_unknown", (
                    f"No verdict on the {topic}: {verdict.unknown_because}. Sit facing the "
                    "camera, in its view, so the next report can judge it."), 8.0))
            continue
        if verdict is not None:
            problems = [(verdict.shares.get(v, 0.0), v) for v in verdict.problems]
            if not problems:
                continue
            share, worst = max(problems)
            out.append(Takeaway(kind, (
                f"{topic.capitalize()}: {worst.replace('_', ' ')} in {_pct(share)} of the "
                f"frames with a face. {_fix(kind, worst)}"), 15.0 + 20 * share))
            continue
        # An older log without the clip report: the longest-held problem, per verdict (several
        # verdicts held at once, backlit and too dark, are one time, not the sum of both).
        per: dict[str, float] = {}
        for sp in spans:
            per[sp.verdict] = per.get(sp.verdict, 0.0) + sp.end - sp.start
        if per and s.duration_s > 0:
            worst, secs = max(per.items(), key=lambda kv: kv[1])
            if secs / s.duration_s > 0.2:
                out.append(Takeaway(kind, (
                    f"{topic.capitalize()}: {worst.replace('_', ' ')} for "
                    f"{_pct(secs / s.duration_s)} of the session. {SCENE_FIXES[kind]}"),
                    15.0 + 20 * secs / s.duration_s))
    return out


def _good_news(s: SessionSummary) -> list[Takeaway]:
    out: list[Takeaway] = []
    if s.answers and not any(a.over_line for a in s.answers):
        which = ("Your answer" if len(s.answers) == 1
                 else f"All {len(s.answers)} answers")
        longest = "" if len(s.answers) == 1 else "longest "
        out.append(Takeaway("long_answers", (
            f"{which} stayed within 2:00 ({longest}{clock(s.longest_answer_s or 0)}). "
            "Keep that rhythm."), 3.0, True))
    eye = s.speaking_eye.eye_contact
    if eye is not None and eye >= EYE_BAND[0]:
        note = "right in the 70-80% band" if eye <= EYE_BAND[1] else "above the 70-80% band; " \
            "an occasional glance at the interviewer's face is natural"
        out.append(Takeaway("eye_contact", (
            f"Eye contact while speaking was {_pct(eye)}, {note}."), 2.5, True))
    if s.mean_wpm is not None and s.mean_wpm <= PACE_LIMIT_WPM:
        out.append(Takeaway("pace", (
            f"Your pace averaged {round(s.mean_wpm)} words per minute: easy to follow."),
            2.0, True))
    if s.fillers_per_min is not None and s.fillers_per_min <= FILLERS_PER_MIN_LIMIT:
        out.append(Takeaway("fillers", (
            f"Few filled pauses ({s.fillers_per_min:.1f} per minute)."), 1.5, True))
    if not s.answers:
        text = ("No answers were found in this recording, so there is nothing to time."
                if s.mode == "analysis" else
                "No answers were recorded in this session, so there is nothing to time. Check "
                "that the microphone is the one the meeting uses.")
        out.append(Takeaway("no_answers", text, 1.0, True))
    return out


def takeaways(summary: SessionSummary, n: int = 3) -> tuple[Takeaway, ...]:
    """The n take-aways: problems by weight first, then good news to fill the list."""
    problems = sorted(_problems(summary), key=lambda t: -t.weight)
    covered = {t.kind for t in problems}
    good = [t for t in sorted(_good_news(summary), key=lambda t: -t.weight)
            if t.kind not in covered]
    chosen = (problems + good)[:n]
    log.debug("take-aways for %s: %s", summary.session_id, [t.kind for t in chosen])
    return tuple(chosen)

