"""The summary window's two tables, as Qt rich text: the answers (with a "watch" link to each
moment of a practice recording) and the pre-flight check before the session.

Qt's rich text is a small HTML subset (tables, spans with colours, links), so the tables follow
the report's look without a widget per cell. Every piece of text is escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from overlay.review.history import PreflightResult
from overlay.review.summary import SessionSummary
from overlay.review.takeaways import clock
from overlay.ui.review_style import BAD, GOOD, MUTED, WARN

log = logging.getLogger(__name__)

CHECK_MARK = {"pass": ("✓", GOOD), "fail": ("✗", BAD), "skip": ("?", WARN)}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def answers_html(s: SessionSummary, urls: Sequence[str | None]) -> str:
    if not s.answers:
        return "No answers were heard in this session."
    head = "".join(f"<th align='{a}' style='color:{MUTED}; padding:3px 10px'>{t}</th>"
                   for t, a in (("Answer", "left"), ("Start", "right"), ("Length", "right"),
                                ("Eye contact", "right"), ("wpm", "right"), ("", "left")))
    rows = []
    for i, a in enumerate(s.answers):
        url = urls[i] if i < len(urls) else None
        watch = f"<a href='{escape(url)}'>watch</a>" if url else ""
        over = f" style='color:{BAD}; font-weight:700'" if a.over_line else ""
        cells = [(f"#{a.index}" + (f" <span style='color:{MUTED}'>{escape(a.question)}"
                                   "</span>" if a.question else ""), "left", ""),
                 (clock(a.start), "right", ""), (clock(a.duration_s), "right", over),
                 (_pct(a.eye.eye_contact), "right", ""),
                 ("–" if a.wpm is None else f"{round(a.wpm)}", "right", ""),
                 (watch, "left", "")]
        rows.append("<tr>" + "".join(f"<td align='{al}' style='padding:3px 10px'><span{st}>"
                                     f"{text}</span></td>" for text, al, st in cells) + "</tr>")
    return f"<table width='100%'><tr>{head}</tr>{''.join(rows)}</table>"


def preflight_html(p: PreflightResult | None) -> str:
    if p is None:
        return ("No pre-flight check before this session. Before the next one: OnCue menu, "
                "Pre-flight check (about 20 s: camera, framing, light, microphone).")
    rows = []
    for item in p.items:
        mark, colour = CHECK_MARK.get(item.status, ("·", MUTED))
        fix = (f"<br><span style='color:{MUTED}'>Fix: {escape(item.fix)}</span>"
               if item.fix else "")
        rows.append(f"<tr><td style='color:{colour}; font-weight:700; padding:2px 8px'>"
                    f"{mark}</td><td style='padding:2px 8px'><b>{escape(item.group)}</b>: "
                    f"{escape(item.detail)}{fix}</td></tr>")
    verdict = (f"{len(p.failed)} to fix" if p.failed else "everything passed")
    when = p.started_at.replace("T", " ")[:16]
    return (f"Checked {escape(when)}: {verdict}.<table>{''.join(rows)}</table>")
