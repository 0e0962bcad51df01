"""The permission probes: what each system's state is, read without ever prompting.

The probe shapes (`MacProbes`, `WindowsProbes`, `LinuxProbes`: plain callables, so the rules can
be tested with fakes) and the real ones that call the documented system APIs through ctypes (or
pyobjc when installed). Any failure means "cannot tell" (None), never a crash at start. The rules
that turn these readings into `Permission`s and notices are in overlay/platform_access.py, which
imports this module (never the other way round).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import logging
import os
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MacProbes:
    capture_status: Callable[[str], int | None]  # "video"/"audio" -> AVAuthorizationStatus
    screen_capture: Callable[[], bool | None]  # CGPreflightScreenCaptureAccess
    accessibility: Callable[[], bool | None]  # AXIsProcessTrusted
    input_monitoring: Callable[[], bool | None]  # IOHIDCheckAccess(listen events)


@dataclass(frozen=True)
class WindowsProbes:
    read_value: Callable[[str, str], str | None]  # (hive "HKCU"/"HKLM", key) -> "Value" or None


@dataclass(frozen=True)
class LinuxProbes:
    video_devices: Callable[[], list[tuple[str, bool]]]  # (path, readable and writable)
    portaudio: Callable[[], bool]
    environ: Mapping[str, str]
    x_display_opens: Callable[[str], bool | None]  # XOpenDisplay succeeds for this DISPLAY
    uinput_usable: Callable[[], bool]  # /dev/uinput writable and /dev/input/event* readable
    # The desktop's GlobalShortcuts portal answers on the session bus (Wayland hotkeys).
    shortcuts_portal: Callable[[], bool] = lambda: False


def macos_major(release: str | None = None) -> int:
    """15 for macOS 15.1; 0 when not macOS or unknown."""
    release = platform.mac_ver()[0] if release is None else release
    try:
        return int(release.split(".")[0])
    except ValueError:
        return 0


def windows_build() -> int:
    """19045 for Windows 10 22H2; 0 when not Windows."""
    get = getattr(sys, "getwindowsversion", None)
    return int(get().build) if get is not None else 0


def _framework(name: str) -> ctypes.CDLL:
    return ctypes.cdll.LoadLibrary(f"/System/Library/Frameworks/{name}.framework/{name}")


def _mac_capture_status(kind: str) -> int | None:
    media = {"video": "AVMediaTypeVideo", "audio": "AVMediaTypeAudio"}[kind]
    try:
        import AVFoundation  # type: ignore[import-not-found]  # pyobjc, when installed

        return int(AVFoundation.AVCaptureDevice.authorizationStatusForMediaType_(
            getattr(AVFoundation, media)))
    except ImportError:
        pass
    except Exception as exc:  # noqa: BLE001 - any pyobjc trouble: fall back to ctypes
        log.info("pyobjc AVFoundation check failed: %s", exc)
    try:
        objc = ctypes.cdll.LoadLibrary(ctypes.util.find_library("objc") or "libobjc.dylib")
        avf = _framework("AVFoundation")
        objc.objc_getClass.restype = objc.sel_registerName.restype = ctypes.c_void_p
        objc.objc_getClass.argtypes = objc.sel_registerName.argtypes = [ctypes.c_char_p]
        # A typed view of objc_msgSend for this one call: (Class, SEL, NSString*) -> NSInteger.
        address = ctypes.cast(objc.objc_msgSend, ctypes.c_void_p).value or 0
        send = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p,
                                ctypes.c_void_p)(address)
        media_type = ctypes.c_void_p.in_dll(avf, media).value
        return int(send(objc.objc_getClass(b"AVCaptureDevice"),
                        objc.sel_registerName(b"authorizationStatusForMediaType:"), media_type))
    except (OSError, AttributeError, ValueError, TypeError) as exc:
        log.info("AVCaptureDevice check failed: %s", exc)
        return None


def _mac_bool(framework: str, symbol: str, *args: int) -> bool | None:
    try:
        fn = getattr(_framework(framework), symbol)
    except AttributeError:
        return True  # older macOS without this permission: nothing to grant
    except OSError as exc:
        log.info("%s not loadable: %s", framework, exc)
        return None
    fn.restype = ctypes.c_bool if symbol != "IOHIDCheckAccess" else ctypes.c_int
    result = fn(*args)
    if symbol == "IOHIDCheckAccess":  # kIOHIDAccessTypeGranted 0, Denied 1, Unknown 2
        return {0: True, 1: False}.get(int(result))
    return bool(result)


def mac_probes() -> MacProbes:
    return MacProbes(
        capture_status=_mac_capture_status,
        screen_capture=lambda: _mac_bool("CoreGraphics", "CGPreflightScreenCaptureAccess"),
        accessibility=lambda: _mac_bool("ApplicationServices", "AXIsProcessTrusted"),
        input_monitoring=lambda: _mac_bool("IOKit", "IOHIDCheckAccess", 1))  # ListenEvent


def _read_consent(hive: str, key: str) -> str | None:
    if sys.platform != "win32":  # also tells mypy that winreg exists below
        return None
    import winreg

    root = {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE}[hive]
    try:
        with winreg.OpenKey(root, key) as handle:
            value, _kind = winreg.QueryValueEx(handle, "Value")
    except OSError:
        return None
    return str(value)


def windows_probes() -> WindowsProbes:
    return WindowsProbes(read_value=_read_consent)


def _portaudio() -> bool:
    for name in ("libportaudio.so.2", ctypes.util.find_library("portaudio")):
        if not name:
            continue
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def _x_display_opens(display: str) -> bool | None:
    if not display.startswith((":", "unix:")):
        return None  # a remote display: connecting to it would be network traffic
    name = ctypes.util.find_library("X11")
    if not name:
        return None
    try:
        x11 = ctypes.CDLL(name)
    except OSError:
        return None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = x11.XOpenDisplay(display.encode())
    if not handle:
        return False
    x11.XCloseDisplay(handle)
    return True


def linux_probes(environ: Mapping[str, str] | None = None) -> LinuxProbes:
    return LinuxProbes(
        video_devices=lambda: [(p, os.access(p, os.R_OK | os.W_OK))
                               for p in sorted(glob.glob("/dev/video*"))],
        portaudio=_portaudio,
        environ=dict(os.environ if environ is None else environ),
        x_display_opens=_x_display_opens,
        uinput_usable=lambda: os.access("/dev/uinput", os.W_OK) and any(
            os.access(p, os.R_OK) for p in glob.glob("/dev/input/event*")),
        shortcuts_portal=_shortcuts_portal)


def _shortcuts_portal() -> bool:
    from overlay.capture.hotkey_portal import portal_available

    return portal_available()
