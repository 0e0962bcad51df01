"""Every session with its key figures, and the trends across them.

Summaries are rebuilt from the event log each time (a few thousand events per hour of interview
summarise in milliseconds), so the history can never disagree with the log it comes from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from overlay.review.charts import TrendPoint
from overlay.review.notes import NotesStore, SessionNotes
from overlay.review.summary import SessionSummary, summarise
from overlay.review.takeaways import Takeaway, takeaways
from overlay.session.eventlog import EventLog

log = logging.getLogger(__name__)

TREND_MODES = ("live", "practice", "analysis")  # pre-flight checks have no answers to trend


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


def key_figures(s: SessionSummary) -> KeyFigures:
    return KeyFigures(len(s.answers), s.answers_over_line, s.longest_answer_s, s.median_answer_s,
                      s.speaking_eye.eye_contact, s.mean_wpm, s.fillers_per_min, s.talk_share,
                      len(s.nudges))


def load_history(event_log: EventLog) -> list[SessionSummary]:
    """Every session's summary, newest first (the order of `EventLog.sessions`)."""
    return [summarise(event_log.events(info.id), info) for info in event_log.sessions()]


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


def trends(history: list[SessionSummary]) -> dict[str, list[TrendPoint]]:
    """Oldest first: median answer length, eye contact while speaking, pace."""

    def label(s: SessionSummary) -> str:  # "11-20 14:05" under each point
        return s.started_at[5:16].replace("T", " ")

    rows = [s for s in reversed(history) if s.mode in TREND_MODES]
    return {
        "answer_length": [TrendPoint(label(s), s.median_answer_s) for s in rows],
        "eye_contact": [TrendPoint(label(s), s.speaking_eye.eye_contact) for s in rows],
        "pace": [TrendPoint(label(s), s.mean_wpm) for s in rows],
    }
