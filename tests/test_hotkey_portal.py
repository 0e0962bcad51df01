"""The Wayland GlobalShortcuts portal client against a real D-Bus daemon with a stand-in portal
(the session bus is a private dbus-daemon; the portal answers as the portal's spec says)."""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
import time
from typing import Any

import pytest

jeepney = pytest.importorskip("jeepney", reason="jeepney (the D-Bus client) is not installed")

from overlay.capture.hotkey_combos import parse_bindings  # noqa: E402
from overlay.capture.hotkey_portal import (  # noqa: E402
    BUS_NAME,
    INTERFACE,
    PATH,
    PortalShortcuts,
    portal_available,
    trigger,
)

SESSION = "/org/freedesktop/portal/desktop/session/1_1/oncue_session"


@pytest.fixture
def session_bus(monkeypatch):  # type: ignore[no-untyped-def]
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (apt-get install dbus)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    daemon.terminate()
    daemon.wait(timeout=10)


class FakePortal(threading.Thread):
    """Owns org.freedesktop.portal.Desktop; answers Properties.Get, CreateSession and
    BindShortcuts with a Response signal on the Request path the caller predicted."""

    def __init__(self, answer: int = 0) -> None:
        super().__init__(daemon=True)
        from jeepney import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(bus="SESSION")
        self.conn.send_and_get_reply(message_bus.RequestName(BUS_NAME))
        self.answer = answer
        self.calls: list[tuple[str, Any]] = []
        self.bound = threading.Event()
        self.stop = threading.Event()
        self.outbox: queue.Queue[Any] = queue.Queue()

    def run(self) -> None:
        from jeepney import DBusAddress, HeaderFields, MessageType, new_method_return, new_signal

        while not self.stop.is_set():
            while not self.outbox.empty():
                self.conn.send(self.outbox.get())
            try:
                msg = self.conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if msg.header.message_type != MessageType.method_call:
                continue
            member = msg.header.fields[HeaderFields.member]
            sender = msg.header.fields[HeaderFields.sender]
            self.calls.append((member, msg.body))
            if member == "Get":
                self.conn.send(new_method_return(msg, "v", (("u", 1),)))
                continue
            token = msg.body[-1]["handle_token"][1]
            path = f"{PATH}/request/{sender[1:].replace('.', '_')}/{token}"
            self.conn.send(new_method_return(msg, "o", (path,)))
            results: dict[str, tuple[str, Any]]
            if member == "CreateSession":
                results = {"session_handle": ("s", SESSION)}
            else:
                results = {"shortcuts": ("a(sa{sv})", [(sid, {}) for sid, _ in msg.body[1]])}
            signal = new_signal(DBusAddress(path, interface="org.freedesktop.portal.Request"),
                                "Response", "ua{sv}", (self.answer if member == "BindShortcuts"
                                                       else 0, results))
            self.conn.send(signal)
            if member == "BindShortcuts":
                self.bound.set()

    def activate(self, shortcut_id: str, session: str = SESSION) -> None:
        from jeepney import DBusAddress, new_signal

        self.outbox.put(new_signal(DBusAddress(PATH, interface=INTERFACE), "Activated",
                                   "osta{sv}", (session, shortcut_id, 0, {})))


def test_portal_binds_every_hotkey_and_delivers_activations(session_bus) -> None:  # type: ignore[no-untyped-def]
    assert not portal_available()  # nobody owns the portal's name yet
    fake = FakePortal()
    fake.start()
    try:
        assert portal_available()
        combos = parse_bindings({"snooze": "<ctrl>+<alt>+s",
                                 "next_sheet": "<ctrl>+<alt>+<shift>+n"})
        commands: queue.Queue[str] = queue.Queue()
        portal = PortalShortcuts(combos, commands)
        portal.start()
        assert fake.bound.wait(10), fake.calls
        (_, (session, shortcuts, parent, _options)), = [c for c in fake.calls
                                                         if c[0] == "BindShortcuts"]
        assert session == SESSION and parent == ""
        asked = {sid: props["preferred_trigger"][1] for sid, props in shortcuts}
        assert asked == {"snooze": "CTRL+ALT+s", "next_sheet": "CTRL+ALT+SHIFT+n"}
        deadline = time.monotonic() + 10
        while portal.bound != ["snooze", "next_sheet"] and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the Activated match rule is added right after the bind's answer
        fake.activate("snooze")
        fake.activate("snooze", session="/some/other/session")  # not ours: ignored
        assert commands.get(timeout=10) == "snooze"
        time.sleep(0.3)
        assert commands.empty() and portal.problems == []
        portal.stop()
    finally:
        fake.stop.set()
        fake.join(timeout=5)


def test_portal_refusal_is_said_in_words(session_bus) -> None:  # type: ignore[no-untyped-def]
    fake = FakePortal(answer=1)  # the user pressed Cancel in the desktop's dialog
    fake.start()
    try:
        portal = PortalShortcuts(parse_bindings({"mark": "<ctrl>+<alt>+j"}), queue.Queue())
        portal.start()
        assert fake.bound.wait(10)
        deadline = time.monotonic() + 10
        while not portal.problems and time.monotonic() < deadline:
            time.sleep(0.05)
        assert portal.problems == ["Hotkeys are off: the shortcuts were not confirmed."]
        portal.stop()
    finally:
        fake.stop.set()
        fake.join(timeout=5)


def test_trigger_uses_the_xdg_shortcut_names() -> None:
    combos = parse_bindings({"start_stop": "<ctrl>+<alt>+<enter>", "toggle_overlay": "<cmd>+o"})
    assert [trigger(c) for c in combos.values()] == ["CTRL+ALT+Return", "LOGO+o"]
