"""Privacy: OnCue opens no network connection at run time and keeps its data private.

The network check traces the real process with strace, so a connection made from C++ (MediaPipe,
FFmpeg, Qt) is caught as well as one made from Python: any connect() to an IPv4 or IPv6 address
fails the test. Local (AF_UNIX) sockets are allowed: they never leave the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from overlay.process_environment import environment_for_other_programs
from tests.clips import make_clip

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    shutil.which("strace") is None,
    reason="strace is not installed (scripts/setup.sh --dev installs it)")


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_clip(path, seconds=3.0)
    return path


def traced_connects(args: list[str], tmp_path: Path) -> tuple[int, list[str]]:
    trace = tmp_path / "trace.txt"
    # The user's environment, not this process's: with MediaPipe 1.x importing overlay has
    # pointed the proxies nowhere here, and the traced app must do that itself.
    env = dict(environment_for_other_programs(), QT_QPA_PLATFORM="offscreen",
               ONCUE_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
         sys.executable, "-m", "overlay", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    inet = [line for line in trace.read_text().splitlines()
            if re.search(r"AF_INET6?\b", line)]
    return result.returncode, inet


def test_analyze_opens_no_network_connection(clip: Path, tmp_path: Path) -> None:
    code, inet = traced_connects(["analyze", str(clip), "--json", str(tmp_path / "o.json")],
                                 tmp_path)
    assert code == 0
    assert inet == [], "network connections attempted:\n" + "\n".join(inet)


def test_replayed_live_session_opens_no_network_connection(clip: Path, tmp_path: Path) -> None:
    code, inet = traced_connects(["--replay", str(clip), "--quit-after", "4"], tmp_path)
    assert code == 0
    assert inet == [], "network connections attempted:\n" + "\n".join(inet)


def test_data_directory_is_private(clip: Path, tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    data = tmp_path / "data"
    env = dict(os.environ, ONCUE_DATA_DIR=str(data))
    subprocess.run([sys.executable, "-m", "overlay", "analyze", str(clip)], cwd=ROOT, env=env,
                   capture_output=True, check=True, timeout=300)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_analysis_writes_no_audio_or_video(clip: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, ONCUE_DATA_DIR=str(data))
    subprocess.run([sys.executable, "-m", "overlay", "analyze", str(clip)], cwd=ROOT, env=env,
                   capture_output=True, check=True, timeout=300)
    media = [p for p in data.rglob("*")
             if p.suffix.lower() in {".wav", ".mp4", ".mkv", ".avi", ".mov", ".png", ".jpg",
                                     ".raw", ".flac", ".webm"}]
    assert media == []
