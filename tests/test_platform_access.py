"""Permission checks for macOS, Windows and Linux, through fake probes (and the real Linux ones)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from overlay.platform_access import (
    AV_AUTHORIZED,
    AV_DENIED,
    AV_NOT_DETERMINED,
    AV_RESTRICTED,
    CAMERA,
    CONSENT,
    HOTKEYS,
    MICROPHONE,
    SCREEN,
    LinuxProbes,
    MacProbes,
    Permission,
    WindowsProbes,
    check_permissions,
    missing,
    permission_notices,
)
from overlay.platform_probes import linux_probes


def by_feature(perms: list[Permission]) -> dict[str, Permission]:
    assert [p.feature for p in perms] == [CAMERA, MICROPHONE, SCREEN, HOTKEYS]
    return {p.feature: p for p in perms}


# -- macOS ----------------------------------------------------------------------------------
def mac(video: int | None = AV_AUTHORIZED, audio: int | None = AV_AUTHORIZED,
        screen: bool | None = True, ax: bool | None = True,
        listen: bool | None = True) -> MacProbes:
    return MacProbes(capture_status=lambda kind: {"video": video, "audio": audio}[kind],
                     screen_capture=lambda: screen, accessibility=lambda: ax,
                     input_monitoring=lambda: listen)


def test_mac_all_granted() -> None:
    perms = check_permissions("darwin", mac())
    assert all(p.granted is True for p in by_feature(perms).values())
    assert missing(perms) == [] and permission_notices(perms) == []


def test_mac_each_missing_permission_names_what_it_disables_and_where_to_grant() -> None:
    perms = by_feature(check_permissions("darwin", mac(video=AV_DENIED, audio=AV_RESTRICTED,
                                                       screen=False, ax=False)))
    assert [p.feature for p in missing(list(perms.values()))] == [CAMERA, MICROPHONE, SCREEN,
                                                                   HOTKEYS]
    assert "Privacy & Security > Camera" in perms[CAMERA].how_to_grant
    assert "eye-contact" in perms[CAMERA].disables
    assert "Privacy & Security > Microphone" in perms[MICROPHONE].how_to_grant
    assert "restricted" in perms[MICROPHONE].detail
    assert "Screen Recording" in perms[SCREEN].how_to_grant
    assert "mute" in perms[SCREEN].disables
    assert "Accessibility" in perms[HOTKEYS].how_to_grant
    assert "Input Monitoring" not in perms[HOTKEYS].how_to_grant  # that one is granted


def test_mac_input_monitoring_alone_blocks_hotkeys() -> None:
    perms = by_feature(check_permissions("darwin", mac(listen=False)))
    assert perms[HOTKEYS].granted is False
    assert "Input Monitoring" in perms[HOTKEYS].how_to_grant
    assert [p.feature for p in missing(list(perms.values()))] == [HOTKEYS]


def test_mac_not_asked_yet_is_unknown_not_missing() -> None:
    perms = by_feature(check_permissions("darwin", mac(video=AV_NOT_DETERMINED, audio=None,
                                                       screen=None, listen=None)))
    assert perms[CAMERA].granted is None and "will ask" in perms[CAMERA].how_to_grant
    assert perms[MICROPHONE].granted is None and "could not be checked" in perms[MICROPHONE].detail
    assert perms[SCREEN].granted is None
    assert perms[HOTKEYS].granted is None
    assert missing(list(perms.values())) == []


# -- Windows --------------------------------------------------------------------------------
def windows(values: Mapping[tuple[str, str], str]) -> WindowsProbes:
    """Registry values keyed by (hive, key below ConsentStore), e.g. ("HKCU", "webcam")."""
    return WindowsProbes(
        read_value=lambda hive, key: values.get((hive, key.removeprefix(CONSENT + "\\"))))


def test_windows_untouched_switches_allow() -> None:
    perms = by_feature(check_permissions("win32", windows({})))
    assert all(p.granted is True for p in perms.values())


@pytest.mark.parametrize("hive,key", [("HKCU", "webcam"), ("HKLM", "webcam"),
                                      ("HKCU", "webcam\\NonPackaged")])
def test_windows_any_camera_switch_off_blocks_the_camera(hive: str, key: str) -> None:
    values = {("HKCU", "webcam"): "Allow", ("HKCU", "microphone"): "Allow", (hive, key): "Deny"}
    perms = by_feature(check_permissions("win32", windows(values)))
    assert perms[CAMERA].granted is False
    assert perms[MICROPHONE].granted is True
    assert "ms-settings:privacy-webcam" in perms[CAMERA].how_to_grant
    assert "switched off" in perms[CAMERA].detail


def test_windows_microphone_switch_off() -> None:
    perms = by_feature(check_permissions("win32", windows({("HKCU", "microphone"): "Deny"})))
    assert [p.feature for p in missing(list(perms.values()))] == [MICROPHONE]
    (notice,) = permission_notices(list(perms.values()))
    assert notice.startswith("Microphone: switched off for this user, so the answer timer")
    assert "ms-settings:privacy-microphone" in notice


def test_windows_probe_reads_the_documented_registry_keys() -> None:
    asked: list[tuple[str, str]] = []

    def read(hive: str, key: str) -> str | None:
        asked.append((hive, key))
        return None

    check_permissions("win32", WindowsProbes(read_value=read))
    base = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
    assert ("HKCU", base + r"\webcam") in asked
    assert ("HKCU", base + r"\microphone") in asked
    assert ("HKLM", base + r"\webcam") in asked


# -- Linux ----------------------------------------------------------------------------------
def linux(devices: list[tuple[str, bool]] | None = None, portaudio: bool = True,
          env: Mapping[str, str] | None = None, x_opens: bool | None = True,
          uinput: bool = False, portal: bool = False) -> LinuxProbes:
    return LinuxProbes(
        video_devices=lambda: [("/dev/video0", True)] if devices is None else devices,
        portaudio=lambda: portaudio, environ={"DISPLAY": ":0"} if env is None else env,
        x_display_opens=lambda display: x_opens, uinput_usable=lambda: uinput,
        shortcuts_portal=lambda: portal)


def test_linux_desktop_all_granted() -> None:
    perms = by_feature(check_permissions("linux", linux()))
    assert all(p.granted is True for p in perms.values())


def test_linux_unreadable_camera_and_no_portaudio() -> None:
    perms = by_feature(check_permissions("linux", linux(devices=[("/dev/video0", False)],
                                                        portaudio=False)))
    assert perms[CAMERA].granted is False and "video" in perms[CAMERA].how_to_grant
    assert perms[MICROPHONE].granted is False
    assert "libportaudio2" in perms[MICROPHONE].how_to_grant
    assert perms[SCREEN].granted is True and perms[HOTKEYS].granted is True


def test_linux_no_camera_is_not_a_permission_problem() -> None:
    perms = by_feature(check_permissions("linux", linux(devices=[])))
    assert perms[CAMERA].granted is None and "no /dev/video" in perms[CAMERA].detail


def test_linux_without_display_keeps_camera_and_microphone() -> None:
    perms = by_feature(check_permissions("linux", linux(env={}, x_opens=None)))
    assert perms[SCREEN].granted is False and perms[HOTKEYS].granted is False
    assert perms[CAMERA].granted is True and perms[MICROPHONE].granted is True


def test_linux_x_access_refused() -> None:
    perms = by_feature(check_permissions("linux", linux(x_opens=False)))
    assert perms[SCREEN].granted is False and "cannot open X display :0" in perms[SCREEN].detail
    assert perms[HOTKEYS].granted is False


def test_linux_wayland() -> None:
    pure = by_feature(check_permissions("linux", linux(env={"WAYLAND_DISPLAY": "wayland-0"})))
    assert pure[SCREEN].granted is False and "XWayland" in pure[SCREEN].how_to_grant
    assert pure[HOTKEYS].granted is False
    both = by_feature(check_permissions(
        "linux", linux(env={"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})))
    assert both[SCREEN].granted is None and both[HOTKEYS].granted is None
    # A desktop with the GlobalShortcuts portal gives hotkeys even without XWayland.
    for env in ({"WAYLAND_DISPLAY": "wayland-0"}, {"WAYLAND_DISPLAY": "wayland-0",
                                                   "DISPLAY": ":0"}):
        portal = by_feature(check_permissions("linux", linux(env=env, portal=True)))
        assert portal[HOTKEYS].granted is True and "shortcut service" in portal[HOTKEYS].detail


@pytest.mark.parametrize("uinput", [True, False])
def test_linux_uinput_backend(uinput: bool) -> None:
    perms = by_feature(check_permissions(
        "linux", linux(env={"PYNPUT_BACKEND": "uinput"}, uinput=uinput)))
    assert perms[HOTKEYS].granted is uinput
    if not uinput:
        assert "'input' group" in perms[HOTKEYS].how_to_grant


def test_unknown_platform_checks_nothing() -> None:
    assert check_permissions("sunos5") == []


def test_lines_read_well() -> None:
    perms = check_permissions("linux", linux(env={}, x_opens=None))
    lines = [p.line() for p in perms]
    assert lines[0] == "camera: allowed"
    assert lines[2].startswith("screen recording: not allowed (no DISPLAY or WAYLAND_DISPLAY); "
                               "without it: the meeting mute-state nudges")


# -- the real Linux probes ------------------------------------------------------------------
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux probes")
def test_real_linux_probes_match_this_machine() -> None:
    probes = linux_probes({})
    devices = probes.video_devices()
    assert [d for d, _ in devices] == sorted(str(p) for p in Path("/dev").glob("video*"))
    import ctypes.util

    assert probes.portaudio() == (ctypes.util.find_library("portaudio") is not None)
    perms = by_feature(check_permissions("linux", probes))
    assert perms[SCREEN].granted is False  # no DISPLAY in this environment


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_real_x_probe_opens_an_xvfb_display(tmp_path: Path) -> None:
    display = ":87"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "320x240x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        probes = linux_probes({"DISPLAY": display})
        deadline = time.monotonic() + 20  # wait for the server to come up, not a timed check
        while not probes.x_display_opens(display) and time.monotonic() < deadline:
            time.sleep(0.1)
        perms = by_feature(check_permissions("linux", probes))
        assert perms[SCREEN].granted is True and perms[HOTKEYS].granted is True
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert linux_probes({}).x_display_opens(display) is False  # the server is gone
    assert linux_probes({}).x_display_opens("remote.example:0") is None  # never dialled


# -- what the user is told: every feature that is off, once, in plain words --------------------
WAYLAND = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}


def test_wayland_says_what_is_partial_and_that_the_overlay_may_show() -> None:
    from overlay.platform_notices import feature_notices

    perms = check_permissions("linux", linux(env=WAYLAND))
    notices = feature_notices(perms, "linux")
    assert notices == [
        "Screen reading sees only X11 apps here (Wayland): the mute nudges need the meeting app "
        "to run under XWayland (Zoom does by default).",
        "Hotkeys work only while an X11 app is in front: this Wayland desktop offers no global "
        "shortcuts (the tray and the overlay's menu still work).",
        "Linux cannot hide a window from screen sharing: the overlay may show in a shared screen "
        "(share a window, not the whole screen).",
    ]
    with_portal = feature_notices(check_permissions("linux", linux(env=WAYLAND, portal=True)),
                                  "linux")
    assert not any(n.startswith("Hotkeys") for n in with_portal)


def test_x11_desktop_is_told_only_about_screen_sharing() -> None:
    from overlay.platform_notices import feature_notices

    (notice,) = feature_notices(check_permissions("linux", linux()), "linux")
    assert "may show in a shared screen" in notice


@pytest.mark.parametrize(("macos", "shown"), [(14, False), (15, True), (26, True)])
def test_macos_15_and_later_are_told_the_overlay_may_show(macos: int, shown: bool) -> None:
    from overlay.platform_notices import feature_notices

    notices = feature_notices(check_permissions("darwin", mac()), "darwin", macos=macos)
    assert notices == (["macOS 15 and later ignore the request to hide a window from screen "
                        "sharing: the overlay may show in a shared screen (share a window, not "
                        "the whole screen)."] if shown else [])


def test_missing_and_uncheckable_permissions_are_each_said_once() -> None:
    from overlay.platform_notices import feature_notices

    perms = check_permissions("darwin", mac(listen=False, screen=None))
    notices = feature_notices(perms, "darwin", macos=14)
    assert len(notices) == 2
    assert notices[0].startswith("Global hotkeys: Input Monitoring not allowed, so the global "
                                 "hotkeys")
    assert notices[1].startswith("OnCue cannot tell whether screen recording is allowed")
    assert "Screen Recording" in notices[1]


@pytest.mark.parametrize(("build", "count"), [(18363, 1), (19041, 0), (22631, 0)])
def test_windows_before_2004_is_told_about_the_black_box(build: int, count: int) -> None:
    from overlay.platform_notices import feature_notices

    notices = feature_notices(check_permissions("win32", windows({})), "win32", windows=build)
    assert len(notices) == count and all("black box" in n for n in notices)


def test_no_import_cycle_between_the_rules_and_the_probes() -> None:
    import ast

    probes = Path(__file__).resolve().parents[1] / "overlay" / "platform_probes.py"
    imported = {node.module for node in ast.walk(ast.parse(probes.read_text()))
                if isinstance(node, ast.ImportFrom)}
    assert "overlay.platform_access" not in imported and "overlay.platform_notices" not in imported
