"""The screen watcher finds the meeting window and grabs its toolbar only.

Titles and regions are pure functions; the X11 window list is tested for real on a two-screen-wide
Xvfb with a window titled as Zoom's call window (a real Zoom screenshot painted into it) far to the
right; the Windows and macOS listers through fakes of user32/dwmapi and CoreGraphics/
CoreFoundation that record what is called (those OSes are not here)."""

from __future__ import annotations

import ctypes
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from overlay.capture.base import LatestFrame, ScreenShot
from overlay.capture.meeting_window import (
    MeetingWindow,
    WindowInfo,
    clip_region,
    find_meeting,
    meeting_app,
    toolbar_region,
)
from overlay.capture.meeting_window_mac import CGRect, MacWindows
from overlay.capture.meeting_window_win import DWMWA_EXTENDED_FRAME_BOUNDS, WindowsWindows
from overlay.clock import SessionClock

ROOT = Path(__file__).resolve().parents[1]
ZOOM_SHOT = ROOT.parent / "shared" / "data" / "screens" / "zoom-linux" \
    / "join-meeting-url_frame497.png"  # muted; the meeting window fills the frame


def win(title: str, owner: str = "", size: tuple[int, int] = (1280, 720),
        at: tuple[int, int] = (0, 0)) -> WindowInfo:
    return WindowInfo(title, owner, at[0], at[1], size[0], size[1])


# -- which window ----------------------------------------------------------------------------
@pytest.mark.parametrize("title, owner, app", [
    ("Zoom Meeting", "zoom zoom", "zoom"),
    ("Zoom Meeting", "ZPContentViewWndClass", "zoom"),
    ("Meeting", "zoom.us", "zoom"),
    ("Zoom Workplace", "zoom.us", None),  # the main window, not the call
    ("Zoom - Free Account", "zoom", None),
    ("Interview: Internal Medicine | Microsoft Teams", "ms-teams", "teams"),
    ("Chat | Microsoft Teams", "ms-teams", None),
    ("Calendar | Microsoft Teams", "TeamsWebView", None),
    ("Webex Meetings - Dr. Lee's Personal Room", "Webex", "webex"),
    ("Webex", "CiscoCollabHost", None),
    ("Meet - abc-defg-hij - Google Chrome", "Google-chrome", "meet"),
    ("Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox", "firefox", "meet"),
    ("Residency interview notes - Google Docs - Google Chrome", "Google-chrome", None),
    ("Meeting notes.txt - gedit", "gedit", None),
])
def test_the_meeting_window_is_told_by_its_title_and_app(title: str, owner: str,
                                                         app: str | None) -> None:
    assert meeting_app(win(title, owner)) == app


def test_the_largest_meeting_window_wins_and_small_ones_are_ignored() -> None:
    found = find_meeting([win("Terminal", "xterm"),
                          win("Zoom Meeting", "zoom", (320, 180), (10, 10)),  # a mini view
                          win("Zoom Meeting", "zoom", (1600, 900), (2000, 100)),
                          win("Zoom Meeting", "zoom", (150, 900))])
    assert found == MeetingWindow("zoom", "Zoom Meeting", (2000, 100, 1600, 900))
    assert find_meeting([win("Terminal", "xterm")]) is None


def test_the_toolbar_strip_is_a_fifth_of_the_window_at_the_bottom_or_top_for_teams() -> None:
    zoom = MeetingWindow("zoom", "Zoom Meeting", (2000, 100, 1600, 900))
    assert toolbar_region(zoom) == (2000, 820, 1600, 180)
    small = MeetingWindow("meet", "Meet", (0, 0, 800, 400))
    assert toolbar_region(small) == (0, 280, 800, 120)  # at least 120 px
    teams = MeetingWindow("teams", "x | Microsoft Teams", (0, 0, 1600, 900))
    assert toolbar_region(teams) == (0, 0, 1600, 180)


def test_a_window_partly_off_screen_is_cut_to_the_desktop() -> None:
    desktop = (0, 0, 2560, 1440)
    assert clip_region((2400, 1300, 400, 300), desktop) == (2400, 1300, 160, 140)
    assert clip_region((3000, 0, 400, 300), desktop) is None
    assert clip_region((-100, -50, 400, 300), (-1920, 0, 4480, 1440)) == (-100, 0, 400, 250)


