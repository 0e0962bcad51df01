"""Whole meeting screens made in memory for the mute reader's tests and its evaluation.

The labelled meeting-app files are mostly crops of a button. A reader must find the button in a
whole screen, at the user's display scale, in either theme, wherever the window is, and must say
`unknown` when the toolbar is hidden. These functions draw call screens in code (never copied
pixels) with a slot where a real crop is pasted, and turn any frame into the variants the held-out
screens will show: rescaled (Windows 125% and 150%, retina 2x), light theme, the window moved on a
desktop, the toolbar gone. Nothing here is saved: the real data stays in ../shared/data.
"""

from __future__ import annotations

import cv2
import numpy as np

Slot = tuple[int, int]  # where a pasted button's top-left corner goes

# Display scales the held-out screens come at: 1x, Windows 125% and 150%, retina 2x.
DISPLAY_SCALES = (1.0, 1.25, 1.5, 2.0)
DESKTOP = (40, 110, 150)


def rescale(rgb: np.ndarray, f: float) -> np.ndarray:
    if f == 1.0:
        return rgb
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(rgb, None, fx=f, fy=f, interpolation=interp)


def light_theme(rgb: np.ndarray) -> np.ndarray:
    """The light theme, roughly: neutral greys invert, red, green and blue stay."""
    out = rgb.copy()
    c = rgb.astype(np.int16)
    neutral = (c.max(axis=2) - c.min(axis=2)) < 40
    out[neutral] = 255 - rgb[neutral]
    return out


def on_desktop(rgb: np.ndarray, at: tuple[int, int] = (311, 137), f: float = 1.0,
               size: tuple[int, int] = (1920, 1080)) -> np.ndarray:
    """The window (scaled by f) moved to `at` on a plain desktop at least `size` big."""
    small = rescale(rgb, f)
    x, y = at
    w, h = max(size[0], x + small.shape[1]), max(size[1], y + small.shape[0])
    desk = np.zeros((h, w, 3), np.uint8)
    desk[:] = DESKTOP
    desk[y:y + small.shape[0], x:x + small.shape[1]] = small
    return desk


