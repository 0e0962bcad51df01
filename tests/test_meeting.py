"""ZoomMuteReader on the real Zoom Linux screens and on synthetic toolbars drawn here."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors.meeting import ZoomMuteReader
from overlay.capture.media import read_image

CANVAS, BAR, GLYPH, RED = (34, 34, 34), (37, 39, 41), (200, 200, 202), (237, 82, 91)


def zoom_screen(muted: bool | None, scale: float = 1.0, light: bool = False,
                toolbar: bool = True, size: tuple[int, int] = (800, 450)) -> np.ndarray:
    """A meeting window drawn from scratch: dark canvas, toolbar with a microphone button
    (slashed when muted, None for no button at all), a camera button and labels."""
    w, h = size
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = CANVAS
    if toolbar:
        s, top = scale, h - int(52 * scale)
        img[top:] = BAR

        def p(v: float) -> int:
            return int(round(v))

        cx, gy = 60 * s, top + 6 * s
        if muted is not None:
            cv2.rectangle(img, (p(cx - 4 * s), p(gy + 4 * s)), (p(cx + 4 * s), p(gy + 11 * s)),
                          GLYPH, -1, cv2.LINE_AA)
            for yc in (gy + 4 * s, gy + 11 * s):
                cv2.circle(img, (p(cx), p(yc)), p(4 * s), GLYPH, -1, cv2.LINE_AA)
            cv2.ellipse(img, (p(cx), p(gy + 11 * s)), (p(6.5 * s), p(6.5 * s)), 0, 0, 180, GLYPH,
                        max(1, p(1.5 * s)), cv2.LINE_AA)
            cv2.line(img, (p(cx), p(gy + 17 * s)), (p(cx), p(gy + 20 * s)), GLYPH,
                     max(1, p(1.5 * s)))
            cv2.rectangle(img, (p(cx - 4 * s), p(gy + 20 * s)), (p(cx + 4 * s), p(gy + 21.5 * s)),
                          GLYPH, -1)
            if muted:
                a, b = (p(cx - 11.5 * s), p(gy + 22.5 * s)), (p(cx + 12.5 * s), p(gy - 1 * s))
                cv2.line(img, a, b, BAR, max(2, p(5 * s)), cv2.LINE_AA)
                cv2.line(img, a, b, RED, max(1, p(2.2 * s)), cv2.LINE_AA)
            label = "Unmute" if muted else "Mute"
            size_t = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, 0.38 * s, 1)[0]
            cv2.putText(img, label, (p(cx - size_t[0] / 2), p(gy + 36 * s)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.38 * s, GLYPH, 1, cv2.LINE_AA)
        vx = cx + 80 * s  # the camera button next to it
        cv2.rectangle(img, (p(vx - 10 * s), p(gy + 5 * s)), (p(vx + 4 * s), p(gy + 18 * s)),
                      GLYPH, -1)
        cv2.putText(img, "Start Video", (p(vx - 28 * s), p(gy + 36 * s)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.38 * s, GLYPH, 1, cv2.LINE_AA)
    if light:
        c = img.astype(np.int16)
        neutral = (c.max(axis=2) - c.min(axis=2)) < 40
        img[neutral] = 255 - img[neutral]
    return img


@pytest.mark.parametrize("scale", [0.75, 1.0, 1.5, 2.0])
@pytest.mark.parametrize("light", [False, True])
@pytest.mark.parametrize("muted", [True, False])
def test_synthetic_toolbar_any_scale_and_theme(scale: float, light: bool, muted: bool) -> None:
    reading = ZoomMuteReader().read(zoom_screen(muted, scale, light))
    assert reading.state == ("muted" if muted else "unmuted")
    assert reading.app == "zoom"
    x, y, w, h = reading.box
    cx = 60 * scale
    assert x < cx < x + w and h > 20 * scale


def test_hidden_toolbar_is_unknown_and_empty_desktop_is_not_in_meeting() -> None:
    assert ZoomMuteReader().read(zoom_screen(True, toolbar=False)).state == "unknown"
    desktop = np.zeros((450, 800, 3), np.uint8)
    desktop[:] = (40, 110, 150)
    assert ZoomMuteReader().read(desktop).state == "not_in_meeting"


def test_reader_follows_the_button_and_never_keeps_a_stale_state() -> None:
    reader = ZoomMuteReader(search_period=3.0)
    assert reader.read(zoom_screen(True), t=0.0).state == "muted"
    assert reader.read(zoom_screen(False), t=0.5).state == "unmuted"
    assert reader.read(zoom_screen(True, toolbar=False), t=1.0).state == "unknown"
    assert reader.read(zoom_screen(True, toolbar=False), t=1.5).state == "unknown"
    # The toolbar comes back after the throttled search: found again on the next search.
    assert reader.read(zoom_screen(True), t=4.5).state == "muted"


def _labelled(shared_data: Path) -> tuple[Path, list[dict[str, str]]]:
    folder = shared_data / "screens" / "zoom-linux"
    if not (folder / "labels.csv").is_file():
        pytest.skip(f"no Zoom screens at {folder}")
    return folder, list(csv.DictReader((folder / "labels.csv").open()))


def test_every_labelled_zoom_screen(shared_data: Path) -> None:
    folder, rows = _labelled(shared_data)
    wrong = []
    for row in rows:
        reading = ZoomMuteReader().read(read_image(folder / row["file"])[..., :3])
        if reading.state != row["state"]:
            wrong.append((row["file"], row["state"], reading.state))
    assert not wrong


def test_pasted_unmuted_frame_and_cropped_toolbar(shared_data: Path) -> None:
    folder, _ = _labelled(shared_data)
    frame = read_image(folder / "join-meeting-url_frame497.png")[..., :3].copy()
    muted = read_image(folder / "button_muted_label_Unmute.png")[..., :3]
    plain = read_image(folder / "button_unmuted_label_Mute.png")[..., :3]
    reading = ZoomMuteReader().read(frame)
    assert reading.state == "muted"
    res = cv2.matchTemplate(frame, np.ascontiguousarray(muted), cv2.TM_SQDIFF)
    x, y = cv2.minMaxLoc(res)[2]
    bx, by, bw, bh = reading.box
    assert bx <= x + 27 <= bx + bw and by <= y + 10 <= by + bh  # the box is on the button
    frame[y:y + muted.shape[0], x:x + muted.shape[1]] = BAR
    frame[y + 1:y + 1 + plain.shape[0], x + 9:x + 9 + plain.shape[1]] = plain
    assert ZoomMuteReader().read(frame).state == "unmuted"
    big = cv2.resize(frame, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    assert ZoomMuteReader().read(big).state == "unmuted"
    assert ZoomMuteReader().read(frame[:y - 3]).state == "unknown"


# -- Teams, Meet, Webex (detectors/meeting_apps.py) ------------------------------------------------
def _mic_glyph(img: np.ndarray, cx: float, cy: float, s: float, colour: tuple[int, int, int],
               slash: tuple[int, int, int] | None, gap: tuple[int, int, int]) -> None:
    """A Material-style microphone centred at (cx, cy), optionally slashed."""
    def p(v: float) -> int:
        return int(round(v))
    cv2.rectangle(img, (p(cx - 3 * s), p(cy - 8 * s)), (p(cx + 3 * s), p(cy + 1 * s)), colour, -1,
                  cv2.LINE_AA)
    cv2.circle(img, (p(cx), p(cy - 8 * s)), p(3 * s), colour, -1, cv2.LINE_AA)
    cv2.circle(img, (p(cx), p(cy + 1 * s)), p(3 * s), colour, -1, cv2.LINE_AA)
    cv2.ellipse(img, (p(cx), p(cy + 1 * s)), (p(5.5 * s), p(5.5 * s)), 0, 0, 180, colour,
                max(1, p(1.3 * s)), cv2.LINE_AA)
    cv2.line(img, (p(cx), p(cy + 6.5 * s)), (p(cx), p(cy + 9 * s)), colour, max(1, p(1.3 * s)))
    cv2.rectangle(img, (p(cx - 3.5 * s), p(cy + 9 * s)), (p(cx + 3.5 * s), p(cy + 10.5 * s)),
                  colour, -1)
    if slash is not None:
        a, b = (p(cx - 10 * s), p(cy + 10 * s)), (p(cx + 10 * s), p(cy - 11 * s))
        cv2.line(img, a, b, gap, max(2, p(4 * s)), cv2.LINE_AA)
        cv2.line(img, a, b, slash, max(1, p(1.8 * s)), cv2.LINE_AA)


def meet_screen(muted: bool, disk: tuple[int, int, int] | None = None,
                scale: float = 1.0) -> np.ndarray:
    """Meet's call bar drawn from scratch: a dark screen, the round microphone button at the
    bottom centre (dark grey with a plain microphone, or light with a slashed one)."""
    img = np.zeros((int(450 * scale), int(800 * scale), 3), np.uint8)
    img[:] = (32, 33, 36)
    fill = disk or ((250, 222, 220) if muted else (60, 64, 67))
    glyph = (32, 33, 36) if muted else (255, 255, 255)
    cx, cy, r = 400 * scale, 400 * scale, 24 * scale
    cv2.circle(img, (int(cx), int(cy)), int(r), fill, -1, cv2.LINE_AA)
    _mic_glyph(img, cx, cy, scale, glyph, (217, 48, 37) if muted else None, fill)
    return img


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("muted", [True, False])
def test_meet_round_button(muted: bool, scale: float) -> None:
    from detectors.meeting_apps import MeetingMuteReader

    reading = MeetingMuteReader().read(meet_screen(muted, scale=scale))
    assert reading.state == ("muted" if muted else "unmuted")
    x, y, w, h = reading.box  # type: ignore[misc]
    assert x < 400 * scale < x + w and y < 400 * scale < y + h


def test_meet_button_whose_colour_and_glyph_disagree_is_no_reading() -> None:
    from detectors.meeting_apps import MeetingMuteReader

    # A slashed microphone on the dark "heard" disk: one of the two cues is wrong, so no state.
    odd = meet_screen(True, disk=(60, 64, 67))
    assert MeetingMuteReader().read(odd).state not in ("muted", "unmuted")


def test_a_microphone_beside_a_switch_is_a_pre_join_screen() -> None:
    from detectors.meeting_apps import MeetingMuteReader

    img = zoom_screen(False)
    top = 450 - 52
    lavender = (166, 167, 220)
    cv2.rectangle(img, (110, top + 12), (130, top + 32), lavender, -1)  # the pill, 44 x 20
    for x in (110, 130):
        cv2.circle(img, (x, top + 22), 10, lavender, -1)
    cv2.circle(img, (130, top + 22), 8, BAR, -1)  # the knob, switched on (right)
    assert ZoomMuteReader().read(img).state == "unmuted"  # the Zoom reader alone is fooled
    assert MeetingMuteReader().read(img).state == "not_in_meeting"


def test_a_slashed_microphone_without_red_is_never_unmuted() -> None:
    grey_slash = zoom_screen(True)
    red = (np.abs(grey_slash.astype(int) - RED).sum(axis=2) < 120)
    grey_slash[red] = GLYPH
    assert ZoomMuteReader().read(grey_slash).state != "unmuted"


def test_black_canvas_without_toolbar_is_unknown() -> None:
    """Zoom for macOS paints the meeting area black: a hidden toolbar is unknown there too."""
    img = zoom_screen(True, toolbar=False)
    img[:] = (0, 0, 0)
    assert ZoomMuteReader().read(img).state == "unknown"


def test_every_labelled_meeting_app_screen(shared_data: Path) -> None:
    """Zoom for Windows, Meet, Teams and Webex, every file as labelled (Webex's "You've
    successfully left the meeting" too: tests/test_meeting_webex.py)."""
    from detectors.meeting_apps import MeetingMuteReader

    folder = shared_data / "screens" / "meeting-apps"
    if not (folder / "labels.csv").is_file():
        pytest.skip(f"no meeting-app screens at {folder}")
    wrong = []
    for row in csv.DictReader((folder / "labels.csv").open()):
        got = MeetingMuteReader().read(read_image(folder / row["file"])[..., :3]).state
        if got != row["state"]:
            wrong.append((row["file"], row["state"], got))
    assert not wrong


def test_other_apps_follow_a_change_between_searches() -> None:
    """A Meet button once found is looked at again on every shot (its band of rows), so a
    change shows at once, not at the next whole-screen search."""
    from detectors.meeting_apps import MeetingMuteReader

    reader = MeetingMuteReader(search_period=3.0)
    assert reader.read(meet_screen(False), t=0.0).state == "unmuted"
    assert reader.read(meet_screen(True), t=0.5).state == "muted"
    gone = meet_screen(False)
    gone[300:] = (32, 33, 36)  # the bar hidden
    assert reader.read(gone, t=1.0).state not in ("muted", "unmuted")
    assert reader.read(meet_screen(False), t=4.5).state == "unmuted"