# -- Windows, through fakes of user32 and dwmapi ------------------------------------------------
class FakeUser32:
    def __init__(self, windows: dict[int, dict[str, Any]]) -> None:
        self.windows = windows
        self.calls: list[tuple[str, Any]] = []

    def EnumWindows(self, callback: Any, lparam: int) -> int:  # noqa: N802 - user32's names
        self.calls.append(("EnumWindows", lparam))
        for hwnd in self.windows:
            if not callback(hwnd, lparam):
                break
        return 1

    def IsWindowVisible(self, hwnd: int) -> int:  # noqa: N802
        return int(self.windows[hwnd].get("visible", True))

    def IsIconic(self, hwnd: int) -> int:  # noqa: N802
        return int(self.windows[hwnd].get("minimised", False))

    def GetWindowTextLengthW(self, hwnd: int) -> int:  # noqa: N802
        return len(self.windows[hwnd]["title"])

    def GetWindowTextW(self, hwnd: int, buf: Any, n: int) -> int:  # noqa: N802
        self.calls.append(("GetWindowTextW", n))
        buf.value = self.windows[hwnd]["title"][:n - 1]
        return len(buf.value)

    def GetClassNameW(self, hwnd: int, buf: Any, n: int) -> int:  # noqa: N802
        buf.value = self.windows[hwnd].get("class", "")
        return len(buf.value)

    def GetWindowRect(self, hwnd: int, rect_ref: Any) -> int:  # noqa: N802
        self.calls.append(("GetWindowRect", hwnd))
        left, top, right, bottom = self.windows[hwnd]["window_rect"]
        rect = rect_ref._obj
        rect.left, rect.top, rect.right, rect.bottom = left, top, right, bottom
        return 1


class FakeDwm:
    def __init__(self, windows: dict[int, dict[str, Any]]) -> None:
        self.windows = windows
        self.calls: list[tuple[int, int, int]] = []

    def DwmGetWindowAttribute(self, hwnd: int, attribute: int, rect_ref: Any,  # noqa: N802
                              size: int) -> int:
        self.calls.append((hwnd, attribute, size))
        frame = self.windows[hwnd].get("frame")
        if frame is None:
            return -2147467259  # E_FAIL: DWM has no bounds for it
        rect = rect_ref._obj
        rect.left, rect.top, rect.right, rect.bottom = frame
        return 0


def test_windows_lists_visible_titled_windows_by_their_dwm_frame() -> None:
    windows: dict[int, dict[str, Any]] = {
        0x10: {"title": "Zoom Meeting", "class": "ZPContentViewWndClass",
               # physical pixels on a 150% second monitor; GetWindowRect adds invisible borders
               "frame": (2560, 0, 5440, 1620), "window_rect": (2553, 0, 5447, 1627)},
        0x20: {"title": "", "class": "Shell_TrayWnd", "frame": (0, 0, 10, 10)},
        0x30: {"title": "Zoom Meeting", "minimised": True, "frame": (0, 0, 800, 600)},
        0x40: {"title": "Notepad", "visible": False, "frame": (0, 0, 800, 600)},
        0x50: {"title": "Old app", "class": "X", "frame": None, "window_rect": (10, 20, 410, 320)},
    }
    user32, dwm = FakeUser32(windows), FakeDwm(windows)
    proc = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)  # WINFUNCTYPE's shape
    listed = WindowsWindows((user32, dwm, proc)).list()
    assert listed == [WindowInfo("Zoom Meeting", "ZPContentViewWndClass", 2560, 0, 2880, 1620),
                      WindowInfo("Old app", "X", 10, 20, 400, 300)]
    assert ("EnumWindows", 0) in user32.calls
    assert all(attr == DWMWA_EXTENDED_FRAME_BOUNDS and size == 16 for _, attr, size in dwm.calls)
    assert ("GetWindowRect", 0x50) in user32.calls  # only where DWM failed
    assert ("GetWindowRect", 0x10) not in user32.calls
    assert find_meeting(listed) == MeetingWindow("zoom", "Zoom Meeting", (2560, 0, 2880, 1620))


# -- macOS, through fakes of CoreGraphics and CoreFoundation ------------------------------------
class FakeCF:
    """CoreFoundation over Python objects: a "pointer" is an index into `objects`."""

    def __init__(self) -> None:
        self.objects: list[Any] = [None]
        self.released: list[int] = []

    def ref(self, obj: Any) -> int:
        self.objects.append(obj)
        return len(self.objects) - 1

    def CFArrayGetCount(self, array: int) -> int:  # noqa: N802
        return len(self.objects[array])

    def CFArrayGetValueAtIndex(self, array: int, i: int) -> int:  # noqa: N802
        return self.objects[array][i]

    def CFDictionaryGetValue(self, info: int, key: int) -> int:  # noqa: N802
        return self.objects[info].get(key, 0)

    def CFStringGetCString(self, s: int, buf: Any, size: int, encoding: int) -> bool:  # noqa: N802
        assert encoding == 0x08000100  # UTF-8
        buf.value = self.objects[s].encode()
        return True

    def CFNumberGetValue(self, n: int, kind: int, out_ref: Any) -> bool:  # noqa: N802
        out_ref._obj.value = self.objects[n]
        return True

    def CFRelease(self, obj: int) -> None:  # noqa: N802
        self.released.append(obj)


