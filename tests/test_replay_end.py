"""A replay ends with its recording, as a live session ends: the session `ended`, the summary
window open on a real display (Xvfb), and OnCue quits when the summary is closed, or at once
with --quit-at-end (for tests and demos). Offscreen, where no window can be seen, it quits at
the end (tests/test_orderly_stop.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog
from tests.desk import ROOT, oncue_desk, window_box

pytestmark = pytest.mark.xvfb


@pytest.fixture()
def desk(tmp_path: Path):  # type: ignore[no-untyped-def]
    with oncue_desk(tmp_path, clip_seconds=3) as desk:  # ends soon: the summary opens
        yield desk


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
        x, y, w, h = window_box(desk, "summary")
        # Its Close button, at the bottom right of the window.
        desk.xdotool("mousemove", str(x + w - 45), str(y + h - 22), "click", "1")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
