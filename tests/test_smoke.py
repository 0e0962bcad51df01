"""The real app, started headless on a replay, reaches its main loop and shuts down cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clips import make_clip


@pytest.fixture(scope="module")
def small_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_clip(path)
    return path


def test_app_starts_offscreen_and_exits_cleanly(small_clip: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONCUE_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "overlay", "--replay", str(small_clip), "--quit-after", "3"],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "OnCue main loop started" in result.stderr
    assert "Traceback" not in result.stderr
    # Offscreen Qt has no tray, like stock GNOME: where the menu is, said in words at start.
    assert "no system tray" in result.stderr and "beside the overlay" in result.stderr


def test_no_display_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "overlay"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no display" in result.stderr


def test_a_replay_that_is_not_a_recording_is_one_line_before_any_window(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Questions to ask\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "overlay", "--replay", str(notes)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"oncue: {notes}: not a video, audio or image file OnCue "
                                     "can read (OnCue reads .mp4, .mov, .mkv, .webm, .avi, .wav, "
                                     ".mp3, .flac, .png, .jpg)")
