"""Inline SVG charts for the report: plain strings, no scripts, no fonts or styles from anywhere.

Each chart is an `<svg class="chart" data-chart="NAME">` so the report (and its tests) can tell
which charts are present. Sizes are in user units with a viewBox, so the browser scales them to the
page width. Text is escaped; numbers are rounded to one decimal to keep the files small.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from overlay.review.summary import (
    ANSWER_HARD_S,
    ANSWER_LINE_S,
    EYE_BAND,
    AnswerSummary,
    EyeContactBin,
    SessionSummary,
)
from overlay.review.takeaways import clock

log = logging.getLogger(__name__)

INK, MUTED, GRID = "#1f2933", "#7b8794", "#e4e7eb"
GOOD, WARN, BAD, BLUE, BAND = "#2f9e6e", "#e0a526", "#d64545", "#2f6fb0", "#d9f2e6"
W = 720.0  # every chart is this wide in user units


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(name: str, height: float, label: str, body: list[str]) -> str:
    return (f'<svg class="chart" data-chart="{name}" viewBox="0 0 {_n(W)} {_n(height)}" '
            f'role="img" aria-label="{escape(label)}" '
            f'font-family="system-ui, sans-serif" font-size="12">'
            f'<title>{escape(label)}</title>{"".join(body)}</svg>')


def standalone(svg: str) -> str:
    """The chart as an SVG document of its own (Qt's renderer, a .svg file): adds the namespace
    that inline SVG in HTML does without; the report itself keeps no URL-looking text at all."""
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)


def _text(x: float, y: float, s: str, anchor: str = "start", fill: str = MUTED,
          size: int = 12, weight: str = "normal") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}" '
            f'font-size="{size}" font-weight="{weight}">{escape(s)}</text>')


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, dash: str = "",
          width: float = 1.0) -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{stroke}" stroke-width="{_n(width)}"{d}/>')


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}" '
            f'fill="{fill}"{extra}/>')


def answer_lengths(answers: Sequence[AnswerSummary]) -> str:
    """One bar per answer against the 2:00 line (and the 3:00 never-beyond line)."""
    h, top, bottom, left, right = 230.0, 16.0, 28.0, 44.0, 64.0
    plot_h, plot_w = h - top - bottom, W - left - right
    ymax = max([ANSWER_HARD_S * 1.1] + [a.duration_s * 1.08 for a in answers])
    def y(s):
        return top + plot_h * (1 - s / ymax)
    body = []
    for m in range(int(ymax // 60) + 1):
        body += [_line(left, y(m * 60), W - right, y(m * 60), GRID),
                 _text(left - 6, y(m * 60) + 4, f"{m}:00", "end")]
    n = max(len(answers), 1)
    slot = plot_w / n
    bar = min(slot * 0.7, 48.0)
    for i, a in enumerate(answers):
        color = BAD if a.duration_s > ANSWER_HARD_S else WARN if a.over_line else GOOD
        x = left + slot * i + (slot - bar) / 2
        body.append(_rect(x, y(a.duration_s), bar, y(0) - y(a.duration_s), color,
                          ' rx="2"'))
        body.append(_text(x + bar / 2, y(a.duration_s) - 4, clock(a.duration_s), "middle", INK, 11))
        body.append(_text(x + bar / 2, h - bottom + 16, f"#{a.index}", "middle"))
    body.append(_line(left, y(ANSWER_LINE_S), W - right, y(ANSWER_LINE_S), BAD, "6 4", 1.5))
    body.append(_text(W - right + 6, y(ANSWER_LINE_S) + 4, "2:00 line", "start", BAD, 11, "bold"))
    if not answers:
        body.append(_text(W / 2, top + plot_h / 2, "No answers recorded", "middle"))
    return _svg("answers", h, "Answer lengths against the 2:00 line", body)


def _polylines(points: list[tuple[float, float | None]], stroke: str, dash: str,
               x: Callable[[float], float], y: Callable[[float], float]) -> list[str]:
    """A line through the known points, broken where a value is missing."""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    for t, v in points + [(0.0, None)]:
        if v is None:
            if len(run) > 1:
                pts = " ".join(f"{_n(px)},{_n(py)}" for px, py in run)
                d = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<polyline points="{pts}" fill="none" stroke="{stroke}" '
                           f'stroke-width="2"{d}/>')
            out += [f'<circle cx="{_n(px)}" cy="{_n(py)}" r="2.5" fill="{stroke}"/>'
                    for px, py in run]
            run = []
        else:
            run.append((x(t), y(v)))
    return out


def eye_contact(bins: Sequence[EyeContactBin], duration_s: float) -> str:
    """Eye contact over time while speaking and while listening, over the 70-80% band."""
    h, top, bottom, left = 230.0, 14.0, 40.0, 44.0
    plot_h, plot_w = h - top - bottom, W - left - 10
    span = max(duration_s, 1.0)
    def x(t):
        return left + plot_w * t / span
    def y(v):
        return top + plot_h * (1 - v)
    body = [_rect(left, y(EYE_BAND[1]), plot_w, y(EYE_BAND[0]) - y(EYE_BAND[1]), BAND)]
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        body += [_line(left, y(v), W - 10, y(v), GRID), _text(left - 6, y(v) + 4,
                                                              f"{round(v * 100)}%", "end")]
    mids = [((b.start + b.end) / 2, b) for b in bins]
    body += _polylines([(t, b.listening) for t, b in mids], MUTED, "5 4", x, y)
    body += _polylines([(t, b.speaking) for t, b in mids], BLUE, "", x, y)
    for k in range(6):
        t = span * k / 5
        body.append(_text(x(t), h - bottom + 16, clock(t), "end" if k == 5 else "middle"))
    body += [_line(left, h - 10, left + 22, h - 10, BLUE, "", 2),
             _text(left + 28, h - 6, "while speaking", "start", INK),
             _line(left + 150, h - 10, left + 172, h - 10, MUTED, "5 4", 2),
             _text(left + 178, h - 6, "while listening", "start", INK),
             _rect(left + 300, h - 15, 22, 10, BAND),
             _text(left + 328, h - 6, "70-80% target band", "start", INK)]
    if not any(b.speaking is not None or b.listening is not None for b in bins):
        body.append(_text(W / 2, top + plot_h / 2, "No gaze data", "middle"))
    return _svg("eye-contact", h, "Eye contact over time while speaking and listening", body)


def timeline(s: SessionSummary) -> str:
    """The whole session on one strip: answers, nudges, incidents, marks, device gaps."""
    rows = ["Answers", "Nudges", "Light/frame", "Incidents"]
    row_h, top, left = 26.0, 8.0, 84.0
    h = top + row_h * len(rows) + 30
    span = max(s.duration_s, 1.0)
    plot_w = W - left - 10
    def x(t):
        return left + plot_w * min(max(t, 0.0), span) / span
    def ry(i):
        return top + row_h * i
    body = []
    for i, name in enumerate(rows):
        body += [_rect(left, ry(i) + 3, plot_w, row_h - 6, "#f5f7fa"),
                 _text(left - 8, ry(i) + row_h / 2 + 4, name, "end", INK)]
    for a in s.answers:
        color = BAD if a.duration_s > ANSWER_HARD_S else WARN if a.over_line else GOOD
        body.append(_rect(x(a.start), ry(0) + 5, x(a.end) - x(a.start), row_h - 10, color))
    for nd in s.nudges:
        color = BAD if nd.kind in ("muted", "mic_dead") else BLUE
        body.append(_line(x(nd.t), ry(1) + 5, x(nd.t), ry(1) + row_h - 5, color, "", 2))
    for sp in s.lighting + s.framing:
        body.append(_rect(x(sp.start), ry(2) + 7, x(sp.end) - x(sp.start), row_h - 14, WARN,
                          ' opacity="0.7"'))
    for g in s.device_gaps:
        end = g.end if g.end is not None else s.duration_s
        body.append(_rect(x(g.start), ry(3) + 5, max(x(end) - x(g.start), 2), row_h - 10, MUTED))
    for inc in s.incidents:
        if inc.kind in ("muted", "mic_dead"):
            body.append(f'<circle cx="{_n(x(inc.t))}" cy="{_n(ry(3) + row_h / 2)}" r="5" '
                        f'fill="{BAD}"/>')
        elif inc.kind == "mark":
            cx, cy = x(inc.t), ry(3) + row_h / 2
            body.append(f'<path d="M{_n(cx)} {_n(cy - 6)} L{_n(cx + 5)} {_n(cy)} L{_n(cx)} '
                        f'{_n(cy + 6)} L{_n(cx - 5)} {_n(cy)} Z" fill="{BLUE}"/>')
    for k in range(7):
        t = span * k / 6
        body.append(_text(x(t), h - 8, clock(t), "end" if k == 6 else "middle"))
    return _svg("timeline", h, "Session timeline", body)


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the session's date, shown under the point
    value: float | None


def trend(name: str, title: str, points: Sequence[TrendPoint], unit: str,
          band: tuple[float, float] | None = None, line: float | None = None) -> str:
    """A small line chart of one figure across sessions, oldest on the left."""
    h, top, bottom, left = 170.0, 24.0, 30.0, 52.0
    plot_h, plot_w = h - top - bottom, W - left - 16
    known = [p.value for p in points if p.value is not None]
    top_value = max(known + [line or 0.0] + [band[1] if band else 0.0] + [1e-6]) * 1.08
    # Round ticks: whole minutes for lengths, 25% steps for shares, 50 wpm steps for pace.
    step_v = 60.0 if unit == "s" else 0.25 if unit == "%" else 50.0
    hi = max(step_v, -(-top_value // step_v) * step_v)
    if unit == "%":
        hi = 1.0
    n = max(len(points) - 1, 1)

    def x(i: float) -> float:
        return left + plot_w * i / n

    def y(v: float) -> float:
        return top + plot_h * (1 - v / hi)

    def fmt(v: float) -> str:
        return f"{round(v * 100)}%" if unit == "%" else clock(v) if unit == "s" else f"{round(v)}"

    body = [_text(left, 14, title, "start", INK, 13, "bold")]
    if band:
        body.append(_rect(left, y(band[1]), plot_w, y(band[0]) - y(band[1]), BAND))
    ticks = int(round(hi / step_v))
    every = max(1, ticks // 4)
    for k in range(0, ticks + 1, every):
        v = step_v * k
        body += [_line(left, y(v), W - 16, y(v), GRID), _text(left - 6, y(v) + 4, fmt(v), "end")]
    if line is not None:
        body.append(_line(left, y(line), W - 16, y(line), BAD, "6 4", 1.5))
    body += _polylines([(float(i), p.value) for i, p in enumerate(points)], BLUE, "",
                       x, y)
    step = max(1, len(points) // 8)
    for i, p in enumerate(points):
        if i % step == 0 or i == len(points) - 1:
            anchor = "end" if i == len(points) - 1 and i > 0 else "middle"
            body.append(_text(x(i), h - 10, p.label, anchor, MUTED, 10))
    if not known:
        body.append(_text(W / 2, top + plot_h / 2, "No data yet", "middle"))
    return _svg(name, h, title, body)
