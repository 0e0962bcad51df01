"""The report: one self-contained HTML file that opens in any browser, offline.

Everything is inline: the style sheet, the SVG charts, the text. There is no script and no URL of
any kind in the file, so opening it fetches nothing (the tests check for that), and it can be
mailed to a mentor or kept as it is. Every piece of user text is escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from html import escape

from overlay.review import charts
from overlay.review.history import PreflightResult, key_figures, kind_of
from overlay.review.notes import SessionNotes
from overlay.review.report_context import history_section, notes_section, preflight_section
from overlay.review.session_summary import SessionSummary
from overlay.review.takeaways import Takeaway, clock

log = logging.getLogger(__name__)

UNSURE_MARK = 0.3  # an answer whose eyes were unreadable this much gets an asterisk

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f5f7fa; --good:#2f9e6e;
  --warn:#b7791f; --bad:#d64545; --blue:#2f6fb0; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 28px 20px 48px; }
header h1 { font-size: 26px; margin: 0 0 2px; }
header p { margin: 0; color: var(--muted); }
section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:18px 20px;
  margin-top:18px; }
h2 { font-size: 17px; margin: 0 0 10px; }
.cards { display:grid; grid-template-columns: repeat(3, 1fr); gap:10px; margin-top:18px; }
@media (max-width: 560px) { .cards { grid-template-columns: repeat(2, 1fr); } }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:10px 14px; }
.card b { display:block; font-size:22px; }
.card span { color: var(--muted); font-size: 13px; }
ol.take { margin:0; padding-left: 22px; } ol.take li { margin: 6px 0; }
li.good::marker { color: var(--good); } li.bad::marker { color: var(--bad); font-weight: bold; }
table { width:100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.over { color: var(--bad); font-weight: 600; }
.note { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.badge { display:inline-block; padding:1px 8px; border-radius:9px; font-size:12px;
  background:#fde8e8; color:var(--bad); margin-left:6px; }
svg.chart { width:100%; height:auto; display:block; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _num(x: float | None, digits: int = 0) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _cards(s: SessionSummary) -> str:
    k = key_figures(s)
    items = [
        (str(k.answers), f"answers, {k.over_line} over 2:00"),
        (_pct(k.eye_speaking), "eye contact while speaking"),
        (_pct(s.listening_eye.eye_contact), "eye contact while listening"),
        (_num(k.wpm), "words per minute"),
        (_num(k.fillers_per_min, 1), "fillers per minute"),
        (_pct(k.talk_share), "of the time you talked"),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"><b>{escape(v)}</b><span>{escape(t)}</span></div>' for v, t in items
    ) + "</div>"


def _answers_table(s: SessionSummary) -> str:
    rows = []
    for a in s.answers:
        nudges = ", ".join(n.text for n in a.nudges) or "–"
        q = f'<br><span class="note">{escape(a.question)}</span>' if a.question else ""
        rows.append(
            f"<tr><td>#{a.index}{q}</td><td class='num'>{clock(a.start)}</td>"
            f"<td class='num{' over' if a.over_line else ''}'>{clock(a.duration_s)}</td>"
            f"<td class='num'>{_pct(a.eye.eye_contact)}{_unsure_mark(a.eye.unsure_share)}</td>"
            f"<td class='num'>{_num(a.wpm)}</td>"
            f"<td class='num'>{_num(a.fillers_per_min, 1)}</td><td>{escape(nudges)}</td></tr>")
    head = ("<tr><th>Answer</th><th class='num'>Start</th><th class='num'>Length</th>"
            "<th class='num'>Eye contact</th><th class='num'>wpm</th>"
            "<th class='num'>Fillers/min</th><th>Nudges</th></tr>")
    foot = ""
    if any((a.eye.unsure_share or 0) > UNSURE_MARK for a in s.answers):
        foot = (f'<p class="note">* the camera could not read your face or eyes for over '
                f"{round(UNSURE_MARK * 100)}% of that answer; its eye contact is uncertain.</p>")
    return f"<table>{head}{''.join(rows)}</table>{foot}" if rows else ""


def _unsure_mark(share: float | None) -> str:
    return "*" if (share or 0) > UNSURE_MARK else ""


def _gaze_notes(s: SessionSummary) -> str:
    notes = []
    if not s.has_gaze:
        notes.append("No gaze data was recorded in this session (no camera, or it was off).")
    elif s.calibrated:
        notes.append("Gaze was calibrated to your camera for this session.")
    else:
        notes.append("Gaze was not calibrated: the population default was used, so eye-contact "
                     "figures are less certain. Calibrate before the next session.")
    unsure = s.speaking_eye.unsure_share
    if unsure:
        notes.append(f"The detector could not see your face or eyes for {_pct(unsure)} of your "
                     "speaking time; that time counts neither for nor against you.")
    return "".join(f'<p class="note">{escape(n)}</p>' for n in notes)


def _scene_notes(s: SessionSummary) -> str:
    """Light and framing as the pipeline judged them (the JSON's and the check's figures), or
    why it could not: under the timeline, whose light and framing bars they explain."""
    notes = []
    for topic, verdict in (("Light", s.light), ("Framing", s.framing_verdict)):
        if verdict is None or verdict.frames == 0:
            continue
        if not verdict.known:
            notes.append(f"{topic}: unknown, {verdict.unknown_because}.")
        elif verdict.problems:
            parts = [f"{v.replace('_', ' ')} in {_pct(verdict.shares.get(v))} of the frames "
                     "with a face" for v in verdict.problems]
            notes.append(f"{topic}: {'; '.join(parts)}.")
        else:
            notes.append(f"{topic}: fine.")
    return "".join(f'<p class="note">{escape(n)}</p>' for n in notes)


def _incidents(s: SessionSummary) -> str:
    unread = ""
    if s.has_meeting and s.meeting_unknown_s > 0 and s.duration_s > 0:
        unread = (f'<p class="note">The meeting\'s mute state could not be read for '
                  f"{_pct(s.meeting_unknown_s / s.duration_s)} of the session (toolbar hidden or "
                  "covered); talking while muted in that time would have gone unnoticed.</p>")
    elif not s.has_meeting:
        unread = ('<p class="note">No meeting window was watched, so talking while muted could '
                  "not be checked.</p>")
    if not s.incidents:
        return ("<p>No incidents were logged: no talking while muted, no dead mic, no device "
                f"drop-outs.</p>{unread}")
    rows = "".join(
        f"<tr><td class='num'>{clock(i.t)}</td><td>{escape(i.text)}</td>"
        f"<td class='num'>{clock(i.end - i.t) if i.end is not None else ''}</td></tr>"
        for i in s.incidents)
    return ("<table><tr><th class='num'>At</th><th>What</th><th class='num'>For</th></tr>"
            f"{rows}</table>{unread}")


def render(summary: SessionSummary, takeaways: Sequence[Takeaway],
           notes: SessionNotes | None = None,
           history: Sequence[SessionSummary] = (),
           preflight: PreflightResult | None = None) -> str:
    """The whole report as one HTML string. `history`: all sessions, newest first, for trends."""
    s = summary
    title = s.program or (notes.program if notes and notes.program else "") or "Interview review"
    when = s.started_at.replace("T", " ")[:16]
    badge = '<span class="badge">ended by a crash</span>' if s.crashed else ""
    take = "".join(f'<li class="{"good" if t.good_news else "bad"}">{escape(t.text)}</li>'
                   for t in takeaways)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OnCue review – {escape(title)} – {escape(when)}</title>
<style>{CSS}</style></head>
<body><main>
<header><h1>{escape(title)}{badge}</h1>
<p>{escape(when)} · {escape(s.mode)} session · {clock(s.duration_s)} ·
{escape(_source_label(s.source))}</p></header>
{_cards(s)}
<section><h2>Three things to take away</h2><ol class="take">{take}</ol></section>
<section><h2>Answers against the 2:00 line</h2>{charts.answer_lengths(s.answers)}
{_answers_table(s)}</section>
<section><h2>Eye contact over time</h2>{charts.eye_contact(s.eye_series, s.duration_s)}
{_gaze_notes(s)}</section>
<section><h2>Timeline</h2>{charts.timeline(s)}{_scene_notes(s)}</section>
<section><h2>Incidents</h2>{_incidents(s)}</section>
{preflight_section(preflight) if kind_of(s) in ("interview", "practice") else ""}
{notes_section(notes)}
{history_section(history, kind_of(s))}
<footer>Made by OnCue on this computer, {datetime.now():%Y-%m-%d %H:%M}. Nothing in this report
was sent anywhere.</footer>
</main></body></html>
"""
    return doc


def _source_label(source: str) -> str:
    """A recording's file name rather than its full path: paths say more than the report needs."""
    return source.replace("\\", "/").rsplit("/", 1)[-1] if "/" in source or "\\" in source \
        else source
