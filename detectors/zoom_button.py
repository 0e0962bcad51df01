"""One candidate checked: is Zoom's toolbar audio button here, and which state does it show?

`ButtonCheck.verify` matches the drawn glyph (`detectors.zoom_glyphs`) on an "ink" patch at the
scale the candidate implies, then asks for the text label under it (toolbar buttons have one,
name-tag icons do not), plain background on three sides of the patch, and the colour: red along
the slash line means muted, no red and a grey capsule unmuted, a slashed shape without red
(a disabled button) unknown, never unmuted. Used by `detectors.meeting.ZoomMuteReader`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.meeting_scene import crop, is_red
from detectors.zoom_glyphs import (
    LABEL_GAP,
    MIC_SIZE,
    PHONES_H,
    PHONES_W,
    SLASH,
    draw_headphones,
    draw_mic,
    ink_of,
)

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Button:
    state: str
    score: float
    cx: float
    top: float
    scale: float

    def box(self, shape: tuple[int, ...]) -> Box:
        s = self.scale
        x0, y0 = max(0, int(self.cx - 25 * s)), max(0, int(self.top - 3 * s))
        x1, y1 = min(shape[1], int(self.cx + 25 * s)), min(shape[0], int(self.top + 38 * s))
        return (x0, y0, x1 - x0, y1 - y0)


class ButtonCheck:
    """`min_score`: the normalised correlation a glyph needs with its drawn template."""

    def __init__(self, min_score: float = 0.65) -> None:
        self.min_score = min_score
        self._mic = {False: draw_mic(False), True: draw_mic(True)}
        self._phones = draw_headphones()

    def verify(self, rgb: np.ndarray, lum: np.ndarray, cx: float, top: float, s: float,
                phones: bool) -> Button | None:
        """Matches the drawn glyph near (cx, top) at scale s (a little jitter); checks colours."""
        tw, th = (PHONES_W, PHONES_H) if phones else (MIC_SIZE, MIC_SIZE)
        ox, oy = (16.0, 2.0) if phones else (15.0, 4.0)
        margin = 4
        x0, y0 = cx - (ox + margin) * s, top - (oy + margin) * s
        x1, y1 = x0 + (tw + 2 * margin) * s, y0 + (th + 2 * margin) * s
        if not self._has_label(lum, cx, top, s):
            return None
        patch = crop(lum, int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1)))
        size = (tw + 2 * margin, th + 2 * margin)
        ink = ink_of(cv2.resize(patch, size, interpolation=cv2.INTER_AREA).astype(np.float32))
        if float(ink.max()) < 40:
            return None
        plain_sides = sum(float((side < 25).mean()) >= 0.7
                          for side in (ink[0], ink[-1], ink[:, 0], ink[:, -1]))
        if plain_sides < 3:
            return None  # a toolbar glyph stands on plain background (a tooltip may touch one
            # side), not inside text, art or a pointer over a link
        templates = {"no_audio": self._phones} if phones else {
            "unmuted": self._mic[False], "muted": self._mic[True]}
        scores = {k: float(cv2.matchTemplate(ink, t, cv2.TM_CCOEFF_NORMED).max())
                  for k, t in templates.items()}
        state = max(scores, key=scores.__getitem__)
        if scores[state] < self.min_score:
            return None
        if not phones:
            state = self._mic_colour(rgb, cx, top, s)
            if state == "none":
                return None
            if state == "unmuted" and scores["muted"] > scores["unmuted"]:
                # A slashed microphone without red: a disabled button ("No microphone") or
                # another app's grey slash. Never "unmuted" on a slashed shape.
                state = "unknown"
        return Button(state, scores[state] if state in scores else 0.0, cx, top, s)

    @staticmethod
    def _has_label(lum: np.ndarray, cx: float, top: float, s: float) -> bool:
        """Zoom's toolbar buttons carry a text label under the glyph; name-tag icons do not."""
        y0, y1 = int(top + (LABEL_GAP - 1) * s), int(top + (LABEL_GAP + 10) * s)
        x0, x1 = int(cx - 12 * s), int(cx + 12 * s)
        if y1 > lum.shape[0] + 2 * s:
            return False
        ink = ink_of(crop(lum, x0, y0, x1, y1).astype(np.float32))
        return bool((ink > 40).mean() > 0.06) and bool((ink > 40).mean() < 0.6)

    @staticmethod
    def _mic_colour(rgb: np.ndarray, cx: float, top: float, s: float) -> str:
        """Red along the slash line = muted; no red and a grey capsule = unmuted."""
        (ax, ay), (bx, by) = SLASH
        t = np.linspace(0.15, 0.85, 24)
        xs = np.clip(cx + (ax - 15 + (bx - ax) * t) * s, 0, rgb.shape[1] - 1).astype(int)
        ys = np.clip(top + (ay - 4 + (by - ay) * t) * s, 0, rgb.shape[0] - 1).astype(int)
        on_slash = float(is_red(rgb[ys, xs]).mean())
        glyph = crop(rgb, int(cx - 12 * s), int(top - 4 * s), int(cx + 12 * s), int(top + 23 * s))
        anywhere = float(is_red(glyph.reshape(-1, 3)).mean())
        cap = crop(rgb, int(cx - 3 * s), int(top + 2 * s), int(cx + 3 * s) + 1, int(top + 13 * s))
        cap = cap.reshape(-1, 3).astype(np.int16)
        chroma = cap.max(axis=1) - cap.min(axis=1)
        grey = bool(np.median(chroma) < 40)
        if not grey:
            return "none"  # not Zoom's glyph (it is grey in both themes): an orange cone, a tag
        if on_slash >= 0.5:
            return "muted"
        if on_slash <= 0.05 and anywhere < 0.01:
            return "unmuted"
        return "unknown"  # a slash half there: covered, or mid-animation; do not guess


def better(a: Button | None, b: Button | None) -> Button | None:
    if b is None or (a is not None and a.score >= b.score and a.state != "unknown"):
        return a
    if a is not None and b.state == "unknown" and a.state != "unknown":
        return a
    return b
