"""The overlay's own control on a desktop without a tray (Xvfb has none, like stock GNOME).

The real app (`python -m overlay --replay`) under Xvfb + xcompmgr over a stand-in meeting window:
- at start it says in words where its menu is (stderr, and a bubble by the control);
- the control is its own small window beside the overlay, on the screen;
- a real click (xdotool) opens the menu and does not reach the meeting window below;
- the menu's entries work: Stop session ends the session, Quit OnCue quits with exit code 0.
And offscreen: every tray entry is on the control, its placement beside the overlay, the bubble.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog
from tests.desk import ROOT, oncue_desk, window_box

READY = "OnCue main loop started"


@pytest.fixture()
def desk(tmp_path: Path):  # type: ignore[no-untyped-def]
    with oncue_desk(tmp_path, clip_seconds=60) as desk:  # long enough to open the menu twice
        yield desk


def _visible(desk, name: str) -> bool:  # type: ignore[no-untyped-def]
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                           env=desk.env, capture_output=True, text=True, timeout=20).stdout
    return bool(found.split())


def ended_reason(data: Path) -> str | None:
    elog = EventLog(data / "sessions.sqlite")
    try:
        (info,) = elog.sessions()
        reasons = [e.data["reason"] for e in elog.events(info.id) if e.kind == "session_ended"]
    finally:
        elog.close()
    return reasons[0] if reasons else None


def until(check, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.xvfb
def test_the_control_stands_in_for_the_tray(desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = subprocess.Popen([sys.executable, "-m", "overlay", "--replay", str(desk.clip)],
                           cwd=ROOT, env=desk.env, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stderr is not None
        said = []
        for line in app.stderr:
            said.append(line)
            if READY in line:
                break
        # Keep reading: an undrained pipe fills (Qt's warnings on a machine with an
        # accessibility bus fill it) and the app would block in a write, never quitting.
        drain = threading.Thread(target=lambda: said.extend(app.stderr), daemon=True)
        drain.start()
        text = "".join(said)
        assert "no system tray" in text and "button beside the overlay" in text, text
        time.sleep(1.0)  # the windows are mapped and composited
        x, y, w, h = window_box(desk, "OnCue menu")
        assert 40 <= w <= 200 and 20 <= h <= 60  # small
        assert 0 <= x and x + w <= 1600 and 0 <= y and y + h <= 900  # on the screen
        ox, oy, ow, oh = window_box(desk, "OnCue overlay")
        assert abs(y - oy) < 40 and (x >= ox + ow or x + w <= ox)  # beside the overlay
        before = desk.clicks.read_text()
        under = (max(0, x - 100), y + h, x + w + 100, y + h + 150)  # where the menu drops down
        closed = _crop(desk.grab(tmp_path / "start.png"), under)
        desk.xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        time.sleep(1.0)
        opened = _crop(desk.grab(tmp_path / "menu.png"), under)
        assert desk.clicks.read_text() == before, "the click went through to the meeting"
        changed = int((abs(opened - closed) > 24).sum())
        assert changed > 3000, f"no menu opened under the control ({changed} px changed)"
        desk.xdotool("key", "Down", "Return")  # the first entry: Stop session
        data = tmp_path / "data"
        until(lambda: ended_reason(data) is not None, "Stop session did not end the session")
        assert ended_reason(data) == "stopped by user"
        # The summary opens when the session ends; on a loaded machine it may map a second
        # later, and a menu opened before it would be closed by its arrival.
        until(lambda: _visible(desk, "your session"), "the summary did not open")
        time.sleep(0.5)
        desk.xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        time.sleep(1.0)
        desk.xdotool("key", "Up", "Return")  # the last entry: Quit OnCue
        assert app.wait(timeout=30) == 0, "".join(said)[-3000:]
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def _crop(png: Path, box: tuple[int, int, int, int]):  # type: ignore[no-untyped-def]
    import numpy as np
    from PIL import Image

    with Image.open(png) as img:
        return np.asarray(img.convert("L").crop(box), dtype=np.float32)


# -- offscreen: the widget itself ----------------------------------------------------------
NAMES = ("start_stop", "calibrate", "preflight", "open_summary", "open_settings",
         "open_cue_sheets", "quit")
LABELS = ("Start session", "Calibrate camera…", "Pre-flight check…", "Open last summary",
          "Settings…", "Cue sheets…", "Quit OnCue")


def test_the_control_offers_every_tray_entry(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.overlay_control import OverlayControl
    from overlay.ui.tray import TrayActions

    called: list[str] = []
    control = OverlayControl(TrayActions(**{n: (lambda n=n: called.append(n)) for n in NAMES}))
    qtbot.addWidget(control)
    for label in LABELS:
        control.item(label).trigger()
    assert sorted(called) == sorted(NAMES)
    control.show_state("running", "Running")
    assert control.item("Stop session") and control.button.toolTip() == "OnCue: Running"
    flags = control.windowFlags()
    from PyQt6.QtCore import Qt

    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus  # the meeting keeps the keyboard
    assert not flags & Qt.WindowType.WindowTransparentForInput  # unlike the overlay: clickable


def test_the_control_sits_beside_the_overlay_on_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PyQt6.QtCore import QRect

    from overlay.ui.overlay_control import GAP, OverlayControl
    from overlay.ui.tray import TrayActions

    control = OverlayControl(TrayActions(**{n: (lambda: None) for n in NAMES}))
    qtbot.addWidget(control)
    screen = QRect(0, 0, 1600, 900)
    control.follow(QRect(500, 10, 600, 300), screen)
    assert control.x() == QRect(500, 10, 600, 300).right() + GAP
    assert control.y() == 10
    # An overlay against the right edge: the control goes to its left, still on the screen.
    control.follow(QRect(1000, 40, 600, 300), screen)
    assert control.geometry().right() < 1000 and control.x() >= 0 and control.y() == 40
    control.show()
    control.tell("Global hotkeys are off; the OnCue menu still works.")
    bubble = control.bubble.geometry()
    assert bubble.top() > control.geometry().bottom()
    assert 0 <= bubble.left() and bubble.right() <= 1600
    control.tell("A second notice.")
    assert "hotkeys are off" in control.bubble.label.text()  # kept: both can be read
    assert "second notice" in control.bubble.label.text()
    control.close()
