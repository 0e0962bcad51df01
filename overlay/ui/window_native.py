"""The native calls that keep the overlay visible, on top and click-through (no Qt here): macOS.

Qt's window flags get most of the way (frameless, stays on top, transparent for input), but not
all of it on macOS and not verifiably on Windows, so the overlay's native window is finished
through two small layers, each a real ctypes binding and a fake in the tests that records what is
set:

- `ObjC` (here): messages to Objective-C objects through `objc_msgSend` (macOS). Qt's `winId()`
  is the NSView; its `window` is the NSWindow (an NSPanel for a `Qt.Tool` window).
- `User32` (overlay/ui/window_native_win.py): the Win32 window functions.

What each platform gets, and why, is in `mac_keep_visible` and `windows_keep_on_top`; both say
what they did in a `NativeSetup`. Capture exclusion (sharing type, display affinity) is in
overlay/ui/capture_privacy.py on the same layers.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

# -- macOS ----------------------------------------------------------------------------------
# NSWindowCollectionBehavior bits (AppKit, NSWindow.CollectionBehavior; Apple's "Setting Window
# Collection Behavior": at most one constant from each group).
CAN_JOIN_ALL_SPACES, MOVE_TO_ACTIVE_SPACE = 1 << 0, 1 << 1  # Spaces group
MANAGED, TRANSIENT, STATIONARY = 1 << 2, 1 << 3, 1 << 4  # Exposé / Mission Control group
PARTICIPATES_IN_CYCLE, IGNORES_CYCLE = 1 << 5, 1 << 6  # "Cycle Through Windows" group
FULL_SCREEN_PRIMARY, FULL_SCREEN_AUXILIARY, FULL_SCREEN_NONE = 1 << 7, 1 << 8, 1 << 9
OVERLAY_BEHAVIOR = CAN_JOIN_ALL_SPACES | STATIONARY | IGNORES_CYCLE | FULL_SCREEN_AUXILIARY
BEHAVIOR_GROUPS = (CAN_JOIN_ALL_SPACES | MOVE_TO_ACTIVE_SPACE | MANAGED | TRANSIENT | STATIONARY
                   | PARTICIPATES_IN_CYCLE | IGNORES_CYCLE | FULL_SCREEN_PRIMARY
                   | FULL_SCREEN_AUXILIARY | FULL_SCREEN_NONE)
# NSWindow.Level: normal 0, floating 3, modal panel 8 (what Qt gives WindowStaysOnTopHint), dock
# 20, main menu 24, status 25. The lens sits at the top centre, where the menu bar is, and the
# nudge chip goes right under it, i.e. over the menu bar: below level 24 the menu bar would hide
# the chip. Status (25) is the lowest level above the menu bar; the window ignores the mouse, so
# the menu bar still works through it.
NS_STATUS_WINDOW_LEVEL = 25
NS_NONACTIVATING_PANEL = 1 << 7  # NSWindowStyleMaskNonactivatingPanel

# Every selector sent, with its argument and result C types (typed calls: on arm64 a variadic
# objc_msgSend call would pass the arguments in the wrong registers).
SELECTORS: dict[str, tuple[tuple[Any, ...], Any]] = {
    "window": ((), ctypes.c_void_p),
    "isKindOfClass:": ((ctypes.c_void_p,), ctypes.c_bool),
    "setHidesOnDeactivate:": ((ctypes.c_bool,), None),
    "styleMask": ((), ctypes.c_ulong),
    "setStyleMask:": ((ctypes.c_ulong,), None),
    "collectionBehavior": ((), ctypes.c_ulong),
    "setCollectionBehavior:": ((ctypes.c_ulong,), None),
    "setLevel:": ((ctypes.c_long,), None),
    "setIgnoresMouseEvents:": ((ctypes.c_bool,), None),
    "setSharingType:": ((ctypes.c_ulong,), None),
    "sharingType": ((), ctypes.c_ulong),
}


class ObjC(Protocol):
    def send(self, receiver: int, selector: str, *args: int | bool) -> Any: ...

    def cls(self, name: str) -> int: ...


class CtypesObjC:
    """The Objective-C runtime through ctypes: one typed view of objc_msgSend per selector."""

    def __init__(self) -> None:
        path = ctypes.util.find_library("objc")
        if not path:
            raise OSError("the Objective-C runtime (libobjc) was not found")
        self._lib = ctypes.cdll.LoadLibrary(path)
        self._lib.sel_registerName.restype = ctypes.c_void_p
        self._lib.sel_registerName.argtypes = [ctypes.c_char_p]
        self._lib.objc_getClass.restype = ctypes.c_void_p
        self._lib.objc_getClass.argtypes = [ctypes.c_char_p]
        self._address = ctypes.cast(self._lib.objc_msgSend, ctypes.c_void_p).value or 0
        self._typed: dict[str, Any] = {}

    def send(self, receiver: int, selector: str, *args: int | bool) -> Any:
        argtypes, restype = SELECTORS[selector]
        fn = self._typed.get(selector)
        if fn is None:
            proto = ctypes.CFUNCTYPE(restype, ctypes.c_void_p, ctypes.c_void_p, *argtypes)
            fn = self._typed[selector] = proto(self._address)
        return fn(receiver, self._lib.sel_registerName(selector.encode()), *args)

    def cls(self, name: str) -> int:
        return int(self._lib.objc_getClass(name.encode()) or 0)


@dataclass(frozen=True)
class NativeSetup:
    """What was done to the native window (for the log) and what could not be (for the user)."""

    done: tuple[str, ...] = ()
    problem: str = ""


def ns_window(objc: ObjC, view: int) -> int:
    """Qt's winId() on macOS is an NSView*; the window to configure is its NSWindow."""
    return int(objc.send(view, "window") or 0) if view else 0


