"""The `oncue` command line: start the overlay, list devices, analyse recordings, and the rest.

Every expected failure (no camera, unreadable file, bad settings) ends in one line on stderr that
says what is wrong and what to do, and a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from overlay.errors import CliError
from overlay.interrupts import interrupted, restore, stop_as_interrupt

log = logging.getLogger(__name__)

EXIT_USAGE = 2
EXIT_FAILED = 1


def _expected_errors() -> tuple[type[BaseException], ...]:
    from detectors.face import FaceModelMissing
    from overlay.capture.base import SourceFailed
    from overlay.capture.media import MediaError
    from overlay.session.eventlog import EventLogError
    from overlay.settings import SettingsError

    return (CliError, MediaError, SettingsError, SourceFailed, FaceModelMissing, EventLogError)


# -- commands --------------------------------------------------------------------------------
def cmd_analyze(args: argparse.Namespace) -> int:
    from overlay.commands.analyze import analyze_command

    return analyze_command(args)


def cmd_devices(args: argparse.Namespace) -> int:
    from overlay.capture.devices import devices_command

    return devices_command()


def cmd_review(args: argparse.Namespace) -> int:
    """Commands that parse their own arguments (overlay/review, overlay/preflight)."""
    from overlay.review import commands

    if args.command == "setup":
        from overlay.model_setup import setup_command

        return setup_command(args.rest)
    if args.command == "forget":
        from overlay.forget import forget_command

        return forget_command(args.rest)
    if args.command == "calibrate":
        from overlay.ui.calibrate_app import calibrate_command

        return calibrate_command(args.rest)
    if args.command in ("check", "practice"):
        from overlay.commands.check_practice import check_command, practice_command

        return (check_command if args.command == "check" else practice_command)(args.rest)
    if args.command == "followup":
        from overlay.review.followup import Signature
        from overlay.settings import load_settings

        profile = load_settings().section("profile")
        signature = Signature(name=profile["name"], aamc_id=profile["aamc_id"],
                              email=profile["email"], phone=profile["phone"])
        return commands.followup_command(args.rest, signature=signature)
    body = {"sessions": commands.sessions_command, "report": commands.report_command}
    return body[args.command](args.rest)


def check_analyze_args(args: argparse.Namespace) -> None:
    from overlay.commands.analyze import check_analyze_args as check

    check(args)


def check_run_args(args: argparse.Namespace) -> None:
    from overlay.commands.analyze import readable_media

    if args.replay is not None:
        problem = readable_media(args.replay)
        if problem is not None:
            raise CliError(f"{args.replay}: {problem}")


def cmd_run(args: argparse.Namespace) -> int:
    from overlay.ui.app import run_app

    return run_app(replay=args.replay, realtime=not args.fast, quit_after=args.quit_after,
                   quit_at_end=args.quit_at_end
                   or os.environ.get("ONCUE_QUIT_AT_END", "") in ("1", "true", "yes"))


# -- parser ----------------------------------------------------------------------------------
def _span(text: str) -> tuple[float, float]:
    try:
        start, end = (float(x) for x in text.split("-", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected START-END in seconds, got {text!r}") from None
    if not 0 <= start < end:
        raise argparse.ArgumentTypeError(f"the span must start before it ends: {text!r}")
    return start, end


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oncue",
        description="OnCue: a discreet coach beside your webcam for video interviews. "
                    "Without a command, starts the overlay.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="drive the overlay with a recording instead of camera and microphone")
    parser.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-after", type=float, metavar="S", help=argparse.SUPPRESS)
    # Tests and demos: with --replay, quit as soon as the recording's summary is shown.
    parser.add_argument("--quit-at-end", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_run, validate=check_run_args)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("devices", help="list the cameras, microphones and screens found",
                       description="List the cameras, microphones and screens OnCue can use.")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("analyze", help="analyse recordings with the live pipeline",
                       description="Run the live analysis pipeline over recordings (video, "
                                   "audio or images) as fast as possible and report as JSON.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the JSON here (else stdout)")
    p.add_argument("--screen", action="store_true",
                   help="read images as screenshots of a meeting window (mute state)")
    p.add_argument("--calibrate", type=_span, metavar="START-END",
                   help="treat this span of the recording (seconds, e.g. 0-2) as looking at "
                        "the lens, and judge eye contact against it")
    p.add_argument("--report", type=Path, metavar="HTML",
                   help="also write the post-session report of this analysis (one file only)")
    p.set_defaults(func=cmd_analyze, validate=check_analyze_args)

    for name, summary in (
        ("setup", "obtain OnCue's face model once (3.6 MB, verified); --from FILE uses a copy"),
        ("calibrate", "look at the lens for 3 s so eye contact is judged for your setup "
                      "(--mute-button: teach OnCue any app's mute button)"),
        ("check", "pre-flight check of camera, light, microphone and machine (about 20 s)"),
        ("practice", "a mock interview: questions from the bank, the live coach, then a summary"),
        ("forget", "delete everything OnCue stored (sessions, notes, reports, recordings, "
                   "calibration), after confirmation"),
        ("sessions", "list past sessions with their key figures; delete one or all"),
        ("report", "write (and open) the summary report of a session: oncue report last --open"),
        ("followup", "notes, thank-you drafts and the follow-up timeline per program"),
    ):
        p = sub.add_parser(name, help=summary, add_help=False,
                           description=f"{summary} (see `oncue {name} --help`)")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=cmd_review)
    return parser


REVIEW_COMMANDS = ("setup", "sessions", "report", "followup", "check", "practice", "calibrate",
                   "forget")
# Commands that never open the face model, so never need to offer its download.
NO_MODEL_COMMANDS = ("setup", "devices", "sessions", "report", "followup", "forget")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in REVIEW_COMMANDS:
        # These parse their own options (argparse's REMAINDER would swallow none before them).
        args = argparse.Namespace(command=argv[0], rest=argv[1:], verbose=False, func=cmd_review)
    else:
        args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        # MediaPipe's C++ side logs through glog/absl to stderr; keep a terminal readable.
        from overlay.process_environment import PROCESS

        PROCESS.setdefault("GLOG_minloglevel", "2")  # the user's own go to programs OnCue starts
        PROCESS.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    func: Callable[[argparse.Namespace], int] = args.func
    previous = stop_as_interrupt()
    try:
        validate: Callable[[argparse.Namespace], None] | None = getattr(args, "validate", None)
        if validate is not None:
            validate(args)  # argument errors before any work, the model's download included
        if getattr(args, "command", None) not in NO_MODEL_COMMANDS:
            from overlay.model_setup import offer_model_download

            # First start after `pipx install`: ask before the one download OnCue ever makes.
            # Declined or no terminal: the face finder's own error says to run `oncue setup`.
            offer_model_download()
        return func(args)
    except _expected_errors() as exc:
        print(f"oncue: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt as exc:
        # Ctrl+C, SIGTERM or SIGHUP in any command (a window ends its session in order first,
        # overlay/ui/stop_signals.py); whatever it was doing is logged as far as it got.
        return interrupted(exc)
    finally:
        restore(previous)


if __name__ == "__main__":
    raise SystemExit(main())
