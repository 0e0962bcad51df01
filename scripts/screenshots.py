"""Screenshots of the real overlay over a stand-in meeting window, under Xvfb + xcompmgr.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/overlay-*.png

Three roles in one file, so the Xvfb test (tests/test_overlay_xvfb.py) drives exactly what the
docs show:
- default: start Xvfb on a free display and xcompmgr (so translucency looks as users see it),
  the meeting window, and the overlay driver; step through the stages and save screenshots;
- `--meeting CLICKS`: a stand-in for the meeting app (a light document area over a dark video
  area, like a Zoom call beside a shared page), logging every mouse click it receives;
- `--drive CLIP`: the real OverlayWindow over a real LiveSession replaying CLIP, with the real
  global hotkeys. Stdin commands `stage NAME` (see STAGES) set what the snapshot says about the
  nudge and the answer length, since a short clip does not reach a two-minute answer; after the
  fades it prints `ready NAME {geometry}`; every hotkey command prints `command NAME`; `quit`.
The synthetic clip and backdrop are made here: no third-party footage ends up in a screenshot.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
log = logging.getLogger("screenshots")

NUDGES = {"look_at_lens": "Look at the lens", "wrap_up": "Wrap up", "muted": "You're muted",
          "backlit": "Light is behind you"}
# stage -> (nudge kind, answer seconds, devices that are lost)
STAGES: dict[str, tuple[str | None, float | None, tuple[str, ...]]] = {
    "none": (None, None, ()), "timer_calm": (None, 75.0, ()), "timer_amber": (None, 102.0, ()),
    "timer_orange": (None, 137.0, ()), "timer_red": (None, 191.0, ()),
    "desktop": ("look_at_lens", 104.0, ()), "status": ("muted", 64.0, ("camera",)),
    **{f"chip_{k}": (k, None, ()) for k in NUDGES}}
SCREEN = (1600, 900)
EXAMPLE_SHEET = """# City General IM (fictional example)
## Why City General
- Safety-net clinic, Spanish-speaking patients
- Dr. Lee's QI curriculum
- Close to family in Queens
## Interviewers
- Dr. Patel, program director
- Dr. Okafor, associate PD
- Dr. Kim, chief resident
## Tell me about yourself
- Grew up translating for my parents
- Free clinic, 3 years: why IM
- Research: readmissions after CHF
## Questions to ask
- Night float structure?
- Fellowship match last 3 years?
"""


# -- X server helpers (also used by the tests) --------------------------------------------------
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


def make_clip(path: Path, seconds: float = 30.0) -> Path:
    """A plain synthetic talking-head stand-in (grey, a moving block, a tone)."""
    import av
    import numpy as np

    rate = 16000
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=15)
        video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        audio = out.add_stream("aac", rate=rate)
        audio.layout = "mono"
        for i in range(int(seconds * 15)):
            img = np.full((240, 320, 3), 110, np.uint8)
            x = 40 + (i * 3) % 200
            img[80:160, x:x + 60] = 200
            for packet in video.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        t = np.arange(int(seconds * rate)) / rate
        tone = (0.05 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
        for start in range(0, len(tone), 1024):
            frame = av.AudioFrame.from_ndarray(tone[None, start:start + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate = rate
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
    return path


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


# -- the overlay driver -------------------------------------------------------------------------
def drive(clip: Path) -> int:
    import queue
    import threading

    from PyQt6.QtCore import QSocketNotifier, QTimer
    from PyQt6.QtWidgets import QApplication

    from detectors.coach import Shown
    from detectors.nudge import Nudge
    from overlay.capture.base import SourceFailed
    from overlay.capture.hotkeys import Hotkeys
    from overlay.cuesheet import CueDeck, load_cue_sheets
    from overlay.paths import bundled_config_dir, cue_sheet_dir
    from overlay.session.live import LiveSession
    from overlay.settings import load_settings
    from overlay.ui.overlay_window import OverlayWindow

    class StagedSession:
        """The real session's snapshot, with the nudge and answer length set by the stage."""

        def __init__(self, real: LiveSession) -> None:
            self.real, self.stage = real, "none"
            self.commands: list[str] = []

        def snapshot(self):  # type: ignore[no-untyped-def]
            snap = self.real.snapshot()
            kind, elapsed, lost = STAGES[self.stage]
            shown = Shown(Nudge(snap.t, kind, NUDGES[kind]), snap.t) if kind else None
            devices = {**snap.devices, **{name: "lost: unplugged" for name in lost}}
            return dataclasses.replace(snap, nudge=shown, answer_elapsed_s=elapsed,
                                       devices=devices)

        def command(self, name: str, note: str = "") -> None:
            self.commands.append(name)
            self.real.command(name, note)

    settings = load_settings()
    app = QApplication(sys.argv[:1])
    sheets, errors = load_cue_sheets(cue_sheet_dir())
    if not sheets:
        from overlay.cuesheet import read_cue_sheet
        sheets = [read_cue_sheet(bundled_config_dir() / "cuesheet_template.md")]
    real = LiveSession(settings, None, replay=clip, realtime=True, loop_replay=True)
    session = StagedSession(real)
    window = OverlayWindow(settings, session, CueDeck(sheets, settings["overlay.bullets_per_card"]))
    commands: queue.Queue[str] = queue.Queue()
    try:
        hotkeys: Hotkeys | None = Hotkeys(settings.section("hotkeys"), commands,
                                          count_keystrokes=False)
        hotkeys.start()
    except SourceFailed as exc:
        hotkeys = None
        print(f"hotkeys off: {exc}", flush=True)
    real.start()
    window.show()

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def geometry(stage: str) -> str:
        plan = window.plan
        assert plan is not None
        g = window.geometry()
        return json.dumps({
            "stage": stage, "lens": plan.lens, "window": [g.x(), g.y(), g.width(), g.height()],
            "chip": dataclasses.astuple(plan.chip), "ring": dataclasses.astuple(plan.ring),
            "panel": dataclasses.astuple(plan.panel), "status": dataclasses.astuple(plan.status),
            "chip_font_px": window.chip.font_px, "ring_font_px": window.ring.font_px,
            "panel_font_px": window.panel.font_px, "chip_opacity": window.chip.get_opacity(),
            "ring_stage": window.ring.stage, "card": window.deck.view().card_title
            if window.deck.view() else None, "commands": session.commands,
            "snapshot_t": window.snapshot.t if window.snapshot else None})

    def tick() -> None:
        while not commands.empty():
            name = commands.get_nowait()
            window.run_command(name)
            say(f"command {name}")
        window.refresh()

    def on_stdin() -> None:
        line = sys.stdin.readline().strip()
        if not line or line == "quit":
            app.quit()
            return
        verb, _, arg = line.partition(" ")
        if verb == "stage" and arg in STAGES:
            session.stage = arg
            QTimer.singleShot(1200, lambda: say(f"ready {arg} {geometry(arg)}"))
        else:
            say(f"error unknown command {line!r}")

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(33)
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    say("driver started")
    code = app.exec()
    timer.stop()
    if hotkeys is not None:
        hotkeys.stop()
    real.stop()
    window.close()
    leftovers = [t.name for t in threading.enumerate()
                 if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    return 3 if leftovers else code


# -- the orchestrator ---------------------------------------------------------------------------
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
        self.procs.append(subprocess.Popen([sys.executable, __file__, "--meeting",
                                            str(self.clicks)], env=self.env))
        deadline = time.monotonic() + 30
        while not (self.clicks.exists() and "ready" in self.clicks.read_text()):
            if time.monotonic() > deadline:
                raise RuntimeError("the meeting window did not start")
            time.sleep(0.1)
        time.sleep(0.5)
        self.driver: subprocess.Popen[str] | None = None

    def start_overlay(self, clip: Path) -> None:
        self.driver = subprocess.Popen([sys.executable, __file__, "--drive", str(clip)],
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
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        return code


def crop(src: Path, box: tuple[int, int, int, int], out: Path, margin: int = 24) -> None:
    from PIL import Image

    x, y, w, h = box
    with Image.open(src) as img:
        img.crop((max(0, x - margin), max(0, y - margin), min(img.width, x + w + margin),
                  min(img.height, y + h + margin))).save(out)


def main() -> int:
    import tempfile

    out_dir = ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "config" / "cue-sheets").mkdir(parents=True)
        (work / "config" / "cue-sheets" / "city-general.md").write_text(EXAMPLE_SHEET)
        desk = Desktop(work, {"ONCUE_CONFIG_DIR": str(work / "config"),
                              "ONCUE_DATA_DIR": str(work / "data")})
        try:
            desk.start_overlay(make_clip(work / "clip.mp4"))
            for name in STAGES:
                geo = desk.stage(name)
                shot = desk.grab(work / f"{name}.png")
                wx, wy = geo["window"][:2]
                if name == "desktop":
                    desk.grab(out_dir / "overlay-desktop.png")
                    x, y, w, h = geo["window"]
                    crop(shot, (x, y, w, h), out_dir / "overlay-window.png")
                elif name.startswith("chip_"):
                    x, y, w, h = geo["chip"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / f"overlay-{name}.png")
                elif name.startswith("timer_"):
                    x, y, w, h = geo["ring"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / f"overlay-{name}.png")
                elif name == "status":
                    x, y, w, h = geo["chip"]
                    rx, ry, rw, rh = geo["status"]
                    crop(shot, (wx + x, wy + y, rx + rw - x, ry + rh - y),
                         out_dir / "overlay-status.png")
                elif name == "none":
                    x, y, w, h = geo["panel"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / "overlay-cue-panel.png")
                print(f"{name}: saved")
        finally:
            desk.close()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if len(sys.argv) >= 3 and sys.argv[1] == "--meeting":
        raise SystemExit(meeting_window(Path(sys.argv[2])))
    if len(sys.argv) >= 3 and sys.argv[1] == "--drive":
        os.environ.setdefault("GLOG_minloglevel", "2")
        raise SystemExit(drive(Path(sys.argv[2])))
    raise SystemExit(main())
