"""A headless X server with monitors that can be plugged, unplugged and resized.

Xvfb shows Qt a single screen and refuses RandR changes, so the overlay's multi-monitor behaviour
(camera on a second monitor, a monitor unplugged mid-interview, a resolution change) cannot be
seen on it. Xorg with the dummy video driver can: it has sixteen RandR outputs (DUMMY0..15) that
`xrandr` turns on, off and resizes exactly as a real desktop would, and Qt gets the same
screenAdded / screenRemoved / geometryChanged signals. Used by tests/test_overlay_monitors.py;
needs `xserver-xorg-core`, `xserver-xorg-video-dummy` and `x11-xserver-utils` (scripts/setup.sh
--dev installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from screenshots import wait_for_x_server  # type: ignore[import-not-found]  # scripts/

DUMMY_DRIVER = Path("/usr/lib/xorg/modules/drivers/dummy_drv.so")
CONFIG = """
Section "Device"
    Identifier "dummy"
    Driver "dummy"
    VideoRam 256000
EndSection
Section "Monitor"
    Identifier "monitor"
    HorizSync 5.0 - 1000.0
    VertRefresh 5.0 - 200.0
EndSection
Section "Screen"
    Identifier "screen"
    Device "dummy"
    Monitor "monitor"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Virtual 4096 2160
    EndSubSection
EndSection
"""


def missing_tools() -> list[str]:
    """What this machine lacks to run a dummy Xorg server (empty when it can)."""
    missing = [tool for tool in ("Xorg", "xrandr") if shutil.which(tool) is None]
    if not DUMMY_DRIVER.exists():
        missing.append("the Xorg dummy driver (xserver-xorg-video-dummy)")
    return missing


def start_xorg_dummy(n: int, workdir: Path) -> subprocess.Popen[bytes]:
    """Xorg on display :n with the dummy driver; its log and config stay in `workdir`."""
    conf = workdir / "xorg-dummy.conf"
    conf.write_text(CONFIG)
    proc = subprocess.Popen(
        ["Xorg", f":{n}", "-noreset", "-nolisten", "tcp", "+extension", "RECORD",
         "-config", str(conf), "-configdir", str(workdir), "-logfile", str(workdir / "xorg.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_for_x_server(proc, n, f"Xorg (dummy driver) :{n} did not start; see "
                             f"{workdir / 'xorg.log'}",
                             ready=lambda: xrandr(n, check=False).returncode == 0)


def xrandr(n: int, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["xrandr", *args], env=dict(os.environ, DISPLAY=f":{n}"), text=True,
                          capture_output=True, check=check, timeout=20)


def plug(n: int, output: str, size: tuple[int, int], right_of: str | None = None) -> None:
    """Turn `output` on at `size` (a mode the dummy driver lists), right of another output."""
    mode = f"{size[0]}x{size[1]}"
    if output != "DUMMY0":  # outputs past the first start with no modes of their own
        xrandr(n, "--addmode", output, mode, check=False)
    where = ["--right-of", right_of] if right_of else ["--pos", "0x0"]
    xrandr(n, "--output", output, "--mode", mode, *where)


def unplug(n: int, output: str) -> None:
    xrandr(n, "--output", output, "--off")


def monitors(n: int) -> list[str]:
    """`xrandr --listmonitors` lines, e.g. ' 0: +*DUMMY0 1280/339x800/212+0+0  DUMMY0'."""
    return xrandr(n, "--listmonitors").stdout.splitlines()[1:]
