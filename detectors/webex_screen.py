"""Webex's own screen, told by its logo: the "You've left the meeting" page.

After the user leaves, the Webex web widget (and the web app) keeps its window: the header with
the Webex logo, and a stage that shows nothing but one centred line of text. No toolbar, no
self-view, no participant tile, no button. A meeting whose toolbar is hidden looks different on
exactly that point: Webex always shows a self-view (the camera, or the avatar when the camera is
off) or a participant's tile on the stage, and the "Connecting" notice sits in a box. So the
page is recognised from two cues that must both hold, neither of them a copied template:

1. The Webex logo: a compact mark of blue loops with a green highlight on their upper right,
   with its word mark (ink in the header's colour contrast) to its right, near the top of the
   window. This says the window is Webex's; without it the look says nothing.
2. Below it, one flat stage as wide as the window, whose only content is a single line of text,
   centred. A tile, a picture, a second line or a button (another build's "Rejoin") anywhere on
   it is no reading, and the Zoom reader's scene verdict (`unknown` on a dark canvas) stands.

Only shapes and proportions relative to the logo are used, so the look holds at any scale, in
either theme, and wherever the window is on the screen.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from detectors.meeting_scene import components

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]


def webex_logo(rgb: np.ndarray) -> Box | None:
    """The Webex logo (x, y, w, h), or None (anywhere: the window may be anywhere)."""
    top = rgb.astype(np.int16)
    r, g, b = top[..., 0], top[..., 1], top[..., 2]
    cool = (np.maximum(g, b) >= 100) & (r * 2 <= np.maximum(g, b))
    blue = cool & (b - g >= 30)
    green = cool & (g >= b)
    lum = top.mean(axis=2)
    for x, y, w, h, area in components(cool.view(np.uint8)):
        if not (10 <= h <= 120 and 1.1 <= w / h <= 1.9 and area >= 0.25 * w * h):
            continue
        box_b, box_g = blue[y:y + h, x:x + w], green[y:y + h, x:x + w]
        if float(box_b.mean()) < 0.3 or not 0.03 <= float(box_g.mean()) <= 0.4:
            continue  # the mark is blue, with a green highlight
        # The green sits on the upper right of the blue loops, as the mark is drawn.
        gy, gx = np.nonzero(box_g)
        by, bx = np.nonzero(box_b)
        if not (gx.mean() > bx.mean() and gy.mean() < by.mean()):
            continue
        if _word_mark(lum, x + w, y, h):
            return (x, y, w, h)
    return None


def _word_mark(lum: np.ndarray, x: int, y: int, h: int) -> bool:
    """The word "webex" right of the mark: ink across about two to four logo heights, starting
    within half a logo height of it, no taller than the mark."""
    strip = lum[y:y + h, x:x + 5 * h]
    if strip.shape[1] < 3 * h:
        return False
    background = float(np.median(strip[:, -h:]))
    ink = np.abs(strip - background) > 60
    cols = np.flatnonzero(ink.any(axis=0))
    if not len(cols) or cols[0] > h // 2 + 2:
        return False
    # The word ends where a gap of a logo height begins.
    gaps = np.flatnonzero(np.diff(cols) > h)
    end = cols[gaps[0]] if len(gaps) else cols[-1]
    return 1.8 * h <= end - cols[0] <= 4.5 * h


def _flat(rgb: np.ndarray) -> np.ndarray:
    """Pixels whose 3x3 neighbourhood is one colour (a stage's fill, never an edge)."""
    lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grad = cv2.morphologyEx(lum, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    return (grad <= 3).view(np.uint8)


def left_meeting(rgb: np.ndarray) -> Box | None:
    """The stage (x, y, w, h) of Webex's "you left the meeting" page, or None."""
    logo = webex_logo(rgb)
    if logo is None:
        return None
    lx, ly, lw, lh = logo
    below = rgb[ly + lh:]
    flat = _flat(below)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    # The stage: the largest flat region that starts under the logo, at the window's left edge
    # (the logo sits there), within a few logo heights (a desktop around the window is not it).
    xs, ys, ws, hs, areas = (stats[1:, k] for k in range(5))
    fits = (ys <= 4 * lh) & (xs >= lx - 3 * lh) & (xs <= lx + lw) & (ws >= 20 * lh)
    if not fits.any():
        return None
    i = 1 + int(np.argmax(np.where(fits, areas, -1)))
    stage = labels == i
    # The stage's rectangle: the rows and columns it mostly covers (a corner notch or a border
    # pixel joined to it does not stretch it).
    per_row, per_col = stage.sum(axis=1), stage.sum(axis=0)
    rows = np.flatnonzero(per_row >= 0.5 * per_row.max())
    cols = np.flatnonzero(per_col >= 0.5 * per_col.max())
    if not len(rows) or not len(cols):
        return None
    x, y = int(cols[0]), int(rows[0])
    w, h = int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
    area = int(stage[y:y + h, x:x + w].sum())
    # One window: the stage starts within a few logo heights under the logo, spans it, and is
    # wide and tall against the logo (the widget's stage is about 45 x 20 logo heights).
    if not (y <= 4 * lh and x <= lx + lw and w >= 20 * lh and h >= 8 * lh):
        return None
    if area < 0.9 * w * h:
        return None  # much of the stage is not flat: a video, a tile, a picture
    if not _bare_below(below, x, y + h, w, lh):
        return None  # a toolbar (or anything) under the stage: Webex's call bar sits there
    inner = ~stage[y + 2:y + h - 2, x + 2:x + w - 2]
    ys, xs = np.nonzero(inner)
    if not len(ys):
        return None  # a blank stage says nothing (a meeting still painting its video)
    # Everything on the stage that is not stage: one line of text, centred.
    tx0, tx1, ty0, ty1 = xs.min(), xs.max(), ys.min(), ys.max()
    line_h, line_w = ty1 - ty0 + 1, tx1 - tx0 + 1
    iw, ih = inner.shape[1], inner.shape[0]
    rows = np.flatnonzero(inner.any(axis=1))
    if not (0.3 * lh <= line_h <= 1.3 * lh and rows[-1] - rows[0] + 1 == len(rows)):
        return None  # not one line (two lines leave an empty row between them)
    if not (3 * lh <= line_w <= 0.8 * iw):
        return None
    if abs((tx0 + tx1) / 2 - iw / 2) > 0.08 * iw or not 0.25 * ih <= (ty0 + ty1) / 2 <= 0.75 * ih:
        return None  # not centred
    # Letters are all edges; a box or a button has a flat fill of its own colour.
    filled = flat[y + 2 + ty0:y + 3 + ty1, x + 2 + tx0:x + 3 + tx1].astype(bool)
    if float((filled & inner[ty0:ty1 + 1, tx0:tx1 + 1]).mean()) > 0.05:
        return None
    log.debug("webex left-meeting page: logo %s, stage %s", logo, (x, y, w, h))
    return (x, y + ly + lh, w, h)


def _bare_below(rgb: np.ndarray, x: int, bottom: int, w: int, lh: int) -> bool:
    """Nothing in the band under the stage where Webex's call bar would be (about three logo
    heights): every row one colour (the window's foot, or a plain desktop under a short
    window). A wallpaper there is no reading, the safe side."""
    band = rgb[bottom:bottom + 4 * lh, x + w // 50:x + w - w // 50].astype(np.int16)
    if band.shape[0] < 3 * lh:
        return False  # the image ends under the stage: a call bar may be just out of sight
    lum = band.sum(axis=2) // 3
    return bool((lum.max(axis=1) - lum.min(axis=1)).max() <= 8)
