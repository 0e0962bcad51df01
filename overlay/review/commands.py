"""The bodies of `oncue sessions`, `oncue report` and `oncue followup`.

Each takes its argv (without the subcommand word) and returns an exit code; the CLI entry point
only dispatches. Errors a user can fix (no sessions yet, an unknown id) are one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import webbrowser
from datetime import date
from pathlib import Path

from overlay.review.followup import (
    SUBJECT_FORMATS,
    Signature,
    due_now,
    save_eml,
    thank_you_drafts,
    timeline,
)
from overlay.review.guards import TopChoiceRefused, review
from overlay.review.history import KIND_TITLES, by_kind, key_figures, load_history, resolve
from overlay.review.notes import Interviewer, NotesStore, SessionNotes
from overlay.review.report_html import render
from overlay.review.summary import SessionSummary, summarise
from overlay.review.takeaways import clock, takeaways
from overlay.session.eventlog import EventLog, open_log

log = logging.getLogger(__name__)


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
    return render(summary, takeaways(summary), NotesStore().load(session_id), history)


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
        webbrowser.open(path.resolve().as_uri())
    return 0


# -- oncue followup --------------------------------------------------------------------------
def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-20") from exc


def _followup_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="oncue followup",
                                 description="Notes, thank-you drafts and the follow-up timeline.")
    sub = ap.add_subparsers(dest="action")
    n = sub.add_parser("notes", help="write or show a session's notes")
    n.add_argument("session", nargs="?", default="last", help="a session id or 'last'")
    n.add_argument("--program")
    n.add_argument("--date", type=_date, help="interview date, YYYY-MM-DD")
    n.add_argument("--interviewer", action="append", default=[],
                   help='"Dr. Jane Smith, Program Director <jsmith@example.org>" (repeatable)')
    n.add_argument("--topic", action="append", default=[],
                   help="one specific thing you discussed (once or twice)")
    n.add_argument("--impressions", help="your impressions while they are fresh")
    d = sub.add_parser("drafts", help="thank-you drafts for a session's interviewers")
    d.add_argument("session", nargs="?", default="last", help="a session id or 'last'")
    d.add_argument("--name", help="your name for the signature (default: from settings)")
    d.add_argument("--aamc-id", help="your AAMC ID (optional)")
    d.add_argument("--email", help="your email address (optional)")
    d.add_argument("--subject-format", type=int, choices=(0, 1, 2), default=0,
                   help="; ".join(f"{i}: {f}" for i, f in enumerate(SUBJECT_FORMATS)))
    d.add_argument("--top-choice", action="store_true",
                   help="say this program is your top choice (one program only, ever)")
    d.add_argument("--eml", type=Path, metavar="DIR", help="save each draft as an .eml file")
    t = sub.add_parser("timeline", help="what is due when, per program (the default)")
    for p in (t, ap):
        p.add_argument("--today", type=_date, default=None, metavar="DATE",
                       help="the day to judge what is due (default: today)")
        p.add_argument("--rank-deadline", type=_date, default=None, metavar="DATE",
                       help="the rank-list deadline, YYYY-MM-DD, to plan the last message")
    return ap


def followup_command(argv: list[str], signature: Signature | None = None) -> int:
    """`signature` comes from the user's settings; --name/--aamc-id/--email override it."""
    args = _followup_parser().parse_args(argv)
    store = NotesStore()
    if args.action in ("notes", "drafts"):
        with open_log() as elog:
            try:
                sid = resolve(elog, args.session)
            except LookupError as exc:
                return _fail(str(exc))
            if args.action == "notes":
                return _notes(elog, store, sid, args)
    if args.action == "drafts":
        return _drafts(store, sid, args, signature)
    steps = timeline(store.all(), args.rank_deadline)
    today = args.today or date.today()
    if not steps:
        print("No programs with an interview date yet: `oncue followup notes --program P "
              "--date YYYY-MM-DD` adds them.")
        return 0
    for s in steps:
        print(f"{s.program:<32} {s.opens} – {s.due}  {s.status(today):<13} {s.what}")
    now = due_now(steps, today)
    print(f"\nDue now ({today}): " + ("; ".join(f"{s.program}: {s.kind.replace('_', ' ')}"
                                               for s in now) if now else "nothing"))
    return 0


def _notes(elog: EventLog, store: NotesStore, sid: str, args: argparse.Namespace) -> int:
    old = store.load(sid) or SessionNotes(session_id=sid)
    if not (args.program or args.date or args.interviewer or args.topic or args.impressions):
        print(f"{sid}: {old.program or '(no program)'} on {old.interview_date or '(no date)'}")
        for i in old.interviewers:
            print(f"  interviewer: {i.as_line()}")
        for t in old.topics:
            print(f"  discussed: {t}")
        if old.impressions:
            print(f"  impressions: {old.impressions}")
        return 0
    new = SessionNotes(
        session_id=sid, program=args.program or old.program,
        interview_date=args.date or old.interview_date
        or date.fromisoformat(elog.session(sid).started_at[:10]),
        impressions=args.impressions or old.impressions,
        interviewers=tuple(Interviewer.parse(x) for x in args.interviewer) or old.interviewers,
        topics=tuple(args.topic[:2]) or old.topics)
    store.save(new)
    if new.program:
        elog.set_program(sid, new.program)
    print(f"Notes saved for {sid}.")
    return 0


def _drafts(store: NotesStore, sid: str, args: argparse.Namespace,
            signature: Signature | None) -> int:
    base = signature or Signature(name="[Your name]")
    sig = Signature(name=args.name or base.name, aamc_id=args.aamc_id or base.aamc_id,
                    email=args.email or base.email, phone=base.phone)
    mine = store.load(sid)
    if mine is None or not mine.interviewers:
        return _fail(f"no interviewers in the notes of {sid}; add them with "
                     f"`oncue followup notes {sid} --interviewer \"Dr. Jane Smith, Program "
                     "Director\" --topic ...`")
    drafts = thank_you_drafts(mine, sig, args.subject_format, args.top_choice)
    others = [d for n in store.all() if n.session_id != sid and n.program != mine.program
              for d in thank_you_drafts(n, sig)]
    try:
        warnings = review(drafts + others, already_told=store.top_choice())
    except TopChoiceRefused as exc:
        return _fail(str(exc))
    for d in drafts:
        print(d.as_text())
        if d.send_by:
            print(f"(send by {d.send_by})\n")
    for w in warnings:
        if mine.program in w.programs:
            print(f"Warning: {w.message}", file=sys.stderr)
    if args.eml:
        for d in drafts:
            print(f"saved {save_eml(d, sig, args.eml)}")
        if args.top_choice:
            store.set_top_choice(mine.program)
    return 0
