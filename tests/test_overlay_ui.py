"""The overlay's widgets, offscreen, driven by a fake session with constructed snapshots."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtGui import QColor, QFontMetrics, QImage  # noqa: E402

from detectors.coach import Shown  # noqa: E402
from detectors.nudge import PRIORITY, Nudge  # noqa: E402
from overlay.cuesheet import CueDeck, read_cue_sheet  # noqa: E402
from overlay.paths import bundled_config_dir  # noqa: E402
from overlay.session.live import SessionSnapshot  # noqa: E402
from overlay.settings import Settings, load_settings  # noqa: E402
from overlay.ui.answer_ring import STAGE_COLOURS, TimerStages  # noqa: E402
from overlay.ui.nudge_chip import ui_font  # noqa: E402
from overlay.ui.overlay_window import OverlayWindow, device_trouble  # noqa: E402
from overlay.ui.placement import Box, plan_overlay  # noqa: E402

TEXTS = {"muted": "You're muted", "mic_dead": "Mic hears nothing", "answer_stop": "Stop here",
         "wrap_up": "Wrap up", "look_at_lens": "Look at the lens", "no_face": "Back in frame",
         "answer_soft": "Think about wrapping", "slow_down": "Slow down",
         "typing": "Typing is audible", "backlit": "Light is behind you",
         "too_dark": "Too dark", "face_overexposed": "Face too bright",
         "uneven": "Light one side", "overhead": "Light from above",
         "framing": "Centre yourself", "fillers": "Fewer fillers"}


class FakeSession:
    def __init__(self) -> None:
        self.snap = SessionSnapshot(t=10.0, running=True, nudge=None, snoozed=False,
                                    speaking=False, answer_elapsed_s=None, gaze=None,
                                    devices={"camera": "ok", "microphone": "ok"})
        self.commands: list[str] = []

    def show(self, **changes: object) -> None:
        from dataclasses import replace
        self.snap = replace(self.snap, **changes)  # type: ignore[arg-type]

    def snapshot(self) -> SessionSnapshot:
        return self.snap

    def command(self, name: str, note: str = "") -> None:
        self.commands.append(name)


def _settings(**overrides: object) -> Settings:
    base = load_settings(environ={})
    return Settings(values={**base.values, **overrides}, sources=base.sources)


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    sheet = read_cue_sheet(bundled_config_dir() / "cuesheet_template.md")
    win = OverlayWindow(_settings(), FakeSession(), CueDeck([sheet], 3))
    qtbot.addWidget(win)
    win.show()
    return win


def _colours(img: QImage) -> list[QColor]:
    img = img.convertToFormat(QImage.Format.Format_ARGB32)
    return [img.pixelColor(x, y) for y in range(0, img.height(), 2)
            for x in range(0, img.width(), 2)]


def test_every_nudge_kind_is_drawn_with_white_text(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert set(TEXTS) == set(PRIORITY), "a nudge kind without a test text"
    session: FakeSession = window.session
    for kind, text in TEXTS.items():
        session.show(nudge=Shown(Nudge(10.0, kind, text), 10.0))
        window.refresh()
        qtbot.waitUntil(lambda k=kind: window.chip.kind == k and window.chip.get_opacity() == 1.0,
                        timeout=3000)
        assert window.chip.text == text
        pixels = _colours(window.chip.grab().toImage())
        white = sum(1 for c in pixels if c.alpha() > 200 and min(c.red(), c.green(),
                                                                c.blue()) > 230)
        assert white > 20, f"no text drawn for {kind}"
        pill = window.chip.pill_rect()
        assert pill.width() <= window.chip.width(), f"{text!r} does not fit the chip"


def test_chip_fades_out_when_the_nudge_ends(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.session.show(nudge=Shown(Nudge(1.0, "wrap_up", "Wrap up"), 1.0))
    window.refresh()
    qtbot.waitUntil(lambda: window.chip.get_opacity() == 1.0, timeout=3000)
    window.session.show(nudge=None)
    window.refresh()
    assert window.chip.get_opacity() > 0.5  # fading, not cut off
    qtbot.waitUntil(lambda: window.chip.get_opacity() == 0.0, timeout=3000)


def test_text_is_at_least_18_px_even_when_set_smaller(qtbot) -> None:  # type: ignore[no-untyped-def]
    win = OverlayWindow(_settings(**{"overlay.font_px": 12}), FakeSession())
    qtbot.addWidget(win)
    for px in (win.chip.font_px, win.ring.font_px, win.panel.font_px):
        assert QFontMetrics(ui_font(px)).height() >= 18


@pytest.mark.parametrize("elapsed,stage", [(None, None), (30.0, None), (59.9, None),
                                           (60.0, "calm"), (89.0, "calm"), (90.0, "amber"),
                                           (119.0, "amber"), (120.0, "orange"),
                                           (179.0, "orange"), (180.0, "red"), (400.0, "red")])
def test_timer_stages(window, qtbot, elapsed, stage) -> None:  # type: ignore[no-untyped-def]
    window.session.show(answer_elapsed_s=elapsed)
    window.refresh()
    assert window.ring.stage == stage
    if stage is None:
        assert window.ring.get_opacity() == 0.0
        return
    qtbot.waitUntil(lambda: window.ring.get_opacity() == 1.0, timeout=3000)
    want = STAGE_COLOURS[stage]
    pixels = _colours(window.ring.grab().toImage())
    close = sum(1 for c in pixels if c.alpha() > 200 and abs(c.red() - want.red()) < 12
                and abs(c.green() - want.green()) < 12 and abs(c.blue() - want.blue()) < 12)
    assert close > 15, f"ring not drawn in the {stage} colour"


def test_timer_stages_follow_the_settings() -> None:
    stages = TimerStages.from_settings({"show_timer_s": 30.0, "soft_s": 40.0,
                                        "wrap_up_s": 50.0, "stop_s": 60.0})
    assert [stages.stage(t) for t in (29, 30, 40, 50, 60)] == [None, "calm", "amber",
                                                               "orange", "red"]


def test_placement_puts_the_chip_under_the_lens_and_keeps_parts_on_screen() -> None:
    screen = Box(0, 0, 1920, 1080)
    plan = plan_overlay(screen, 0, 0, 22)
    assert plan.lens == (960, 0)
    chip = plan.chip.moved(plan.window.x, plan.window.y)
    assert chip.x + chip.w // 2 == 960 and 0 < chip.y <= 20
    ring = plan.ring.moved(plan.window.x, plan.window.y)
    panel = plan.panel.moved(plan.window.x, plan.window.y)
    assert ring.x >= chip.right and panel.right <= chip.x
    # An external camera on a second screen, near its right edge.
    second = Box(1920, 0, 1280, 1024)
    plan = plan_overlay(second, 600, 40, 22)
    assert plan.lens == (1920 + 640 + 600, 40)
    w = plan.window
    assert second.x <= w.x and w.right <= second.right and w.y >= 40
    for part in (plan.chip, plan.ring, plan.panel, plan.status):
        assert part.moved(w.x, w.y).inside(second) == part.moved(w.x, w.y)


def test_window_is_click_through_and_never_takes_focus(window) -> None:  # type: ignore[no-untyped-def]
    flags = window.windowFlags()
    for flag in (Qt.WindowType.WindowTransparentForInput, Qt.WindowType.WindowStaysOnTopHint,
                 Qt.WindowType.FramelessWindowHint, Qt.WindowType.WindowDoesNotAcceptFocus):
        assert flags & flag
    assert window.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_commands_go_to_the_session_or_the_deck(window) -> None:  # type: ignore[no-untyped-def]
    session: FakeSession = window.session
    window.refresh()
    assert window.run_command("snooze") and session.commands == ["snooze"]
    session.show(snoozed=True)
    window.refresh()
    assert window.status.text == "Nudges snoozed"
    assert window.run_command("snooze") and session.commands[-1] == "unsnooze"
    assert window.run_command("mark") and session.commands[-1] == "mark"
    first = window.panel.view
    assert window.run_command("next_card") and window.panel.view != first
    assert window.run_command("previous_card") and window.panel.view == first
    assert window.run_command("toggle_overlay") and not window.isVisible()
    assert window.run_command("toggle_overlay") and window.isVisible()
    assert not window.run_command("start_stop")  # the app's, not the window's


def test_device_trouble_is_a_quiet_status_line(window) -> None:  # type: ignore[no-untyped-def]
    assert device_trouble({"camera": "ok", "microphone": "ok"}) == ""
    assert device_trouble({"camera": "lost: unplugged", "microphone": "ok"}) == "Camera lost"
    window.session.show(devices={"camera": "lost: x", "microphone": "lost: y"})
    window.session.show(nudge=Shown(Nudge(1.0, "muted", "You're muted"), 1.0))
    window.refresh()
    assert window.status.text == "Camera lost  ·  Mic lost"
    assert window.status.font_px < window.chip.font_px  # it must not compete with the nudge
    assert window.chip.target == ("muted", "You're muted")


def test_cue_panel_grows_with_its_bullets(window) -> None:  # type: ignore[no-untyped-def]
    panel = window.panel
    short = panel.content_height()
    window.deck.per_page = 4
    window.show_cues()
    assert panel.content_height() > short
    pixels = _colours(panel.grab().toImage())
    assert sum(1 for c in pixels if min(c.red(), c.green(), c.blue()) > 230) > 50


def test_tray_menu_calls_its_callbacks(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.tray import SessionTray, TrayActions

    called: list[str] = []
    names = ("start_stop", "calibrate", "preflight", "open_summary", "open_settings",
             "open_cue_sheets", "quit")
    tray = SessionTray(TrayActions(**{n: (lambda n=n: called.append(n)) for n in names}))
    for label in ("Start session", "Calibrate camera…", "Pre-flight check…", "Open last summary",
                  "Settings…", "Cue sheets…", "Quit OnCue"):
        tray.item(label).trigger()
    assert sorted(called) == sorted(names)
    tray.show_state("stopped", "Stopped")
    assert tray.item("Start session") and tray.toolTip() == "OnCue: Stopped"
    tray.show_state("trouble", "Running, device trouble")
    assert tray.item("Stop session")


def test_settings_stub_loads_as_the_defaults(tmp_path: Path) -> None:
    from overlay.paths import user_settings_file
    from overlay.ui.user_files import ensure_cue_sheet_folder, ensure_user_settings

    path = ensure_user_settings()
    assert path == user_settings_file() and path.exists()
    assert "# font_px = 22" in path.read_text()
    assert load_settings(path, environ={}).values == load_settings(environ={}).values
    folder = ensure_cue_sheet_folder()
    assert [p.name for p in folder.glob("*.md")] == ["example-interview.md"]


def test_capture_hiding_says_why_not_on_linux(window) -> None:  # type: ignore[no-untyped-def]
    import sys

    from overlay.ui.capture_privacy import hide_from_capture

    result = hide_from_capture(window)
    if sys.platform.startswith("linux"):
        assert not result.hidden and "X11" in result.how


def test_overlay_is_placed_again_when_screens_change(window) -> None:  # type: ignore[no-untyped-def]
    from PyQt6.QtCore import QRect
    from PyQt6.QtGui import QGuiApplication

    from overlay.ui.placement import ScreenFollower

    calls: list[int] = []
    follower = ScreenFollower(lambda: calls.append(1))
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    screen.geometryChanged.emit(QRect(0, 0, 1280, 720))
    app = QGuiApplication.instance()
    app.screenAdded.emit(screen)  # type: ignore[union-attr]
    app.primaryScreenChanged.emit(screen)  # type: ignore[union-attr]
    assert len(calls) == 3
    follower.deleteLater()
    # The window's own follower re-runs placement from the current screen.
    window.plan = None
    screen.geometryChanged.emit(QRect(0, 0, 1280, 720))
    assert window.plan is not None
    lens_x = screen.geometry().x() + screen.geometry().width() // 2
    assert window.plan.lens == (lens_x, screen.geometry().y())


def test_restarting_a_session_happens_off_the_gui_thread() -> None:
    import threading

    from overlay.ui.interview_run import InterviewRun

    class Stub:
        stopped_on: str | None = None

        def stop(self, reason: str = "") -> None:
            Stub.stopped_on = threading.current_thread().name

    run = InterviewRun(None, None, None, True)
    started_on: list[str] = []
    run.start = lambda: (started_on.append(threading.current_thread().name),  # type: ignore[method-assign]
                         setattr(run, "session", Stub()))
    run.session = Stub()
    assert run.toggle()  # stop
    assert run.session is None
    run.pending.result(timeout=5)  # type: ignore[union-attr]
    assert run.collect() is None and Stub.stopped_on != threading.main_thread().name
    assert run.toggle()  # start again
    run.pending.result(timeout=5)  # type: ignore[union-attr]
    assert started_on and started_on[0].startswith("session-control")
    assert isinstance(run.session, Stub)

    def fail() -> None:
        raise RuntimeError("no camera")

    run.session = None
    run.start = fail  # type: ignore[method-assign]
    assert run.toggle()
    run.pending.exception(timeout=5)  # type: ignore[union-attr]
    assert str(run.collect()) == "no camera"
    run.stop()


def test_starting_a_session_takes_the_startup_heap_out_of_full_collections(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The first full collection after startup held the GIL for ~70 ms, the one stall of the
    # event loop over the 50 ms bar; a started session leaves the heap frozen so it never comes.
    import gc

    import overlay.session.live
    from overlay.ui.interview_run import InterviewRun

    class Session:
        devices: dict[str, str] = {}

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pass

        def start(self) -> None:
            pass

    monkeypatch.setattr(overlay.session.live, "LiveSession", Session)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        run = InterviewRun(None, None, Path("clip.mp4"), True)
        assert isinstance(run.start(), Session)
        assert gc.get_freeze_count() > 0
        # Stopping hands the heap back: a frozen stopped session's cycles would never be freed.
        Session.stop = lambda self, reason="": None  # type: ignore[attr-defined]
        assert run.toggle()
        run.pending.result(timeout=5)  # type: ignore[union-attr]
        assert gc.get_freeze_count() == 0
        run.stop()
    finally:
        gc.unfreeze()
