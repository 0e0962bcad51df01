"""`oncue analyze` end to end: the JSON's shape, error lines, and a kill mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog
from tests.clips import make_clip

ROOT = Path(__file__).resolve().parents[1]


def oncue(*args: str, env: dict[str, str] | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "overlay", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=env or dict(os.environ))


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_clip(path, seconds=3.0, fps=15)
    return path


def test_json_has_the_documented_shape(clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = oncue("analyze", str(clip), "--json", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["source"]["paths"] == [str(clip)]
    assert doc["source"]["frames_analysed"] == 45 == len(doc["frames"])
    assert doc["source"]["duration_s"] == pytest.approx(3.0, abs=0.15)
    for key in ("speech", "answers", "fillers", "nudges", "lighting", "framing"):
        assert key in doc
    frame = doc["frames"][0]
    assert set(frame) >= {"t", "face", "gaze", "eye_contact", "lighting"}
    assert frame["face"] is False  # a grey square is not a face


@pytest.mark.parametrize("name, content, problem", [
    ("empty.mp4", b"", "file is empty"),
    ("junk.mov", b"\x00\x01garbage" * 100, "not a readable"),
    ("junk.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not a readable image"),
])
def test_bad_files_give_one_clear_line(tmp_path: Path, name: str, content: bytes,
                                       problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = oncue("analyze", str(path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("oncue:")]
    assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = oncue("analyze", str(tmp_path / "nope.mp4"))
    assert result.returncode != 0 and "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_sigkill_during_analyze_keeps_the_logged_events(tmp_path: Path) -> None:
    long_clip = tmp_path / "long.mp4"
    make_clip(long_clip, seconds=40.0, fps=15)
    data = tmp_path / "data"
    env = dict(os.environ, ONCUE_DATA_DIR=str(data))
    proc = subprocess.Popen([sys.executable, "-m", "overlay", "analyze", str(long_clip)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    db = data / "sessions.sqlite"
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline and seen < 1:
        time.sleep(0.2)
        if db.exists():
            log = EventLog(db)
            sessions = log.sessions()
            seen = len(log.events(sessions[0].id)) if sessions else 0
            log.close()
    assert proc.poll() is None, "analysis ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    log = EventLog(db)
    (info,) = log.sessions()
    events = log.events(info.id)
    assert info.status == "crashed" and info.mode == "analysis"
    assert events[0].kind == "session_started" and len(events) >= seen
