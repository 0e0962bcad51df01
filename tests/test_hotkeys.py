"""Global hotkeys: pynput's dummy backend in-process, and the xorg backend under Xvfb + xdotool."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What `xdotool key` types for each default binding in config/defaults.toml.
XDOTOOL_KEYS = {"toggle_overlay": "ctrl+alt+o", "next_card": "ctrl+alt+n",
                "previous_card": "ctrl+alt+b", "next_sheet": "ctrl+alt+shift+n",
                "previous_sheet": "ctrl+alt+shift+b", "snooze": "ctrl+alt+s", "mark": "ctrl+alt+j",
                "start_stop": "ctrl+alt+Return"}
# The key itself (not its modifiers) as the focused window would see it.
KEY_SYMS = {"toggle_overlay": "o", "next_card": "n", "previous_card": "b", "next_sheet": "n",
            "previous_sheet": "b", "snooze": "s", "mark": "j", "start_stop": "Return"}


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
listener = hotkeys._listeners[0]
assert hotkeys.backend == "pynput-dummy"
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
print("listening " + h.backend, flush=True)
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


FOCUSED = """
import select, sys
from Xlib import X, XK, display
d = display.Display()
s = d.screen()
w = s.root.create_window(10, 10, 200, 100, 0, s.root_depth,
                         event_mask=X.KeyPressMask | X.ExposureMask)
w.map()
d.sync()
w.set_input_focus(X.RevertToParent, X.CurrentTime)
d.sync()
print("ready", flush=True)
while True:
    while d.pending_events():
        e = d.next_event()
        if e.type == X.KeyPress:
            sym = d.keycode_to_keysym(e.detail, 0)
            print("press " + (XK.keysym_to_string(sym) or XK.keysym_to_string(sym) or str(sym)),
                  flush=True)
    ready, _, _ = select.select([d, sys.stdin], [], [], 0.1)
    if sys.stdin in ready and sys.stdin.readline().strip() == "quit":
        break
