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