def mac_keep_visible(objc: ObjC, view: int, click_through: bool = True) -> NativeSetup:
    """Keep the overlay shown while the meeting app is active, in every Space and above a
    full-screen meeting, and let clicks through."""
    window = ns_window(objc, view)
    if not window:
        return NativeSetup(problem="the overlay has no macOS window yet")
    done = []
    # A Qt.Tool window is an NSPanel, and "the default value for NSPanel is true" for
    # hidesOnDeactivate (Apple, NSWindow.hidesOnDeactivate): the overlay would vanish the moment
    # the user clicks into Zoom. WA_MacAlwaysShowToolWindow asks Qt for the same; set it here
    # too because Qt reads that attribute only when it creates the panel.
    objc.send(window, "setHidesOnDeactivate:", False)
    done.append("hidesOnDeactivate=NO")
    if objc.send(window, "isKindOfClass:", objc.cls("NSPanel")):
        # A non-activating panel is the kind of window macOS shows in another app's full-screen
        # Space without activating OnCue (and switching the user away from the meeting).
        mask = int(objc.send(window, "styleMask"))
        if not mask & NS_NONACTIVATING_PANEL:
            objc.send(window, "setStyleMask:", mask | NS_NONACTIVATING_PANEL)
        done.append("nonactivatingPanel")
    # canJoinAllSpaces: "the window can appear in all spaces" (like the menu bar);
    # fullScreenAuxiliary: "the window displays on the same space as the full screen window";
    # stationary: Mission Control leaves it in place; ignoresCycle: not in Cmd-` window cycling.
    # One value per group, so the other members of each group are cleared first.
    behavior = int(objc.send(window, "collectionBehavior"))
    objc.send(window, "setCollectionBehavior:", (behavior & ~BEHAVIOR_GROUPS) | OVERLAY_BEHAVIOR)
    done.append(f"collectionBehavior={OVERLAY_BEHAVIOR:#x}")
    # "Each level in the list groups windows within it in front of those in all preceding
    # groups" (Apple, NSWindow.level): see NS_STATUS_WINDOW_LEVEL for the choice.
    objc.send(window, "setLevel:", NS_STATUS_WINDOW_LEVEL)
    done.append(f"level={NS_STATUS_WINDOW_LEVEL}")
    if click_through:
        # Qt's WindowTransparentForInput sets this too; set again because Qt re-derives window
        # properties when the window is recreated or the application's active state changes.
        objc.send(window, "setIgnoresMouseEvents:", True)
        done.append("ignoresMouseEvents=YES")
    return NativeSetup(tuple(done))
