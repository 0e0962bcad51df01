"""The native calls that keep the overlay visible, on top and click-through (no Qt here).

Qt's window flags get most of the way (frameless, stays on top, transparent for input), but not
all of it on macOS and not verifiably on Windows, so the overlay's native window is finished here
through two small layers, each a real ctypes binding and a fake in the tests that records what is
set:

- `ObjC`: messages to Objective-C objects through `objc_msgSend` (macOS). Qt's `winId()` is the
  NSView; its `window` is the NSWindow (an NSPanel for a `Qt.Tool` window).
- `User32`: the Win32 window functions, loaded with `use_last_error=True` so that the error code
  read after a failed call is the one that call set (ctypes' own copy, not a later overwrite).

What each platform gets, and why, is in `mac_keep_visible` and `windows_keep_on_top`. Capture
exclusion (sharing type, display affinity) is in overlay/ui/capture_privacy.py on the same layers.
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


# -- Windows --------------------------------------------------------------------------------
GWL_EXSTYLE = -20
WS_EX_TOPMOST, WS_EX_TRANSPARENT, WS_EX_TOOLWINDOW = 0x00000008, 0x00000020, 0x00000080
WS_EX_LAYERED, WS_EX_NOACTIVATE = 0x00080000, 0x08000000
HWND_TOPMOST = -1
SWP_NOSIZE, SWP_NOMOVE, SWP_NOACTIVATE, SWP_FRAMECHANGED = 0x0001, 0x0002, 0x0010, 0x0020
LWA_ALPHA = 0x00000002


class User32(Protocol):
    """The few user32 functions used, with `last_error()` read right after a failed call."""

    def get_ex_style(self, hwnd: int) -> int: ...

    def set_ex_style(self, hwnd: int, style: int) -> int: ...

    def set_window_pos(self, hwnd: int, after: int, flags: int) -> bool: ...

    def set_layered_alpha(self, hwnd: int, alpha: int) -> bool: ...

    def set_display_affinity(self, hwnd: int, affinity: int) -> bool: ...

    def get_display_affinity(self, hwnd: int) -> int | None: ...

    def last_error(self) -> int: ...


class CtypesUser32:
    """user32.dll through ctypes, declared from the Win32 API reference (winuser.h)."""

    def __init__(self) -> None:
        from ctypes import wintypes

        dll = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        # 64-bit Windows exports GetWindowLongPtrW; 32-bit only GetWindowLongW (same layout).
        self._get = getattr(dll, "GetWindowLongPtrW", None) or dll.GetWindowLongW
        self._set = getattr(dll, "SetWindowLongPtrW", None) or dll.SetWindowLongW
        self._get.argtypes = [wintypes.HWND, ctypes.c_int]
        self._get.restype = ctypes.c_ssize_t
        self._set.argtypes = [wintypes.HWND, ctypes.c_int, ctypes.c_ssize_t]
        self._set.restype = ctypes.c_ssize_t
        self._pos = dll.SetWindowPos
        self._pos.argtypes = [wintypes.HWND, wintypes.HWND, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_int, wintypes.UINT]
        self._pos.restype = wintypes.BOOL
        self._alpha = dll.SetLayeredWindowAttributes
        self._alpha.argtypes = [wintypes.HWND, wintypes.DWORD, wintypes.BYTE, wintypes.DWORD]
        self._alpha.restype = wintypes.BOOL
        self._affinity = dll.SetWindowDisplayAffinity
        self._affinity.argtypes = [wintypes.HWND, wintypes.DWORD]
        self._affinity.restype = wintypes.BOOL
        self._get_affinity = dll.GetWindowDisplayAffinity
        self._get_affinity.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        self._get_affinity.restype = wintypes.BOOL

    def get_ex_style(self, hwnd: int) -> int:
        return int(self._get(hwnd, GWL_EXSTYLE)) & 0xFFFFFFFF

    def set_ex_style(self, hwnd: int, style: int) -> int:
        # SetWindowLongPtr returns 0 for a previous value of 0 too: clear the error first.
        ctypes.set_last_error(0)  # type: ignore[attr-defined]
        return int(self._set(hwnd, GWL_EXSTYLE, style))

    def set_window_pos(self, hwnd: int, after: int, flags: int) -> bool:
        return bool(self._pos(hwnd, after, 0, 0, 0, 0, flags))

    def set_layered_alpha(self, hwnd: int, alpha: int) -> bool:
        return bool(self._alpha(hwnd, 0, alpha, LWA_ALPHA))

    def set_display_affinity(self, hwnd: int, affinity: int) -> bool:
        return bool(self._affinity(hwnd, affinity))

    def get_display_affinity(self, hwnd: int) -> int | None:
        from ctypes import wintypes

        value = wintypes.DWORD()
        return int(value.value) if self._get_affinity(hwnd, ctypes.byref(value)) else None

    def last_error(self) -> int:
        return ctypes.get_last_error()  # type: ignore[attr-defined]


def windows_keep_on_top(user32: User32, hwnd: int, click_through: bool = True) -> NativeSetup:
    """Topmost and click-through, checked on the window rather than assumed from Qt's flags.

    Qt maps WindowStaysOnTopHint to SetWindowPos(HWND_TOPMOST) and WindowTransparentForInput to
    WS_EX_LAYERED | WS_EX_TRANSPARENT; this reads the extended style back and sets what is
    missing, so a Qt change or a recreated window cannot silently leave the overlay clickable.
    """
    if not hwnd:
        return NativeSetup(problem="the overlay has no Windows window yet")
    done: list[str] = []
    style = user32.get_ex_style(hwnd)
    wanted = style | WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE  # no taskbar button, never activated
    if click_through:
        # A click goes to the window below only with both: WS_EX_TRANSPARENT alone still takes
        # hit-tests (Microsoft, Extended Window Styles).
        wanted |= WS_EX_LAYERED | WS_EX_TRANSPARENT
    if wanted != style:
        if not user32.set_ex_style(hwnd, wanted) and user32.last_error():
            return NativeSetup(tuple(done), f"could not make the overlay click-through "
                                            f"(error {user32.last_error()})")
        if wanted & WS_EX_LAYERED and not style & WS_EX_LAYERED:
            # "the layered window will not become visible until SetLayeredWindowAttributes or
            # UpdateLayeredWindow has been called" (Microsoft, Using Windows: Layered Windows).
            user32.set_layered_alpha(hwnd, 255)
        done.append(f"exstyle {style:#x}->{wanted:#x}")
    flags = SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE | SWP_FRAMECHANGED
    if not user32.set_window_pos(hwnd, HWND_TOPMOST, flags):
        return NativeSetup(tuple(done), f"could not keep the overlay on top "
                                        f"(error {user32.last_error()})")
    done.append("HWND_TOPMOST")
    return NativeSetup(tuple(done))
