"""Webex's call bar: the microphone pill ("Mute" / "Unmute" / "No microphone") and the green
"Join meeting" of its pre-join screen.

Webex draws outline icons left of a text label inside pill buttons. Its microphone is drawn here
in code (outline capsule offset right, holder, stem, base; the muted one crossed by a
top-left-to-bottom-right slash), measured on the Webex Meetings web widget at 1x, and matched by
shape on an "ink" patch at the scale each candidate implies. The icon's colour then decides:
red and slashed = muted, white and plain = unmuted, grey (the disabled look) and slashed = no
microphone (`no_audio`). A text label must follow on the right, which rejects the letters of
that label and the participant list's icons. A wide green pill with white text ("Join meeting")
beside it means the pre-join screen: `not_in_meeting`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np

from detectors.meeting import MeetingReading
from detectors.meeting_scene import components, crop, is_red
from detectors.zoom_glyphs import ink_of, render

log = logging.getLogger(__name__)

SIZE = 26  # template side; the glyph spans x 4..22, y 3..24 at 1x
GLYPH_H = 22.0  # component height at 1x (glyph plus anti-aliasing)
MARGIN = 3


def draw_webex_mic(slashed: bool) -> np.ndarray:
    def draw(img: np.ndarray, p: Callable[[float], int]) -> None:
        w = p(1.4)
        cv2.ellipse(img, (p(14.5), p(7)), (p(4), p(4)), 0, 180, 360, (1.0,), w)
        cv2.ellipse(img, (p(14.5), p(13)), (p(4), p(4)), 0, 0, 180, (1.0,), w)
        cv2.line(img, (p(10.5), p(7)), (p(10.5), p(13)), (1.0,), w)
        cv2.line(img, (p(18.5), p(7)), (p(18.5), p(13)), (1.0,), w)
        # The holder; where the slash crosses it (its right-hand part) Webex leaves it out.
        cv2.ellipse(img, (p(14.5), p(13)), (p(6.5), p(6.5)), 0, 80 if slashed else 0, 180,
                    (1.0,), w)
        cv2.line(img, (p(14), p(19.5)), (p(14), p(23)), (1.0,), w)
        cv2.line(img, (p(8), p(23.5)), (p(21), p(23.5)), (1.0,), w)
        if slashed:
            cv2.line(img, (p(4), p(4)), (p(22), p(23)), (0.0,), p(4.0))
            cv2.line(img, (p(4), p(4)), (p(22), p(23)), (1.0,), w)
    return render((SIZE, SIZE), draw)


class WebexBarReader:
    def __init__(self, min_score: float = 0.55, margin: float = 0.06,
                 scales: tuple[float, float] = (0.6, 2.8)) -> None:
        self.min_score, self.margin, self.scales = min_score, margin, scales
        self._mic = {False: draw_webex_mic(False), True: draw_webex_mic(True)}

    def read(self, rgb: np.ndarray) -> MeetingReading | None:
        lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        background = cv2.blur(lum, (31, 31))
        found: dict[str, tuple[int, int, int, int]] = {}
        for ink in (cv2.subtract(lum, background), cv2.subtract(background, lum)):
            for x, y, w, h, area in components((ink > 30).view(np.uint8)):
                s = h / GLYPH_H
                if not (self.scales[0] <= s <= self.scales[1] and 0.7 <= w / h <= 1.2
                        and area <= 0.45 * w * h):
                    continue
                state = self._verify(rgb, lum, x, y, w, h, s)
                if state is not None:
                    found[state] = (x, y, w, h)
        if len(found) != 1:
            return None  # none, or buttons that disagree
        state, box = found.popitem()
        if state == "no_audio" and self._join_button(rgb, box):
            return MeetingReading("not_in_meeting", "webex", None)
        return MeetingReading(state, "webex", box)

    def _verify(self, rgb: np.ndarray, lum: np.ndarray, x: int, y: int, w: int, h: int,
                s: float) -> str | None:
        scores = {False: -1.0, True: -1.0}
        for f in (0.92, 1.0, 1.08):  # the component's height is only a guess at the scale
            x0, y0 = int(x + w / 2 - (13 + MARGIN) * s * f), int(y - (3 + MARGIN) * s * f)
            side = int(round((SIZE + 2 * MARGIN) * s * f))
            patch = crop(lum, x0, y0, x0 + side, y0 + side).astype(np.float32)
            ink = ink_of(cv2.resize(patch, (SIZE + 2 * MARGIN,) * 2,
                                    interpolation=cv2.INTER_AREA))
            for k, t in self._mic.items():
                scores[k] = max(scores[k],
                                float(cv2.matchTemplate(ink, t, cv2.TM_CCOEFF_NORMED).max()))
        slashed = scores[True] >= self.min_score and scores[True] - scores[False] >= self.margin
        plain = scores[False] >= self.min_score and scores[False] - scores[True] >= self.margin
        if not (slashed or plain) or not self._has_label(lum, x, y, w, h):
            return None
        icon = rgb[y:y + h, x:x + w].reshape(-1, 3)
        strong = icon[np.abs(lum[y:y + h, x:x + w].astype(np.int16).ravel()
                             - int(np.median(lum[y:y + h, x:x + w]))) > 30]
        if len(strong) == 0:
            return None
        red = float(is_red(strong).mean())
        c = strong.astype(np.int16)
        bright = float(np.median(c.max(axis=1)))
        grey = float(np.median(c.max(axis=1) - c.min(axis=1))) < 25
        log.debug("webex icon at %d,%d: plain %.2f slashed %.2f red %.2f bright %.0f",
                  x, y, scores[False], scores[True], red, bright)
        if slashed and red >= 0.5:
            return "muted"
        if slashed and grey and red < 0.05 and 70 <= bright <= 180:
            return "no_audio"  # the disabled look: "No microphone"
        if plain and grey and red < 0.05 and bright > 200:
            return "unmuted"
        return None

    @staticmethod
    def _has_label(lum: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
        """Text to the right: a run of ink, shorter than the icon, starting within a gap."""
        x0, x1 = x + w + max(2, w // 5), min(lum.shape[1], x + w + 4 * w)
        if x1 - x0 < 2 * w:
            return False  # no room for a label (a participant list's icon at the panel's end)
        row = lum[y + h // 6:y + h - h // 6, x0:x1]
        ink = ink_of(row.astype(np.float32)) > 40
        return 0.06 <= float(ink.mean()) <= 0.5 and bool(ink[:, : max(1, w)].any())

    @staticmethod
    def _join_button(rgb: np.ndarray, box: tuple[int, int, int, int]) -> bool:
        """A filled green pill (Webex green, about 29, 127, 95; 23, 94, 71 pressed or hovered)
        on the bar's row."""
        x, y, w, h = box
        c = rgb.astype(np.int16)
        green = ((c[..., 1] - np.maximum(c[..., 0], c[..., 2]) >= 15)
                 & (c[..., 1] - c[..., 0] >= 40) & (c[..., 1] > 60))
        band = green[max(0, y - 2 * h):y + 3 * h].view(np.uint8)
        for _, _, bw, bh, area in components(np.ascontiguousarray(band)):
            if bw >= 2 * bh and bh >= h and area >= 0.6 * bw * bh:
                return True
        return False
