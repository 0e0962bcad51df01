"""The pixel mute reader on the variants held-out screens will show: the real button crops pasted
into call screens the project draws itself (scripts/mute_frames.py), at 1x, Windows 125% and
150% and retina 2x, in the light theme, in a window moved across a big desktop, and the same
screens with the toolbar hidden (`unknown`, never `not_in_meeting` or a state). Decoys beside
the buttons must never give a state."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import mute_frames as frames  # noqa: E402  (scripts/mute_frames.py)

from detectors.meeting_apps import MeetingMuteReader  # noqa: E402
from overlay.capture.media import read_image  # noqa: E402

# The display scale each crop was taken at (see scripts/mute_cases.py).
NATIVE = {"zoom_toolbarcrop_unmuted_pybot_win.png": 1.5,
          "zoom_toolbarcrop_muted_pybot_win.png": 1.5, "meet_button_muted_bueller4.png": 2.0}


def _read(img: np.ndarray) -> str:
    return MeetingMuteReader().read(np.ascontiguousarray(img)).state


def _crops(shared_data: Path) -> list[tuple[str, str, str, np.ndarray]]:
    """(app, file, state, rgb) of every labelled button crop, Zoom Linux's three too."""
    out = []
    for folder, app_of in (("meeting-apps", None), ("zoom-linux", "zoom")):
        path = shared_data / "screens" / folder
        if not (path / "labels.csv").is_file():
            pytest.skip(f"no labelled screens at {path}")
        for row in csv.DictReader((path / "labels.csv").open()):
            if app_of is None and row["kind"] != "button_crop":
                continue
            if app_of is not None and not row["file"].startswith("button_"):
                continue
            rgb = np.ascontiguousarray(read_image(path / row["file"])[..., :3])
            out.append((app_of or row["app"], row["file"], row["state"], rgb))
    return out


def _frame(app: str, name: str, state: str, crop: np.ndarray, s: float) -> np.ndarray:
    button = frames.rescale(crop, s / NATIVE.get(name, 1.0))
    if state == "not_in_meeting":  # Teams' pre-join device toggles, on a desktop
        return frames.paste(frames.desktop(s), button, int(400 * s), int(300 * s))
    draw = {"zoom": frames.zoom_call, "meet": frames.meet_call, "teams": frames.teams_call}[app]
    screen, (x, y) = draw(s)
    return frames.paste(screen, button, x, y)


@pytest.mark.parametrize("scale", frames.DISPLAY_SCALES)
def test_every_crop_in_a_drawn_call_screen(shared_data: Path, scale: float) -> None:
    wrong = []
    for app, name, state, crop in _crops(shared_data):
        frame = _frame(app, name, state, crop, scale)
        looks = {"dark": frame}
        if scale in (1.0, 1.5):  # a 2000 px wide desktop: its search runs pooled
            looks["moved"] = frames.on_desktop(frame, at=(int(517 * scale), int(263 * scale)),
                                               size=(int(2000 * scale), int(1200 * scale)))
        if app != "meet":  # Meet's call screen is dark in either theme
            looks["light"] = frames.light_theme(frame)
        for look, img in looks.items():
            got = _read(img)
            if got != state:
                wrong.append((name, look, state, got))
    assert not wrong


@pytest.mark.parametrize("scale", frames.DISPLAY_SCALES)
@pytest.mark.parametrize("app", ["zoom", "meet", "teams"])
def test_toolbar_hidden_is_unknown(app: str, scale: float) -> None:
    """The call screens without their bar: a dark canvas, or Teams' light stage."""
    draw = {"zoom": frames.zoom_call, "meet": frames.meet_call, "teams": frames.teams_call}[app]
    hidden, _ = draw(scale, toolbar=False)
    assert _read(hidden) == "unknown"
    if app != "meet":
        assert _read(frames.light_theme(hidden)) == "unknown"
    if app == "teams":
        light, _ = frames.teams_call(scale, light=True, toolbar=False)
        assert _read(light) == "unknown"


@pytest.mark.parametrize("scale", frames.DISPLAY_SCALES)
def test_call_screens_without_a_microphone_give_no_state(scale: float) -> None:
    """The bars with every other button (Meet's camera and captions disks, Zoom's video and
    End, Teams' Leave) but the microphone's place empty: no state, whatever the decoys."""
    for draw in (frames.zoom_call, frames.meet_call, frames.teams_call):
        screen, _ = draw(scale)
        assert _read(screen) not in ("muted", "unmuted")
        assert _read(frames.light_theme(screen)) not in ("muted", "unmuted")


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_meet_buttons_switched_on_are_not_a_microphone(scale: float) -> None:
    """Captions switched on (a light-blue disk) and a light disk around the camera glyph: no
    state (the camera glyph matches the plain microphone at 0.47, under the 0.65 floor)."""
    screen, _ = frames.meet_call(scale)
    grey = np.abs(screen.astype(np.int16) - (60, 64, 67)).sum(axis=2) < 4
    grey[:int(640 * scale)] = False
    lit = screen.copy()
    lit[grey] = (138, 180, 248)
    assert _read(lit) not in ("muted", "unmuted")
    lit[grey] = (250, 222, 220)
    assert _read(lit) not in ("muted", "unmuted")


def test_a_desktop_is_not_in_a_meeting() -> None:
    for scale in frames.DISPLAY_SCALES:
        assert _read(frames.desktop(scale)) == "not_in_meeting"


def test_teams_prejoin_toggle_at_any_scale_is_not_in_meeting(shared_data: Path) -> None:
    """The pre-join microphone with its switch on: at 125% and up the switch's anti-aliased rim
    once made it `unmuted` (a wrong cue)."""
    crops = [c for c in _crops(shared_data) if c[1] == "teams_prejoin_mictoggle_on_win.png"]
    for _, name, state, crop in crops:
        for scale in frames.DISPLAY_SCALES:
            frame = _frame("teams", name, state, crop, scale)
            assert _read(frame) == "not_in_meeting"
            assert _read(frames.light_theme(frame)) == "not_in_meeting"


def test_a_small_glyph_on_a_wide_desktop_is_found(shared_data: Path) -> None:
    """Teams' 1x microphone in a window on a 2560 px (and a 3840 px) wide desktop, where the
    search runs pooled: found, measured again at full size (it was `unknown` there)."""
    crop = [c for c in _crops(shared_data) if c[1] == "teams_button_unmuted_win.png"][0][3]
    screen, (x, y) = frames.teams_call(1.0)
    frame = frames.paste(screen, crop, x, y)
    assert _read(frame) == "unmuted"
    for width in (2560, 3840):
        assert _read(frames.on_desktop(frame, at=(700, 300), size=(width, 1440))) == "unmuted"
