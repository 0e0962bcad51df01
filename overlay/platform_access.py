"""Operating-system permissions OnCue needs, checked at start: what is missing, what it turns off.

macOS asks separately for the camera, the microphone, screen recording (mss) and accessibility
plus input monitoring (pynput's global hotkeys); Windows has camera and microphone privacy
switches; Linux needs readable /dev/video devices, the PortAudio library, a display and X (or
uinput) access for the hotkeys. Each check gives a `Permission`: granted True, False, or None when
the system cannot tell (macOS has not asked yet, Wayland). A missing permission never stops OnCue:
the features that need it are off and the user is told how to grant it.

The checks go through small probe objects (`MacProbes`, `WindowsProbes`, `LinuxProbes`, defined
with the real probes in overlay/platform_probes.py) whose fields are plain callables, so the
logic for every platform is unit-tested on Linux with fakes. The real probes must never prompt:
they only read the current state. The prompts come when a device is opened.

What the user reads about all this at start and in `oncue check` is worded in
overlay/platform_notices.py.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from overlay.platform_probes import (
    LinuxProbes,
    MacProbes,
    WindowsProbes,
    linux_probes,
    mac_probes,
    windows_probes,
)

__all__ = ["LinuxProbes", "MacProbes", "WindowsProbes"]  # re-exported: the probes' shapes

log = logging.getLogger(__name__)

CAMERA, MICROPHONE, SCREEN, HOTKEYS = "camera", "microphone", "screen recording", "global hotkeys"
DISABLES = {
    CAMERA: "eye-contact, lighting and framing nudges",
    MICROPHONE: "the answer timer, pace, filler and mute nudges",
    SCREEN: "the meeting mute-state nudges (talking while muted)",
    HOTKEYS: "the global hotkeys (the tray and the overlay's menu still work)",
}


@dataclass(frozen=True)
class Permission:
    feature: str  # CAMERA, MICROPHONE, SCREEN or HOTKEYS
    granted: bool | None  # None: the system cannot tell (not asked yet, Wayland)
    disables: str  # what stays off without it
    how_to_grant: str  # one or two sentences the user can follow
    detail: str = ""  # what the probe saw, for `oncue devices` and the log

    def line(self) -> str:
        """One line for stderr or a tray message."""
        state = {True: "allowed", False: "not allowed", None: "unknown"}[self.granted]
        text = f"{self.feature}: {state}"
        if self.detail:
            text += f" ({self.detail})"
        if self.granted is not True:
            text += f"; without it: {self.disables}. {self.how_to_grant}"
        return text


def missing(permissions: list[Permission]) -> list[Permission]:
    return [p for p in permissions if p.granted is False]


# -- macOS ------------------------------------------------------------------------------------
# AVAuthorizationStatus: notDetermined 0, restricted 1, denied 2, authorized 3.
AV_NOT_DETERMINED, AV_RESTRICTED, AV_DENIED, AV_AUTHORIZED = 0, 1, 2, 3
MAC_PANE = "System Settings > Privacy & Security > {pane}: switch on the app you start OnCue " \
           "from (Terminal, or OnCue itself), then quit and reopen it."


def _mac_capture(feature: str, status: int | None, pane: str) -> Permission:
    how = MAC_PANE.format(pane=pane)
    if status == AV_AUTHORIZED:
        return Permission(feature, True, DISABLES[feature], how)
    if status == AV_NOT_DETERMINED:
        # macOS asks the first time the device is opened: nothing is wrong yet.
        return Permission(feature, None, DISABLES[feature],
                          "macOS will ask when OnCue first opens it: click OK.", "not asked yet")
    if status in (AV_DENIED, AV_RESTRICTED):
        detail = "denied" if status == AV_DENIED else "restricted by a profile or parental control"
        return Permission(feature, False, DISABLES[feature], how, detail)
    return Permission(feature, None, DISABLES[feature], how, "could not be checked")


def mac_permissions(probes: MacProbes) -> list[Permission]:
    screen = probes.screen_capture()
    trusted, listening = probes.accessibility(), probes.input_monitoring()
    if trusted is False or listening is False:
        hotkeys_ok: bool | None = False
    elif trusted is None or listening is None:
        hotkeys_ok = None
    else:
        hotkeys_ok = True
    lacking = [name for name, ok in (("Accessibility", trusted), ("Input Monitoring", listening))
               if ok is False]
    return [
        _mac_capture(CAMERA, probes.capture_status("video"), "Camera"),
        _mac_capture(MICROPHONE, probes.capture_status("audio"), "Microphone"),
        Permission(SCREEN, screen, DISABLES[SCREEN], MAC_PANE.format(pane="Screen Recording"),
                   "" if screen is not None else "could not be checked"),
        Permission(HOTKEYS, hotkeys_ok, DISABLES[HOTKEYS],
                   MAC_PANE.format(pane=" and ".join(lacking) or "Accessibility and Input "
                                                                   "Monitoring"),
                   f"{' and '.join(lacking)} not allowed" if lacking else ""),
    ]


# -- Windows ----------------------------------------------------------------------------------
CONSENT = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


def _windows_switch(probes: WindowsProbes, feature: str, store: str, page: str) -> Permission:
    # Three switches, any of which blocks a desktop app: the device-wide one (HKLM), the user's
    # "Camera access" (HKCU) and "Let desktop apps access your camera" (HKCU ...\NonPackaged).
    switches = {"device-wide": ("HKLM", rf"{CONSENT}\{store}"),
                "for this user": ("HKCU", rf"{CONSENT}\{store}"),
                "for desktop apps": ("HKCU", rf"{CONSENT}\{store}\NonPackaged")}
    seen = {name: probes.read_value(hive, key) for name, (hive, key) in switches.items()}
    off = [name for name, value in seen.items() if value == "Deny"]
    how = (f"Settings > Privacy & security > {page}: turn on '{page} access' and 'Let desktop "
           f"apps access your {page.lower()}' (run: start ms-settings:privacy-{store}).")
    if off:
        return Permission(feature, False, DISABLES[feature], how, "switched off " + ", ".join(off))
    if all(value is None for value in seen.values()):
        # Never touched: Windows allows desktop apps by default.
        return Permission(feature, True, DISABLES[feature], how, "no privacy switch set")
    return Permission(feature, True, DISABLES[feature], how)


def windows_permissions(probes: WindowsProbes) -> list[Permission]:
    return [
        _windows_switch(probes, CAMERA, "webcam", "Camera"),
        _windows_switch(probes, MICROPHONE, "microphone", "Microphone"),
        Permission(SCREEN, True, DISABLES[SCREEN], "", "Windows does not ask"),
        Permission(HOTKEYS, True, DISABLES[HOTKEYS], "", "Windows does not ask"),
    ]


# -- Linux ------------------------------------------------------------------------------------
def linux_permissions(probes: LinuxProbes) -> list[Permission]:
    env = probes.environ
    group = "sudo usermod -aG {g} $USER, then log out and back in."
    devices = probes.video_devices()
    if not devices:
        camera = Permission(CAMERA, None, DISABLES[CAMERA], "Plug in a webcam.",
                            "no /dev/video* device")
    elif not any(ok for _, ok in devices):
        camera = Permission(CAMERA, False, DISABLES[CAMERA],
                            "Join the 'video' group: " + group.format(g="video"),
                            f"{devices[0][0]} is not readable")
    else:
        camera = Permission(CAMERA, True, DISABLES[CAMERA], "")
    has_pa = probes.portaudio()
    microphone = Permission(MICROPHONE, has_pa, DISABLES[MICROPHONE],
                            "Install PortAudio: sudo apt install libportaudio2 (Debian/Ubuntu).",
                            "" if has_pa else "the PortAudio library is missing")
    display, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    opens = probes.x_display_opens(display) if display else False
    if not display and not wayland:
        screen = Permission(SCREEN, False, DISABLES[SCREEN], "Start OnCue inside your desktop "
                            "session.", "no DISPLAY or WAYLAND_DISPLAY")
    elif not display:
        screen = Permission(SCREEN, False, DISABLES[SCREEN], "Install XWayland (OnCue reads the "
                            "screen through X11).", "Wayland without XWayland")
    elif opens is False:
        screen = Permission(SCREEN, False, DISABLES[SCREEN], "Allow X access (xhost +SI:localuser:"
                            "$USER) or start OnCue from the desktop session.",
                            f"cannot open X display {display}")
    elif wayland:
        screen = Permission(SCREEN, None, DISABLES[SCREEN], "Run the meeting app under XWayland, "
                            "or use an X11 session.", "Wayland: only XWayland windows are seen")
    else:
        screen = Permission(SCREEN, opens, DISABLES[SCREEN], "")
    backend = env.get("PYNPUT_BACKEND", "")
    if backend == "dummy":
        hotkeys = Permission(HOTKEYS, True, DISABLES[HOTKEYS], "", "dummy backend")
    elif backend == "uinput":
        ok = probes.uinput_usable()
        hotkeys = Permission(HOTKEYS, ok, DISABLES[HOTKEYS],
                             "Join the 'input' group: " + group.format(g="input"),
                             "" if ok else "/dev/uinput or /dev/input/event* not accessible")
    elif wayland and probes.shortcuts_portal():
        hotkeys = Permission(HOTKEYS, True, DISABLES[HOTKEYS], "", "the desktop's shortcut "
                             "service (confirm the keys in its dialog the first time)")
    elif not display or opens is False:
        hotkeys = Permission(HOTKEYS, False, DISABLES[HOTKEYS],
                             "Start OnCue in an X11 or XWayland session, or set "
                             "PYNPUT_BACKEND=uinput and join the 'input' group.",
                             "no X display to listen on")
    elif wayland:
        hotkeys = Permission(HOTKEYS, None, DISABLES[HOTKEYS], "Use an X11 session, or set "
                             "PYNPUT_BACKEND=uinput and join the 'input' group.",
                             "Wayland: heard only while an X11 app is in front")
    else:
        hotkeys = Permission(HOTKEYS, opens, DISABLES[HOTKEYS], "")
    return [camera, microphone, screen, hotkeys]


def check_permissions(platform: str | None = None,
                      probes: MacProbes | WindowsProbes | LinuxProbes | None = None
                      ) -> list[Permission]:
    """Every permission OnCue uses on this platform (camera, microphone, screen, hotkeys)."""

    platform = platform or sys.platform
    if platform == "darwin":
        mac = probes if isinstance(probes, MacProbes) else mac_probes()
        result = mac_permissions(mac)
    elif platform == "win32":
        win = probes if isinstance(probes, WindowsProbes) else windows_probes()
        result = windows_permissions(win)
    elif platform.startswith("linux"):
        lin = probes if isinstance(probes, LinuxProbes) else linux_probes()
        result = linux_permissions(lin)
    else:
        return []
    for p in result:
        log.info("permission %s", p.line())
    return result


def permission_notices(permissions: list[Permission]) -> list[str]:
    """One line per permission that is missing: what is off, why, how to turn it on."""
    return [f"{p.feature.capitalize()}: {p.detail or 'not allowed'}, so {p.disables} are off. "
            f"{p.how_to_grant}" for p in missing(permissions)]