"""


def _keysym_name(line: str) -> str:
    from Xlib import XK

    name = line.removeprefix("press ").strip()
    if name.isdigit():  # a keysym without a string form: Return, the modifiers
        for candidate in ("Return", "Control_L", "Alt_L", "Shift_L", "Num_Lock", "Caps_Lock"):
            if XK.string_to_keysym(candidate) == int(name):
                return candidate
    return name


@pytest.mark.xvfb
def test_default_bindings_fire_under_xvfb_and_never_reach_the_focused_window(
        tmp_path: Path) -> None:
    """The real X server: a focused window of our own gets every key OnCue does not bind, and
    none of the hotkeys' keys, with Num Lock and Caps Lock on as well as off."""
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xdotool)")
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import free_display, start_xvfb

    display = free_display(60)
    xvfb = start_xvfb(display, (800, 600))
    env = dict(os.environ, DISPLAY=f":{display}", PYNPUT_BACKEND="xorg",
               PYTHONPATH=str(ROOT))
    env.pop("WAYLAND_DISPLAY", None)
    window = subprocess.Popen([sys.executable, "-c", FOCUSED], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = subprocess.Popen([sys.executable, "-c", LISTENER], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    assert window.stdin is not None and window.stdout is not None
    seen: list[str] = []

    lines: queue.Queue[str] = queue.Queue()
    # select() on a text pipe misses lines already in Python's buffer: read on a thread.
    def read_window() -> None:
        for line in window.stdout:  # type: ignore[union-attr]
            lines.put(line)

    reader = threading.Thread(target=read_window, daemon=True)

    def window_keys() -> list[str]:
        """Every key the focused window received so far (it prints nothing else)."""
        try:
            while True:
                seen.append(_keysym_name(lines.get(timeout=0.2)))
        except queue.Empty:
            return seen

    def poll() -> tuple[str, int]:
        proc.stdin.write("poll\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        line = proc.stdout.readline().strip()  # type: ignore[union-attr]
        return line.split(" keys=")[0].removeprefix("got").strip(), int(line.rsplit("=", 1)[1])

    try:
        assert window.stdout.readline().strip() == "ready", window.stderr.read()  # type: ignore[union-attr]
        reader.start()
        assert proc.stdout.readline().strip() == "listening x11-grab", proc.stderr.read()  # type: ignore[union-attr]
        time.sleep(0.3)  # the record context (keystroke counter) starts on its thread
        for locks in ((), ("Num_Lock",), ("Caps_Lock", "Num_Lock")):
            for lock in locks:
                subprocess.run(["xdotool", "key", lock], env=env, check=True, timeout=10)
            for command, keys in XDOTOOL_KEYS.items():
                seen.clear()
                subprocess.run(["xdotool", "key", "--delay", "40", keys], env=env, check=True,
                               timeout=10)
                # Delivery is asynchronous: poll until the command arrives, at most 10 s.
                deadline, names, counted = time.monotonic() + 10, "", 0
                while not names and time.monotonic() < deadline:
                    time.sleep(0.1)
                    names, n = poll()
                    counted += n
                assert names == command, f"{keys} with {locks}: {names!r}"
                time.sleep(0.2)
                counted += poll()[1]
                assert counted >= 3  # ctrl, alt and the key were counted (typing cue)
                # A key OnCue does not bind goes to the focused window, as before.
                subprocess.run(["xdotool", "key", "x"], env=env, check=True, timeout=10)
                deadline = time.monotonic() + 10
                while "x" not in window_keys() and time.monotonic() < deadline:
                    pass
                assert "x" in seen, f"the focused window got no keys at all: {seen}"
                assert KEY_SYMS[command] not in seen, f"{keys} with {locks} leaked: {seen}"
                assert poll()[0] == ""  # and x fired nothing
            for lock in locks:  # back to all locks off
                subprocess.run(["xdotool", "key", lock], env=env, check=True, timeout=10)
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "stopped"
        assert proc.wait(timeout=10) == 0
    finally:
        for p in (proc, window):
            if p.poll() is None:
                p.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)


# -- combinations, and the Windows and macOS hooks through fakes ------------------------------
def test_combos_parse_and_refuse_clearly() -> None:
    from overlay.capture.hotkey_combos import ComboError, parse_bindings, parse_combo

    combo = parse_combo("<ctrl>+<alt>+<shift>+n")
    assert combo.modifiers == {"ctrl", "alt", "shift"} and combo.key == "n"
    assert (combo.windows_vk, combo.x11_keysym) == (0x4E, "n")
    enter = parse_combo("<ctrl>+<alt>+<enter>")
    assert (enter.windows_vk, enter.x11_keysym, enter.text()) == (0x0D, "Return",
                                                                    "Ctrl+Alt+Enter")
    for bad, words in (("<ctrl>+<alt>", "no key"), ("<shift>+a", "needs Ctrl"),
                       ("<ctrl>+a+b", "more than one"), ("<ctrl>+<bogus>", "unknown key")):
        with pytest.raises(ComboError, match=words):
            parse_combo(bad)
    with pytest.raises(ComboError, match="both"):
        parse_bindings({"mark": "<ctrl>+<alt>+j", "snooze": "<alt>+<ctrl>+j"})


def test_default_hotkeys_avoid_the_shortcuts_checked_in_docs() -> None:
    from overlay.capture.hotkey_combos import parse_bindings, parse_combo
    from overlay.settings import load_settings

    combos = set(parse_bindings(load_settings(environ={}).section("hotkeys")).values())
    taken = ["<ctrl>+<alt>+<left>", "<ctrl>+<alt>+<right>", "<ctrl>+<alt>+<up>",  # GNOME
             "<ctrl>+<alt>+<down>", "<ctrl>+<alt>+t", "<ctrl>+<alt>+d", "<ctrl>+<alt>+l",
             "<ctrl>+<alt>+k", "<ctrl>+<alt>+a",  # KDE: keyboard layout, attention window
             "<ctrl>+<alt>+h", "<ctrl>+<alt>+c", "<ctrl>+<alt>+p",  # Meet
             "<ctrl>+<alt>+<shift>+h", "<ctrl>+<alt>+x", "<ctrl>+<alt>+<shift>+s",  # Zoom, Teams
             "<ctrl>+<alt>+m", "<ctrl>+<alt>+f", "<ctrl>+<alt>+i", "<ctrl>+<alt>+r",  # Magnifier
             "<ctrl>+<alt>+<shift>+r"]  # GNOME screen recorder
    assert not combos & {parse_combo(t) for t in taken}


class Suppressed(Exception):
    """Stands in for pynput's SystemHook.SuppressException."""


class FakeWinListener:
    def __init__(self) -> None:
        self.suppressed = 0

    def suppress_event(self) -> None:
        self.suppressed += 1
        raise Suppressed


class KeyData:
    def __init__(self, vk: int, flags: int = 0) -> None:
        self.vkCode, self.flags = vk, flags


TAPPED: list[int] = []


def _windows_filter(held: set[int]):  # type: ignore[no-untyped-def]
    import queue as queue_

    from overlay.capture.hotkey_combos import parse_bindings
    from overlay.capture.hotkey_suppress import WindowsKeyFilter

    commands: queue_.Queue[str] = queue_.Queue()
    key_filter = WindowsKeyFilter(parse_bindings({"toggle_overlay": "<ctrl>+<alt>+o",
                                                  "next_sheet": "<ctrl>+<alt>+<shift>+n"}),
                                  commands, key_down=lambda vk: vk in held,
                                  tap_key=TAPPED.append)
    TAPPED.clear()
    key_filter.listener = FakeWinListener()
    return key_filter, commands


def _send(key_filter, msg: int, vk: int, flags: int = 0) -> bool:  # type: ignore[no-untyped-def]
    """True when the event passed on to the focused app, False when it was suppressed."""
    try:
        assert key_filter(msg, KeyData(vk, flags)) is True
    except Suppressed:
        return False
    return True


def test_windows_hook_takes_the_hotkey_and_its_release_only() -> None:
    from overlay.capture import hotkey_suppress as hs

    held = {hs.VK_CONTROL, hs.VK_MENU, hs.VK_LMENU}  # left Ctrl + left Alt held
    key_filter, commands = _windows_filter(held)
    down, up, sysdown = hs.WM_KEYDOWN, hs.WM_KEYUP, hs.WM_SYSKEYDOWN
    assert _send(key_filter, sysdown, ord("O")) is False  # taken
    assert _send(key_filter, sysdown, ord("O")) is False  # auto-repeat: taken, not fired again
    assert _send(key_filter, up, ord("O")) is False  # its release too
    assert [commands.get_nowait() for _ in range(commands.qsize())] == ["toggle_overlay"]
    assert TAPPED == [0xE8]  # one mask key, so releasing Alt opens no menu bar
    assert _send(key_filter, down, 0xE8, hs.LLKHF_INJECTED) is True  # and it is passed on
    assert _send(key_filter, sysdown, ord("P")) is True  # another key goes to the app
    assert _send(key_filter, up, ord("P")) is True
    held.add(hs.VK_SHIFT)  # Ctrl+Alt+Shift+O is not Ctrl+Alt+O
    assert _send(key_filter, down, ord("O")) is True
    assert _send(key_filter, down, ord("N")) is False and commands.get_nowait() == "next_sheet"
    assert key_filter.listener.suppressed == 4


def test_windows_hook_ignores_altgr_and_injected_keys() -> None:
    from overlay.capture import hotkey_suppress as hs

    # AltGr is Ctrl + right Alt: a Polish user typing AltGr+O (ó) gets the letter.
    key_filter, commands = _windows_filter({hs.VK_CONTROL, hs.VK_MENU})
    assert _send(key_filter, hs.WM_SYSKEYDOWN, ord("O")) is True and commands.empty()
    key_filter, commands = _windows_filter({hs.VK_CONTROL, hs.VK_MENU, hs.VK_LMENU})
    assert _send(key_filter, hs.WM_KEYDOWN, ord("O"), hs.LLKHF_INJECTED) is True
    assert commands.empty()


def test_hotkeys_on_windows_use_one_suppressing_listener(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import queue as queue_

    from overlay.capture import hotkey_suppress as hs
    from overlay.capture import hotkeys as hk

    made: list[dict[str, object]] = []

    class Listener:
        def __init__(self, **kwargs: object) -> None:
            made.append(kwargs)

    monkeypatch.setattr(hk.Hotkeys, "_pynput", staticmethod(
        lambda: type("kb", (), {"Listener": Listener})))
    monkeypatch.setattr(hs, "windows_key_down", lambda: (lambda vk: False))
    monkeypatch.setattr(hs, "windows_tap_key", lambda: (lambda vk: None))
    hotkeys = hk.Hotkeys({"snooze": "<ctrl>+<alt>+s"}, queue_.Queue(), platform="win32",
                         environ={})
    assert hotkeys.backend == "win32" and len(made) == 1
    key_filter = made[0]["win32_event_filter"]
    assert isinstance(key_filter, hs.WindowsKeyFilter) and made[0]["on_press"] is not None


def test_macos_intercept_swallows_the_event_that_fired_and_its_release() -> None:
    from overlay.capture import hotkey_suppress as hs

    fired: list[str] = []
    intercept = hs.MacKeyIntercept(keycode=lambda event: event["keycode"])
    handler = intercept.fired(lambda: fired.append("toggle_overlay"))
    o, p = {"keycode": 0x1F}, {"keycode": 0x23}
    down, up = hs.KCG_EVENT_KEY_DOWN, hs.KCG_EVENT_KEY_UP
    handler()  # pynput calls the hotkey's handler first, on the tap's thread...
    assert intercept(down, o) is None  # ...then the intercept: swallowed
    assert intercept(down, o) is None  # auto-repeat
    assert intercept(up, o) is None  # release
    assert intercept(down, p) is p and intercept(up, p) is p  # other keys pass
    assert intercept(12, o) is o  # flags-changed events (the modifiers) pass
    assert fired == ["toggle_overlay"]


def test_hotkeys_on_macos_hand_the_intercept_to_global_hotkeys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import queue as queue_

    from overlay.capture import hotkey_suppress as hs
    from overlay.capture import hotkeys as hk

    made: list[tuple[dict[str, object], dict[str, object]]] = []

    class GlobalHotKeys:
        def __init__(self, handlers: dict[str, object], **kwargs: object) -> None:
            made.append((handlers, kwargs))

    class Listener:
        def __init__(self, **kwargs: object) -> None:
            pass

    monkeypatch.setattr(hk.Hotkeys, "_pynput", staticmethod(
        lambda: type("kb", (), {"GlobalHotKeys": GlobalHotKeys, "Listener": Listener})))
    monkeypatch.setattr(hs, "quartz_keycode", lambda event: 0x26)  # kVK_ANSI_J
    commands: queue_.Queue[str] = queue_.Queue()
    hotkeys = hk.Hotkeys({"mark": "<ctrl>+<alt>+j"}, commands, platform="darwin", environ={})
    (handlers, kwargs), = made
    assert hotkeys.backend == "darwin" and isinstance(kwargs["darwin_intercept"],
                                                      hs.MacKeyIntercept)
    handlers["<ctrl>+<alt>+j"]()  # type: ignore[operator]
    assert commands.get_nowait() == "mark"
    assert kwargs["darwin_intercept"](hs.KCG_EVENT_KEY_DOWN, object()) is None  # type: ignore[operator]


@pytest.mark.xvfb
def test_a_key_another_app_holds_is_reported_not_half_taken() -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    sys.path.insert(0, str(ROOT / "scripts"))
    import queue as queue_

    from screenshots import free_display, start_xvfb
    from Xlib import XK, X
    from Xlib import display as xdisplay

    from overlay.capture.hotkey_combos import parse_bindings
    from overlay.capture.hotkey_x11 import X11Grab

    n = free_display(64)
    xvfb = start_xvfb(n, (320, 240))
    try:
        other = xdisplay.Display(f":{n}")  # "the desktop", holding Ctrl+Alt+O already
        code = other.keysym_to_keycode(XK.string_to_keysym("o"))
        other.screen().root.grab_key(code, X.ControlMask | X.Mod1Mask, True, X.GrabModeAsync,
                                     X.GrabModeAsync)
        other.sync()
        grab = X11Grab(parse_bindings({"toggle_overlay": "<ctrl>+<alt>+o",
                                       "snooze": "<ctrl>+<alt>+s"}), queue_.Queue(), f":{n}")
        assert grab.refused == ["Ctrl+Alt+O"] and grab.taken == ["snooze"]
        grab.start()
        grab.stop()
        other.close()
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
