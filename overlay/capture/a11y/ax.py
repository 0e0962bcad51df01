"""macOS: the meeting apps' controls through the Accessibility API (ctypes, no PyObjC).

Written against Apple's documentation (developer.apple.com/documentation/applicationservices,
"AXUIElement.h"):
- `AXIsProcessTrusted()`: false until the user grants OnCue the Accessibility permission
  (System Settings > Privacy & Security > Accessibility); every read fails without it.
- `AXUIElementCreateApplication(pid)`: the app's root element (a CFType we release).
- `AXUIElementCopyAttributeValue(element, attribute, &value)` returns an AXError (0 = success)
  and a value we own ("Copy" rule); attributes used: `AXChildren` (a CFArray of elements,
  owned by the array: retained when kept), `AXRole` ("AXButton", "AXMenuItem", "AXCheckBox",
  "AXWindow", "AXWebArea"), `AXTitle` and `AXDescription` (the label: Zoom's window button
  describes itself "Mute My Audio" / "Unmute My Audio", its Meeting menu has the items
  "Mute Audio" / "Unmute Audio").
- The apps' process ids come from CoreGraphics' window list (`kCGWindowOwnerPID`,
  `kCGWindowOwnerName`), which meeting_window_mac.py already reads.
"""

from __future__ import annotations

import ctypes
import logging
from collections import deque
from typing import Any, Protocol

from overlay.capture.a11y.labels import app_of_page, app_of_process, is_browser
from overlay.capture.a11y.reader import A11yUnavailable, Control

log = logging.getLogger(__name__)

kCFStringEncodingUTF8 = 0x08000100  # noqa: N816 - Apple's names
kAXErrorSuccess = 0  # noqa: N816
BUTTON_ROLES = {"AXButton", "AXMenuItem", "AXCheckBox", "AXMenuButton"}
OWNER_ROLES = {"AXWindow", "AXWebArea"}  # a browser window's or page's title names the meeting
MAX_NODES = 6000
MAX_DEPTH = 60


class AxApi(Protocol):
    def trusted(self) -> bool: ...
    def apps(self) -> list[tuple[int, str]]: ...  # (pid, owner name) of apps with windows
    def application(self, pid: int) -> Any: ...
    def text(self, element: Any, attribute: str) -> str: ...
    def children(self, element: Any) -> list[Any]: ...  # retained: release each
    def release(self, element: Any) -> None: ...


