"""What is on the screen around the toolbar: colour blobs, and whether a meeting may be shown.

Cheap candidate finding for `detectors.meeting.ZoomMuteReader` (red slash, grey capsule, green
arrow, Zoom-blue band) and `MeetingScene`, which tells a meeting canvas or Zoom's audio dialog
from a desktop with no meeting (`not_in_meeting`), so a hidden toolbar reads `unknown`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

Blob = tuple[int, int, int, int, int]  # a connected component: x, y, w, h, pixel count


def is_red(px: np.ndarray) -> np.ndarray:
    """Zoom's slash red (about 237, 82, 91): green and blue low and alike, so not orange."""
    p = px.astype(np.int16)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    return (r > 110) & (r - np.maximum(g, b) > 50) & (np.abs(g - b) < 45)


def pool_factor(rgb: np.ndarray) -> int:
    """Candidates on big screens are looked for at half (or a third) size: a 1x glyph stays
    several pixels tall, and the connected-component pass is the search's main cost."""
    return max(1, round(rgb.shape[1] / 1280))


def or_pool(mask: np.ndarray, p: int) -> np.ndarray:
    """Bitwise-OR pooling by p: a one-pixel-thin slash survives, unlike with averaging."""
    if p == 1:
        return mask
    h, w = (mask.shape[0] // p) * p, (mask.shape[1] // p) * p
    out = mask[0:h:p, 0:w:p].copy()
    for dy in range(p):
        for dx in range(p):
            out |= mask[dy:h:p, dx:w:p]
    return out


def colour_blobs(rgb: np.ndarray) -> dict[str, list[Blob]]:
    """Components of strong red (the slash), green (the Join Audio arrow) and Zoom blue (the app
    icon), found in one labelling pass over a code image (bit per colour)."""
    r, g, b = cv2.split(rgb)
    red = (r > 110) & (cv2.subtract(r, cv2.max(g, b)) > 60) & (cv2.absdiff(g, b) < 45)
    green = (g > 110) & (cv2.subtract(g, cv2.max(r, b)) > 50)
    blue = (b > 200) & (cv2.subtract(b, r) > 120) & (g > 90) & (g < 190)
    code = red.view(np.uint8) | (green.view(np.uint8) << 1) | (blue.view(np.uint8) << 2)
    p = pool_factor(rgb)
    pooled = or_pool(code, p)
    n, labels, stats, _ = cv2.connectedComponentsWithStats((pooled > 0).view(np.uint8),
                                                           connectivity=8)
    out: dict[str, list[Blob]] = {"red": [], "green": [], "blue": []}
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area * p * p < 12:
            continue
        codes = pooled[y:y + h, x:x + w][labels[y:y + h, x:x + w] == i]
        bits = np.bincount(codes, minlength=8)
        counts = {"red": bits[1::2].sum(), "green": bits[2::4].sum() + bits[3::4].sum(),
                  "blue": bits[4:].sum()}
        name = max(counts, key=counts.__getitem__)
        if p > 1 and w < 100 and h < 100:
            # The pooled box is only good to p pixels: measure the glyph at full size.
            bit = {"red": 1, "green": 2, "blue": 4}[name]
            part = code[y * p:(y + h) * p, x * p:(x + w) * p] & bit
            ys, xs = np.nonzero(part)
            if len(xs):
                out[name].append((x * p + int(xs.min()), y * p + int(ys.min()),
                                  int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1,
                                  len(xs)))
                continue
        out[name].append((x * p, y * p, w * p, h * p, area * p * p))
    return out


def crop(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """img[y0:y1, x0:x1], edge pixels repeated where the box leaves the image (button crops)."""
    h, w = img.shape[:2]
    inner = img[max(0, y0):max(0, min(h, y1)), max(0, x0):max(0, min(w, x1))]
    if inner.size == 0:
        return np.zeros((max(1, y1 - y0), max(1, x1 - x0)) + img.shape[2:], img.dtype)
    pads = (max(0, -y0), max(0, y1 - h), max(0, -x0), max(0, x1 - w))
    return cv2.copyMakeBorder(inner, *pads, cv2.BORDER_REPLICATE) if any(pads) else inner


def components(mask: np.ndarray, p: int = 1) -> list[Blob]:
    """(x, y, w, h, area) of each 8-connected component of a 0/1 mask pooled by p, in the
    full image's pixels."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x) * p, int(y) * p, int(w) * p, int(h) * p, int(a) * p * p)
            for x, y, w, h, a in stats[1:] if a * p * p >= 12]


@dataclass(frozen=True)
class Scene:
    meeting_view: bool  # a large dark meeting canvas is on screen
    audio_dialog: bool  # Zoom's "join audio" options dialog is open
    zoom_window: bool  # some Zoom window (icon in a title bar) is on screen


class MeetingScene:
    """What the screen shows when no toolbar button is visible.

    `canvas_share`: share of the screen that must be neutral dark grey or black (Zoom paints the
    meeting area so in both themes) before a missing toolbar reads as hidden (`unknown`) rather than
    `not_in_meeting`; `light_share`: the same for one empty light-grey stage (Teams' light theme).
    A dark wallpaper or a blank white page errs toward `unknown`, the safe side.
    """

    def __init__(self, canvas_share: float = 0.25, light_share: float = 0.5,
                 dialog_aspect: tuple[float, float] = (1.25, 1.7)) -> None:
        self.canvas_share = canvas_share
        self.light_share = light_share
        self.dialog_aspect = dialog_aspect

    def look(self, rgb: np.ndarray, blue: list[Blob] | None = None) -> Scene:
        """`blue`: Zoom-blue components if the caller has them already (one labelling pass)."""
        small = rgb[::4, ::4].astype(np.int16)
        chroma = small.max(axis=2) - small.min(axis=2)
        lum = small.mean(axis=2)
        # Black counts too: Zoom for macOS paints the meeting area black around the video, and
        # a hidden toolbar there read `not_in_meeting` while it was grey only (issue 16).
        dark = float(((chroma <= 10) & (lum <= 70)).mean())
        meeting = dark >= self.canvas_share or self._light_stage(rgb)
        windows = self._zoom_windows(rgb, colour_blobs(rgb)["blue"] if blue is None else blue)
        dialog = any(self.dialog_aspect[0] <= w / h <= self.dialog_aspect[1] or band
                     for w, h, band in windows)
        return Scene(meeting, dialog, bool(windows))

    def _light_stage(self, rgb: np.ndarray) -> bool:
        """One empty light-grey area over `light_share` of the screen: Teams' light theme paints
        its meeting stage so (#F5F5F5 in the labelled Teams for Linux screen, 79% of the window
        under its call bar). A desktop's windows are broken up by text (a labelled desktop 1%,
        Zoom's Connecting window 24%); a maximised blank page errs toward `unknown`."""
        half = np.ascontiguousarray(rgb[::2, ::2])
        lum = cv2.cvtColor(half, cv2.COLOR_RGB2GRAY)
        grad = cv2.morphologyEx(lum, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
        c = half.astype(np.int16)
        flat = (grad <= 2) & (lum >= 200) & ((c.max(axis=2) - c.min(axis=2)) <= 10)
        n, _, stats, _ = cv2.connectedComponentsWithStats(flat.view(np.uint8), connectivity=4)
        return n > 1 and float(stats[1:, cv2.CC_STAT_AREA].max()) >= self.light_share * lum.size

    @staticmethod
    def _zoom_windows(rgb: np.ndarray, blue: list[Blob]) -> list[tuple[int, int, bool]]:
        """(width, height, blue band) of each window whose title bar starts with Zoom's icon."""
        found = []
        for x, y, w, h, area in blue:
            # The app icon: a blue rounded square, its white camera glyph cut out of it.
            if not (0.8 <= w / h <= 1.25 and 12 <= h <= 60 and 0.5 <= area / (w * h) <= 0.85):
                continue
            row = y + max(1, h // 20)  # the title bar above the title text
            bar = rgb[row, x + w + 2:].astype(np.int16)
            if len(bar) < 3 * w:
                continue
            colour = bar[0]
            if int(colour.max() - colour.min()) > 12 or int(colour.mean()) < 150:
                continue  # not a light, neutral title bar (a desktop launcher, a tray icon)
            off = np.abs(bar - colour).max(axis=1) > 12
            run = np.flatnonzero(off)
            width = (run[0] if len(run) else len(bar)) + w + 2 + w // 5
            col = x - max(2, w // 7)  # the window's light left border
            if col < 0 or width < 5 * h:
                continue  # a maximised window (no edges to measure) or no title bar at all
            edge = rgb[y + h:, col].astype(np.int16)
            light = (edge.min(axis=1) >= 150) & ((edge.max(axis=1) - edge.min(axis=1)) <= 12)
            dark_at = np.flatnonzero(~light)
            height = (dark_at[0] if len(dark_at) else len(edge)) + h + w // 10
            if height < 3 * h or not len(dark_at):
                continue  # a bar without a body, or a body cut by the screen's edge
            under = rgb[y + h + h // 5:y + 2 * h, x:x + width].astype(np.int16)
            band = under.size > 0 and float(((under[..., 2] > 200)
                                             & (under[..., 2] - under[..., 0] > 120)).mean()) > 0.6
            found.append((int(width), int(height), band))
        return found
