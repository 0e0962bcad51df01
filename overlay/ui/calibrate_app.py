"""`oncue calibrate`: the gaze calibration ("look at the lens") or the mute-button calibration."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from overlay.ui.stop_signals import exec_until_stopped

log = logging.getLogger(__name__)


def _click_calibration(settings, app, pick_class, save, outcome: dict[str, str]  # type: ignore[no-untyped-def]
                       ) -> int | None:
    """A calibration the user does with clicks (mute button, self-view tile): the pick's
    prompts shown under the lens; `save(result)` stores the result and says what was saved."""
    from overlay.ui.calibration_window import CalibrationWindow, PromptQueue

    prompts = PromptQueue()

    def done(result) -> None:  # type: ignore[no-untyped-def]
        outcome["ok"] = save(result)

    def failed(reason: str) -> None:
        outcome["error"] = reason
        prompts.put("failed", f"Calibration failed: {reason}")

    pick = pick_class(prompts.put, done, failed)
    try:
        pick.start()
    except RuntimeError as exc:
        print(f"oncue: calibration needs the mouse: {exc}", file=sys.stderr)
        return 1
    window = CalibrationWindow(settings, prompts.poll, app.quit,
                               hint="Only where you click is kept, nothing else.")
    window.show()
    stopped = exec_until_stopped(app)  # Ctrl+C or SIGTERM cancel in order (exit 128+signal)
    pick.stop()
    window.close()
    if stopped is not None:
        raise KeyboardInterrupt(stopped.signal_name or stopped.reason)
    return None


def calibrate_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="oncue calibrate",
        description="Calibrate eye contact (look at the lens for about 3 s; optionally also at "
                    "the interviewer's video) or, with --mute-button, teach OnCue your meeting "
                    "app's mute button. Results are kept per camera and used from then on.")
    parser.add_argument("--mute-button", action="store_true",
                        help="calibrate the mute button of any meeting app instead")
    parser.add_argument("--self-view", action="store_true",
                        help="pick your own video tile in the meeting window (two clicks on "
                             "opposite corners): used when the meeting app holds the camera")
    parser.add_argument("--with-screen", action="store_true",
                        help="after the lens, also look at the interviewer's video for 3 s")
    parser.add_argument("--replay", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    from overlay.ui.app import _check_display

    _check_display()
    from PyQt6.QtWidgets import QApplication

    from overlay.settings import load_settings
    from overlay.ui.calibration_window import CalibrationWindow

    settings = load_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    outcome: dict[str, str] = {}
    if args.self_view:
        from overlay.capture.region_pick import RegionPick
        from overlay.capture.self_view import save_self_view

        def save_region(region) -> str:  # type: ignore[no-untyped-def]
            save_self_view(region)
            return f"self-view tile saved: {region}"

        code = _click_calibration(settings, app, RegionPick, save_region, outcome)
        if code is not None:
            return code
    elif args.mute_button:
        from overlay.calibration_store import save_calibration
        from overlay.capture.mute_pick import MutePick

        def save_button(button) -> str:  # type: ignore[no-untyped-def]
            save_calibration("mute_button", button.to_dict())
            return "mute button saved"

        code = _click_calibration(settings, app, MutePick, save_button, outcome)
        if code is not None:
            return code
    else:
        from overlay.session.calibration import GazeCalibrationRun

        targets = ("lens", "screen") if args.with_screen else ("lens",)
        run = GazeCalibrationRun(settings, replay=args.replay, targets=targets)
        texts = {"lens": "Look at the lens", "screen": "Now look at the interviewer's video"}

        def poll() -> tuple[float | None, str, bool]:
            if run.error:
                return None, f"Calibration failed: {run.error}", True
            if run.calibration is not None:
                return 1.0, "Calibrated. Saved for this camera.", True
            return run.progress(), texts.get(run.target, "Look at the lens"), False

        window = CalibrationWindow(settings, poll, app.quit)
        run.start()
        window.show()
        stopped = exec_until_stopped(app)
        run.stop()
        if run.error:
            outcome["error"] = run.error
        elif run.calibration is not None:
            outcome["ok"] = "gaze calibration saved"
        window.close()
        if stopped is not None:
            raise KeyboardInterrupt(stopped.signal_name or stopped.reason)
    if "error" in outcome:
        print(f"oncue: calibration failed: {outcome['error']}", file=sys.stderr)
        return 1
    print(outcome.get("ok", "calibration cancelled"))
    return 0 if "ok" in outcome else 1
