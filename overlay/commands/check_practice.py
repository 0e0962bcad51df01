"""`oncue check` and `oncue practice`: argument parsing, the terminal output, the exit codes.

Exit codes of `oncue check`: 0 when nothing failed (skipped items are not failures), 1 when at
least one item needs a fix, 2 when the check could not run (no such file, no devices, bad
arguments). `oncue practice` returns 0 after a session and 2 when it could not start.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from overlay.preflight.items import GROUPS, CheckItem, failed

log = logging.getLogger(__name__)

EXIT_FIX = 1
EXIT_ERROR = 2
MARKS = {"pass": "ok ", "fail": "FIX", "skip": " - "}


def _error(prog: str, msg: str) -> int:
    print(f"{prog}: {msg}", file=sys.stderr)
    return EXIT_ERROR


def _expected_errors() -> tuple[type[BaseException], ...]:
    from detectors.face import FaceModelMissing
    from overlay.capture.base import SourceFailed
    from overlay.capture.media import MediaError
    from overlay.settings import SettingsError

    return (MediaError, SettingsError, SourceFailed, FaceModelMissing, FileNotFoundError)


def format_items(items: list[CheckItem], source: str) -> str:
    """The pass / fix list as printed on a terminal, grouped, fixes indented under their item."""
    lines = [f"OnCue pre-flight check: {source}", ""]
    for group in GROUPS:
        group_items = [i for i in items if i.group == group]
        if not group_items:
            continue
        lines.append(group.capitalize())
        for item in group_items:
            lines.append(f"  [{MARKS[item.status]}] {item.detail}")
            if item.status == "fail" and item.fix:
                lines.append(f"          fix: {item.fix}")
        lines.append("")
    bad = failed(items)
    lines.append("All set: nothing to fix." if not bad else
                 f"{len(bad)} item{'s' if len(bad) > 1 else ''} to fix before the interview.")
    return "\n".join(lines)


def _check_parser() -> argparse.ArgumentParser:
    ap = _command_parser(
        "oncue check",
        "A guided check of about 20 s: camera (face, framing, camera height), light, "
        "microphone and machine, with a pass / fix list. Speak the sample sentence "
        "when asked. Exit code 1 when something needs a fix.",
        replay_help="check a recording instead of the camera and microphone")
    ap.add_argument("--json", type=Path, metavar="OUT",
                    help="also write every item as {id, group, status, detail, fix} to OUT")
    ap.add_argument("--no-window", action="store_true",
                    help="no window: print the list on the terminal only")
    ap.add_argument("--seconds", type=float, default=None, metavar="S",
                    help="length of the check (default 20)")
    return ap


def _command_parser(prog: str, description: str, replay_help: str) -> argparse.ArgumentParser:
    """What `oncue check` and `oncue practice` both take first: a recording in place of the
    camera and microphone (for demos, tests and a second look at a past check)."""
    ap = argparse.ArgumentParser(prog=prog, description=description)
    ap.add_argument("--replay", type=Path, metavar="FILE", help=replay_help)
    return ap


def _missing_replay(prog: str, replay: Path | None) -> int | None:
    """EXIT_ERROR, said on stderr, when `--replay` names no file; None when all is well."""
    if replay is not None and not replay.exists():
        return _error(prog, f"{replay}: file not found")
    return None


def _features_off() -> list[str]:
    from overlay.platform_access import check_permissions
    from overlay.platform_notices import feature_notices

    return feature_notices(check_permissions())


def check_command(argv: list[str]) -> int:
    from overlay.preflight.runner import CHECK_S, SAMPLE_SENTENCE, PreflightCheck
    from overlay.session.eventlog import open_log
    from overlay.settings import load_settings

    args = _check_parser().parse_args(argv)
    prog = "oncue check"
    missing = _missing_replay(prog, args.replay)
    if missing is not None:
        return missing
    source = args.replay.name if args.replay else "camera and microphone"
    window = not args.no_window
    try:
        settings = load_settings()
        with open_log() as event_log:
            # Without a window nobody watches the replay: play it as fast as it can be analysed.
            check = PreflightCheck(settings, event_log, replay=args.replay,
                                   realtime=window or args.replay is None,
                                   check_s=args.seconds or CHECK_S)
            if window:
                from overlay.ui.check_window import run_check_window

                items = run_check_window(check)
            else:
                if args.replay is None:
                    print(f"Checking for {check.check_s:.0f} s. Look at the camera and read "
                          f"aloud:\n\n  \"{SAMPLE_SENTENCE}\"\n", flush=True)
                items = check.run()
            session_id = check.session_id
    except _expected_errors() as exc:
        return _error(prog, str(exc))
    print(format_items(items, source))
    off = _features_off()  # what stays off here whatever the check finds, said once
    if off:
        print("\nOff on this computer:\n" + "\n".join(f"  - {line}" for line in off))
    if args.json is not None:
        doc = {"source": str(args.replay) if args.replay else "camera+microphone",
               "session_id": session_id, "passed": not failed(items),
               "items": [i.to_json() for i in items], "off": off}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"items written to {args.json}")
    return EXIT_FIX if failed(items) else 0


# -- oncue practice --------------------------------------------------------------------------
def _practice_parser() -> argparse.ArgumentParser:
    ap = _command_parser(
        "oncue practice",
        "A mock interview: OnCue asks questions from its bank (and yours, in "
        "<config dir>/questions.toml), coaches you live as in a real interview, and "
        "ends with the summary. Nothing is recorded unless you ask for it.",
        replay_help="answer with a recording instead of the camera and microphone")
    ap.add_argument("--shuffle", action="store_true", help="ask the questions in random order")
    ap.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("-n", "--questions", type=int, default=None, metavar="N",
                    help="ask only N questions")
    ap.add_argument("--only", metavar="ID,ID", help="ask only these questions (ids from --list)")
    ap.add_argument("--list", action="store_true", help="list the question bank and exit")
    ap.add_argument("--question-s", type=float, default=None, metavar="S",
                    help="seconds per question before the next one (default: practice."
                         "question_s, 150)")
    rec = ap.add_mutually_exclusive_group()
    rec.add_argument("--record", dest="record", action="store_true", default=None,
                     help="record video and audio locally for self-review (private file)")
    rec.add_argument("--no-record", dest="record", action="store_false",
                     help="do not record, whatever the settings say")
    ap.add_argument("--no-window", action="store_true",
                    help="no window: questions and summary on the terminal")
    ap.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    return ap


def practice_command(argv: list[str]) -> int:
    from overlay.practice.questions import QuestionBankError, load_questions, pick
    from overlay.practice.session import PracticeSession, print_summary
    from overlay.session.eventlog import open_log
    from overlay.settings import load_settings

    args = _practice_parser().parse_args(argv)
    prog = "oncue practice"
    try:
        bank = load_questions()
    except QuestionBankError as exc:
        return _error(prog, str(exc))
    if args.list:
        for q in bank:
            print(f"{q.id:14} {q.text}")
        return 0
    missing = _missing_replay(prog, args.replay)
    if missing is not None:
        return missing
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    try:
        questions = pick(bank, shuffle=args.shuffle, count=args.questions, only=only,
                         seed=args.seed)
    except QuestionBankError as exc:
        return _error(prog, str(exc))
    window = not args.no_window
    try:
        settings = load_settings()
        record = settings["practice.record"] if args.record is None else args.record
        question_s = args.question_s or settings["practice.question_s"]
        with open_log() as event_log:
            practice = PracticeSession(settings, event_log, questions, replay=args.replay,
                                       realtime=not args.fast, question_s=question_s,
                                       record=record)
            if window:
                from overlay.ui.practice_window import run_practice_window

                run_practice_window(practice)
            else:
                practice.run(on_question=lambda q, i, n: print(
                    f"\nQuestion {i} of {n}: {q.text}" + "".join(
                        f"\n  - {tip}" for tip in q.tips), flush=True))
                print_summary(event_log, practice)
    except _expected_errors() as exc:
        return _error(prog, str(exc))
    return 0
