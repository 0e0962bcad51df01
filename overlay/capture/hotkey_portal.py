"""Global hotkeys on Wayland through the desktop's GlobalShortcuts portal (D-Bus, via jeepney).

A Wayland app cannot listen to the keyboard globally; the portal
(org.freedesktop.portal.GlobalShortcuts, xdg-desktop-portal 1.16+; KDE Plasma 5.27+ and GNOME
48+ implement it) lets it register shortcuts that the desktop delivers as `Activated` signals,
after the user confirms them in the desktop's own dialog. The desktop may change the keys: the
combination OnCue asks for is only its `preferred_trigger`.

The protocol, from the portal's documentation: CreateSession(options) and BindShortcuts(session,
shortcuts, parent_window, options) each return a Request object whose `Response(u code, a{sv}
results)` signal carries the answer (code 0 = success, 1 = cancelled by the user, 2 = other);
the Request's object path is predictable from the caller's unique bus name and the
`handle_token`, so the match rule is added before the call (no race). All D-Bus traffic runs on
this module's own thread; the only thing it hands out is a command name on the queue.
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import threading
from collections.abc import Mapping
from typing import Any

from overlay.capture.hotkey_combos import Combo

log = logging.getLogger(__name__)

BUS_NAME, PATH = "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop"
INTERFACE = "org.freedesktop.portal.GlobalShortcuts"
# The XDG shortcut format used by preferred_trigger: "CTRL+ALT+o", "LOGO+SHIFT+Return".
TRIGGER_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "cmd": "LOGO"}
DESCRIPTIONS = {"toggle_overlay": "Show or hide the OnCue overlay", "next_card": "Next cue card",
                "previous_card": "Previous cue card", "next_sheet": "Next cue sheet",
                "previous_sheet": "Previous cue sheet", "snooze": "Snooze nudges (5 min)",
                "mark": "Mark this moment", "start_stop": "Start or stop the session"}


def trigger(combo: Combo) -> str:
    mods = [TRIGGER_MODIFIERS[m] for m in ("ctrl", "alt", "shift", "cmd") if m in combo.modifiers]
    return "+".join([*mods, combo.x11_keysym])


def portal_available(env: Mapping[str, str] | None = None) -> bool:
    """True when jeepney is installed and the session bus has a portal with GlobalShortcuts."""
    env = os.environ if env is None else env
    if not env.get("DBUS_SESSION_BUS_ADDRESS") and not env.get("XDG_RUNTIME_DIR"):
        return False
    try:
        from jeepney import DBusAddress, Properties
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return False
    try:
        with open_dbus_connection(bus="SESSION") as conn:
            props = Properties(DBusAddress(PATH, bus_name=BUS_NAME, interface=INTERFACE))
            reply = conn.send_and_get_reply(props.get("version"), timeout=3)
    except Exception as exc:  # noqa: BLE001 - no bus, no portal, a portal without the interface
        log.info("no GlobalShortcuts portal: %s", exc)
        return False
    return reply.header.message_type.name == "method_return"


class PortalShortcuts:
    name = "hotkeys-portal"

    def __init__(self, combos: Mapping[str, Combo], commands: queue.Queue[str],
                 connect: Any = None) -> None:
        self.combos, self.commands = dict(combos), commands
        self.problems: list[str] = []
        self.bound: list[str] = []
        self._connect = connect
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _open(self) -> Any:
        if self._connect is not None:
            return self._connect()
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(bus="SESSION")

    def _run(self) -> None:
        try:
            with self._open() as conn:
                session = self._create_session(conn)
                if session and self._bind(conn, session):
                    self._listen(conn, session)
        except Exception as exc:  # noqa: BLE001 - the portal went away: say so, never crash
            self._problem(f"the desktop's shortcut service failed ({exc})")

    def _problem(self, text: str) -> None:
        self.problems.append(f"Hotkeys are off: {text}.")
        log.warning("Hotkeys are off: %s.", text)

    def _request(self, conn: Any, method: str, signature: str, *args: Any) -> dict[str, Any]:
        """Call a portal method that answers through a Request's Response signal."""
        from jeepney import DBusAddress, MatchRule, message_bus, new_method_call

        token = "oncue_" + secrets.token_hex(4)
        sender = conn.unique_name.lstrip(":").replace(".", "_")
        path = f"{PATH}/request/{sender}/{token}"
        rule = MatchRule(type="signal", interface="org.freedesktop.portal.Request",
                         member="Response", path=path)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
        options = dict(args[-1])
        options["handle_token"] = ("s", token)
        call = new_method_call(DBusAddress(PATH, bus_name=BUS_NAME, interface=INTERFACE), method,
                               signature, (*args[:-1], options))
        with conn.filter(rule) as responses:
            conn.send_and_get_reply(call, timeout=5)
            # The user may take a while to confirm in the desktop's dialog.
            while not self._stop.is_set():
                try:
                    message = conn.recv_until_filtered(responses, timeout=0.5)
                except TimeoutError:
                    continue
                code, results = message.body
                if code != 0:
                    raise PermissionError("the shortcuts were not confirmed" if code == 1 else
                                          f"the portal answered {code}")
                return {k: v[1] for k, v in results.items()}
        return {}

    def _create_session(self, conn: Any) -> str:
        results = self._request(conn, "CreateSession", "a{sv}",
                                {"session_handle_token": ("s", "oncue_session")})
        return str(results.get("session_handle", ""))

    def _bind(self, conn: Any, session: str) -> bool:
        shortcuts = [(command, {"description": ("s", DESCRIPTIONS.get(command, command)),
                                "preferred_trigger": ("s", trigger(combo))})
                     for command, combo in self.combos.items()]
        try:
            results = self._request(conn, "BindShortcuts", "oa(sa{sv})sa{sv}", session,
                                    shortcuts, "", {})
        except PermissionError as exc:
            self._problem(str(exc))
            return False
        self.bound = [sid for sid, _props in results.get("shortcuts", [])]
        return True

    def _listen(self, conn: Any, session: str) -> None:
        from jeepney import MatchRule, message_bus

        rule = MatchRule(type="signal", interface=INTERFACE, member="Activated", path=PATH)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
        with conn.filter(rule) as activations:
            while not self._stop.is_set():
                try:
                    message = conn.recv_until_filtered(activations, timeout=0.25)
                except TimeoutError:
                    continue
                handle, shortcut_id = message.body[0], message.body[1]
                if handle == session and shortcut_id in self.combos:
                    self.commands.put(shortcut_id)
