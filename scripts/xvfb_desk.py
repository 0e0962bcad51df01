"""A desk under Xvfb for screenshots and tests: an X server, a compositor, a stand-in meeting.

    .venv/bin/python scripts/xvfb_desk.py --meeting CLICKS   # the meeting window alone

Xvfb alone has no compositor, so a translucent window shows a black background; xcompmgr on the
same display draws the overlay translucent over the windows below it, as users see it. The
stand-in meeting app (a light document area over a dark video area, like a Zoom call beside a
shared page) logs every mouse click it receives, so a test can tell whether a click went through
the overlay. `Desktop` puts the three together, and starts the overlay driver of
scripts/overlay_driver.py on them when asked; everything is torn down in reverse order. The
helpers are also used alone (scripts/smoke_start.py, scripts/monitors.py, tests/test_hotkeys.py);
scripts/screenshots.py re-exports them under their old names.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("xvfb_desk")

SCREEN = (1600, 900)
DRIVER = Path(__file__).with_name("overlay_driver.py")  # `--drive CLIP`


# -- the X server -------------------------------------------------------------------------------
def _abstract_x_sockets() -> str:
    """X servers also listen on an abstract socket, which a chroot or another /tmp does not
    hide: a display number taken outside this /tmp is taken here too."""
    try:
        return Path("/proc/net/unix").read_text()
    except OSError:
        return ""


def free_display(start: int = 58) -> int:
    abstract = _abstract_x_sockets()
    for n in range(start, start + 40):
        if (not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
                and f"@/tmp/.X11-unix/X{n}\n" not in abstract):
            return n
    raise RuntimeError("no free X display number")


def start_xvfb(n: int, size: tuple[int, int] = SCREEN) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{size[0]}x{size[1]}x24",
                             "-nolisten", "tcp", "+extension", "RECORD"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_for_x_server(proc, n, f"Xvfb :{n} did not start")


def wait_for_x_server(proc: subprocess.Popen[bytes], n: int, failure: str,
                      ready: Callable[[], bool] = lambda: True,
                      timeout_s: float = 10.0) -> subprocess.Popen[bytes]:
    """`proc` once display :n has its socket and `ready()`; killed with `failure` otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        if Path(f"/tmp/.X11-unix/X{n}").exists() and ready():
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(failure)