class CtypesAx:
    """AxApi on ApplicationServices and CoreFoundation through ctypes."""

    def __init__(self, ax: Any = None, cf: Any = None, windows: Any = None) -> None:
        vp = ctypes.c_void_p
        self.ax = ax or ctypes.CDLL(
            "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices")
        self.cf = cf or ctypes.CDLL(
            "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
        self.ax.AXIsProcessTrusted.restype = ctypes.c_bool
        self.ax.AXUIElementCreateApplication.restype = vp
        self.ax.AXUIElementCreateApplication.argtypes = [ctypes.c_int]
        self.ax.AXUIElementCopyAttributeValue.restype = ctypes.c_int32
        self.ax.AXUIElementCopyAttributeValue.argtypes = [vp, vp, ctypes.POINTER(vp)]
        self.cf.CFStringCreateWithCString.restype = vp
        self.cf.CFStringCreateWithCString.argtypes = [vp, ctypes.c_char_p, ctypes.c_uint32]
        self.cf.CFStringGetCString.restype = ctypes.c_bool
        self.cf.CFStringGetCString.argtypes = [vp, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32]
        self.cf.CFGetTypeID.restype, self.cf.CFGetTypeID.argtypes = ctypes.c_ulong, [vp]
        self.cf.CFStringGetTypeID.restype = ctypes.c_ulong
        self.cf.CFArrayGetTypeID.restype = ctypes.c_ulong
        self.cf.CFArrayGetCount.restype, self.cf.CFArrayGetCount.argtypes = ctypes.c_long, [vp]
        self.cf.CFArrayGetValueAtIndex.restype = vp
        self.cf.CFArrayGetValueAtIndex.argtypes = [vp, ctypes.c_long]
        self.cf.CFRetain.restype, self.cf.CFRetain.argtypes = vp, [vp]
        self.cf.CFRelease.argtypes = [vp]
        self._windows = windows
        self._names: dict[str, int] = {}  # attribute CFStrings, made once and kept

    def _attr(self, name: str) -> int:
        if name not in self._names:
            self._names[name] = self.cf.CFStringCreateWithCString(
                None, name.encode(), kCFStringEncodingUTF8)
        return self._names[name]

    def _copy(self, element: Any, attribute: str) -> int | None:
        value = ctypes.c_void_p()
        err = self.ax.AXUIElementCopyAttributeValue(element, self._attr(attribute),
                                                    ctypes.byref(value))
        return value.value if err == kAXErrorSuccess and value.value else None

    def trusted(self) -> bool:
        return bool(self.ax.AXIsProcessTrusted())

    def apps(self) -> list[tuple[int, str]]:
        """(pid, owner name) of every app with an on-screen window, from
        `CGWindowListCopyWindowInfo` (kCGWindowOwnerPID is a CFNumber, kCGWindowOwnerName a
        CFString; the array is ours to release)."""
        from overlay.capture.meeting_window_mac import (
            kCGNullWindowID,
            kCGWindowListExcludeDesktopElements,
            kCGWindowListOptionOnScreenOnly,
        )
        cg = self._windows or ctypes.CDLL(
            "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
        self._windows = cg
        vp, cf = ctypes.c_void_p, self.cf
        cg.CGWindowListCopyWindowInfo.restype = vp
        cg.CGWindowListCopyWindowInfo.argtypes = [ctypes.c_uint32, ctypes.c_uint32]
        cf.CFDictionaryGetValue.restype, cf.CFDictionaryGetValue.argtypes = vp, [vp, vp]
        cf.CFNumberGetValue.restype = ctypes.c_bool
        cf.CFNumberGetValue.argtypes = [vp, ctypes.c_int, vp]
        pid_key = vp.in_dll(cg, "kCGWindowOwnerPID").value
        name_key = vp.in_dll(cg, "kCGWindowOwnerName").value
        array = cg.CGWindowListCopyWindowInfo(
            kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
            kCGNullWindowID)
        if not array:
            return []
        owners: dict[int, str] = {}
        try:
            for i in range(cf.CFArrayGetCount(array)):
                info = cf.CFArrayGetValueAtIndex(array, i)
                pid = ctypes.c_int32()
                number = cf.CFDictionaryGetValue(info, pid_key)
                if not number or not cf.CFNumberGetValue(number, 3, ctypes.byref(pid)):
                    continue  # 3 = kCFNumberSInt32Type
                name = cf.CFDictionaryGetValue(info, name_key)
                buf = ctypes.create_string_buffer(256)
                if name and cf.CFStringGetCString(name, buf, len(buf), kCFStringEncodingUTF8):
                    owners.setdefault(int(pid.value), buf.value.decode("utf-8", "replace"))
        finally:
            cf.CFRelease(array)
        return sorted(owners.items())

    def application(self, pid: int) -> Any:
        return self.ax.AXUIElementCreateApplication(pid)

    def text(self, element: Any, attribute: str) -> str:
        value = self._copy(element, attribute)
        if value is None:
            return ""
        try:
            if self.cf.CFGetTypeID(value) != self.cf.CFStringGetTypeID():
                return ""
            buf = ctypes.create_string_buffer(1024)
            if not self.cf.CFStringGetCString(value, buf, len(buf), kCFStringEncodingUTF8):
                return ""
            return buf.value.decode("utf-8", "replace")
        finally:
            self.cf.CFRelease(value)

    def children(self, element: Any) -> list[Any]:
        array = self._copy(element, "AXChildren")
        if array is None:
            return []
        try:
            if self.cf.CFGetTypeID(array) != self.cf.CFArrayGetTypeID():
                return []
            return [self.cf.CFRetain(self.cf.CFArrayGetValueAtIndex(array, i))
                    for i in range(self.cf.CFArrayGetCount(array))]
        finally:
            self.cf.CFRelease(array)

    def release(self, element: Any) -> None:
        if element:
            self.cf.CFRelease(element)


class AxBackend:
    name = "ax"

    def __init__(self, api: AxApi) -> None:
        self.api = api
        self._kept: list[Any] = []  # the controls of the last walk, retained until the next

    @classmethod
    def open(cls, api: AxApi | None = None) -> AxBackend:
        try:
            api = api or CtypesAx()
        except OSError as exc:
            raise A11yUnavailable(f"the Accessibility API cannot be loaded: {exc}") from exc
        if not api.trusted():
            raise A11yUnavailable("OnCue lacks the Accessibility permission (System Settings > "
                                  "Privacy & Security > Accessibility)")
        return cls(api)

    def controls(self) -> list[Control]:
        for element in self._kept:
            self.api.release(element)
        self._kept = []
        found: list[Control] = []
        budget = MAX_NODES
        for pid, owner in self.api.apps():
            browser = is_browser(owner)
            app = None if browser else app_of_process(owner)
            if browser or app is not None:
                budget = self._walk(self.api.application(pid), app, found, budget)
        return found

    def _walk(self, root: Any, app: str | None, found: list[Control], budget: int) -> int:
        queue: deque[tuple[Any, str | None, int]] = deque([(root, app, 0)])
        while queue:
            element, owner, depth = queue.popleft()
            keep = False
            if budget > 0:
                budget -= 1
                role = self.api.text(element, "AXRole")
                if role in OWNER_ROLES:
                    owner = app_of_page(self.api.text(element, "AXTitle")
                                        or self.api.text(element, "AXDescription")) or owner
                    if owner is None:
                        depth = MAX_DEPTH  # a browser page that is no meeting: not walked
                if role in BUTTON_ROLES and owner is not None:
                    label = (self.api.text(element, "AXTitle")
                             or self.api.text(element, "AXDescription"))
                    if label:
                        found.append(Control(owner, role, label, element))
                        self._kept.append(element)
                        keep = True
                if depth < MAX_DEPTH:
                    queue.extend((c, owner, depth + 1) for c in self.api.children(element))
            if not keep:
                self.api.release(element)
        return budget

    def relabel(self, control: Control) -> str | None:
        role = self.api.text(control.handle, "AXRole")
        if not role:
            return None  # the element is gone (AXError on every attribute)
        return self.api.text(control.handle, "AXTitle") or self.api.text(
            control.handle, "AXDescription")

    def close(self) -> None:
        for element in self._kept:
            self.api.release(element)
        self._kept = []