def black_canvas(rgb: np.ndarray) -> np.ndarray:
    """The meeting canvas black instead of grey, as Zoom for macOS paints it."""
    out = rgb.copy()
    c = rgb.astype(np.int16)
    canvas = ((c.max(axis=2) - c.min(axis=2)) <= 10) & (c.mean(axis=2) <= 70)
    out[canvas] = (c[canvas] // 8).astype(np.uint8)
    return out


def locate(frame: np.ndarray, crop: np.ndarray) -> tuple[int, int]:
    res = cv2.matchTemplate(frame, crop, cv2.TM_SQDIFF)
    _, _, loc, _ = cv2.minMaxLoc(res)
    return loc


def border_colour(img: np.ndarray) -> np.ndarray:
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    return np.median(border, axis=0).astype(np.uint8)


def paste(frame: np.ndarray, crop: np.ndarray, x: int, y: int) -> np.ndarray:
    out = frame.copy()
    h, w = min(crop.shape[0], out.shape[0] - y), min(crop.shape[1], out.shape[1] - x)
    out[y:y + h, x:x + w] = crop[:h, :w]
    return out


def erase(frame: np.ndarray, box: tuple[int, int, int, int], colour: np.ndarray) -> np.ndarray:
    x, y, w, h = box
    out = frame.copy()
    out[y:y + h, x:x + w] = colour
    return out


def _label(img: np.ndarray, text: str, x: float, y: float, s: float,
           colour: tuple[int, int, int]) -> None:
    cv2.putText(img, text, (int(x), int(y)), cv2.FONT_HERSHEY_SIMPLEX, 0.4 * s, colour,
                max(1, round(s)), cv2.LINE_AA)


def zoom_call(s: float = 1.0, bar: tuple[int, int, int] = (37, 39, 41),
              toolbar: bool = True) -> tuple[np.ndarray, Slot]:
    """Zoom's meeting window: grey canvas, a participant tile with a name tag, the toolbar
    (camera, participants, chat, a red End) with the audio button's place left empty."""
    w, h = int(1024 * s), int(576 * s)
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = (34, 34, 34)
    cv2.rectangle(img, (int(200 * s), int(60 * s)), (int(824 * s), int(440 * s)), (26, 26, 26), -1)
    _label(img, "Interviewer", 210 * s, 430 * s, s, (230, 230, 230))
    top = h - int(52 * s)
    slot = (int(40 * s), top + int(4 * s))
    if toolbar:
        img[top:] = bar
        ink = (200, 200, 202) if sum(bar) < 384 else (50, 50, 52)
        for k, name in enumerate(("Start Video", "Participants", "Chat")):
            x = (150 + 110 * k) * s
            cv2.rectangle(img, (int(x + 22 * s), int(top + 8 * s)), (int(x + 38 * s),
                          int(top + 22 * s)), ink, max(1, round(1.5 * s)))
            _label(img, name, x, top + 40 * s, s, ink)
        cv2.rectangle(img, (w - int(90 * s), top + int(12 * s)), (w - int(30 * s),
                      top + int(38 * s)), (220, 50, 50), -1)
        _label(img, "End", w - 75 * s, top + 30 * s, s, (255, 255, 255))
    return img, slot


def meet_call(s: float = 1.0, toolbar: bool = True) -> tuple[np.ndarray, Slot]:
    """Meet's call screen: near-black, one tile, the bottom bar with round grey buttons (camera,
    captions) and the red leave pill; the microphone's place (an 81 px crop at 1x) left empty."""
    w, h = int(1280 * s), int(720 * s)
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = (32, 33, 36)
    cv2.rectangle(img, (int(40 * s), int(30 * s)), (int(1240 * s), int(620 * s)), (60, 64, 67), -1)
    cv2.circle(img, (int(640 * s), int(320 * s)), int(60 * s), (120, 80, 160), -1, cv2.LINE_AA)
    slot = (int(597 * s), int(630 * s))
    if toolbar:
        cy = int(670 * s)
        for k, cx in enumerate((740, 800)):  # the camera, then captions ("CC" in a box)
            cv2.circle(img, (int(cx * s), cy), int(20 * s), (60, 64, 67), -1, cv2.LINE_AA)
            if k == 0:
                cv2.rectangle(img, (int((cx - 9) * s), cy - int(6 * s)), (int((cx + 3) * s),
                              cy + int(6 * s)), (255, 255, 255), -1)
                lens = np.array([[cx + 3, 670 - 2], [cx + 9, 670 - 6], [cx + 9, 670 + 6],
                                 [cx + 3, 670 + 2]], np.float64) * s
                cv2.fillPoly(img, [lens.astype(np.int32)], (255, 255, 255), cv2.LINE_AA)
            else:
                cv2.rectangle(img, (int((cx - 9) * s), cy - int(7 * s)), (int((cx + 9) * s),
                              cy + int(7 * s)), (255, 255, 255), max(1, round(2 * s)))
                _label(img, "CC", (cx - 6) * s, cy + 4 * s, 0.6 * s, (255, 255, 255))
        cv2.rectangle(img, (int(840 * s), cy - int(20 * s)), (int(910 * s), cy + int(20 * s)),
                      (234, 67, 53), -1)
        _label(img, "10:02 | abc-defg-hij", 30 * s, 675 * s, s, (230, 230, 230))
    else:
        img[int(630 * s):] = (32, 33, 36)
    return img, slot


def teams_call(s: float = 1.0, light: bool = False,
               toolbar: bool = True) -> tuple[np.ndarray, Slot]:
    """Teams' meeting window: the call bar at the top (timer, Chat, People, Camera, the red
    Leave), the video stage under it; the microphone's place left empty."""
    w, h = int(1280 * s), int(720 * s)
    bar, stage, ink = ((245, 245, 245), (230, 230, 232), (40, 40, 40)) if light else \
        ((32, 31, 31), (20, 20, 20), (230, 230, 230))
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = stage
    cv2.circle(img, (int(640 * s), int(360 * s)), int(60 * s), (100, 90, 180), -1, cv2.LINE_AA)
    slot = (int(1000 * s), int(10 * s))
    if toolbar:
        img[:int(52 * s)] = bar
        _label(img, "12:04", 20 * s, 32 * s, s, ink)
        for k, name in enumerate(("Chat", "People", "Camera")):
            _label(img, name, (700 + 90 * k) * s, 32 * s, s, ink)
        cv2.rectangle(img, (int(1150 * s), int(12 * s)), (int(1250 * s), int(40 * s)),
                      (196, 49, 75), -1)
        _label(img, "Leave", 1180 * s, 31 * s, s, (255, 255, 255))
    return img, slot


def desktop(s: float = 1.0) -> np.ndarray:
    """A desktop with no meeting: wallpaper, a panel, an editor window."""
    img = np.zeros((int(900 * s), int(1600 * s), 3), np.uint8)
    img[:] = DESKTOP
    img[:int(28 * s)] = (30, 30, 30)
    cv2.rectangle(img, (int(200 * s), int(120 * s)), (int(1100 * s), int(700 * s)),
                  (250, 250, 250), -1)
    for k in range(12):
        _label(img, "def answer(question): return story(question)", 220 * s, (160 + 40 * k) * s,
               s, (30, 30, 30))
    return img
