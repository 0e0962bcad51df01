"""A replay ends with its recording, as a live session ends: the session `ended`, the summary
window open on a real display (Xvfb), and OnCue quits when the summary is closed, or at once
with --quit-at-end (for tests and demos). Offscreen, where no window can be seen, it quits at
the end (tests/test_orderly_stop.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.xvfb


@pytest.fixture()
def desk(tmp_path: Path):  # type: ignore[no-untyped-def]
    for tool in ("Xvfb", "xcompmgr", "xdotool", "import"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xcompmgr xdotool "
                        "imagemagick)")
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots

    desk = screenshots.Desktop(tmp_path, {"ONCUE_CONFIG_DIR": str(tmp_path / "config"),
                                          "ONCUE_DATA_DIR": str(tmp_path / "data")})
    desk.clip = screenshots.make_clip(tmp_path / "clip.mp4", seconds=3)
    try:
        yield desk
    finally:
        desk.close()


def replay(desk, *flags: str) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "overlay", "--replay", str(desk.clip), *flags],
                            cwd=ROOT, env=desk.env, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen[str], text: str) -> str:
    assert proc.stderr is not None
    for line in proc.stderr:
        if text in line:
            return line
    pytest.fail(f"exited (code {proc.wait()}) before {text!r}")


def session_end(data: Path) -> tuple[str, str]:
    elog = EventLog(data / "sessions.sqlite")
    try:
        (info,) = elog.sessions()
        (reason,) = [e.data["reason"] for e in elog.events(info.id) if e.kind == "session_ended"]
    finally:
        elog.close()
    return info.status, reason


def test_quit_at_end_quits_once_the_summary_is_shown(desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = replay(desk, "--quit-at-end")
    try:
        line = wait_for_line(proc, "the recording has ended")
        assert "its summary is open" in line  # the window was built and shown on the display
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert session_end(tmp_path / "data") == ("ended", "end_of_recording")


def test_closing_the_summary_quits(desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = replay(desk)
    try:
        wait_for_line(proc, "the recording has ended")
        time.sleep(1.0)
        assert proc.poll() is None, "quit before the summary could be read"
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "summary"],
                               env=desk.env, capture_output=True, text=True, timeout=20)
        (wid,) = found.stdout.split()
        geo = subprocess.run(["xdotool", "getwindowgeometry", wid], env=desk.env,
                             capture_output=True, text=True, timeout=20).stdout
        x, y = map(int, re.search(r"Position: (\d+),(\d+)", geo).groups())  # type: ignore[union-attr]
        w, h = map(int, re.search(r"Geometry: (\d+)x(\d+)", geo).groups())  # type: ignore[union-attr]
        # Its Close button, at the bottom right of the window.
        desk.xdotool("mousemove", str(x + w - 45), str(y + h - 22), "click", "1")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
