"""Zoom's mute state read from a screenshot, with no configuration.

The reader looks for the toolbar's audio button by shape and colour, never by copied pixels: the
microphone and headphone glyphs are drawn in code (`detectors.zoom_glyphs`) and
compared, at the scale each candidate implies, with an "ink" patch (distance of every pixel from
the patch's background), which makes the match indifferent to light or dark theme.

Candidates are cheap to find and few: a thin red diagonal (the slash of "Unmute"), a filled grey
capsule (the plain microphone of "Mute"), a small green arrow ("Join Audio"). A candidate is
accepted only with the text label under it, which rejects the red slashed microphone of a
participant's name tag and the slashed camera. Without an accepted button the state is `unknown`
as long as a meeting view may be on screen; it is never guessed from the last reading.
`not_in_meeting` needs the absence of any dark meeting canvas (see `MeetingScene`).

Zoom's audio-options dialog ("Choose ONE of the audio conference options") means `no_audio` even
before it paints its content: it is recognised as a Zoom-icon title bar on a window about 1.45
times as wide as tall (the "Connecting" window has the same bar on a square window), or by the
Zoom-blue tab band it shows under that bar once painted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.meeting_scene import Blob, MeetingScene, colour_blobs, components, pool_factor
from detectors.zoom_button import Button, ButtonCheck, better
from detectors.zoom_glyphs import MIC_HEIGHT

log = logging.getLogger(__name__)

STATES = ("muted", "unmuted", "no_audio", "not_in_meeting", "unknown")
DEFINITE = ("muted", "unmuted", "no_audio")  # states a reader only gives on complete evidence
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class MeetingReading:
    state: str  # one of STATES
    app: str | None  # "zoom" when Zoom's own controls decided the state, else None
    box: Box | None  # the audio button (x, y, w, h) in the screenshot, or None
    # What decided: "pixels" (this reader), "accessibility" (the app's own control, read through
    # the OS: overlay/capture/a11y) or "calibration" (a learnt mute button).
    source: str = "pixels"


class ZoomMuteReader:
    """Reads Zoom's mute state from RGB uint8 screenshots, fed in time order.

    `min_score` is the normalised correlation a glyph needs with its drawn template; `scales`
    bounds the glyph size relative to Zoom's 1x toolbar (HiDPI screens are about 2x). The reader
    remembers where the button was and checks there first; it holds no other state.
    """

    def __init__(self, min_score: float = 0.65, scales: tuple[float, float] = (0.55, 2.8),
                 scene: MeetingScene | None = None, search_period: float = 3.0) -> None:
        self.min_score = min_score
        self.check = ButtonCheck(min_score)
        self.search_period = search_period
        self.scales = scales
        self.scene = scene or MeetingScene()
        self._last: tuple[tuple[int, ...], Button] | None = None  # where the button was
        self._cached: tuple[float, tuple[int, ...], MeetingReading] | None = None

    def read(self, rgb: np.ndarray, t: float | None = None) -> MeetingReading:
        """The state in this screenshot. With `t` (seconds, increasing), the whole-screen search
        runs at most every `search_period` s while no button is in sight: until then the last
        search's verdict (never a button state) stands, to keep the watcher cheap."""
        rgb = np.ascontiguousarray(rgb[..., :3])
        button = None
        if self._last is not None and self._last[0] == rgb.shape:
            button = self._recheck(rgb, self._last[1])
        if button is None:
            cached = self._cached
            if (t is not None and cached is not None and self._last is None
                    and t - cached[0] < self.search_period and cached[1] == rgb.shape):
                return cached[2]
            lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
            blobs = colour_blobs(rgb)
            button = self._refine(rgb, lum, self._search(rgb, lum, blobs))
        self._last = (rgb.shape, button) if button is not None else None
        if button is not None:
            log.debug("button %s score %.3f scale %.2f", button.state, button.score, button.scale)
        if button is not None and button.state != "unknown":
            reading = MeetingReading(button.state, "zoom", button.box(rgb.shape))
        else:
            scene = self.scene.look(rgb, blobs["blue"])
            app = "zoom" if scene.zoom_window or button is not None else None
            if scene.audio_dialog:
                reading = MeetingReading("no_audio", "zoom", None)
            elif button is not None or scene.meeting_view:
                reading = MeetingReading("unknown", app, None)
            else:
                reading = MeetingReading("not_in_meeting", app, None)
        self._cached = (t if t is not None else 0.0, rgb.shape, reading)
        return reading

    def _refine(self, rgb: np.ndarray, lum: np.ndarray, b: Button | None) -> Button | None:
        """A candidate's size is only a guess from one part of the glyph: try nearby scales and
        positions so the box (and the next frames' quick recheck) sits on the whole button."""
        if b is None:
            return None
        phones = b.state == "no_audio"
        for _ in range(2):
            for f in (0.85, 0.92, 1.08, 1.17):
                for dx, dy in ((0, 0), (0, -2 * b.scale), (0, 2 * b.scale)):
                    other = self.check.verify(rgb, lum, b.cx + dx, b.top + dy, b.scale * f, phones)
                    if other is not None and other.state == b.state and other.score > b.score:
                        b = other
        return b

    def _recheck(self, rgb: np.ndarray, b: Button) -> Button | None:
        """The button where it was last time, looked for in a small crop around it only: the
        toolbar rarely moves, and this keeps the steady-state read near a millisecond."""
        x, y, w, h = b.box(rgb.shape)
        pad = int(12 * b.scale)
        x0, y0 = max(0, x - pad), max(0, y - pad)
        crop = np.ascontiguousarray(rgb[y0:y + h + pad, x0:x + w + pad])
        lum = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        found = self.check.verify(crop, lum, b.cx - x0, b.top - y0, b.scale, b.state == "no_audio")
        if found is None:
            return None
        return Button(found.state, found.score, b.cx, b.top, b.scale)

    # -- candidates -----------------------------------------------------------------------
    def _search(self, rgb: np.ndarray, lum: np.ndarray,
                blobs: dict[str, list[Blob]]) -> Button | None:
        lo, hi = self.scales
        best: Button | None = None
        for x, y, w, h, area in blobs["red"]:
            # The slash: a thin line at 45 degrees, about 24 px square at 1x.
            if 0.7 <= w / h <= 1.4 and lo <= h / 24.5 <= hi and area < 0.45 * w * h:
                s = h / 24.5
                best = better(best, self.check.verify(rgb, lum, x + w / 2 - 0.5 * s,
                                                  y + 1.5 * s, s, False))
        for x, y, w, h, area in blobs["green"]:
            # The arrow of "Join Audio": about 8 x 10 px at 1x, a solid shape.
            if 0.5 <= w / h <= 1.2 and lo <= h / 10 <= hi and area > 0.35 * w * h:
                s = h / 10
                best = better(best, self.check.verify(rgb, lum, x + w / 2, y - 7 * s, s, True))
        if best is not None and best.state != "unknown":
            return best
        pool = pool_factor(rgb)
        small = lum if pool == 1 else cv2.resize(
            lum, (lum.shape[1] // pool, lum.shape[0] // pool), interpolation=cv2.INTER_AREA)
        background = cv2.blur(small, (41 // pool | 1, 41 // pool | 1))
        # Glyphs lighter than their surroundings (dark theme) first, then darker (light theme);
        # one polarity at a time so the dark gaps around a light glyph never join it.
        for lighter in (True, False):
            ink = cv2.subtract(small, background) if lighter else cv2.subtract(background, small)
            blobs_ = components((ink > 35).view(np.uint8), pool)
            if pool > 1:
                blobs_ = self._at_full_size(lum, blobs_, pool, lighter)
            best = self._plain_mics(rgb, lum, blobs_, best)
            if best is not None and best.state != "unknown":
                break
        return best

    def _at_full_size(self, lum: np.ndarray, blobs: list[Blob], p: int,
                      lighter: bool) -> list[Blob]:
        """Glyph-sized components of a pooled search measured again at full size: pooled boxes
        are only good to p pixels, too coarse for a 1x glyph (a Teams microphone on a 2560 px
        wide monitor was missed)."""
        lo, hi = self.scales
        out = []
        for x, y, w, h, _ in blobs:
            if not (0.3 <= w / h <= 1.8 and 8 * lo <= h <= 26 * hi + 2 * p):
                continue
            x0, y0 = max(0, x - p), max(0, y - p)
            win = lum[y0:y + h + p, x0:x + w + p].astype(np.int16)
            border = np.concatenate([win[0], win[-1], win[:, 0], win[:, -1]])
            ink = (win - np.median(border)) if lighter else (np.median(border) - win)
            parts = components((ink > 35).astype(np.uint8))
            if parts:
                bx, by, bw, bh, area = max(parts, key=lambda b: b[4])
                out.append((x0 + bx, y0 + by, bw, bh, area))
        return out

    def _plain_mics(self, rgb: np.ndarray, lum: np.ndarray, blobs: list[Blob],
                    best: Button | None) -> Button | None:
        lo, hi = self.scales
        for x, y, w, h, area in blobs:
            # The plain microphone: its capsule (8 x 15 at 1x, nearly filled), the whole glyph
            # when anti-aliasing joins the parts (14 x 22), or the holder (U, stem and base,
            # 14 x 12) when the capsule melts into a bright neighbour (a tooltip above it).
            aspect, fill = w / h, area / (w * h)
            guesses: list[tuple[float, float]] = []
            if 0.35 <= aspect <= 0.85 and fill >= 0.6:
                guesses.append((h / 15.0, y))
            if 0.45 <= aspect <= 0.85 and fill >= 0.35:
                guesses.append((h / MIC_HEIGHT, y))
            if 0.9 <= aspect <= 1.6 and 0.2 <= fill <= 0.6:
                guesses.append((w / 14.0, y - 10.0 * w / 14.0))
            for s, top in guesses:
                if lo <= s <= hi:
                    best = better(best, self.check.verify(rgb, lum, x + w / 2, top, s, False))
        return best