class FakeCG:
    def __init__(self, cf: FakeCF, windows: list[dict[str, Any]], keys: dict[str, int]) -> None:
        self.cf, self.windows, self.keys = cf, windows, keys
        self.options: list[tuple[int, int]] = []
        self.array = 0

    def CGWindowListCopyWindowInfo(self, option: int, relative_to: int) -> int:  # noqa: N802
        self.options.append((option, relative_to))
        cf, keys = self.cf, self.keys
        infos = []
        for w in self.windows:
            infos.append(cf.ref({keys["kCGWindowOwnerName"]: cf.ref(w["owner"]),
                                 keys["kCGWindowName"]: cf.ref(w["name"]) if w["name"] else 0,
                                 keys["kCGWindowLayer"]: cf.ref(w["layer"]),
                                 keys["kCGWindowBounds"]: cf.ref(w["bounds"])}))
        self.array = cf.ref(infos)
        return self.array

    def CGRectMakeWithDictionaryRepresentation(self, d: int, rect_ref: Any) -> bool:  # noqa: N802
        x, y, w, h = self.cf.objects[d]
        rect: CGRect = rect_ref._obj
        rect.origin.x, rect.origin.y, rect.size.width, rect.size.height = x, y, w, h
        return True


def test_macos_lists_normal_layer_windows_in_points() -> None:
    cf = FakeCF()
    keys = {k: 1000 + i for i, k in enumerate(("kCGWindowOwnerName", "kCGWindowName",
                                              "kCGWindowLayer", "kCGWindowBounds"))}
    cg = FakeCG(cf, [
        {"owner": "Window Server", "name": "Menubar", "layer": 24, "bounds": (0, 0, 1512, 33)},
        {"owner": "zoom.us", "name": "Zoom Meeting", "layer": 0,
         "bounds": (1512.0, -200.5, 1440.0, 900.0)},  # points, on a monitor left-above
        {"owner": "Finder", "name": "", "layer": 0, "bounds": (0, 33, 800, 500)},
    ], keys)
    listed = MacWindows((cg, cf, keys)).list()
    assert cg.options == [(1 | 16, 0)]  # on screen only, no desktop elements; all windows
    assert listed == [WindowInfo("Zoom Meeting", "zoom.us", 1512, -200, 1440, 900),
                      WindowInfo("", "Finder", 0, 33, 800, 500)]
    assert cf.released == [cg.array]  # the copied array is released
    assert find_meeting(listed) == MeetingWindow("zoom", "Zoom Meeting", (1512, -200, 1440, 900))


# -- X11, for real ----------------------------------------------------------------------------
def zoom_picture(size: tuple[int, int]) -> np.ndarray:
    import cv2

    if ZOOM_SHOT.is_file():
        from overlay.capture.media import read_image

        rgb = read_image(ZOOM_SHOT)[..., :3]
    else:  # a drawn Zoom window when the real screenshots are absent
        sys.path.insert(0, str(ROOT / "tests"))
        from test_meeting import zoom_screen

        rgb = zoom_screen(True, size=size)
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


@pytest.fixture
def xdesktop(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb): no X server to test on")
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots
    from bench_mute import XDesktop

    for start in (70, 77, 84):  # another job may take the same free number at the same time
        n = screenshots.free_display(start)
        try:
            server = screenshots.start_xvfb(n, size=(2560, 800))  # two 1280-wide screens
            break
        except RuntimeError:
            continue
    else:
        pytest.fail("Xvfb did not start on three free display numbers")
    monkeypatch.setenv("DISPLAY", f":{n}")
    try:
        desk = XDesktop(f":{n}")
        yield desk
        desk.close()
    finally:
        server.terminate()
        server.wait(10)


def watch(watcher: Any, slot: LatestFrame[ScreenShot], count: int) -> list[ScreenShot]:
    shots: list[ScreenShot] = []
    watcher.start()
    deadline = time.monotonic() + 20
    try:
        while len(shots) < count and time.monotonic() < deadline:
            shot = slot.take(0.5)
            if shot is not None:
                shots.append(shot)
    finally:
        watcher.stop()
    return shots


