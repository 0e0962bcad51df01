"""Every session with its key figures, its kind, the trends across sessions of one kind, and the
pre-flight check that came before a session.

Summaries are rebuilt from the event log each time (a few thousand events per hour of interview
summarise in milliseconds), so the history can never disagree with the log it comes from.

Kinds keep apart what must not be averaged together: an interview (the user, live, on camera),
practice (a mock interview), an analysis (a recording: `oncue analyze`, or the overlay replaying
one, which is someone's recording, not this call), a pre-flight check (no answers at all), and a
crashed run (cut short, its figures partial). Trends are drawn for one kind at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from overlay.review.charts import TrendPoint
from overlay.review.notes import NotesStore, SessionNotes
from overlay.review.summary import SessionSummary, summarise
from overlay.review.takeaways import Takeaway, takeaways
from overlay.session.eventlog import EventLog

log = logging.getLogger(__name__)

KINDS = ("interview", "practice", "analysis", "check", "crashed")
KIND_TITLES = {"interview": "Interviews", "practice": "Practice", "analysis":
               "Analysed recordings", "check": "Pre-flight checks", "crashed": "Crashed runs"}
TREND_KINDS = ("interview", "practice", "analysis")  # checks have no answers; crashes are partial
MAX_TREND_LABELS = 7  # date labels under a trend chart, so they never run into each other


@dataclass(frozen=True)
class KeyFigures:
    """One line of `oncue sessions`."""

    answers: int
    over_line: int
    longest_s: float | None
    median_s: float | None
    eye_speaking: float | None
    wpm: float | None
    fillers_per_min: float | None
    talk_share: float | None
    nudges: int


@dataclass(frozen=True)
class CheckLine:
    """One item of a pre-flight check, as the check logged it."""

    group: str
    status: str  # pass / fail / skip
    detail: str
    fix: str


@dataclass(frozen=True)
class PreflightResult:
    session_id: str
    started_at: str
    items: tuple[CheckLine, ...]

    @property
    def failed(self) -> tuple[CheckLine, ...]:
        return tuple(i for i in self.items if i.status == "fail")


def key_figures(s: SessionSummary) -> KeyFigures:
    return KeyFigures(len(s.answers), s.answers_over_line, s.longest_answer_s, s.median_answer_s,
                      s.speaking_eye.eye_contact, s.mean_wpm, s.fillers_per_min, s.talk_share,
                      len(s.nudges))


def kind_of(s: SessionSummary) -> str:
    if s.crashed:
        return "crashed"
    if s.mode == "live":
        return "interview" if s.source == "camera+microphone" else "analysis"
    return s.mode if s.mode in KINDS else "analysis"


def load_history(event_log: EventLog) -> list[SessionSummary]:
    """Every session's summary, newest first (the order of `EventLog.sessions`)."""
    return [summarise(event_log.events(info.id), info) for info in event_log.sessions()]


def by_kind(history: list[SessionSummary]) -> dict[str, list[SessionSummary]]:
    """The history grouped by kind, in KINDS order, each newest first; empty kinds left out."""
    groups: dict[str, list[SessionSummary]] = {k: [] for k in KINDS}
    for s in history:
        groups[kind_of(s)].append(s)
    return {k: v for k, v in groups.items() if v}


def resolve(event_log: EventLog, which: str | None) -> str:
    """A session id from 'last', a full id, or a unique prefix of one."""
    infos = event_log.sessions()
    if not infos:
        raise LookupError("no sessions recorded yet: run `oncue` or `oncue analyze FILE` first")
    if which in (None, "", "last"):
        return infos[0].id
    matches = [i.id for i in infos if i.id == which] or [i.id for i in infos
                                                          if i.id.startswith(str(which))]
    if len(matches) != 1:
        raise LookupError(f"no single session matches {which!r}; `oncue sessions` lists them")
    return matches[0]


def load_review(event_log: EventLog, session_id: str
                ) -> tuple[SessionSummary, tuple[Takeaway, ...], SessionNotes | None]:
    """What the summary window needs for any session, past or just ended."""
    summary = summarise(event_log.events(session_id), event_log.session(session_id))
    return summary, takeaways(summary), NotesStore().load(session_id)


def preflight_before(event_log: EventLog, started_at: str | None = None
                     ) -> PreflightResult | None:
    """The newest pre-flight check that started before `started_at` (any, when None): what the
    user knew about camera, light and microphone going into the session."""
    for info in event_log.sessions():  # newest first
        if info.mode != "check" or (started_at is not None and info.started_at > started_at):
            continue
        items = tuple(CheckLine(str(e.data.get("group", "")), str(e.data.get("status", "")),
                                str(e.data.get("detail", "")), str(e.data.get("fix", "")))
                      for e in event_log.events(info.id) if e.kind == "check")
        if items:
            return PreflightResult(info.id, info.started_at, items)
    return None


def _day(started_at: str) -> str:
    try:
        when = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at[5:10]
    return f"{when:%b} {when.day}"


def trend_labels(started: list[str], most: int = MAX_TREND_LABELS) -> list[str]:
    """Short dates ("Nov 20") under at most `most` evenly spread points, the newest always; the
    rest blank, so a chart with many sessions never prints labels on top of each other. A day
    already labelled to the left is not printed again."""
    n = len(started)
    if n == 0:
        return []
    # charts.trend prints the labels of every (n // 8)th point and the last: ours must be among
    # them, so the step is a multiple of that one.
    drawn = max(1, n // 8)
    step = drawn * -(-max(1, -(-n // most)) // drawn)
    keep = list(range(0, n, step))
    if keep[-1] != n - 1:
        if len(keep) > 1 and n - 1 - keep[-1] < step:
            keep.pop()  # too near the newest, which is always labelled
        keep.append(n - 1)
    labels, last = [], ""
    for i, s in enumerate(started):
        day = _day(s) if i in keep else ""
        labels.append(day if day != last else "")
        last = day or last
    return labels


def trends(history: list[SessionSummary], kind: str | None = None
           ) -> dict[str, list[TrendPoint]]:
    """Oldest first, finished sessions of one kind only (the newest trendable session's kind
    when None): median answer length, eye contact while speaking, pace."""
    if kind is None:
        kind = next((kind_of(s) for s in history if kind_of(s) in TREND_KINDS), "interview")
    # Finished sessions only: one still running (or cut short) has partial figures.
    rows = [s for s in reversed(history) if kind_of(s) == kind and s.status == "ended"]
    labels = trend_labels([s.started_at for s in rows])
    return {
        "answer_length": [TrendPoint(lb, s.median_answer_s) for lb, s in zip(labels, rows,
                                                                              strict=True)],
        "eye_contact": [TrendPoint(lb, s.speaking_eye.eye_contact)
                        for lb, s in zip(labels, rows, strict=True)],
        "pace": [TrendPoint(lb, s.mean_wpm) for lb, s in zip(labels, rows, strict=True)],
    }
