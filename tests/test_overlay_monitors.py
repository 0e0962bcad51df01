"""The real overlay on a desktop with two monitors that get unplugged and resized (Xorg dummy).

The camera setting puts the lens on the second monitor; the X server's own idea of where the
overlay window is (xdotool, not Qt's) must follow the monitor layout as it changes mid-session:
- the camera's monitor present: the overlay sits at its top centre;
- that monitor unplugged: the overlay moves to the primary (the camera went with it, and an
  overlay left on a screen that no longer exists would be invisible);
- the primary's resolution changed: the overlay re-centres on it;
- the monitor plugged back in: the overlay returns to it.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import monitors  # noqa: E402  (scripts/monitors.py)

pytestmark = pytest.mark.xvfb
LEFT, RIGHT = (1280, 800), (1920, 1080)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    missing = monitors.missing_tools()
    missing += [tool for tool in ("xcompmgr", "xdotool") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"a multi-monitor desktop needs {', '.join(missing)} "
                    "(bash scripts/setup.sh --dev installs them)")
    import screenshots

    work = tmp_path_factory.mktemp("monitors")

    def two_monitors(n: int, workdir: Path):  # type: ignore[no-untyped-def]
        server = monitors.start_xorg_dummy(n, workdir)
        monitors.plug(n, "DUMMY0", LEFT)
        monitors.plug(n, "DUMMY1", RIGHT, right_of="DUMMY0")
        return server

    desk = screenshots.Desktop(work, {"ONCUE_CONFIG_DIR": str(work / "config"),
                                      "ONCUE_DATA_DIR": str(work / "data"),
                                      "ONCUE_OVERLAY_CAMERA_SCREEN": "1"}, server=two_monitors)
    try:
        assert len(monitors.monitors(desk.display)) == 2
        desk.start_overlay(screenshots.make_clip(work / "clip.mp4", seconds=6))
        yield desk
    finally:
        code = desk.close()
    assert code == 0, "the overlay driver did not shut down cleanly"


def _window_on_x(desk) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """The overlay window's geometry as the X server has it."""
    import subprocess

    env = desk.env
    wid = subprocess.run(["xdotool", "search", "--name", "^OnCue overlay$"], env=env, text=True,
                         capture_output=True, check=True, timeout=20).stdout.split()[0]
    out = subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid], env=env, text=True,
                         capture_output=True, check=True, timeout=20).stdout
    g = dict(line.split("=", 1) for line in out.split())
    return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])


def _settles_at(desk, lens_x: int, screen: tuple[int, int, int, int]) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Wait until the overlay's lens is at `lens_x`, then check the X window lies on `screen`."""
    deadline = time.monotonic() + 20
    while True:
        geo = desk.stage("none")
        if geo["lens"][0] == lens_x or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert tuple(geo["lens"]) == (lens_x, screen[1]), geo
    x, y, w, h = _window_on_x(desk)
    sx, sy, sw, sh = screen
    assert sx <= x and x + w <= sx + sw and sy <= y and y + h <= sy + sh, \
        f"window {x, y, w, h} is not inside the screen {screen}"
    assert [x, y, w, h] == geo["window"], "the X server has the window elsewhere than planned"
    return geo


def test_overlay_starts_on_the_cameras_monitor(desktop) -> None:  # type: ignore[no-untyped-def]
    _settles_at(desktop, LEFT[0] + RIGHT[0] // 2, (LEFT[0], 0, *RIGHT))


def test_unplugging_the_cameras_monitor_moves_the_overlay_to_the_primary(desktop) -> None:  # type: ignore[no-untyped-def]
    monitors.unplug(desktop.display, "DUMMY1")
    assert len(monitors.monitors(desktop.display)) == 1
    _settles_at(desktop, LEFT[0] // 2, (0, 0, *LEFT))


def test_a_resolution_change_recentres_the_overlay(desktop) -> None:  # type: ignore[no-untyped-def]
    monitors.plug(desktop.display, "DUMMY0", (1600, 900))
    _settles_at(desktop, 800, (0, 0, 1600, 900))


def test_plugging_the_monitor_back_returns_the_overlay(desktop) -> None:  # type: ignore[no-untyped-def]
    monitors.plug(desktop.display, "DUMMY1", RIGHT, right_of="DUMMY0")
    _settles_at(desktop, 1600 + RIGHT[0] // 2, (1600, 0, *RIGHT))
