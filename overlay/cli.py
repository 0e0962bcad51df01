"""The `oncue` command line: start the overlay, list devices, analyse recordings, and the rest.

Every expected failure (no camera, unreadable file, bad settings) ends in one line on stderr that
says what is wrong and what to do, and a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from overlay.errors import CliError

log = logging.getLogger(__name__)

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention for Ctrl+C


def _expected_errors() -> tuple[type[BaseException], ...]:
    from detectors.face import FaceModelMissing
    from overlay.capture.base import SourceFailed
    from overlay.capture.media import MediaError
    from overlay.session.eventlog import EventLogError
    from overlay.settings import SettingsError

    return (CliError, MediaError, SettingsError, SourceFailed, FaceModelMissing, EventLogError)


class TerminalProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self._last = -1

    def __call__(self, position: float, total: float) -> None:
        if not self.enabled or total <= 0:
            return
        pct = min(100, int(100 * position / total))
        if pct != self._last:
            self._last = pct
            bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
            sys.stderr.write(f"\r{self.label} [{bar}] {pct:3d}%  {position:6.1f}/{total:.1f} s")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self._last >= 0:
            sys.stderr.write("\n")


# -- commands --------------------------------------------------------------------------------
READABLE = ".mp4, .mov, .mkv, .webm, .avi, .wav, .mp3, .flac, .png, .jpg"


def _readable_media(path: Path) -> str | None:
    """What is wrong with `path` as a recording OnCue can analyse, or None; reads the header
    only (milliseconds), so a wrong file is refused before any analysis starts."""
    from overlay.capture.media import is_image

    if not path.exists():
        return "file not found"
    if path.is_dir():
        return "is a folder, not a recording"
    if path.stat().st_size == 0:
        return "file is empty"
    if is_image(path):
        return None  # read whole by the image reader, which says what is wrong in words
    import av

    try:
        with av.open(str(path)) as container:
            if not (container.streams.video or container.streams.audio):
                return f"holds no video or audio that OnCue can read (OnCue reads {READABLE})"
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError, OSError):
        return f"not a video, audio or image file OnCue can read (OnCue reads {READABLE})"
    return None


def check_analyze_args(args: argparse.Namespace) -> None:
    """Every argument error of `oncue analyze`, before any work (and before the face model)."""
    from overlay.capture.media import is_image

    if args.report is not None:
        if len(args.files) != 1:
            raise CliError(f"--report needs exactly one recording, got {len(args.files)} files: "
                           "analyse them one at a time")
        if args.screen or is_image(args.files[0]):
            raise CliError(f"{args.files[0]}: --report needs a recording, not an image or "
                           "screenshot")
    for path in args.files:
        problem = _readable_media(path)
        if problem is not None:
            raise CliError(f"{path}: {problem}")


def cmd_analyze(args: argparse.Namespace) -> int:
    from overlay.capture.media import is_image
    from overlay.session.analysis_json import analysis_json
    from overlay.session.eventlog import open_log
    from overlay.session.offline import analyze_image, analyze_recording
    from overlay.settings import load_settings

    check_analyze_args(args)  # again: main() checked, but cmd_analyze may be called directly
    settings = load_settings()
    results = []
    with open_log() as event_log:
        for path in args.files:
            if args.screen or is_image(path):
                result = analyze_image(path, settings, as_screen=args.screen)
            else:
                progress = TerminalProgress(path.name)
                try:
                    result = analyze_recording(path, settings, event_log=event_log,
                                               progress=progress, calibrate=args.calibrate)
                finally:
                    progress.done()
            results.append(analysis_json(result))
    report = None
    if args.report is not None:
        if results[0]["session_id"] is None:
            raise CliError(f"{args.files[0]}: --report needs a recording with video or audio")
        from overlay.review.commands import write_report

        with open_log() as event_log:
            report = write_report(event_log, results[0]["session_id"], args.report)
    doc = results[0] if len(results) == 1 else {"analyses": results}
    if args.json:
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
    if args.json or report is not None:
        # The JSON went to a file, or only the report was asked for: a few lines, not the
        # frame-by-frame JSON (thousands of lines for a short clip).
        for r in results:
            print(_analysis_line(r) + (f" -> {args.json}" if args.json else ""))
        if report is not None:
            print(f"report: {report}")
    else:
        print(json.dumps(doc, indent=1))
    return 0


def _analysis_line(result: dict) -> str:  # type: ignore[type-arg]
    src = result["source"]
    answers = result.get("answers")
    told = f", {len(answers)} answer{'s' if len(answers) != 1 else ''}" if answers else ""
    return (f"{src['paths'][0]}: {src['frames_analysed']} frames, {src['duration_s']} s "
            f"analysed{told}")


def cmd_devices(args: argparse.Namespace) -> int:
    from overlay.capture.devices import describe_devices

    print(describe_devices())
    return 0


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
        from overlay.preflight.commands import check_command, practice_command

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


def check_run_args(args: argparse.Namespace) -> None:
    if args.replay is not None:
        problem = _readable_media(args.replay)
        if problem is not None:
            raise CliError(f"{args.replay}: {problem}")


def cmd_run(args: argparse.Namespace) -> int:
    from overlay.ui.app import run_app

    return run_app(replay=args.replay, realtime=not args.fast, quit_after=args.quit_after,
                   quit_at_end=args.quit_at_end or bool(os.environ.get("ONCUE_QUIT_AT_END")))


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


def _stop_as_interrupt() -> dict[int, object]:
    """SIGTERM and a closed terminal (SIGHUP) stop a command as Ctrl+C does: KeyboardInterrupt
    unwinds it through its `finally` blocks (a practice session is ended and saved) instead of
    the process dying on the spot. The windows replace these while their event loop runs."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous: dict[int, object] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous  # main() called from a thread (tests): signals are the caller's
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[getattr(signal, name)] = signal.signal(getattr(signal, name), interrupt)
    return previous


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
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    func: Callable[[argparse.Namespace], int] = args.func
    previous = _stop_as_interrupt()
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
        name = str(exc.args[0]) if exc.args else "SIGINT"
        print(f"\noncue: interrupted ({name})", file=sys.stderr)
        signum = getattr(signal, name, None)
        return 128 + int(signum) if isinstance(signum, signal.Signals) else EXIT_INTERRUPTED
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main())
