"""Linux: the meeting apps' controls through AT-SPI 2, spoken over D-Bus with jeepney.

AT-SPI lives on its own bus: the session bus's `org.a11y.Bus` object answers `GetAddress` with
it (at-spi2-core's bus launcher starts it on demand). There the registry's root
(`org.a11y.atspi.Registry`, `/org/a11y/atspi/accessible/root`) lists one accessible per running
application, and every accessible answers `org.a11y.atspi.Accessible.GetChildren` (a list of
(bus name, object path)) and `GetRoleName`, and has the D-Bus property `Name`. jeepney is pure
Python, so no compiled pyatspi or GObject introspection is needed.

Apps only put their tree there when accessibility is on: Chromium and Chrome with
`--force-renderer-accessibility` (or while a screen reader runs), Qt apps such as Zoom with
`QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`, GNOME's toolkit-accessibility setting for every app.
"""

from __future__ import annotations

import logging
import os
from collections import deque

from overlay.capture.a11y.labels import app_of_page, app_of_process, is_browser
from overlay.capture.a11y.reader import A11yUnavailable, Control

log = logging.getLogger(__name__)

ACCESSIBLE = "org.a11y.atspi.Accessible"
REGISTRY = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
BUTTON_ROLES = {"push button", "toggle button", "menu item", "check menu item", "check box",
                "button"}
DOCUMENT_ROLES = {"document web", "document frame"}
MAX_NODES = 6000  # a Meet call is about 1500 accessibles in Chromium; stop well before a runaway
MAX_DEPTH = 80
TIMEOUT_S = 2.0  # one call; a hung app must not hang the watcher


class AtspiBackend:
    name = "at-spi"

    def __init__(self, connection: object) -> None:
        self.connection = connection  # a jeepney blocking connection to the accessibility bus
        self.pages: list[str] = []  # titles of the browser pages the last walk met (the log)

    @classmethod
    def open(cls) -> AtspiBackend:
        try:
            from jeepney import DBusAddress, MessageType, new_method_call
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as exc:
            raise A11yUnavailable(f"jeepney is not installed ({exc})") from exc
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not os.environ.get(
                "XDG_RUNTIME_DIR"):
            raise A11yUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)")
        try:
            session = open_dbus_connection(bus="SESSION")
            try:
                bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus",
                                  interface="org.a11y.Bus")
                reply = session.send_and_get_reply(new_method_call(bus, "GetAddress"),
                                                   timeout=TIMEOUT_S)
                if reply.header.message_type == MessageType.error:
                    raise LookupError(f"org.a11y.Bus.GetAddress: {reply.body}")
                address = reply.body[0]
            finally:
                session.close()
            return cls(open_dbus_connection(bus=address))
        except Exception as exc:  # noqa: BLE001 - any D-Bus failure means "not here"
            raise A11yUnavailable(f"the AT-SPI bus cannot be reached: {exc} (install "
                                  "at-spi2-core, or start the desktop's accessibility)") from exc

    # -- D-Bus calls ------------------------------------------------------------------------
    def _call(self, ref: tuple[str, str], method: str, interface: str = ACCESSIBLE,
              signature: str | None = None, body: tuple = ()) -> tuple:  # type: ignore[type-arg]
        from jeepney import DBusAddress, MessageType, new_method_call
        msg = new_method_call(DBusAddress(ref[1], bus_name=ref[0], interface=interface),
                              method, signature, body)
        reply = self.connection.send_and_get_reply(msg, timeout=TIMEOUT_S)  # type: ignore[attr-defined]
        if reply.header.message_type == MessageType.error:
            raise LookupError(f"{method} on {ref}: {reply.body}")
        return reply.body  # type: ignore[no-any-return]

    def _name(self, ref: tuple[str, str]) -> str:
        body = self._call(ref, "Get", "org.freedesktop.DBus.Properties", "ss",
                          (ACCESSIBLE, "Name"))
        return str(body[0][1])

    def _children(self, ref: tuple[str, str]) -> list[tuple[str, str]]:
        return [(str(n), str(p)) for n, p in self._call(ref, "GetChildren")[0]]

    def _role(self, ref: tuple[str, str]) -> str:
        return str(self._call(ref, "GetRoleName")[0])

    # -- the backend ------------------------------------------------------------------------
    def controls(self) -> list[Control]:
        found: list[Control] = []
        self.pages = []
        budget = MAX_NODES
        for app_ref in self._children(REGISTRY):
            try:
                process = self._name(app_ref)
            except (LookupError, OSError, TimeoutError):
                continue  # an app that quit between the two calls
            browser = is_browser(process)
            app = None if browser else app_of_process(process)
            if not browser and app is None:
                continue  # not a meeting app: its tree is not worth the calls
            budget = self._walk(app_ref, app, found, budget)
        return found

    def _walk(self, root: tuple[str, str], app: str | None, found: list[Control],
              budget: int) -> int:
        """Breadth first under one application; inside a browser, the app is the one the
        enclosing page's title names (none outside a page: the browser's own tab buttons)."""
        queue: deque[tuple[tuple[str, str], str | None, int]] = deque([(root, app, 0)])
        while queue and budget > 0:
            ref, owner, depth = queue.popleft()
            budget -= 1
            try:
                role = self._role(ref)
                if role in DOCUMENT_ROLES:
                    title = self._name(ref)
                    self.pages.append(title)
                    owner = app_of_page(title) or owner
                    if owner is None:
                        continue  # a page that is no meeting: its thousands of nodes are skipped
                elif role in BUTTON_ROLES and owner is not None:
                    label = self._name(ref)
                    if label:
                        found.append(Control(owner, role, label, ref))
                if depth < MAX_DEPTH:
                    queue.extend((child, owner, depth + 1) for child in self._children(ref))
            except (LookupError, OSError, TimeoutError) as exc:
                log.debug("skipped %s: %s", ref, exc)
        if budget <= 0:
            log.info("AT-SPI walk stopped after %d accessibles", MAX_NODES)
        return budget

    def relabel(self, control: Control) -> str | None:
        try:
            return self._name(control.handle)  # type: ignore[arg-type]
        except (LookupError, OSError, TimeoutError):
            return None

    def close(self) -> None:
        self.connection.close()  # type: ignore[attr-defined]
