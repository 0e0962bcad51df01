"""The Xvfb desk the real-app tests run OnCue on: an X server with a compositor and a stand-in
meeting window (scripts/screenshots.py's `Desktop`), OnCue's own config and data folders in the
test's tmp_path, and a generated clip to replay. Used by the tests that start `python -m overlay`
and click it with xdotool."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("Xvfb", "xcompmgr", "xdotool", "import")


@contextmanager
def oncue_desk(tmp_path: Path, clip_seconds: float) -> Iterator[Any]:
    """A started desk with `.clip`, a clip of `clip_seconds`; closed (every process ended) on
    exit. Skips the test when a tool is missing: these tests need a real X server."""
    for tool in TOOLS:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xcompmgr xdotool "
                        "imagemagick)")
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots

    desk = screenshots.Desktop(tmp_path, {"ONCUE_CONFIG_DIR": str(tmp_path / "config"),
                                          "ONCUE_DATA_DIR": str(tmp_path / "data")})
    try:
        desk.clip = screenshots.make_clip(tmp_path / "clip.mp4", seconds=clip_seconds)
        yield desk
    finally:
        desk.close()


def window_box(desk: Any, name: str) -> tuple[int, int, int, int]:
    """x, y, width, height of the one visible window whose title matches `name`."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                           env=desk.env, capture_output=True, text=True, timeout=20).stdout
    (wid,) = found.split()
    geo = subprocess.run(["xdotool", "getwindowgeometry", wid], env=desk.env,
                         capture_output=True, text=True, timeout=20).stdout
    x, y = map(int, re.search(r"Position: (\d+),(\d+)", geo).groups())  # type: ignore[union-attr]
    w, h = map(int, re.search(r"Geometry: (\d+)x(\d+)", geo).groups())  # type: ignore[union-attr]
    return x, y, w, h