def start_compositor(n: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(["xcompmgr"], env=dict(os.environ, DISPLAY=f":{n}"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    return proc


def grab(n: int, out: Path) -> Path:
    subprocess.run(["import", "-display", f":{n}", "-window", "root", str(out)], check=True,
                   capture_output=True, timeout=30)
    return out


# -- the stand-in meeting app -------------------------------------------------------------------
def meeting_window(clicks: Path) -> int:
    from PyQt6.QtCore import QPointF, QRectF, Qt
    from PyQt6.QtGui import QColor, QFont, QLinearGradient, QPainter
    from PyQt6.QtWidgets import QApplication, QWidget

    class Meeting(QWidget):
        def paintEvent(self, event: object) -> None:  # noqa: N802
            p = QPainter(self)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            w, h = self.width(), self.height()
            p.fillRect(0, 0, w, h, QColor("#1f2329"))
            doc = QRectF(0, 0, w, h * 0.42)  # a light page across the top, worst case for contrast
            p.fillRect(doc, QColor("#f4f5f7"))
            p.setPen(QColor("#c9ced6"))
            for i in range(14):
                y = 40 + i * 26
                if y < doc.bottom() - 10:
                    p.drawLine(QPointF(60, y), QPointF(w - 60 - (i % 4) * 120, y))
            tile = QRectF(w * 0.18, h * 0.46, w * 0.64, h * 0.44)
            grad = QLinearGradient(tile.topLeft(), tile.bottomRight())
            grad.setColorAt(0, QColor("#4a5a6e"))
            grad.setColorAt(1, QColor("#23303d"))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(grad)
            p.drawRoundedRect(tile, 12, 12)
            p.setBrush(QColor("#8d6e63"))
            c = tile.center()
            p.drawEllipse(QPointF(c.x(), c.y() - 30), 55, 68)
            p.setBrush(QColor("#37474f"))
            p.drawRoundedRect(QRectF(c.x() - 120, c.y() + 45, 240, 120), 60, 60)
            p.setPen(QColor("#e0e0e0"))
            p.setFont(QFont("DejaVu Sans", 12))
            p.drawText(QRectF(tile.x() + 14, tile.bottom() - 30, 300, 24), "Dr. Interviewer")
            p.end()

        def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
            pos = event.globalPosition()
            with clicks.open("a") as fh:
                fh.write(f"click {int(pos.x())} {int(pos.y())}\n")

    app = QApplication(sys.argv[:1])
    win = Meeting()
    win.setWindowTitle("Meeting")
    screen = app.primaryScreen()
    assert screen is not None
    win.setGeometry(screen.geometry())
    win.show()
    with clicks.open("a") as fh:
        fh.write("ready\n")
    return app.exec()


def start_meeting(env: dict[str, str], clicks: Path) -> subprocess.Popen[bytes]:
    """The stand-in meeting window on env's display, once it is up (it says "ready" in
    `clicks`, where it also logs every click it receives)."""
    proc = subprocess.Popen([sys.executable, __file__, "--meeting", str(clicks)], env=env)
    deadline = time.monotonic() + 30
    while not (clicks.exists() and "ready" in clicks.read_text()):
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the meeting window did not start")
        time.sleep(0.1)
    time.sleep(0.5)
    return proc


def end_processes(procs: list[subprocess.Popen[bytes]]) -> None:
    """Ended in reverse order of starting (the windows before their X server), killed if one
    does not end within 10 s."""
    for proc in reversed(procs):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# -- the desk -------------------------------------------------------------------------------------
class Desktop:
    """Xvfb + compositor + meeting window + overlay driver, torn down in reverse order."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None,
                 server: Callable[[int, Path], subprocess.Popen[bytes]] | None = None) -> None:
        """`server(display, workdir)` starts the X server; Xvfb unless given (monitors.py)."""
        self.workdir = workdir
        self.display = free_display()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.procs.append(server(self.display, workdir) if server else start_xvfb(self.display))
        self.procs.append(start_compositor(self.display))
        self.env = dict(os.environ, **(env or {}), DISPLAY=f":{self.display}",
                        QT_QPA_PLATFORM="xcb", PYNPUT_BACKEND="xorg")
        self.env.pop("WAYLAND_DISPLAY", None)
        self.clicks = workdir / "clicks.log"
        self.procs.append(start_meeting(self.env, self.clicks))
        self.driver: subprocess.Popen[str] | None = None

    def start_overlay(self, clip: Path) -> None:
        self.driver = subprocess.Popen([sys.executable, str(DRIVER), "--drive", str(clip)],
                                       env=self.env, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
        self.expect("driver started")

    def expect(self, prefix: str, timeout: float = 60) -> str:
        assert self.driver is not None and self.driver.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.driver.stdout.readline()
            if not line:
                raise RuntimeError(f"driver ended before {prefix!r}")
            if line.startswith(prefix):
                return line.strip()
        raise TimeoutError(prefix)

    def stage(self, name: str) -> dict:  # type: ignore[type-arg]
        assert self.driver is not None and self.driver.stdin is not None
        self.driver.stdin.write(f"stage {name}\n")
        self.driver.stdin.flush()
        line = self.expect(f"ready {name} ")
        return json.loads(line.split(" ", 2)[2])

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=20)

    def grab(self, out: Path) -> Path:
        return grab(self.display, out)

    def close(self) -> int | None:
        code = None
        if self.driver is not None and self.driver.stdin is not None:
            try:
                self.driver.stdin.write("quit\n")
                self.driver.stdin.close()
                code = self.driver.wait(timeout=30)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.driver.kill()
        end_processes(self.procs)
        return code


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if len(sys.argv) >= 3 and sys.argv[1] == "--meeting":
        raise SystemExit(meeting_window(Path(sys.argv[2])))
    raise SystemExit(__doc__)
