"""Meet's round microphone button, and the microphone toggle switch of a pre-join screen.

Meet draws its microphone as a glyph in a filled disk: a dark grey disk with a plain microphone
while you are heard, a light (or, in the older design, red) disk with a slashed microphone while
muted. Two independent cues must agree before a state is given: the glyph (the drawn plain and
slashed microphones of `detectors.zoom_glyphs`, matched by shape on an "ink" patch, so either
polarity) and the disk's colour. Any disagreement, or a glyph that matches neither clearly, is no
reading.

Disks are found as flat (uniform colour) connected regions whose outline fills its bounding box
like a circle does, with a hole in the middle (the glyph).

A pre-join screen (Teams, and Meet's "ready to join") shows the microphone as a toggle switch:
a pill of an accent colour with a round knob cut out at one end.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from detectors.meeting import MeetingReading
from detectors.zoom_glyphs import MIC_SIZE, draw_mic, ink_of

log = logging.getLogger(__name__)

PATCH = MIC_SIZE + 6  # the ink patch the 30 px templates slide over
GLYPH_SHARE = (0.5, 0.56, 0.62)  # glyph box side / disk diameter (Meet: about 0.55)


def _flat(rgb: np.ndarray) -> np.ndarray:
    """Pixels whose 3x3 neighbourhood is one colour: a button's fill, never its anti-aliased
    edge, so a disk and the background around it come apart."""
    lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grad = cv2.morphologyEx(lum, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    return (grad <= 3).view(np.uint8)


class RoundMicReader:
    def __init__(self, margin: float = 0.06, min_score: float = 0.5, min_plain: float = 0.65,
                 diameter: tuple[int, int] = (22, 140)) -> None:
        self.margin = margin
        self.min_score = min_score
        # "Unmuted" needs a clear plain microphone: Meet's scores 0.83-0.85 at every scale, the
        # camera button's glyph beside it 0.47, a filled box 0.53 (both a dark disk too).
        self.min_plain = min_plain
        self.diameter = diameter
        self._mic = {False: draw_mic(False), True: draw_mic(True)}

    def read(self, rgb: np.ndarray) -> MeetingReading | None:
        """The state shown by a round microphone button, or None when there is none (or its
        glyph and colour do not agree)."""
        states = set()
        box = None
        for x, y, w, h, mask in self._disks(rgb):
            state = self._state(rgb[y:y + h, x:x + w], mask)
            if state is not None:
                states.add(state)
                box = (x, y, w, h)
        if len(states) != 1:
            return None  # none, or two buttons that disagree (a participant tile, a preview)
        return MeetingReading(states.pop(), "meet", box)

    def _disks(self, rgb: np.ndarray) -> list[tuple[int, int, int, int, np.ndarray]]:
        flat = _flat(rgb)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
        lo, hi = self.diameter
        out = []
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if not (lo <= w <= hi and 0.8 <= w / h <= 1.25) or area < 0.3 * w * h:
                continue
            region = labels[y:y + h, x:x + w] == i
            # Fill the holes (the glyph) and compare the outline with a circle: a disk with a
            # chevron badge cut from its edge (Meet's menu) still overlaps its circle by 75%.
            solid = np.zeros((h + 2, w + 2), np.uint8)
            solid[1:-1, 1:-1] = region
            cv2.floodFill(solid, None, (0, 0), (2,))
            solid = (solid[1:-1, 1:-1] != 2)
            circle = np.zeros((h, w), np.uint8)
            cv2.ellipse(circle, (w // 2, h // 2), (w // 2, h // 2), 0, 0, 360, (1,), -1)
            circle = circle.astype(bool)
            iou = float((solid & circle).sum()) / float((solid | circle).sum())
            hole = float((solid & ~region).sum()) / float(solid.sum())
            if iou >= 0.72 and 0.03 <= hole <= 0.4:
                out.append((x, y, w, h, region))
        return out

    def _state(self, patch: np.ndarray, fill_mask: np.ndarray) -> str | None:
        fill = np.median(patch[fill_mask], axis=0).astype(np.int16)
        lum = float(fill.mean())
        chroma = int(fill.max() - fill.min())
        red = fill[0] - max(fill[1], fill[2]) > 80
        dark = lum < 100 and chroma < 30
        light = lum > 170 or red
        if not (dark or light):
            return None
        grey = cv2.cvtColor(np.ascontiguousarray(patch), cv2.COLOR_RGB2GRAY).astype(np.float32)
        h, w = grey.shape
        scores = {False: -1.0, True: -1.0}
        for share in GLYPH_SHARE:
            side = share * (w + h) / 2 * PATCH / MIC_SIZE
            x0, y0 = int(round(w / 2 - side / 2)), int(round(h / 2 - side / 2))
            x1, y1 = int(round(w / 2 + side / 2)), int(round(h / 2 + side / 2))
            if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
                continue
            ink = ink_of(cv2.resize(grey[y0:y1, x0:x1], (PATCH, PATCH),
                                    interpolation=cv2.INTER_AREA))
            if float(ink.max()) < 40:
                continue
            for slashed, template in self._mic.items():
                score = float(cv2.matchTemplate(ink, template, cv2.TM_CCOEFF_NORMED).max())
                scores[slashed] = max(scores[slashed], score)
        slashed = scores[True] - scores[False] >= self.margin and scores[True] >= self.min_score
        plain = (scores[False] - scores[True] >= self.margin
                 and scores[False] >= max(self.min_score, self.min_plain))
        log.debug("round button fill %s: plain %.2f slashed %.2f", fill, scores[False],
                  scores[True])
        if slashed and light:
            return "muted"
        if plain and dark:
            return "unmuted"
        return None  # the glyph and the colour disagree, or the glyph is unclear


def toggle_switches(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The switched-on toggle switches on screen (x, y, w, h): a pill of one accent colour, two
    to three times as wide as tall, solid at one end with the knob cut out of the other."""
    r, g, b = cv2.split(rgb)
    top, bottom = cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)
    accent = (cv2.subtract(top, bottom) >= 40) & (top >= 120)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(accent.view(np.uint8), connectivity=4)
    xs, ys, ws, hs, areas = (stats[1:, i] for i in range(5))
    # Shape first, on all components at once: a screen has thousands of coloured specks.
    shaped = ((hs >= 8) & (hs <= 90) & (ws >= 1.6 * hs) & (ws <= 2.8 * hs)
              & (areas >= 0.4 * ws * hs))
    found = []
    for i in np.flatnonzero(shaped) + 1:
        x, y, w, h, _ = (int(v) for v in stats[i])
        pill = labels[y:y + h, x:x + w] == i
        colour = rgb[y:y + h, x:x + w][pill].astype(np.int16)
        lo, hi = np.percentile(colour, (10, 90), axis=0)
        if float((hi - lo).max()) > 40:
            continue  # not one colour: a picture, not a control (the rim's anti-aliased
            # pixels, more of them on a rescaled screen, are left out by the percentiles)
        third = max(1, w // 3)
        ends = (float(pill[:, :third].mean()), float(pill[:, -third:].mean()))
        if max(ends) >= 0.7 and min(ends) <= 0.5:
            found.append((x, y, w, h))
    return found
