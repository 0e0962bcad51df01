"""What went wrong around the answers: muted talk, a dead mic, light and framing, devices, marks.

Built from the event log by `summarise`; kept apart so each rule for turning events into spans
(a verdict raised by one event and cleared by a later one, a device lost and back) is short.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from overlay.session.events import SessionEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incident:
    t: float
    kind: str  # muted, mic_dead, meeting (audio not joined), lighting, framing, mark, device
    text: str
    end: float | None = None


@dataclass(frozen=True)
class VerdictSpan:
    verdict: str
    start: float
    end: float


@dataclass(frozen=True)
class DeviceGap:
    source: str
    start: float
    end: float | None  # None: never came back
    detail: str = ""


def verdict_spans(events: list[SessionEvent], kind: str, end: float) -> tuple[VerdictSpan, ...]:
    """Spans of each non-ok verdict; a verdict held across several events is one span."""
    changes = [(e.t, tuple(v for v in e.data.get("verdicts", []) if v != "ok"))
               for e in events if e.kind == kind]
    out: list[VerdictSpan] = []
    open_at: dict[str, float] = {}
    for t, verdicts in changes:
        for v in list(open_at):
            if v not in verdicts:
                out.append(VerdictSpan(v, open_at.pop(v), t))
        for v in verdicts:
            open_at.setdefault(v, t)
    out.extend(VerdictSpan(v, s, end) for v, s in open_at.items())
    return tuple(sorted(out, key=lambda s: (s.start, s.verdict)))


def device_gaps(events: list[SessionEvent]) -> tuple[DeviceGap, ...]:
    gaps: list[DeviceGap] = []
    lost: dict[str, tuple[float, str]] = {}
    for e in events:
        if e.kind != "device":
            continue
        source, state = str(e.data.get("source", "?")), e.data.get("state")
        if state == "lost" and source not in lost:
            lost[source] = (e.t, str(e.data.get("detail", "") or ""))
        elif state == "back" and source in lost:
            start, detail = lost.pop(source)
            gaps.append(DeviceGap(source, start, e.t, detail))
    gaps.extend(DeviceGap(s, start, None, d) for s, (start, d) in lost.items())
    return tuple(sorted(gaps, key=lambda g: g.start))


def incidents(events: list[SessionEvent], lighting: tuple[VerdictSpan, ...],
               framing: tuple[VerdictSpan, ...], gaps: tuple[DeviceGap, ...],
               meeting: list[tuple[float, float, str]]) -> list[Incident]:
    out: list[Incident] = [Incident(a, "meeting", "Meeting audio not joined", b)
                           for a, b, state in meeting if state == "no_audio"]
    for e in events:
        if e.kind == "nudge" and e.data.get("kind") == "muted":
            out.append(Incident(e.t, "muted", "Talking while muted"))
        elif e.kind == "nudge" and e.data.get("kind") == "mic_dead":
            out.append(Incident(e.t, "mic_dead", "Microphone heard nothing"))
        elif e.kind == "mark":
            note = str(e.data.get("note") or "").strip()
            out.append(Incident(e.t, "mark", f"Marked: {note}" if note else "Marked moment"))
    out += [Incident(s.start, "lighting", f"Lighting: {s.verdict.replace('_', ' ')}", s.end)
            for s in lighting]
    out += [Incident(s.start, "framing", f"Framing: {s.verdict.replace('_', ' ')}", s.end)
            for s in framing]
    out += [Incident(g.start, "device", f"{g.source.capitalize()} lost"
                     + (f" ({g.detail})" if g.detail else ""), g.end) for g in gaps]
    return sorted(out, key=lambda i: i.t)
