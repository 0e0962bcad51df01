"""The real overlay window under Xvfb + xcompmgr, over a stand-in meeting window in another process.

Driven by a replayed (generated) clip through the real LiveSession, with the stage setting what the
snapshot says about the nudge and the answer length (scripts/screenshots.py --drive). Checked on
root-window screenshots compared with a screenshot taken before the overlay started, so nothing
here trusts the overlay's own idea of where it drew:
- the cue panel, the chip and the ring appear where the camera setting puts the lens;
- only they change pixels (the rest of the window is transparent, composited over the meeting);
- the chip's text is at least 18 px tall, ascender to descender;
- the ring is drawn in each stage's colour;
- a real hotkey (xdotool key) flips the cue card;
- clicks on the overlay reach the meeting window below.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
OFFSET_X = -120  # an off-centre camera, to check the overlay follows the setting
STAGE_RGB = {"timer_calm": (0x8E, 0xC5, 0xFF), "timer_amber": (0xFF, 0xC5, 0x3D),
             "timer_orange": (0xFF, 0x8A, 0x3D), "timer_red": (0xFF, 0x4D, 0x4F)}

pytestmark = pytest.mark.xvfb


def _load(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as img:
        return np.asarray(img.convert("RGB")).astype(np.int16)


def _changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b).max(axis=2) > 24


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    assert len(xs), "nothing changed on screen"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    for tool in ("Xvfb", "xcompmgr", "xdotool", "import"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xcompmgr xdotool "
                        f"imagemagick); the overlay's screenshot tests need it")
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots

    work = tmp_path_factory.mktemp("xvfb")
    sheets = work / "config" / "cue-sheets"
    sheets.mkdir(parents=True)
    shutil.copy(ROOT / "config" / "cuesheet_template.md", sheets / "interview.md")
    desk = screenshots.Desktop(work, {"ONCUE_CONFIG_DIR": str(work / "config"),
                                      "ONCUE_DATA_DIR": str(work / "data"),
                                      "ONCUE_OVERLAY_CAMERA_OFFSET_X": str(OFFSET_X)})
    try:
        desk.base = _load(desk.grab(work / "base.png"))
        desk.start_overlay(screenshots.make_clip(work / "clip.mp4", seconds=8))
        desk.work = work
        yield desk
    finally:
        code = desk.close()
    assert code == 0, "the overlay driver did not shut down cleanly"


def _shot(desk, name: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    return _load(desk.grab(desk.work / f"{name}.png"))


def test_panel_flanks_the_lens_and_the_rest_is_transparent(desktop) -> None:  # type: ignore[no-untyped-def]
    geo = desktop.stage("none")
    lens_x = 1600 // 2 + OFFSET_X
    assert tuple(geo["lens"]) == (lens_x, 0)
    shot = _shot(desktop, "none")
    changed = _changed(shot, desktop.base)
    x0, y0, x1, y1 = _bbox(changed)
    assert x1 < lens_x - 100, "the cue panel should sit left of the lens, clear of the chip"
    assert 0 < y0 <= 20 and x1 - x0 >= 250 and y1 - y0 >= 100
    wx, wy, ww, wh = geo["window"]
    outside = changed[wy:wy + wh, wx:wx + ww].copy()
    outside[y0 - wy:y1 - wy, x0 - wx:x1 - wx] = False
    assert outside.sum() == 0, "the window's empty area is not transparent"
    white = (shot[y0 + 14:y1 - 14, x0 + 14:x1 - 14].min(axis=2) > 200).sum()  # inside the rim
    assert white > 300, "no bullet text in the panel"
    desktop.panel_box = (x0, y0, x1, y1)
    desktop.none = shot


def test_hotkey_flips_the_card(desktop) -> None:  # type: ignore[no-untyped-def]
    before = desktop.stage("none")["card"]
    desktop.xdotool("key", "--delay", "40", "ctrl+alt+n")
    desktop.expect("command next_card", timeout=10)
    desktop.xdotool("key", "--delay", "40", "ctrl+alt+n")
    desktop.expect("command next_card", timeout=10)
    after = desktop.stage("none")
    assert after["card"] != before  # the template's first card has two pages
    shot = _shot(desktop, "flipped")
    x0, y0, x1, y1 = desktop.panel_box
    assert _changed(shot[y0:y1, x0:x1], desktop.none[y0:y1, x0:x1]).sum() > 200
    desktop.none = shot


@pytest.mark.parametrize("stage", ["chip_backlit", "chip_look_at_lens"])
def test_chip_sits_under_the_lens_with_18px_text(desktop, stage) -> None:  # type: ignore[no-untyped-def]
    geo = desktop.stage(stage)
    shot = _shot(desktop, stage)
    x0, y0, x1, y1 = _bbox(_changed(shot, desktop.none))
    lens_x = geo["lens"][0]
    assert abs((x0 + x1) / 2 - lens_x) <= 4, "the chip is not centred under the lens"
    assert 4 <= y0 <= 20 and 36 <= y1 - y0 <= 60
    # White text inside the pill, away from its rounded ends and antialiased rim, which blend
    # with the light page below into near-white pixels.
    h = y1 - y0
    inner = shot[y0 + 3:y1 - 3, x0 + h // 2:x1 - h // 2]
    rows = np.nonzero((inner.min(axis=2) > 200).any(axis=1))[0]
    ink = rows.max() - rows.min() + 1
    assert ink < h - 10, "measured the pill, not the text"
    if stage == "chip_backlit":  # "Light is behind you": ascenders and a descender
        assert ink >= 18, f"text is {ink} px tall"
    else:  # "Look at the lens": ascender height only, about 0.73 of the font size
        assert ink >= 14, f"text is {ink} px tall"
    desktop.chip_centre = ((x0 + x1) // 2, (y0 + y1) // 2)


@pytest.mark.parametrize("stage", list(STAGE_RGB))
def test_timer_ring_beside_the_lens_in_each_stage_colour(desktop, stage) -> None:  # type: ignore[no-untyped-def]
    geo = desktop.stage(stage)
    shot = _shot(desktop, stage)
    x0, y0, x1, y1 = _bbox(_changed(shot, desktop.none))
    lens_x = geo["lens"][0]
    assert x0 > lens_x + 100 and 4 <= y0 <= 20, "the ring is not beside the lens"
    assert 60 <= x1 - x0 <= 100 and abs((x1 - x0) - (y1 - y0)) <= 2
    want = np.array(STAGE_RGB[stage])
    region = shot[y0:y1, x0:x1]
    near = (np.abs(region - want).max(axis=2) <= 12).sum()
    assert near > 150, f"{stage}: only {near} pixels in the stage colour"
    for other, rgb in STAGE_RGB.items():
        if other != stage:
            assert (np.abs(region - np.array(rgb)).max(axis=2) <= 8).sum() < near / 4


def test_clicks_pass_through_to_the_meeting_window(desktop) -> None:  # type: ignore[no-untyped-def]
    desktop.stage("desktop")
    x0, y0, x1, y1 = desktop.panel_box
    targets = [getattr(desktop, "chip_centre", (1600 // 2 + OFFSET_X, 30)),
               ((x0 + x1) // 2, (y0 + y1) // 2)]
    for x, y in targets:
        desktop.xdotool("mousemove", str(x), str(y), "click", "1")
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        clicks = [line.split() for line in desktop.clicks.read_text().splitlines()
                  if line.startswith("click")]
        if len(clicks) >= len(targets):
            break
        time.sleep(0.1)
    got = [(int(c[1]), int(c[2])) for c in clicks]
    assert got == [tuple(t) for t in targets]
