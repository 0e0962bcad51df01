"""The overlay driver: the real overlay window over a real session, staged for screenshots.

    .venv/bin/python scripts/overlay_driver.py --drive CLIP   # started by xvfb_desk.Desktop

The real OverlayWindow over a real LiveSession replaying CLIP, with the real global hotkeys.
Stdin commands `stage NAME` (see STAGES) set what the snapshot says about the nudge and the
answer length, since a short clip does not reach a two-minute answer; after the fades it prints
`ready NAME {geometry}`; every hotkey command prints `command NAME`; `quit` ends it, with exit
code 3 when a thread outlived the window. scripts/screenshots.py photographs each stage; the
Xvfb tests (tests/test_overlay_xvfb.py) check the same stages.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
log = logging.getLogger("overlay_driver")

NUDGES = {"look_at_lens": "Look at the lens", "wrap_up": "Wrap up", "muted": "You're muted",
          "backlit": "Light is behind you"}
# stage -> (nudge kind, answer seconds, devices that are lost)
STAGES: dict[str, tuple[str | None, float | None, tuple[str, ...]]] = {
    "none": (None, None, ()), "timer_calm": (None, 75.0, ()), "timer_amber": (None, 102.0, ()),
    "timer_orange": (None, 137.0, ()), "timer_red": (None, 191.0, ()),
    "desktop": ("look_at_lens", 104.0, ()), "status": ("muted", 64.0, ("camera",)),
    **{f"chip_{k}": (k, None, ()) for k in NUDGES}}


def drive(clip: Path) -> int:
    import queue
    import threading

    from PyQt6.QtCore import QSocketNotifier, QTimer
    from PyQt6.QtWidgets import QApplication

    from detectors.coach import Shown
    from detectors.nudge import Nudge
    from overlay.capture.base import SourceFailed
    from overlay.capture.hotkeys import Hotkeys
    from overlay.cuesheet import CueDeck, load_cue_sheets
    from overlay.paths import bundled_config_dir, cue_sheet_dir
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings
    from overlay.ui.overlay_window import OverlayWindow

    class StagedSession:
        """The real session's snapshot, with the nudge and answer length set by the stage."""

        def __init__(self, real: LiveSession) -> None:
            self.real, self.stage = real, "none"
            self.commands: list[str] = []

        def snapshot(self):  # type: ignore[no-untyped-def]
            snap = self.real.snapshot()
            kind, elapsed, lost = STAGES[self.stage]
            shown = Shown(Nudge(snap.t, kind, NUDGES[kind]), snap.t) if kind else None
            devices = {**snap.devices, **{name: "lost: unplugged" for name in lost}}
            return dataclasses.replace(snap, nudge=shown, answer_elapsed_s=elapsed,
                                       devices=devices)

        def command(self, name: str, note: str = "") -> None:
            self.commands.append(name)
            self.real.command(name, note)

    settings = load_settings()
    app = QApplication(sys.argv[:1])
    sheets, errors = load_cue_sheets(cue_sheet_dir())
    if not sheets:
        from overlay.cuesheet import read_cue_sheet
        sheets = [read_cue_sheet(bundled_config_dir() / "cuesheet_template.md")]
    real = LiveSession(settings, None, replay=clip, realtime=True, loop_replay=True)
    session = StagedSession(real)
    window = OverlayWindow(settings, session, CueDeck(sheets, settings["overlay.bullets_per_card"]))
    commands: queue.Queue[str] = queue.Queue()
    try:
        hotkeys: Hotkeys | None = Hotkeys(settings.section("hotkeys"), commands,
                                          count_keystrokes=False)
        hotkeys.start()
    except SourceFailed as exc:
        hotkeys = None
        print(f"hotkeys off: {exc}", flush=True)
    real.start()
    window.show()

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def geometry(stage: str) -> str:
        plan = window.plan
        assert plan is not None
        g = window.geometry()
        return json.dumps({
            "stage": stage, "lens": plan.lens, "window": [g.x(), g.y(), g.width(), g.height()],
            "chip": dataclasses.astuple(plan.chip), "ring": dataclasses.astuple(plan.ring),
            "panel": dataclasses.astuple(plan.panel), "status": dataclasses.astuple(plan.status),
            "chip_font_px": window.chip.font_px, "ring_font_px": window.ring.font_px,
            "panel_font_px": window.panel.font_px, "chip_opacity": window.chip.get_opacity(),
            "ring_stage": window.ring.stage, "card": window.deck.view().card_title
            if window.deck.view() else None, "commands": session.commands,
            "snapshot_t": window.snapshot.t if window.snapshot else None})

    def tick() -> None:
        while not commands.empty():
            name = commands.get_nowait()
            window.run_command(name)
            say(f"command {name}")
        window.refresh()

    def on_stdin() -> None:
        line = sys.stdin.readline().strip()
        if not line or line == "quit":
            app.quit()
            return
        verb, _, arg = line.partition(" ")
        if verb == "stage" and arg in STAGES:
            session.stage = arg
            QTimer.singleShot(1200, lambda: say(f"ready {arg} {geometry(arg)}"))
        else:
            say(f"error unknown command {line!r}")

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(33)
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    say("driver started")
    code = app.exec()
    timer.stop()
    if hotkeys is not None:
        hotkeys.stop()
    real.stop()
    window.close()
    leftovers = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    return 3 if leftovers else code


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if len(sys.argv) >= 3 and sys.argv[1] == "--drive":
        os.environ.setdefault("GLOG_minloglevel", "2")
        raise SystemExit(drive(Path(sys.argv[2])))
    raise SystemExit(__doc__)
