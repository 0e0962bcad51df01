"""The mute-button calibration end to end on a private Xvfb display.

A tiny PyQt6 window (its own process) shows a button whose picture toggles between two images on
every click; xdotool clicks it as a user would; the real pynput listener and mss grabs run through
`MutePick`; the learnt `MuteButton` must then read that window's state, and `unknown` once the
window is moved away from the button's region.
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from detectors.mute_button import CalibrationFailed, MuteButton

DISPLAY = ":57"

WINDOW = r"""
import sys
from PyQt6.QtCore import Qt, QSize
from PyQt6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PyQt6.QtWidgets import QApplication, QPushButton, QWidget

def picture(muted):
    pix = QPixmap(40, 40)
    pix.fill(QColor(40, 40, 44))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(200, 200, 200)); p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(14, 4, 12, 22, 6, 6)
    if muted:
        p.setPen(QPen(QColor(230, 70, 80), 4)); p.drawLine(6, 34, 34, 6)
    p.end()
    return QIcon(pix)

app = QApplication(sys.argv)
win = QWidget(); win.setWindowTitle("fake meeting"); win.setGeometry(120, 100, 240, 160)
win.setStyleSheet("background: rgb(30, 30, 34)")
button = QPushButton(win); button.setGeometry(90, 50, 60, 60); button.setIconSize(QSize(40, 40))
button.setFlat(True); button.setStyleSheet("border: none; background: rgb(40, 40, 44)")
state = {"muted": False}
def toggle():
    state["muted"] = not state["muted"]
    button.setIcon(picture(state["muted"]))
    print("muted" if state["muted"] else "unmuted", flush=True)
button.clicked.connect(toggle)
button.setIcon(picture(False))
win.show()
def ready():
    c = button.mapToGlobal(button.rect().center())
    print(f"ready {c.x()} {c.y()}", flush=True)
from PyQt6.QtCore import QTimer
QTimer.singleShot(500, ready)
app.exec()
"""


def _xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, env={**os.environ, "DISPLAY": DISPLAY},
                   timeout=10)


@pytest.fixture
def xvfb(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt install xvfb xdotool)")
    if os.path.exists(f"/tmp/.X11-unix/X{DISPLAY[1:]}"):
        pytest.skip(f"display {DISPLAY} is taken by another X server")
    server = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "640x480x24", "-nolisten", "tcp",
                               "+extension", "RECORD"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{DISPLAY[1:]}"):
                break
            time.sleep(0.1)
        else:
            pytest.skip("Xvfb did not start")
        monkeypatch.setenv("DISPLAY", DISPLAY)
        monkeypatch.setenv("PYNPUT_BACKEND", "xorg")
        monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
        yield DISPLAY
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def fake_meeting(xvfb: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    errors = tmp_path / "window.err"  # a file, not a pipe nobody drains (Qt may log a lot)
    with errors.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", WINDOW], stdout=subprocess.PIPE,
                                stderr=err, text=True, env=dict(os.environ))
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("ready"):
            pytest.fail(f"test window did not start: {line!r} {errors.read_text()[-500:]}")
        _, x, y = line.split()
        yield proc, int(x), int(y)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _grab(region: tuple[int, int, int, int]) -> np.ndarray:
    import mss

    make = mss.MSS if hasattr(mss, "MSS") else mss.mss
    with make() as grabber:  # this test's own instance, on this thread
        x, y, w, h = region
        shot = grabber.grab({"left": x, "top": y, "width": w, "height": h})
        return np.asarray(shot, dtype=np.uint8)[:, :, 2::-1].copy()


def _click(proc: subprocess.Popen[str], x: int, y: int) -> str:
    _xdotool("mousemove", str(x), str(y), "click", "1")
    _xdotool("mousemove", "5", "5")  # leave the button, as a user would
    if proc.stdout is None:
        return ""
    # Never hang the suite on a window that missed the click: wait at most 10 s for its line.
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    return proc.stdout.readline().strip() if ready else "no answer from the window"


@pytest.mark.xvfb
def test_calibration_learns_the_button_and_reads_the_window(
        fake_meeting: tuple[subprocess.Popen[str], int, int]) -> None:
    from overlay.capture.mute_pick import MutePick

    proc, x, y = fake_meeting
    prompts: queue.Queue[str] = queue.Queue()
    done: list[MuteButton] = []
    failed: list[str] = []
    pick = MutePick(lambda step, text: prompts.put(step), done.append, failed.append,
                    settle=0.3, timeout=20)
    pick.start()
    try:
        assert prompts.get(timeout=10) == "first"
        assert _click(proc, x, y) == "muted"
        assert prompts.get(timeout=10) == "second"
        _xdotool("mousemove", "5", "300", "click", "1")  # elsewhere: not the toggle, ignored
        assert _click(proc, x + 3, y - 2) == "unmuted"
        button = pick.wait(timeout=10)
    finally:
        pick.stop()
    assert not failed, failed
    assert button is not None and done == [button]
    rx, ry, rw, rh = button.region
    assert rx <= x < rx + rw and ry <= y < ry + rh

    time.sleep(0.3)
    assert button.read(_grab(button.region)).state == "unmuted"
    assert _click(proc, x, y) == "muted"
    time.sleep(0.3)
    assert button.read(_grab(button.region)).state == "muted"

    stored = MuteButton.from_dict(button.to_dict())
    assert stored.read(_grab(button.region)).state == "muted"

    _xdotool("search", "--name", "fake meeting", "windowmove", "400", "300")
    time.sleep(0.5)
    assert button.read(_grab(button.region)).state == "unknown"


def _looks(muted: bool) -> np.ndarray:
    img = np.full((48, 48, 3), 40, np.uint8)
    img[8:30, 18:30] = 200
    if muted:
        for i in range(40):
            img[44 - i, 4 + i] = (230, 70, 80)
    return img


def test_learnt_button_reads_both_states_and_unknown_when_covered() -> None:
    button = MuteButton.learn((10, 20, 48, 48), _looks(True), _looks(False), app="teams")
    assert button.read(_looks(True)).state == "muted"
    assert button.read(_looks(False)).state == "unmuted"
    jitter = np.random.default_rng(1).integers(-6, 7, (48, 48, 3))
    noisy = np.clip(_looks(True).astype(int) + jitter, 0, 255).astype(np.uint8)
    assert button.read(noisy).state == "muted"
    covered = np.full((48, 48, 3), 235, np.uint8)  # a white window over the button
    assert button.read(covered).state == "unknown"
    again = MuteButton.from_dict(button.to_dict())
    assert again.region == (10, 20, 48, 48) and again.app == "teams"
    assert again.read(_looks(False)) == button.read(_looks(False))


def test_learning_fails_when_the_button_did_not_change() -> None:
    with pytest.raises(CalibrationFailed):
        MuteButton.learn((0, 0, 48, 48), _looks(True), _looks(True))
