"""The first start: the starter cue sheet, the welcome window, the camera place saved, the run's
state on the overlay."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from overlay.ui import user_files


@pytest.fixture()
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONCUE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ONCUE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "config"


def test_a_first_start_makes_the_folder_and_a_starter_sheet(empty_home: Path) -> None:
    from overlay.cuesheet import load_cue_sheets
    from overlay.paths import cue_sheet_dir

    assert user_files.is_first_start()
    sheet = user_files.starter_cue_sheet(cue_sheet_dir())
    assert sheet == empty_home / "cue-sheets" / "example-interview.md" and sheet.is_file()
    sheets, errors = load_cue_sheets(cue_sheet_dir())
    assert errors == [] and "Interviewers" in [c.title for c in sheets[0].cards]
    user_files.mark_welcomed()
    assert not user_files.is_first_start()


def test_the_users_own_sheets_are_never_joined_by_the_starter(empty_home: Path) -> None:
    folder = empty_home / "cue-sheets"
    folder.mkdir(parents=True)
    (folder / "mgh.md").write_text("## Why us\n- the clinic\n")
    assert user_files.starter_cue_sheet(folder) is None
    assert [p.name for p in folder.glob("*.md")] == ["mgh.md"]


def test_saving_the_camera_place_keeps_the_files_other_lines(empty_home: Path) -> None:
    path = user_files.ensure_user_settings()
    before = path.read_text().splitlines()
    user_files.save_camera_offset(-140, 12)
    after = path.read_text().splitlines()
    doc = tomllib.loads(path.read_text())
    assert doc["overlay"]["camera_offset_x"] == -140 and doc["overlay"]["camera_offset_y"] == 12
    assert len(after) == len(before)  # the commented-out defaults were replaced, in place
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("# camera_offset_x = 0", "camera_offset_x = -140"),
                       ("# camera_offset_y = 0", "camera_offset_y = 12")]
    user_files.save_camera_offset(30, 0)  # again: the value lines change, nothing is added
    assert tomllib.loads(path.read_text())["overlay"]["camera_offset_x"] == 30
    assert len(path.read_text().splitlines()) == len(before)


def test_saving_adds_the_overlay_section_to_a_short_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('# mine\n[answer]\nwrap_up_s = 150\n')
    user_files.save_camera_offset(5, 0, path)
    text = path.read_text()
    assert text.startswith("# mine\n[answer]\nwrap_up_s = 150\n")
    assert tomllib.loads(text)["overlay"] == {"camera_offset_x": 5, "camera_offset_y": 0}


def test_the_settings_are_loaded_with_the_saved_place(empty_home: Path) -> None:
    from overlay.settings import load_settings

    user_files.save_camera_offset(-60, 8)
    settings = load_settings(environ={})
    assert settings["overlay.camera_offset_x"] == -60


def test_hotkeys_are_written_in_the_users_words() -> None:
    from overlay.ui.welcome_window import key_text

    assert key_text("<ctrl>+<alt>+<shift>+n", mac=False) == "Ctrl+Alt+Shift+N"
    assert key_text("<ctrl>+<alt>+<enter>", mac=True) == "Control+Option+Enter"
    assert key_text("", mac=False) == "off"


def test_the_welcome_window_shows_the_settings_hotkeys_and_moves_the_overlay(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.placement import Box
    from overlay.ui.welcome_window import STEP_PX, WelcomeWindow

    moved: list[tuple[int, int]] = []
    saved: list[tuple[int, int]] = []
    opened: list[Path] = []
    sheet = tmp_path / "example-interview.md"

    def save(x: int, y: int) -> Path:
        saved.append((x, y))
        return tmp_path / "settings.toml"

    hotkeys = {"start_stop": "<ctrl>+<alt>+<enter>", "next_card": "<ctrl>+<alt>+k",
               "snooze": ""}
    window = WelcomeWindow(hotkeys, (0, 0), Box(0, 0, 1600, 900), 22, sheet, tmp_path,
                           on_move=lambda x, y: moved.append((x, y)),
                           on_save_place=save,
                           on_open=opened.append)
    qtbot.addWidget(window)
    rows = dict((words, keys) for words, keys in window.hotkey_rows)
    assert rows["Next cue card"].endswith("+K")  # the user's binding, not the default N
    assert rows["Snooze nudges, or wake them"] == "off"
    window.arrow_buttons["left"].click()
    window.arrow_buttons["down"].click()
    assert moved == [(-STEP_PX, 0), (-STEP_PX, STEP_PX)]
    assert "left of the top centre" in window.place_text.text()
    window.save_place_button.click()
    assert saved == [(-STEP_PX, STEP_PX)] and "Saved in" in window.saved_text.text()
    window.open_sheet_button.click()
    assert opened == [sheet]


class _Run:
    busy = False


def test_the_run_state_is_on_the_overlay_from_the_start() -> None:
    from overlay.ui.first_start import OFF, ON, ON_SHOWN_S, STARTING, STOPPING, RunState

    status: SimpleNamespace = SimpleNamespace(text="")
    status.set_text = lambda t: setattr(status, "text", t)
    window = SimpleNamespace(status=status, session=None, note="", refresh=lambda: None)
    now = [0.0]
    run = _Run()
    state = RunState(window, run, clock=lambda: now[0])
    state.starting()
    assert status.text == STARTING
    window.session = object()
    state.tick()
    assert window.note == ON
    now[0] = ON_SHOWN_S + 0.1
    state.tick()
    assert window.note == ""
    run.busy, window.session = True, None  # stopping
    state.tick()
    assert status.text == STOPPING
    run.busy = False
    state.tick()
    assert status.text == OFF
    run.busy = True  # starting again
    state.tick()
    assert status.text == STARTING


def test_oncue_devices_says_a_broken_settings_file_is_broken(
        empty_home: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from overlay.capture import devices

    monkeypatch.setattr(devices, "describe_devices", lambda: "Cameras:\n  none found")
    assert devices.devices_command() == 0
    empty_home.mkdir(parents=True, exist_ok=True)
    (empty_home / "settings.toml").write_text("[overlay]\nopacity = \"x\"\n")
    assert devices.devices_command() == 1
    err = capsys.readouterr().err
    assert "settings file is broken" in err and "settings.toml" in err
    assert "'overlay.opacity'" in err
    assert devices.settings_problem() is not None


def test_the_session_is_named_after_the_cue_sheet_on_the_overlay(tmp_path: Path) -> None:
    from overlay.cuesheet import CueDeck, parse_cue_sheet
    from overlay.session.eventlog import EventLog
    from overlay.ui.overlay_app import OverlayApp

    log = EventLog(tmp_path / "log.sqlite")
    named, template, noted = (log.start_session("live", "camera+microphone") for _ in range(3))
    log.set_program(noted, "From the notes")
    sheet = parse_cue_sheet("# City General IM\n## A\n- x\n", tmp_path / "city.md")
    placeholder = parse_cue_sheet("# [Program] interview\n## A\n- x\n", tmp_path / "t.md")
    for sid, deck in ((named, [sheet]), (template, [placeholder]), (noted, [sheet])):
        fake = SimpleNamespace(window=SimpleNamespace(deck=CueDeck(deck)), event_log=log)
        OverlayApp.name_program(fake, sid)  # type: ignore[arg-type]
    assert [log.session(s).program for s in (named, template, noted)] == [
        "City General IM", None, "From the notes"]
    log.close()


def test_a_first_start_with_an_empty_home_leaves_a_starter_sheet(tmp_path: Path) -> None:
    """The bar of issue 18, through the real app: HOME empty, no ONCUE_* folder set."""
    import os
    import subprocess
    import sys

    from overlay.paths import face_model_path
    from tests.clips import make_clip

    model = face_model_path()
    if not model.is_file():
        pytest.skip(f"no face model at {model}: `oncue setup` fetches it")
    clip = make_clip(tmp_path / "clip.mp4")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONCUE_", "XDG_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", ONCUE_FACE_MODEL=str(model))
    result = subprocess.run([sys.executable, "-m", "overlay", "--replay", str(clip),
                             "--quit-after", "2"], env=env, capture_output=True, text=True,
                            timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr[-2000:]
    if sys.platform.startswith("linux"):
        config = home / ".config" / "oncue"
        assert (config / "cue-sheets" / "example-interview.md").is_file()
        assert (config / ".welcomed").is_file()
        assert "Add a cue sheet" not in result.stderr and "Traceback" not in result.stderr
