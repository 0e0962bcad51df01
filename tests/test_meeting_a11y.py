"""The mute state from the meeting app's accessibility tree.

Linux for real: a private D-Bus session bus, the AT-SPI bus it starts (at-spi2-core), Chromium
under Xvfb with its accessibility tree on, showing the project's own Meet stand-in page
(tests/fixtures/meet_call.html) whose microphone button a JS timer clicks. Windows and macOS
through fakes of UI Automation and the Accessibility API that assert what is called.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from overlay.capture.a11y.labels import RULES, SOURCES, normalise, rule_for
from overlay.capture.a11y.reader import Control, MuteFromA11y

FIXTURE = Path(__file__).parent / "fixtures" / "meet_call.html"
DECOY = Path(__file__).parent / "fixtures" / "not_a_meeting.html"  # Meet's label, no meeting
LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
CHROMIUM = ["chromium", "--no-sandbox", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-gpu",
            "--force-renderer-accessibility"]


# -- the label table ---------------------------------------------------------------------------
@pytest.mark.parametrize(("app", "label", "state"), [
    ("meet", "Turn off microphone (ctrl + d)", "unmuted"),
    ("meet", "Turn on microphone (⌘ + d)", "muted"),
    ("zoom", "Unmute My Audio, Alt+A", "muted"),
    ("zoom", "Mute Audio", "unmuted"),
    ("zoom", "Join Audio", "no_audio"),
    ("teams", "Unmute (Ctrl+Shift+M)", "muted"),
    ("teams", "Mute mic", "unmuted"),
    ("webex", "Unmute me", "muted"),
    ("webex", "No microphone", "no_audio"),
])
def test_labels_map_to_states(app: str, label: str, state: str) -> None:
    rule = rule_for(app, label)
    assert rule is not None and rule.state == state


@pytest.mark.parametrize(("app", "label"), [
    ("meet", "Mute (m)"),  # a video player in the Meet tab
    (None, "Mute tab"),  # the browser's own tab button
    ("zoom", "Mute All"),  # the host's control, not the user's microphone
    ("meet", "Turn off camera (ctrl + e)"),
    ("teams", ""),
])
def test_other_controls_are_no_evidence(app: str | None, label: str) -> None:
    assert rule_for(app, label) is None


def test_every_rule_cites_a_source_and_is_normalised() -> None:
    for rule in RULES:
        assert rule.source in SOURCES
        assert normalise(rule.label) == rule.label
        assert rule.state in ("muted", "unmuted", "no_audio")


# -- the reader on a fake backend --------------------------------------------------------------
class FakeBackend:
    name = "fake"

    def __init__(self, controls: list[Control]) -> None:
        self.tree = {c.handle: c for c in controls}
        self.walks = 0
        self.relabels: list[object] = []

    def controls(self) -> list[Control]:
        self.walks += 1
        return list(self.tree.values())

    def relabel(self, control: Control) -> str | None:
        self.relabels.append(control.handle)
        found = self.tree.get(control.handle)
        return None if found is None else found.label

    def close(self) -> None:
        pass

    def set(self, handle: str, label: str | None) -> None:
        if label is None:
            self.tree.pop(handle, None)
        else:
            old = self.tree.get(handle) or Control("zoom", "push button", label, handle)
            self.tree[handle] = Control(old.app, old.role, label, handle)


def test_reader_walks_once_then_rereads_the_found_control() -> None:
    backend = FakeBackend([Control("zoom", "push button", "Mute My Audio", "b1"),
                           Control("zoom", "push button", "Start Video", "b2")])
    reader = MuteFromA11y(backend, search_period=5.0)
    first = reader.read(0.0)
    assert first is not None and (first.state, first.app, first.source) == (
        "unmuted", "zoom", "accessibility")
    backend.set("b1", "Unmute My Audio")
    assert reader.read(1.0).state == "muted"  # type: ignore[union-attr]
    assert backend.walks == 1 and backend.relabels == ["b1"]


def test_gone_control_means_pixels_decide_until_the_next_walk() -> None:
    backend = FakeBackend([Control("zoom", "push button", "Mute", "b1")])
    reader = MuteFromA11y(backend, search_period=5.0)
    assert reader.read(0.0).state == "unmuted"  # type: ignore[union-attr]
    backend.set("b1", None)
    assert reader.read(1.0) is None  # gone: no walk yet (the last was 1 s ago)
    assert backend.walks == 1
    backend.set("b9", "Unmute")
    assert reader.read(2.0) is None
    assert reader.read(5.5).state == "muted"  # type: ignore[union-attr]
    assert backend.walks == 2


def test_disagreeing_controls_give_no_reading() -> None:
    backend = FakeBackend([Control("meet", "push button", "Turn on microphone", "tab1"),
                           Control("meet", "push button", "Turn off microphone", "tab2")])
    assert MuteFromA11y(backend).read(0.0) is None


# -- Linux, for real ---------------------------------------------------------------------------
def _missing_tools() -> list[str]:
    missing = [n for n in ("dbus-daemon", "Xvfb", "chromium") if shutil.which(n) is None]
    if not LAUNCHER.exists():
        missing.append(f"{LAUNCHER} (Debian at-spi2-core)")
    try:
        import jeepney  # noqa: F401
    except ImportError:
        missing.append("jeepney")
    return missing


@pytest.fixture
def chromium_on_atspi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                      ) -> Iterator[tuple[list[str], dict[str, str]]]:
    """A private session bus, Xvfb and Chromium showing the Meet stand-in; the session bus
    address is set for the test, so the reader talks to this desktop only. Yields the command
    and environment that open another window in that Chromium."""
    missing = _missing_tools()
    if missing:
        pytest.skip("AT-SPI test needs " + ", ".join(missing))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, env=env)
        procs.append(bus)
        address = bus.stdout.readline().decode().strip()  # type: ignore[union-attr]
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1024x768x24",
                                 "-nolisten", "tcp"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        procs.append(xvfb)
        display = xvfb.stdout.readline().decode().strip()  # type: ignore[union-attr]
        env.update(DBUS_SESSION_BUS_ADDRESS=address, DISPLAY=f":{display}",
                   ACCESSIBILITY_ENABLED="1")
        procs.append(subprocess.Popen(
            [*CHROMIUM, f"--user-data-dir={tmp_path / 'chromium'}", FIXTURE.as_uri() + "#3000"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
        yield [*CHROMIUM, f"--user-data-dir={tmp_path / 'chromium'}"], env
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_atspi_reads_meet_in_chromium_and_follows_the_label(
        chromium_on_atspi: tuple[list[str], dict[str, str]]) -> None:
    from overlay.capture.a11y.atspi import AtspiBackend

    command, env = chromium_on_atspi

    backend = AtspiBackend.open()
    try:
        reader = MuteFromA11y(backend, search_period=0.5)
        seen: list[str] = []
        opened = False
        deadline = time.monotonic() + 45  # Chromium's start on a loaded 2-core machine
        while time.monotonic() < deadline and len(seen) < 3:
            reading = reader.read(time.monotonic())
            if reading is not None:
                assert (reading.app, reading.source) == ("meet", "accessibility")
                if not seen or seen[-1] != reading.state:
                    seen.append(reading.state)
                if len(seen) == 1 and not opened:
                    # A second window, no meeting, carrying Meet's own label: it must not
                    # count. (A second tab would not do: Chromium exposes the visible tab only.)
                    subprocess.run([*command, "--new-window", DECOY.as_uri()], env=env,
                                   timeout=30, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, check=False)
                    opened = True
            time.sleep(0.2)  # polling another process, not timing OnCue's behaviour
        assert len(seen) == 3, f"states seen: {seen}"
        assert set(seen) == {"muted", "unmuted"}
        # Only the Meet tab's microphone button counted: the decoys were seen and ignored,
        # and the other tab, which carries Meet's own label, is no meeting.
        deadline = time.monotonic() + 15
        controls = backend.controls()
        while "Voice memo - Recorder" not in backend.pages and time.monotonic() < deadline:
            time.sleep(0.3)
            controls = backend.controls()
        labels = {(c.app, c.label) for c in controls}
        assert ("meet", "Mute (m)") in labels
        assert ("meet", "Turn off camera (ctrl + e)") in labels
        assert "Voice memo - Recorder" in backend.pages
        assert [c.app for c in controls if "microphone" in c.label] == ["meet"]
        assert len(reader._known) == 1
    finally:
        backend.close()
    # The session's watcher: its own thread opens the platform backend (AT-SPI here) itself.
    from overlay.capture.a11y.watcher import MeetingA11yWatcher

    watcher = MeetingA11yWatcher(time.monotonic, period=0.2)
    watcher.start()
    try:
        deadline = time.monotonic() + 20
        reading = None
        while time.monotonic() < deadline and reading is None:
            reading = watcher.current(time.monotonic())
            time.sleep(0.1)
        assert watcher.unavailable is None
        assert reading is not None and reading.app == "meet"
        assert reading.state in ("muted", "unmuted")
    finally:
        watcher.stop()


# -- Windows: UI Automation through a fake IUIAutomation ---------------------------------------
class FakeComError(Exception):
    pass


class FakeArray:
    def __init__(self, items: list[FakeElement]) -> None:
        self.items = items

    @property
    def Length(self) -> int:  # noqa: N802 - the COM property's name
        return len(self.items)

    def GetElement(self, i: int) -> FakeElement:  # noqa: N802
        return self.items[i]


class FakeElement:
    def __init__(self, name: str, children: list[FakeElement] | None = None,
                 calls: list[tuple] | None = None) -> None:  # type: ignore[type-arg]
        self.name, self.children, self.calls, self.gone = name, children or [], calls, False

    @property
    def CurrentName(self) -> str:  # noqa: N802
        if self.gone:
            raise FakeComError("UIA_E_ELEMENTNOTAVAILABLE")
        return self.name

    def FindAll(self, scope: int, condition: object) -> FakeArray:  # noqa: N802
        assert self.calls is not None
        self.calls.append(("FindAll", self.name, scope, condition))
        return FakeArray(self.children)


class FakeAutomation:
    def __init__(self, windows: list[FakeElement], calls: list[tuple]) -> None:  # type: ignore[type-arg]
        self.root = FakeElement("Desktop", windows, calls)
        self.calls = calls

    def GetRootElement(self) -> FakeElement:  # noqa: N802
        self.calls.append(("GetRootElement",))
        return self.root

    def CreateTrueCondition(self) -> str:  # noqa: N802
        return "true"

    def CreatePropertyCondition(self, prop: int, value: int) -> tuple[str, int, int]:  # noqa: N802
        return ("property", prop, value)


def test_uia_reads_the_zoom_meeting_windows_buttons_only() -> None:
    from overlay.capture.a11y.uia import UiaBackend

    calls: list[tuple] = []  # type: ignore[type-arg]
    mute = FakeElement("Mute my audio, Alt+A")
    zoom = FakeElement("Zoom Meeting", [FakeElement("Start Video"), mute], calls)
    youtube = FakeElement("Cats - YouTube - Google Chrome", [FakeElement("Mute (m)")], calls)
    uninit: list[bool] = []
    backend = UiaBackend(FakeAutomation([youtube, zoom], calls), FakeComError,
                         lambda: uninit.append(True))
    reader = MuteFromA11y(backend)
    reading = reader.read(0.0)
    assert reading is not None and (reading.state, reading.app) == ("unmuted", "zoom")
    # Documented calls: the desktop's children, then the meeting window's descendant buttons
    # (TreeScope_Children = 2, TreeScope_Descendants = 4, ControlType 30003 = Button 50000).
    assert calls == [("GetRootElement",), ("FindAll", "Desktop", 2, "true"),
                     ("FindAll", "Zoom Meeting", 4, ("property", 30003, 50000))]
    mute.name = "Unmute my audio, Alt+A"
    assert reader.read(1.0).state == "muted"  # type: ignore[union-attr]
    assert len(calls) == 3  # read again by name, no new search
    mute.gone = True
    assert reader.read(2.0) is None  # the element went away: no reading, no exception
    backend.close()
    assert uninit == [True]


# -- macOS: the Accessibility API through a fake -----------------------------------------------
class FakeAx:
    """An AxApi over a dict tree; counts retains and releases."""

    def __init__(self, tree: dict[str, dict[str, object]], apps: list[tuple[int, str]],
                 trusted: bool = True) -> None:
        self.tree, self._apps, self._trusted = tree, apps, trusted
        self.opened: list[int] = []
        self.live: dict[str, int] = {}

    def trusted(self) -> bool:
        return self._trusted

    def apps(self) -> list[tuple[int, str]]:
        return self._apps

    def application(self, pid: int) -> str:
        self.opened.append(pid)
        self.live[f"app{pid}"] = self.live.get(f"app{pid}", 0) + 1
        return f"app{pid}"

    def text(self, element: str, attribute: str) -> str:
        return str(self.tree.get(element, {}).get(attribute, ""))

    def children(self, element: str) -> list[str]:
        kids = list(self.tree.get(element, {}).get("AXChildren", []))  # type: ignore[call-overload]
        for kid in kids:
            self.live[kid] = self.live.get(kid, 0) + 1
        return kids

    def release(self, element: str) -> None:
        self.live[element] -= 1
        assert self.live[element] >= 0, f"{element} released twice"


def _mac_desktop() -> dict[str, dict[str, object]]:
    return {
        "app101": {"AXRole": "AXApplication", "AXChildren": ["bar", "zwin"]},
        "bar": {"AXRole": "AXMenuBar", "AXChildren": ["meeting"]},
        "meeting": {"AXRole": "AXMenuBarItem", "AXTitle": "Meeting", "AXChildren": ["menu"]},
        "menu": {"AXRole": "AXMenu", "AXChildren": ["mute_item", "video_item"]},
        "mute_item": {"AXRole": "AXMenuItem", "AXTitle": "Mute Audio"},
        "video_item": {"AXRole": "AXMenuItem", "AXTitle": "Stop Video"},
        "zwin": {"AXRole": "AXWindow", "AXTitle": "Zoom Meeting", "AXChildren": ["zbtn"]},
        "zbtn": {"AXRole": "AXButton", "AXDescription": "Mute My Audio"},
        "app202": {"AXRole": "AXApplication", "AXChildren": ["cwin", "ytwin"]},
        "cwin": {"AXRole": "AXWindow", "AXTitle": "Meet – abc-defg-hij - Google Chrome",
                 "AXChildren": ["tab"]},
        "tab": {"AXRole": "AXButton", "AXTitle": "Mute tab"},
        "ytwin": {"AXRole": "AXWindow", "AXTitle": "Cats - YouTube", "AXChildren": ["yt"]},
        "yt": {"AXRole": "AXButton", "AXDescription": "Mute (m)"},
    }


def test_ax_reads_zoom_window_and_menu_and_releases_what_it_retains() -> None:
    from overlay.capture.a11y.ax import AxBackend

    api = FakeAx(_mac_desktop(), [(101, "zoom.us"), (202, "Google Chrome"), (303, "Finder")])
    backend = AxBackend.open(api)
    reader = MuteFromA11y(backend)
    reading = reader.read(0.0)
    assert reading is not None and (reading.state, reading.app) == ("unmuted", "zoom")
    assert api.opened == [101, 202]  # Finder's tree is never walked
    api.tree["zbtn"]["AXDescription"] = "Unmute My Audio"
    api.tree["mute_item"]["AXTitle"] = "Unmute Audio"
    assert reader.read(1.0).state == "muted"  # type: ignore[union-attr]
    backend.close()
    assert all(count == 0 for count in api.live.values()), api.live


def test_ax_without_the_permission_says_so() -> None:
    from overlay.capture.a11y.ax import AxBackend
    from overlay.capture.a11y.reader import A11yUnavailable

    with pytest.raises(A11yUnavailable, match="Accessibility permission"):
        AxBackend.open(FakeAx({}, [], trusted=False))


def test_ax_ctypes_layer_copies_and_releases_one_attribute() -> None:
    """CtypesAx.text against fake ApplicationServices/CoreFoundation: the attribute name is a
    UTF-8 CFString made once, the copied value is released, a non-string is no label."""
    import ctypes

    from overlay.capture.a11y.ax import CtypesAx

    calls: list[tuple] = []  # type: ignore[type-arg]

    class Lib:
        pass

    ax, cf = Lib(), Lib()
    ax.AXIsProcessTrusted = lambda: True  # type: ignore[attr-defined]
    ax.AXUIElementCreateApplication = lambda pid: 1000 + pid  # type: ignore[attr-defined]

    def copy(element: int, attribute: int, out: object) -> int:
        calls.append(("copy", element, attribute))
        out._obj.value = 77 if element == 5 else 88  # type: ignore[attr-defined]
        return 0

    def get_cstring(value: int, buf: ctypes.Array, size: int, encoding: int) -> bool:  # type: ignore[type-arg]
        buf.value = b"Mute Audio"
        return True

    ax.AXUIElementCopyAttributeValue = copy  # type: ignore[attr-defined]
    cf.CFStringCreateWithCString = (  # type: ignore[attr-defined]
        lambda alloc, text, enc: calls.append(("cfstring", text, enc)) or 4242)
    cf.CFStringGetCString = get_cstring  # type: ignore[attr-defined]
    cf.CFGetTypeID = lambda v: 7 if v == 77 else 9  # type: ignore[attr-defined]
    cf.CFStringGetTypeID = lambda: 7  # type: ignore[attr-defined]
    cf.CFArrayGetTypeID = lambda: 8  # type: ignore[attr-defined]
    for name in ("CFArrayGetCount", "CFArrayGetValueAtIndex", "CFRetain"):
        setattr(cf, name, lambda *a: 0)
    cf.CFRelease = lambda v: calls.append(("release", v))  # type: ignore[attr-defined]
    api = CtypesAx(ax, cf, windows=object())
    assert api.text(5, "AXTitle") == "Mute Audio"
    assert api.text(6, "AXTitle") == ""  # not a CFString
    assert calls == [("cfstring", b"AXTitle", 0x08000100), ("copy", 5, 4242), ("release", 77),
                     ("copy", 6, 4242), ("release", 88)]


# -- the session: the app's own reading first, the pixels second --------------------------------
def test_meeting_step_asks_the_app_first_and_says_which_source_decided() -> None:
    from overlay.capture.a11y.watcher import MeetingA11yWatcher
    from overlay.capture.base import ScreenShot
    from overlay.session.meeting_step import MeetingStep
    from overlay.session.recorder import SessionRecorder
    from overlay.settings import load_settings
    from tests.test_meeting import zoom_screen

    now = [0.0]
    backend = FakeBackend([Control("zoom", "push button", "Mute My Audio", "b1")])
    watcher = MeetingA11yWatcher(lambda: now[0], max_age=3.0, backend=lambda: backend)
    reader = MuteFromA11y(backend)
    recorder = SessionRecorder(keep_events=True)
    step = MeetingStep(load_settings(), recorder)
    step.a11y = watcher
    muted_pixels = zoom_screen(True)
    shot = ScreenShot(0.0, muted_pixels, (0, 0, 800, 450), "window")

    watcher.read_once(reader)  # the app says unmuted; the screen shows muted
    step.on_screen(shot)
    assert (step.state, step.latest.source) == ("unmuted", "accessibility")  # type: ignore[union-attr]
    assert step.report()["meeting"]["source"] == "accessibility"

    # The app reading grows old (the watcher stalled): the pixels decide, and say so.
    step.on_screen(ScreenShot(3.5, muted_pixels, (0, 0, 800, 450), "window"))
    assert (step.state, step.latest.source) == ("muted", "pixels")  # type: ignore[union-attr]

    # The control went away (no reading from the app): pixels again.
    now[0] = 4.0
    backend.set("b1", None)
    watcher.read_once(reader)
    assert watcher.current(4.0) is None
    events = [(e.data["state"], e.data["via"]) for e in recorder.events_of("meeting")]
    assert events == [("unmuted", "accessibility"), ("muted", "pixels")]


def test_watcher_without_an_accessibility_layer_ends_quietly() -> None:
    from overlay.capture.a11y.reader import A11yUnavailable
    from overlay.capture.a11y.watcher import MeetingA11yWatcher

    def unavailable() -> FakeBackend:
        raise A11yUnavailable("no D-Bus session bus")

    watcher = MeetingA11yWatcher(lambda: 0.0, backend=unavailable)
    watcher.start()
    watcher.stop()
    assert watcher.unavailable == "no D-Bus session bus"
    assert watcher.current(0.0) is None


def test_atspi_on_a_session_bus_without_the_accessibility_bus(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """A session bus where org.a11y.Bus cannot be started: unavailable, saying why."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon")
    pytest.importorskip("jeepney")
    from overlay.capture.a11y.atspi import AtspiBackend
    from overlay.capture.a11y.reader import A11yUnavailable

    config = tmp_path / "bus.conf"  # a session bus with no service files: nothing activatable
    config.write_text(f"""<busconfig><type>session</type><listen>unix:dir={tmp_path}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/>
<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>""")
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork",
                            "--print-address=1"], stdout=subprocess.PIPE)
    try:
        address = bus.stdout.readline().decode().strip()  # type: ignore[union-attr]
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        with pytest.raises(A11yUnavailable, match="GetAddress"):
            AtspiBackend.open()
    finally:
        bus.terminate()
        bus.wait(timeout=10)


def test_the_summary_says_what_decided_the_mute_state() -> None:
    from overlay.review.summary import summarise
    from tests.test_summary import E, info

    events = [E(0, "session_started", {"mode": "live", "source": "cam"}),
              E(5, "meeting", {"state": "unmuted", "app": "meet", "via": "accessibility"}),
              E(9, "meeting", {"state": "unknown", "app": None, "via": "pixels"}),
              E(12, "meeting", {"state": "muted", "app": "meet", "via": "accessibility"}),
              E(20, "session_ended", {"reason": "stopped"})]
    assert summarise(events, info(duration=20)).meeting_sources == ("accessibility", "pixels")
    older = [{**e.data} for e in events]  # logs written before `via` existed
    assert all("via" not in d or d.pop("via") for d in older)
    plain = [E(e.t, e.kind, d) for e, d in zip(events, older, strict=True)]
    assert summarise(plain, info(duration=20)).meeting_sources == ()