def test_x11_the_watcher_finds_zoom_on_the_second_screen_and_grabs_its_toolbar(
        xdesktop: Any) -> None:
    from overlay.capture.screen import ScreenWatcher
    from overlay.session.meeting_step import MeetingStep
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings

    xdesktop.open_window("Terminal", "xterm", (40, 40), np.full((300, 500, 3), 30, np.uint8))
    xdesktop.open_window("Zoom Meeting", "zoom", (1500, 100), zoom_picture((1024, 576)))
    slot: LatestFrame[ScreenShot] = LatestFrame()
    watcher = ScreenWatcher(SessionClock(), slot, rate_hz=20.0, whole_every_s=0.5)
    shots = watch(watcher, slot, 12)
    assert watcher.meeting is not None and watcher.meeting.region == (1500, 100, 1024, 576)
    scopes = {s.scope for s in shots}
    assert scopes == {"window", "toolbar"}, scopes
    strip = (1500, 100 + 576 - 120, 1024, 120)
    for shot in shots:
        expected = strip if shot.scope == "toolbar" else (1500, 100, 1024, 576)
        assert shot.region == expected and shot.rgb.shape == (expected[3], expected[2], 3)
    toolbar = next(s for s in shots if s.scope == "toolbar")
    assert np.abs(toolbar.rgb.astype(int) - zoom_picture((1024, 576))[456:].astype(int)).mean() \
        < 2  # the grab is the window's strip, pixel for pixel
    step = MeetingStep(load_settings(), SessionRecorder())
    for shot in shots:
        step.on_screen(shot)
    assert step.state == "muted"
    assert step.latest is not None and step.latest.box is not None
    x, y, _, _ = step.latest.box
    assert 1500 <= x < 2524 and 100 + 456 <= y < 676  # the button, in desktop coordinates


def test_x11_without_a_meeting_window_the_configured_monitor_is_grabbed(
        xdesktop: Any) -> None:
    from overlay.capture.screen import ScreenWatcher

    xdesktop.open_window("Zoom Workplace", "zoom", (1500, 100), np.full((400, 600, 3), 60,
                                                                         np.uint8))
    slot: LatestFrame[ScreenShot] = LatestFrame()
    watcher = ScreenWatcher(SessionClock(), slot, rate_hz=20.0)
    shots = watch(watcher, slot, 3)
    assert watcher.meeting is None
    assert [(s.scope, s.region) for s in shots] == [("screen", (0, 0, 2560, 800))] * 3


# -- the strip and the whole window, read together -------------------------------------------
def test_the_audio_dialog_seen_in_the_whole_window_is_not_lost_on_the_strips(
        shared_data: Path) -> None:
    """Zoom's audio-options dialog covers the middle of the meeting, not its toolbar: the strips
    read no definite state, the whole window (every 5 s) reads `no_audio`; the step says
    `no_audio` throughout, with one logged change, not a flicker every half second."""
    from overlay.capture.media import read_image
    from overlay.session.meeting_step import MeetingStep
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings

    screen = read_image(shared_data / "screens/zoom-linux/join-meeting-id_frame351.png")[..., :3]
    h, w = screen.shape[:2]
    strip = np.ascontiguousarray(screen[h - 120:])
    recorder = SessionRecorder()
    step = MeetingStep(load_settings(), recorder)
    states = []
    for i in range(30):  # 15 s at 2 shots/s, the whole window every 10th shot
        t = i * 0.5
        if i % 10 == 0:
            step.on_screen(ScreenShot(t, screen, (100, 50, w, h), "window"))
        else:
            step.on_screen(ScreenShot(t, strip, (100, 50 + h - 120, w, 120), "toolbar"))
        states.append(step.state)
    assert states == ["no_audio"] * 30
    assert [e.data["state"] for e in recorder.events if e.kind == "meeting"] == ["no_audio"]
    only_strips = MeetingStep(load_settings(), SessionRecorder())
    only_strips.on_screen(ScreenShot(0.0, strip, (0, 0, w, 120), "toolbar"))
    assert only_strips.state != "no_audio"  # the strip alone cannot tell: the window is needed


def test_oncue_devices_names_the_meeting_window(xdesktop: Any) -> None:
    from overlay.capture.devices import describe_devices, find_meeting_window

    assert find_meeting_window() == []
    xdesktop.open_window("Zoom Meeting", "zoom", (1500, 100), np.full((300, 400, 3), 50,
                                                                       np.uint8))
    assert find_meeting_window() == ['zoom: "Zoom Meeting", 400x300 at (1500, 100)']
    text = describe_devices()
    assert 'Meeting window:\n  zoom: "Zoom Meeting", 400x300 at (1500, 100)' in text
