"""The bodies of `oncue sessions` and `oncue report` (`oncue followup`: followup_command.py).

Each takes its argv (without the subcommand word) and returns an exit code; the CLI entry point
only dispatches. Errors a user can fix (no sessions yet, an unknown id) are one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from overlay.process_environment import open_in_desktop
from overlay.review.followup_command import followup_command
from overlay.review.history import (
    KIND_TITLES,
    by_kind,
    key_figures,
    load_history,
    preflight_before,
    resolve,
)
from overlay.review.notes import NotesStore
from overlay.review.report_html import render
from overlay.review.summary import SessionSummary, summarise
from overlay.review.takeaways import clock, takeaways
from overlay.session.eventlog import EventLog, open_log

log = logging.getLogger(__name__)

__all__ = ["build_report_html", "followup_command", "report_command", "sessions_command",
           "write_report"]


def _fail(msg: str) -> int:
    print(f"oncue: {msg}", file=sys.stderr)
    return 2


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def build_report_html(event_log: EventLog, session_id: str, with_history: bool = True) -> str:
    """The report of one session, with its notes and the trends across all sessions."""
    summary = summarise(event_log.events(session_id), event_log.session(session_id))
    history = load_history(event_log) if with_history else []
    return render(summary, takeaways(summary), NotesStore().load(session_id), history,
                  preflight_before(event_log, summary.started_at))


def write_report(event_log: EventLog, session_id: str, out: Path | None = None) -> Path:
    """Write the report (default `<data dir>/reports/<id>.html`, private) and return its path;
    `oncue analyze FILE --report OUT` calls this with the analysis session's id."""
    from overlay.paths import data_dir

    path = out or data_dir() / "reports" / f"{session_id}.html"
    _write_private(path, build_report_html(event_log, session_id))
    return path


# -- oncue sessions --------------------------------------------------------------------------
def sessions_command(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="oncue sessions",
                                 description="List every session with its key figures, or "
                                             "delete sessions (their events, notes and report).")
    ap.add_argument("--delete", metavar="SESSION", help="delete one session ('last' or an id)")
    ap.add_argument("--delete-all", action="store_true", help="delete every session")
    ap.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = ap.parse_args(argv)
    with open_log() as elog:
        if args.delete or args.delete_all:
            return _delete(elog, args.delete, args.yes)
        history = load_history(elog)
    if not history:
        print("No sessions yet. Start one with `oncue`, or `oncue analyze FILE`.")
        return 0
    for kind, rows in by_kind(history).items():
        # Kinds apart: an analysed recording or a crashed run averaged with interviews misleads.
        print(f"== {KIND_TITLES[kind]} ({len(rows)}) ==")
        print(f"{'session':<24} {'started':<16} {'length':>7} {'answers':>8} {'longest':>7} "
              f"{'eye':>5} {'wpm':>4} {'fill/m':>6}  program or recording")
        for s in rows:
            print(_session_row(s))
        print()
    print("answers: count (over 2:00); eye: eye contact while speaking. "
          "`oncue report SESSION` opens one.")
    return 0


def _session_row(s: SessionSummary) -> str:
    k = key_figures(s)
    eye = f"{round(100 * k.eye_speaking)}%" if k.eye_speaking is not None else "–"
    program = s.program or ("" if s.source == "camera+microphone"
                            else Path(s.source.replace("\\", "/")).name)
    return (f"{s.session_id:<24} {s.started_at.replace('T', ' ')[:16]:<16} "
            f"{clock(s.duration_s):>7} {f'{k.answers} ({k.over_line})':>8} "
            f"{clock(k.longest_s) if k.longest_s is not None else '–':>7} {eye:>5} "
            f"{round(k.wpm) if k.wpm is not None else '–':>4} "
            f"{f'{k.fillers_per_min:.1f}' if k.fillers_per_min is not None else '–':>6}  "
            f"{program}")


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print(f"oncue: {question} Refusing without a terminal to ask; pass --yes.",
              file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _delete(elog: EventLog, which: str | None, yes: bool) -> int:
    from overlay.paths import data_dir

    notes = NotesStore()
    if which:
        try:
            sid = resolve(elog, which)
        except LookupError as exc:
            return _fail(str(exc))
        if not _confirm(f"Delete session {sid}, its notes and its report?", yes):
            return 1
        ids = [sid]
    else:
        ids = [s.id for s in elog.sessions()]
        if not _confirm(f"Delete all {len(ids)} sessions, their notes and reports?", yes):
            return 1
    for sid in ids:
        elog.delete(sid)
        notes.delete(sid)
        (data_dir() / "reports" / f"{sid}.html").unlink(missing_ok=True)
    if not which:
        elog.delete_all()
    print(f"Deleted {len(ids)} session{'s' * (len(ids) != 1)}.")
    return 0


# -- oncue report ----------------------------------------------------------------------------
def report_command(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="oncue report",
                                 description="Write a session's review as one self-contained "
                                             "HTML file (no network resources).")
    ap.add_argument("session", nargs="?", default="last", help="a session id or 'last' (default)")
    ap.add_argument("--out", type=Path, help="where to write (default: the data directory)")
    ap.add_argument("--open", action="store_true", help="open it in the web browser")
    args = ap.parse_args(argv)
    with open_log() as elog:
        try:
            sid = resolve(elog, args.session)
        except LookupError as exc:
            return _fail(str(exc))
        path = write_report(elog, sid, args.out)
    print(path)
    if args.open:
        open_in_desktop(path.resolve())  # not webbrowser: it passes on OnCue's environment
    return 0
