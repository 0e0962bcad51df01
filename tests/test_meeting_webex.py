"""Webex's "you left the meeting" page (detectors/webex_screen.py): drawn from scratch here, and
the real widget's page at other scales, themes and window positions. A meeting with its toolbar
hidden must never read `not_in_meeting`."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors.meeting_apps import MeetingMuteReader
from detectors.webex_screen import left_meeting, webex_logo
from overlay.capture.media import read_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from mute_frames import light_theme as _light  # noqa: E402  (the variants' light theme)

HEADER, STAGE, FOOT = (27, 27, 27), (20, 20, 20), (14, 14, 14)
BLUE, CYAN, GREEN = (50, 107, 251), (20, 189, 244), (86, 213, 111)
LEFT = "You have left the meeting"


def webex_page(scale: float = 1.0, lines: tuple[str, ...] = (LEFT,), tile: bool = False,
               toolbar: bool = False, logo: bool = True) -> np.ndarray:
    """A Webex window drawn in code: header with the logo (blue loops, a green highlight on
    their upper right, the word mark), a flat stage, optional text lines, self-view tile and
    toolbar."""
    s = scale

    def p(v: float) -> int:
        return int(round(v * s))

    img = np.zeros((p(598), p(1024), 3), np.uint8)
    img[:p(80)], img[p(80):p(512)], img[p(512):] = HEADER, STAGE, FOOT
    if logo:
        cv2.ellipse(img, (p(29), p(30)), (p(7), p(9)), 0, 0, 360, BLUE, -1, cv2.LINE_AA)
        cv2.ellipse(img, (p(41), p(30)), (p(7), p(9)), 0, 0, 360, CYAN, -1, cv2.LINE_AA)
        cv2.ellipse(img, (p(43), p(25)), (p(4), p(3)), 0, 0, 360, GREEN, -1, cv2.LINE_AA)
        cv2.putText(img, "webex", (p(53), p(37)), cv2.FONT_HERSHEY_SIMPLEX, 0.75 * s,
                    (240, 240, 240), max(1, p(2)), cv2.LINE_AA)
    for k, text in enumerate(lines):
        (tw, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.6 * s, max(1, p(1)))
        cv2.putText(img, text, (p(512) - tw // 2, p(300 + 40 * k)), cv2.FONT_HERSHEY_SIMPLEX,
                    0.6 * s, (235, 235, 235), max(1, p(1)), cv2.LINE_AA)
    if tile:  # the self-view: a black tile with an avatar
        cv2.rectangle(img, (p(760), p(400)), (p(920), p(490)), (12, 12, 12), -1)
        cv2.circle(img, (p(840), p(445)), p(30), (150, 110, 90), -1, cv2.LINE_AA)
    if toolbar:
        for k, label in enumerate(("Mute", "Start video", "Settings")):
            x = p(300 + 150 * k)
            cv2.rectangle(img, (x, p(525)), (x + p(130), p(570)), (200, 200, 200), max(1, p(1)))
            cv2.putText(img, label, (x + p(20), p(553)), cv2.FONT_HERSHEY_SIMPLEX, 0.55 * s,
                        (230, 230, 230), max(1, p(1)), cv2.LINE_AA)
    return img


def _on_desktop(img: np.ndarray, x: int = 333, y: int = 121) -> np.ndarray:
    desk = np.zeros((max(900, img.shape[0] + y + 10), max(1600, img.shape[1] + x + 10), 3),
                    np.uint8)
    desk[:] = (40, 110, 150)
    desk[y:y + img.shape[0], x:x + img.shape[1]] = img
    return desk


def _read(img: np.ndarray) -> str:
    return MeetingMuteReader().read(img).state


@pytest.mark.parametrize("scale", [0.75, 1.0, 1.25, 1.5, 2.0])
@pytest.mark.parametrize("light", [False, True])
def test_drawn_left_page_any_scale_and_theme(scale: float, light: bool) -> None:
    page = webex_page(scale)
    page = _light(page) if light else page
    assert webex_logo(page) is not None
    assert left_meeting(page) is not None
    assert _read(page) == "not_in_meeting"
    assert _read(_on_desktop(page)) == "not_in_meeting"  # the window moved, on a desktop


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("change", ["tile", "two lines", "no text", "no logo", "toolbar"])
def test_what_a_meeting_with_its_toolbar_hidden_shows_is_never_the_left_page(
        scale: float, change: str) -> None:
    """A self-view, a second line, a blank stage or no logo: no `not_in_meeting` from the look
    (the Zoom reader's dark-canvas verdict stands: `unknown`)."""
    page = webex_page(scale, tile=change == "tile", logo=change != "no logo",
                      lines=(LEFT, "Rejoin") if change == "two lines" else
                      () if change == "no text" else (LEFT,), toolbar=change == "toolbar")
    assert left_meeting(page) is None
    if change != "toolbar":
        assert _read(page) == "unknown"


def _webex(shared_data: Path, name: str) -> np.ndarray:
    path = shared_data / "screens" / "meeting-apps" / name
    if not path.is_file():
        pytest.skip(f"no Webex screen at {path}")
    return np.ascontiguousarray(read_image(path)[..., :3])


def _rescale(img: np.ndarray, f: float) -> np.ndarray:
    return cv2.resize(img, None, fx=f, fy=f,
                      interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)


@pytest.mark.parametrize("scale", [0.75, 1.0, 1.25, 1.5, 2.0])
def test_real_left_page_at_any_scale_theme_and_place(shared_data: Path, scale: float) -> None:
    page = _rescale(_webex(shared_data, "webex_widget_left_meeting.png"), scale)
    assert _read(page) == "not_in_meeting"
    assert _read(_light(page)) == "not_in_meeting"
    assert _read(_on_desktop(page, 57, 203)) == "not_in_meeting"


def test_real_left_page_with_a_self_view_is_not_left(shared_data: Path) -> None:
    """The self-view tile of the Connecting screen pasted on the left page: that is a meeting
    whose toolbar is hidden, `unknown`."""
    page = _webex(shared_data, "webex_widget_left_meeting.png").copy()
    connecting = _webex(shared_data, "webex_widget_inmeeting_nomic_connecting.png")
    page[396:486, 727:887] = connecting[396:486, 727:887]
    assert _read(page) == "unknown"


@pytest.mark.parametrize("name", ["webex_widget_inmeeting_nomic_1.png",
                                  "webex_widget_inmeeting_nomic_2.png",
                                  "webex_widget_inmeeting_nomic_3.png",
                                  "webex_widget_inmeeting_nomic_connecting.png"])
@pytest.mark.parametrize("scale", [1.0, 1.25, 2.0])
def test_real_meeting_with_toolbar_cut_away_is_unknown(shared_data: Path, name: str,
                                                       scale: float) -> None:
    img = _webex(shared_data, name)
    cut = _rescale(img[:int(img.shape[0] * 0.82)], scale)
    assert _read(cut) == "unknown"


def test_left_page_cut_under_its_stage_is_no_reading() -> None:
    """Where the image ends under the stage, the call bar may be just out of sight."""
    page = webex_page()
    assert left_meeting(page[:520]) is None
    assert MeetingMuteReader().read(page[:520]).state == "unknown"
