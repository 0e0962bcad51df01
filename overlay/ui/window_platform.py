"""The overlay's native window per platform: visible while the meeting app is active, on top of a
full-screen meeting, click-through. The native calls are in overlay/ui/window_native.py.

- macOS: `WA_MacAlwaysShowToolWindow` before the window exists (Qt: a tool window is an NSPanel
  hidden whenever the application is inactive, unless this attribute is set; Qt copies it to the
  NSPanel only when it creates it), then on the NSWindow: hidesOnDeactivate off, a non-activating
  panel, the collection behaviour for all Spaces and full-screen auxiliary windows, status level,
  ignoresMouseEvents.
- Windows: WS_EX_LAYERED | WS_EX_TRANSPARENT (click-through), WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE,
  SetWindowPos(HWND_TOPMOST), each read back from the window rather than assumed from Qt's flags.
- Linux X11: Qt's flags already do it: WindowStaysOnTopHint is _NET_WM_STATE_ABOVE (the window
  manager honours it), WindowTransparentForInput an empty XShape input region, Qt.Tool a
  utility window without a taskbar entry. Nothing native is added.
- Wayland: a Wayland client can neither place its window nor keep it above others (only
  wlroots and KDE offer the layer-shell protocol for that, GNOME does not), so OnCue runs the
  overlay through XWayland (overlay/ui/app.py sets QT_QPA_PLATFORM=xcb); without XWayland the
  overlay may land anywhere and under the meeting.

Qt re-derives the window level and collection behaviour when the window is recreated and when
the application's active state changes, so everything is applied again after each show and each
such change (cheap: a few messages; logged only when the outcome changes).
"""

from __future__ import annotations

import logging
import sys

from PyQt6.QtCore import QEvent, QObject, Qt, QTimer
from PyQt6.QtGui import QGuiApplication
from PyQt6.QtWidgets import QWidget

from overlay.ui.window_native import CtypesObjC, NativeSetup, ObjC, mac_keep_visible
from overlay.ui.window_native_win import CtypesUser32, User32, windows_keep_on_top

log = logging.getLogger(__name__)

X11_NOTE = NativeSetup(("Qt: _NET_WM_STATE_ABOVE, empty input shape",))
WAYLAND_NOTE = NativeSetup(problem="a Wayland window cannot keep itself above others: the "
                                   "overlay runs through XWayland")


class OverlayKeeper(QObject):
    """Owned by the overlay widget; call `keep_overlay_on_top(widget)` in its constructor."""

    def __init__(self, widget: QWidget, click_through: bool = True, platform: str | None = None,
                 objc: ObjC | None = None, user32: User32 | None = None) -> None:
        super().__init__(widget)
        self.widget = widget
        self.click_through = click_through
        self.platform = platform or sys.platform
        self._objc, self._user32 = objc, user32
        self.last: NativeSetup | None = None
        if self.platform == "darwin":
            # Read by Qt when it creates the NSPanel: must be set before winId() or show().
            widget.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        widget.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            # A bound method of this QObject: Qt disconnects it when the overlay is destroyed.
            app.applicationStateChanged.connect(self._state_changed)

    def _state_changed(self, _state: Qt.ApplicationState) -> None:
        self.apply()

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if watched is self.widget and event is not None and event.type() == QEvent.Type.Show:
            # The Show event comes before Qt orders the native window in (and before a first
            # show's NSWindow is final): apply once the show has finished.
            QTimer.singleShot(0, self.apply)
        return False

    def apply(self) -> NativeSetup:
        try:
            result = self._apply()
        except Exception as exc:  # noqa: BLE001 - a missing API must not stop the overlay
            result = NativeSetup(problem=f"native window setup failed: {exc}")
        if result != self.last:
            if result.problem:
                log.warning("overlay window: %s", result.problem)
            else:
                log.info("overlay window: %s", ", ".join(result.done))
        self.last = result
        return result

    def _apply(self) -> NativeSetup:
        if self.platform == "darwin":
            handle = self.widget.windowHandle()
            if handle is not None:  # the property Qt reads when it recreates the panel
                handle.setProperty("_q_macAlwaysShowToolWindow", True)
            if self._objc is None:
                self._objc = CtypesObjC()
            return mac_keep_visible(self._objc, int(self.widget.winId()), self.click_through)
        if self.platform == "win32":
            if self._user32 is None:
                self._user32 = CtypesUser32()
            return windows_keep_on_top(self._user32, int(self.widget.winId()),
                                       self.click_through)
        name = QGuiApplication.platformName()
        if name == "wayland":
            return WAYLAND_NOTE
        return X11_NOTE if name == "xcb" else NativeSetup((f"Qt platform {name}: nothing to do",))


def keep_overlay_on_top(widget: QWidget, click_through: bool = True) -> OverlayKeeper:
    return OverlayKeeper(widget, click_through)
