"""The report's sections about what surrounds the session: the user's own notes, the pre-flight
check before it, and the trends across earlier sessions of the same kind.

The rest of the report (overlay/review/report_html.py) is drawn from the session's summary
alone; these sections read other records (the notes store, the check's session, the history),
and each one is left out, or says what is missing, when that record is absent. Every piece of
user text is escaped, as in the rest of the report.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from overlay.review import charts
from overlay.review.history import KIND_TITLES, TREND_KINDS, PreflightResult, trends
from overlay.review.notes import SessionNotes
from overlay.review.session_summary import EYE_BAND, SessionSummary
from overlay.review.takeaways import PACE_LIMIT_WPM

log = logging.getLogger(__name__)


def notes_section(n: SessionNotes | None) -> str:
    if n is None:
        return ""
    parts = []
    if n.impressions:
        parts.append(f"<p><b>Impressions.</b> {escape(n.impressions)}</p>")
    if n.interviewers:
        parts.append("<p><b>Interviewers.</b> "
                     + escape("; ".join(i.as_line() for i in n.interviewers)) + "</p>")
    if n.topics:
        parts.append("<p><b>Discussed.</b> " + escape("; ".join(n.topics)) + "</p>")
    return f"<section><h2>Your notes</h2>{''.join(parts)}</section>" if parts else ""


def preflight_section(p: PreflightResult | None) -> str:
    """The pre-flight check before the session (overlay/review/history.preflight_before)."""
    if p is None:
        return ('<section><h2>Before the call</h2><p class="note">No pre-flight check before '
                "this session: `oncue check` (about 20 s) finds light, framing and microphone "
                "problems before the interviewer does.</p></section>")
    rows = "".join(f"<tr><td>{escape(i.group)}</td><td>{escape(i.status)}</td>"
                   f"<td>{escape(i.detail)}</td><td>{escape(i.fix)}</td></tr>" for i in p.items)
    return (f"<section><h2>Before the call: the pre-flight check</h2><p class=\"note\">Checked "
            f"{escape(p.started_at.replace('T', ' ')[:16])}.</p><table><tr><th>Part</th>"
            f"<th>Result</th><th>Measured</th><th>Fix</th></tr>{rows}</table></section>")


def history_section(history: Sequence[SessionSummary], kind: str = "interview") -> str:
    if kind not in TREND_KINDS:  # a check has no answers; a crashed run's figures are partial
        return ""
    t = trends(list(history), kind)  # one kind of session: interviews and practice apart
    if len(t["pace"]) < 2:
        return ""
    body = [
        charts.trend("trend-answer-length", "Typical answer length (median)",
                     t["answer_length"], "s", line=120.0),
        charts.trend("trend-eye-contact", "Eye contact while speaking", t["eye_contact"], "%",
                     band=EYE_BAND),
        charts.trend("trend-pace", "Pace (words per minute)", t["pace"], "wpm",
                     line=PACE_LIMIT_WPM),
    ]
    return f"<section><h2>Across your {KIND_TITLES[kind].lower()}</h2>{''.join(body)}</section>"
