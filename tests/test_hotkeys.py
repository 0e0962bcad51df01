"""Global hotkeys: pynput's dummy backend in-process, and the xorg backend under Xvfb + xdotool."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What `xdotool key` types for each default binding in config/defaults.toml.
XDOTOOL_KEYS = {"toggle_overlay": "ctrl+alt+o", "next_card": "ctrl+alt+Right",
                "previous_card": "ctrl+alt+Left", "next_sheet": "ctrl+alt+Down",
                "previous_sheet": "ctrl+alt+Up", "snooze": "ctrl+alt+s", "mark": "ctrl+alt+m",
                "start_stop": "ctrl+alt+Return"}


def test_every_hotkey_command_has_a_handler() -> None:
    from overlay.settings import load_settings
    from overlay.ui.app import SESSION_COMMANDS
    from overlay.ui.overlay_window import UI_COMMANDS

    bindings = load_settings(environ={}).section("hotkeys")
    assert set(bindings) == set(XDOTOOL_KEYS)
    assert set(bindings) <= set(UI_COMMANDS) | set(SESSION_COMMANDS)


DUMMY_CHECK = """
import queue
from pynput import keyboard
assert keyboard.Listener.__module__.endswith(("_base", "_dummy")), keyboard.Listener.__module__
from overlay.capture.hotkeys import Hotkeys

# The dummy backend gives every special key the same code, so ctrl and alt are one key to
# it: combos here use one modifier; the real bindings are exercised under Xvfb below.
commands = queue.Queue()
hotkeys = Hotkeys({"snooze": "<ctrl>+s", "mark": "<ctrl>+m", "next_card": ""}, commands)
listener = hotkeys._hotkeys
s, m = keyboard.KeyCode.from_char("s"), keyboard.KeyCode.from_char("m")
for key, down in ((keyboard.Key.ctrl, True), (s, True), (s, False), (m, True), (m, False),
                  (keyboard.Key.ctrl, False), (s, True), (s, False)):
    (listener._on_press if down else listener._on_release)(key, False)
    hotkeys._count(key)
assert [commands.get_nowait() for _ in range(commands.qsize())] == ["snooze", "mark"]
assert hotkeys.take_keystrokes() == 8 and hotkeys.take_keystrokes() == 0
# Injected events (our own synthetic keys) never trigger a command.
listener._on_press(keyboard.Key.ctrl, True)
listener._on_press(s, True)
assert commands.empty()
print("ok")
"""


def test_dummy_backend_hotkeys_only_queue_command_names() -> None:
    # pynput picks its backend once per process, when it is first imported, for the keyboard
    # and the mouse alike: the dummy backend runs in its own process so that later tests in
    # this one (a real mouse listener under Xvfb) still get the X backend.
    env = dict(os.environ, PYNPUT_BACKEND="dummy")
    result = subprocess.run([sys.executable, "-c", DUMMY_CHECK], env=env, capture_output=True,
                            text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


LISTENER = """
import queue, sys
from overlay.capture.hotkeys import Hotkeys
from overlay.settings import load_settings
q = queue.Queue()
h = Hotkeys(load_settings(environ={}).section("hotkeys"), q, count_keystrokes=True)
h.start()
print("listening", flush=True)
for line in sys.stdin:
    if line.strip() == "quit":
        break
    names = []
    while not q.empty():
        names.append(q.get_nowait())
    print("got " + ",".join(names) + " keys=" + str(h.take_keystrokes()), flush=True)
h.stop()
print("stopped", flush=True)
"""


@pytest.mark.xvfb
def test_default_bindings_fire_under_xvfb_with_the_xorg_backend(tmp_path: Path) -> None:
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xdotool)")
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import free_display, start_xvfb

    display = free_display(60)
    xvfb = start_xvfb(display, (800, 600))
    env = dict(os.environ, DISPLAY=f":{display}", PYNPUT_BACKEND="xorg",
               PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", LISTENER], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "listening", proc.stderr.read()  # type: ignore[union-attr]
        time.sleep(0.3)  # the record context starts on the listener thread
        for command, keys in XDOTOOL_KEYS.items():
            subprocess.run(["xdotool", "key", "--delay", "40", keys], env=env, check=True,
                           timeout=10)
            # XRecord delivers asynchronously: poll until the command arrives (a loaded machine
            # can take a while), never longer than 10 s.
            deadline, names, counted = time.monotonic() + 10, "", 0
            while not names and time.monotonic() < deadline:
                time.sleep(0.1)
                proc.stdin.write("poll\n")
                proc.stdin.flush()
                line = proc.stdout.readline().strip()
                names = line.split(" keys=")[0].removeprefix("got").strip()
                counted += int(line.rsplit("=", 1)[1])
            assert names == command, f"{keys}: {names!r}"
            time.sleep(0.2)
            proc.stdin.write("poll\n")
            proc.stdin.flush()
            counted += int(proc.stdout.readline().strip().rsplit("=", 1)[1])
            assert counted >= 3  # ctrl, alt and the key were counted
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "stopped"
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
