"""The glyphs of Zoom's toolbar audio button, drawn in code (never copied pixels).

Templates for the plain and the slashed microphone ("Mute" / "Unmute") and the headphones of
"Join Audio", rendered supersampled at Zoom's 1x toolbar size (measured on Zoom 5 for Linux), and
the "ink" transform that makes matching indifferent to a light or dark theme. Used by
`detectors.meeting.ZoomMuteReader`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np

log = logging.getLogger(__name__)

# Glyph geometry at Zoom's 1x toolbar size (measured on Zoom 5 for Linux), in template pixels.
MIC_SIZE = 30  # square template; mic centre x = 15, capsule top y = 4
MIC_HEIGHT = 22.0  # capsule top to base bottom
SLASH = ((3.5, 26.5), (27.5, 3.0))  # the "Unmute" slash, lower left to upper right
PHONES_W, PHONES_H = 32, 24  # headphone template; centre x = 16, headband top y = 2
LABEL_GAP = 27.0  # glyph top to label top, 1x pixels
SUPERSAMPLE = 8


Pen = Callable[[float], int]  # template pixels -> supersampled pixels


def render(size: tuple[int, int], draw: Callable[[np.ndarray, Pen], None]) -> np.ndarray:
    w, h = size
    big = np.zeros((h * SUPERSAMPLE, w * SUPERSAMPLE), np.float32)
    draw(big, lambda v: int(round(v * SUPERSAMPLE)))
    return cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA)


def draw_mic(slashed: bool) -> np.ndarray:
    def draw(img: np.ndarray, p: Callable[[float], int]) -> None:
        cx, top = 15.0, 4.0
        cv2.rectangle(img, (p(cx - 4), p(top + 4)), (p(cx + 4), p(top + 11)), (1.0,), -1)
        for yc in (top + 4, top + 11):  # rounded capsule ends
            cv2.circle(img, (p(cx), p(yc)), p(4), (1.0,), -1)
        cv2.ellipse(img, (p(cx), p(top + 11)), (p(6.2), p(6.2)), 0, 0, 180, (1.0,), p(1.6))
        cv2.line(img, (p(cx - 6.2), p(top + 9)), (p(cx - 6.2), p(top + 11)), (1.0,), p(1.6))
        cv2.line(img, (p(cx + 6.2), p(top + 9)), (p(cx + 6.2), p(top + 11)), (1.0,), p(1.6))
        cv2.rectangle(img, (p(cx - 0.8), p(top + 17)), (p(cx + 0.8), p(top + 20)), (1.0,), -1)
        cv2.rectangle(img, (p(cx - 4), p(top + 20)), (p(cx + 4), p(top + 22)), (1.0,), -1)
        if slashed:
            (ax, ay), (bx, by) = SLASH
            cv2.line(img, (p(ax), p(ay)), (p(bx), p(by)), (0.0,), p(5.0))  # the dark gap around it
            cv2.line(img, (p(ax), p(ay)), (p(bx), p(by)), (0.7,), p(2.2))  # red, less ink than grey
    return render((MIC_SIZE, MIC_SIZE), draw)


def draw_headphones() -> np.ndarray:
    def draw(img: np.ndarray, p: Callable[[float], int]) -> None:
        cx = 16.0
        cv2.ellipse(img, (p(cx), p(11)), (p(8.5), p(8.5)), 0, 180, 360, (1.0,), p(1.6))
        for side in (-1, 1):
            x = cx + side * 8.5
            cv2.line(img, (p(x), p(11)), (p(x), p(14)), (1.0,), p(1.6))
            cv2.rectangle(img, (p(x - 2.2), p(12)), (p(x + 2.2), p(19)), (1.0,), -1)
        tri = np.array([[p(cx - 4), p(13.5)], [p(cx + 4), p(13.5)], [p(cx), p(9)]], np.int32)
        cv2.fillPoly(img, [tri], (0.7,))
        cv2.rectangle(img, (p(cx - 1), p(13.5)), (p(cx + 1), p(19)), (0.7,), -1)
    return render((PHONES_W, PHONES_H), draw)


def ink_of(lum: np.ndarray) -> np.ndarray:
    """Distance from the patch's background (its border median): polarity-free, so any theme."""
    border = np.concatenate([lum[0], lum[-1], lum[:, 0], lum[:, -1]])
    return np.abs(lum - np.median(border))
