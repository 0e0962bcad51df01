"""After a crash: find the sessions that never ended and offer their summary, once.

Every event is committed to the event log the moment it happens (overlay/session/eventlog.py), so
a session killed at any point still holds everything its summary needs. At the next start,
`recover_unfinished` finds the sessions whose process is gone without a `session_ended` (gone:
no process with the session's PID *and* start time, overlay/session/owner_process.py), closes
each at its last event (`EventLog.mark_recovered`), writes its report with `write_report`, and
returns what to tell the user. A recovered session is never offered again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from overlay.session.eventlog import EventLog
from overlay.session.events import SessionInfo

log = logging.getLogger(__name__)

# Sessions a person sat through; an interrupted `oncue analyze` or check is simply run again.
OFFERED_MODES = ("live", "practice")

ReportWriter = Callable[[EventLog, str], Path]


@dataclass(frozen=True)
class RecoveredSession:
    session_id: str
    mode: str
    started_at: str  # ISO 8601, local time
    duration_s: float  # up to the last event logged
    events: int
    report: Path | None  # the summary report, or None when it could not be written
    problem: str | None = None  # why there is no report

    def message(self) -> str:
        """One line for stderr or a tray message."""
        when = self.started_at.replace("T", " ")[:16]
        minutes, seconds = divmod(round(self.duration_s), 60)
        head = (f"The {self.mode} session of {when} ended unexpectedly after {minutes}:"
                f"{seconds:02d}; nothing logged was lost.")
        if self.report is None:
            return f"{head} Its summary could not be written ({self.problem})."
        return f"{head} Its summary: {self.report}"


def pending(event_log: EventLog) -> list[SessionInfo]:
    """Crashed sessions not yet recovered (`mark_recovered` takes them off the list)."""
    return event_log.unfinished()


def _default_writer(event_log: EventLog, session_id: str) -> Path:
    from overlay.review.commands import write_report

    return write_report(event_log, session_id)


def recover_unfinished(event_log: EventLog,
                       write: ReportWriter = _default_writer) -> list[RecoveredSession]:
    """Close every crashed session, write the summary of those worth offering, return them.

    Call once at start, before the new session begins (its own process is alive, so it is never
    taken for a crashed one). Each session is marked recovered before its report is written, so
    a report that fails to build is reported once, not at every start.
    """
    recovered = []
    for info in pending(event_log):
        count = len(event_log.events(info.id))
        event_log.mark_recovered(info.id)
        if info.mode not in OFFERED_MODES or count == 0:
            log.info("closed crashed %s session %s (%d events), nothing to offer",
                     info.mode, info.id, count)
            continue
        duration = event_log.session(info.id).duration_s or 0.0
        try:
            report: Path | None = write(event_log, info.id)
            problem = None
        except Exception as exc:  # noqa: BLE001 - a broken summary must not stop the app
            log.exception("summary of crashed session %s could not be written", info.id)
            report, problem = None, f"{type(exc).__name__}: {exc}"
        found = RecoveredSession(info.id, info.mode, info.started_at, duration, count, report,
                                 problem)
        log.warning("%s", found.message())
        recovered.append(found)
    return recovered


def recovery_notice(recovered: list[RecoveredSession]) -> str | None:
    """One short text for the tray balloon: the newest session, and how many there were."""
    if not recovered:
        return None
    newest = max(recovered, key=lambda r: r.started_at)
    more = len(recovered) - 1
    extra = f" ({more} more: see `oncue sessions`)" if more else ""
    return newest.message() + extra
