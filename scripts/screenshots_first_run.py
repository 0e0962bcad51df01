"""Screenshots of OnCue's first five minutes and of the review windows, under Xvfb + xcompmgr.

    .venv/bin/python scripts/screenshots_first_run.py [first-run|cue-problem|summary|all]
                                                       [--out DIR]

- first-run: the real `oncue --replay CLIP` with an empty home folder (HOME a new temporary
  folder, every ONCUE_* folder unset but ONCUE_FACE_MODEL), over the stand-in meeting window of
  scripts/screenshots.py: a shot while it starts ("Starting OnCue…") and one with the welcome
  window open (docs/screenshots/first-run-*.png). It prints what the first start left in the
  empty home (the cue-sheet folder and its starter sheet).
- summary: the real summary window, notes, follow-up and sessions windows on a made-up interview
  (scripts/review_demo.py builds its event log), placed by OnCue beside the meeting window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import screenshots  # noqa: E402


class Screen:
    """Xvfb, a compositor and the stand-in meeting window."""

    def __init__(self, work: Path, meeting: bool = True) -> None:
        self.n = screenshots.free_display()
        self.procs = [screenshots.start_xvfb(self.n), screenshots.start_compositor(self.n)]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ONCUE_")}
        self.env.update(DISPLAY=f":{self.n}", QT_QPA_PLATFORM="xcb", PYNPUT_BACKEND="xorg")
        model = Path.home() / ".local/share/oncue/models/face_landmarker.task"
        self.env["ONCUE_FACE_MODEL"] = os.environ.get("ONCUE_FACE_MODEL", str(model))
        if not meeting:
            return
        clicks = work / "clicks.log"
        self.procs.append(subprocess.Popen([sys.executable, screenshots.__file__, "--meeting",
                                            str(clicks)], env=self.env))
        deadline = time.monotonic() + 30
        while not (clicks.exists() and "ready" in clicks.read_text()):
            if time.monotonic() > deadline:
                raise RuntimeError("the meeting window did not start")
            time.sleep(0.1)
        time.sleep(0.5)

    def grab(self, out: Path) -> Path:
        return screenshots.grab(self.n, out)

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


STRAY_SHEET = """# City General IM
notes to self: ask about parking
## Why City General
- Safety-net clinic, Spanish-speaking patients
- QI curriculum
"""


def first_run(out: Path, stray: bool = False) -> None:
    """`stray`: not a first start, but a cue sheet with one stray line above its first card."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        if stray:
            sheets = home / ".config" / "oncue" / "cue-sheets"
            sheets.mkdir(parents=True)
            (sheets / "city-general.md").write_text(STRAY_SHEET)
            (home / ".config" / "oncue" / ".welcomed").write_text("seen\n")
        clip = screenshots.make_clip(work / "clip.mp4", seconds=40)
        screen = Screen(work)
        try:
            env = dict(screen.env, HOME=str(home))
            env.pop("XDG_CONFIG_HOME", None)
            env.pop("XDG_DATA_HOME", None)
            started = time.monotonic()
            app = subprocess.Popen([sys.executable, "-m", "overlay", "--replay", str(clip)],
                                   env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
            time.sleep(0.9)
            if not stray:
                screen.grab(out / "first-run-starting.png")
            print(f"starting shot at {time.monotonic() - started:.1f} s")
            assert app.stderr is not None
            for line in app.stderr:
                print("  oncue:", line.rstrip())
                if "main loop started" in line:
                    break
            print(f"main loop at {time.monotonic() - started:.1f} s")
            time.sleep(2.5)
            screen.grab(out / ("cue-sheet-problem.png" if stray else "first-run-welcome.png"))
            config = home / ".config" / "oncue"
            print("left in the empty home:", sorted(str(p.relative_to(home))
                                                    for p in config.rglob("*")))
            app.terminate()
            app.wait(timeout=30)
        finally:
            screen.close()


def summary(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        screen = Screen(work, meeting=False)  # review_demo.py opens a smaller "Zoom Meeting"
        try:
            env = dict(screen.env, ONCUE_DATA_DIR=str(work / "data"),
                       ONCUE_CONFIG_DIR=str(work / "config"))
            subprocess.run([sys.executable, str(ROOT / "scripts" / "review_demo.py"),
                            "--shots", str(out), "--display", str(screen.n)],
                           env=env, cwd=ROOT, check=True, timeout=300)
        finally:
            screen.close()


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "all"
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv \
        else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    if what in ("first-run", "all"):
        first_run(out)
    if what in ("cue-problem", "all"):
        first_run(out, stray=True)
    if what in ("summary", "all"):
        summary(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
