"""`oncue analyze`: its argument checks (before any work, in words) and what it prints.

Argument errors come first, in milliseconds: two files with `--report`, a missing file, a file
that is no video, audio or image OnCue can read (its header is opened, nothing decoded). Then
the analysis; the frame-by-frame JSON goes to `--json OUT`, or to stdout when neither `--json`
nor `--report` is given; otherwise a few lines say what was analysed and where the report is.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from overlay.errors import CliError

log = logging.getLogger(__name__)


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



READABLE = ".mp4, .mov, .mkv, .webm, .avi, .wav, .mp3, .flac, .png, .jpg"


def readable_media(path: Path) -> str | None:
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
        problem = readable_media(path)
        if problem is not None:
            raise CliError(f"{path}: {problem}")


def analyze_command(args: argparse.Namespace) -> int:
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
