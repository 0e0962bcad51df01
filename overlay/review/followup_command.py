"""The body of `oncue followup`: notes per interview, thank-you drafts, the timeline.

Drafts go to stdout and nothing else does, so what is copied or redirected is the email alone;
the "send by", the warnings and the questions go to stderr. Interviewers come from the notes,
else from the session's cue sheet ("## Interviewers"), else are asked for in a terminal, as is
what was discussed with each one who has nothing of their own yet (that is what makes each
letter its own). Errors a user can fix are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
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
from overlay.review.history import resolve
from overlay.review.notes import Interviewer, NotesStore, SessionNotes
from overlay.session.eventlog import EventLog, open_log

log = logging.getLogger(__name__)


def _fail(msg: str) -> int:
    print(f"oncue: {msg}", file=sys.stderr)
    return 2


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
            info = elog.session(sid)
        # No notes yet: the session's own program (from its cue sheet) and day.
        fresh = SessionNotes(session_id=sid, program=info.program or "",
                             interview_date=_day_of(info.started_at))
        return _drafts(store, sid, args, signature, fresh)
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


def _day_of(started_at: str) -> date | None:
    try:
        return date.fromisoformat(started_at[:10])
    except ValueError:
        return None


def _drafts(store: NotesStore, sid: str, args: argparse.Namespace,
            signature: Signature | None, fresh: SessionNotes) -> int:
    base = signature or Signature(name="[Your name]")
    sig = Signature(name=args.name or base.name, aamc_id=args.aamc_id or base.aamc_id,
                    email=args.email or base.email, phone=base.phone)
    mine = _with_interviewers(store, sid, store.load(sid) or fresh)
    if not mine.interviewers:
        return _fail(f"no interviewers in the notes of {sid} or in its cue sheet; add them with "
                     f"`oncue followup notes {sid} --interviewer \"Dr. Jane Smith, Program "
                     "Director; what you talked about\"`")
    drafts = thank_you_drafts(mine, sig, args.subject_format, args.top_choice)
    others = [d for n in store.all() if n.session_id != sid and n.program != mine.program
              for d in thank_you_drafts(n, sig)]
    try:
        warnings = review(drafts + others, already_told=store.top_choice())
    except TopChoiceRefused as exc:
        return _fail(str(exc))
    # stdout holds the drafts and nothing else, so what is copied (or redirected to a file)
    # is exactly the email; where, when and the warnings go to stderr, apart from the text.
    for i, d in enumerate(drafts, 1):
        print(f"--- draft {i} of {len(drafts)}: {d.interviewer.name} ---", file=sys.stderr)
        print(d.as_text(), flush=True)
    sys.stderr.flush()
    for w in warnings:
        if mine.program in w.programs:
            print(f"Warning: {w.message}", file=sys.stderr)
    due = sorted({d.send_by for d in drafts if d.send_by})
    if due:
        print(f"When: send {'these' if len(drafts) > 1 else 'it'} by {due[0]:%A %B %d} "
              "(within 48 h of the interview); `oncue followup` shows the whole timeline.",
              file=sys.stderr)
    if args.eml:
        for d in drafts:
            print(f"saved {save_eml(d, sig, args.eml)}", file=sys.stderr)
        if args.top_choice:
            store.set_top_choice(mine.program)
    return 0


def _with_interviewers(store: NotesStore, sid: str, notes: SessionNotes) -> SessionNotes:
    """The notes with their interviewers: the notes' own, else the cue sheet's "## Interviewers"
    card, else asked for in the terminal; then, in a terminal, what was discussed with each one
    who has nothing of their own yet. Whatever was added is saved to the notes."""
    from dataclasses import replace

    from overlay.review.sheet_people import sheet_interviewers

    people = notes.interviewers or sheet_interviewers(notes.program)
    if people and not notes.interviewers:
        print(f"Interviewers from the cue sheet \"{notes.program}\": "
              + ", ".join(i.name for i in people), file=sys.stderr)
    asking = sys.stdin.isatty()
    if not people and asking:
        print("Who interviewed you? One per line, e.g. \"Dr. Jane Smith, Program Director\"; "
              "an empty line ends.", file=sys.stderr)
        people = tuple(Interviewer.parse(line) for line in iter(lambda: input("> ").strip(), ""))
    if asking:
        people = tuple(_ask_topic(who) for who in people)
    updated = replace(notes, interviewers=people)
    if updated != notes and people:
        store.save(updated)
    return updated


def _ask_topic(who: Interviewer) -> Interviewer:
    from dataclasses import replace

    if who.topic:
        return who
    name = who.salutation().removeprefix("Dear ").rstrip(",")
    topic = input(f"What did you talk about with {name}? (Enter to skip) ").strip()
    return replace(who, topic=topic) if topic else who
