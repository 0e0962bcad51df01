"""How the face is lit: too dark, backlit, washed out, lit from one side, or from straight above.

`LightMeter.measure` reads a few hundred pixels per frame, never the whole image: skin patches
(forehead, nose ridge, cheeks; laid out in a face-aligned frame by `detectors/skin_patches.py`)
and a sparse grid over the background.

Brightness is compared in *stops* (log2 of linear light), not in 8-bit steps: "the window is three
stops brighter than your face" and "one side of the face gets a quarter of the light of the
other" mean the same thing under any camera exposure. Absolute levels are used only where the
camera's own response is the point: a face median far down in the noise is too dark whatever the
ratio, a face with a large clipped share has lost its detail.

`detectors/clip_lighting.py` folds these per-frame readings into a clip's verdicts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from detectors.face import Face
from detectors.skin_patches import luma, sample_skin

log = logging.getLogger(__name__)

LIGHTING_VERDICTS = ("ok", "backlit", "too_dark", "face_overexposed", "uneven", "overhead")

def stops(brighter: float, darker: float) -> float:
    """How many stops (doublings of linear light) `brighter` is above `darker` (8-bit luma).

    sRGB-ish video is close to a 2.2 power law, so the linear ratio is (a/b)^2.2. Levels are
    floored at 4 so a black patch reads as "very dark" rather than minus infinity.
    """
    return float(2.2 * np.log2(max(brighter, 4.0) / max(darker, 4.0)))


@dataclass(frozen=True)
class LightingReading:
    """One frame's lighting. Levels are 8-bit luma medians; contrasts are in stops.

    `verdicts` is ("ok",) when a face was measured and nothing is wrong, () when no face was found
    in a frame bright enough to have shown one (nothing to judge), and ("too_dark",) with
    `dark_no_face` when no face was found in a dark frame: the UI says "too dark to see your face".
    """

    verdicts: tuple[str, ...]
    face_found: bool
    dark_no_face: bool
    frame_luma: float  # median luma of the whole frame (sparse grid)
    face_luma: float | None = None  # median luma of the skin patches
    face_clipped: float | None = None  # share of skin samples at or near 255
    background_luma: float | None = None  # upper quartile of the background grid
    backlight_stops: float | None = None  # background above face (negative: face above it);
    # None when too little background is visible (a tight crop, a face filling the frame)
    side_stops: float | None = None  # |left - right| across the face
    overhead_stops: float | None = None  # forehead / nose ridge above the brighter cheek
    noise: float | None = None  # median |pixel - right neighbour| on the skin, 8-bit units
    silhouette: bool = False  # no face, but a dark figure against a bright background
    background_clipped: float | None = None  # share of the background grid blown out (clipped)

    @property
    def judged(self) -> bool:
        return bool(self.verdicts)


class LightMeter:
    """Per-frame lighting verdicts; thresholds are physical (stops, 8-bit levels)."""

    def __init__(self, *, dark_luma: float = 60.0, dim_luma: float = 100.0,
                 dim_below_frame_stops: float = 1.5, dark_frame_luma: float = 50.0,
                 clip_luma: float = 250.0, overexposed_share: float = 0.25,
                 overexposed_luma: float = 225.0, hot_face_luma: float = 140.0,
                 contrast_stops: float = 2.5, uneven_stops: float = 2.5,
                 overhead_stops: float = 1.5, background_grid: int = 32,
                 min_background_share: float = 0.05, silhouette_bright: float = 200.0,
                 silhouette_bright_share: float = 0.25, silhouette_dark: float = 50.0,
                 silhouette_dark_share: float = 0.15, window_share: float = 0.1,
                 flat_stops: float = 1.0) -> None:
        self.dark_luma = dark_luma  # face median below this is in the noise whatever the skin
        self.dim_luma = dim_luma  # about 40 IRE, the usual broadcast floor for skin
        self.dim_below_frame_stops = dim_below_frame_stops
        self.dark_frame_luma = dark_frame_luma
        self.clip_luma = clip_luma
        self.overexposed_share = overexposed_share
        self.overexposed_luma = overexposed_luma
        self.hot_face_luma = hot_face_luma
        self.contrast_stops = contrast_stops  # face vs background, either way (backlit / spotlit)
        self.uneven_stops = uneven_stops
        self.overhead_stops = overhead_stops
        self.background_grid = background_grid
        self.min_background_share = min_background_share
        self.silhouette_bright = silhouette_bright  # a window or the sky: near white
        self.silhouette_bright_share = silhouette_bright_share
        self.silhouette_dark = silhouette_dark  # the unlit figure
        self.silhouette_dark_share = silhouette_dark_share
        self.window_share = window_share  # of the background blown out: a window, the sky
        self.flat_stops = flat_stops  # side to side under this (2:1 key to fill) is flat light
        self._grid_for: tuple[int, int] = (0, 0)  # frame size the sampling grid was made for
        self._ys = self._xs = np.zeros(0, dtype=np.intp)

    def measure(self, rgb: np.ndarray, face: Face | None) -> LightingReading:
        h, w = rgb.shape[:2]
        if self._grid_for != (h, w):
            grid = self.background_grid
            self._ys = ((np.arange(grid) + 0.5) * h / grid).astype(np.intp)
            self._xs = ((np.arange(grid) + 0.5) * w / grid).astype(np.intp)
            self._grid_for = (h, w)
        ys, xs = self._ys, self._xs
        frame = luma(rgb[ys[:, None], xs[None, :]].astype(np.float32))
        frame_luma = float(np.median(frame))
        if face is None:
            dark = frame_luma < self.dark_frame_luma
            # A person dark against a bright window or sky is often not found as a face at
            # all: a large share of near-white next to a large share of near-black is that
            # silhouette. Set from first principles (no labelled frame tuned it); it never
            # fires on a no-face frame of the labelled clips (docs/lighting.md).
            silhouette = (not dark and float(np.mean(frame >= self.silhouette_bright)) >=
                          self.silhouette_bright_share and float(np.mean(
                              frame < self.silhouette_dark)) >= self.silhouette_dark_share)
            verdicts = ("too_dark",) if dark else ("backlit",) if silhouette else ()
            return LightingReading(verdicts=verdicts, face_found=False, dark_no_face=dark,
                                   frame_luma=frame_luma, silhouette=silhouette)

        sample = sample_skin(rgb, face)
        levels, skin = sample.levels, sample.skin
        face_luma = float(np.median(skin))
        clipped = float(np.mean(skin >= self.clip_luma))
        background, blown = self._background(frame, ys, xs, face)
        backlight = None if background is None else stops(background, face_luma)

        left = [levels[k] for k in ("cheek_l", "forehead_l") if k in levels]
        right = [levels[k] for k in ("cheek_r", "forehead_r") if k in levels]
        # Same patches on both sides, or a cropped forehead would count as a dark side.
        if len(left) != len(right):
            left, right = left[:1], right[:1]
        side_stops = (abs(stops(sum(left) / len(left), sum(right) / len(right)))
                      if left and right else None)
        overhead = self._overhead(levels)

        reading = LightingReading(
            verdicts=("ok",), face_found=True, dark_no_face=False,
            frame_luma=frame_luma, face_luma=face_luma, face_clipped=clipped,
            background_luma=background, backlight_stops=backlight, side_stops=side_stops,
            overhead_stops=overhead, noise=sample.noise, background_clipped=blown)
        return replace(reading, verdicts=self.judge(reading))

    def judge(self, r: LightingReading) -> tuple[str, ...]:
        """The verdicts of a measured face from its levels alone (the thresholds' only use,
        so scripts/eval_lighting.py can cross-validate them without measuring again)."""
        if r.face_luma is None or r.face_clipped is None:
            return r.verdicts
        face_luma, backlight = r.face_luma, r.backlight_stops
        below_frame = stops(r.frame_luma, face_luma)
        verdicts: list[str] = []
        # Backlit: the face underexposed against a brighter background. A clipped window's true
        # level is unknown (above white), so its contrast is at least clip / face: a tenth of
        # the background blown out with the face `contrast_stops` below white is backlit
        # without the dim-face condition (a mid-grey face under a white window, face <= 114).
        dim_against_bright = (backlight is not None and backlight >= self.contrast_stops
                              and face_luma < self.dim_luma)
        under_blown_window = (r.background_clipped is not None
                              and r.background_clipped >= self.window_share
                              and stops(self.clip_luma, face_luma) >= self.contrast_stops)
        if dim_against_bright or under_blown_window:
            verdicts.append("backlit")
        if face_luma < self.dark_luma or (face_luma < self.dim_luma
                                          and below_frame >= self.dim_below_frame_stops):
            verdicts.append("too_dark")
        # Washed out by a light at the camera in a dark room: the camera exposes for the mix and
        # pushes the face up, and a light that strong and that frontal leaves it flat (key to
        # fill under 2:1). A face with modelling (one side a stop darker) is a low-key portrait:
        # lit, not washed out.
        spotlit = (backlight is not None and backlight <= -self.contrast_stops
                   and face_luma >= self.hot_face_luma
                   and (r.side_stops is None or r.side_stops < self.flat_stops))
        if (spotlit or r.face_clipped >= self.overexposed_share
                or face_luma >= self.overexposed_luma):
            verdicts.append("face_overexposed")
        if r.side_stops is not None and r.side_stops >= self.uneven_stops:
            verdicts.append("uneven")
        if r.overhead_stops is not None and r.overhead_stops >= self.overhead_stops:
            verdicts.append("overhead")
        return tuple(verdicts) or ("ok",)

    def _background(self, frame: np.ndarray, ys: np.ndarray, xs: np.ndarray,
                    face: Face) -> tuple[float | None, float | None]:
        """Upper quartile of the grid outside the head and the body below it, and the share of
        it blown out (>= clip_luma); (None, None) when too little of it is visible.

        The person is taken as the face box widened by half a face on each side and raised by
        half a face (hair), plus a torso three faces wide down to the bottom of the frame. The
        upper quartile, not the median: a window usually fills only part of the background.
        """
        x0, y0, x1, y1 = face.box()
        fw, fh = x1 - x0, y1 - y0
        head = ((xs[None, :] > x0 - 0.5 * fw) & (xs[None, :] < x1 + 0.5 * fw)
                & (ys[:, None] > y0 - 0.5 * fh) & (ys[:, None] < y1 + 0.3 * fh))
        cx = (x0 + x1) / 2.0
        body = (np.abs(xs[None, :] - cx) < 1.5 * fw) & (ys[:, None] > y1)
        rest = frame[~(head | body)]
        if rest.size < self.min_background_share * frame.size:
            return None, None
        k = (3 * (rest.size - 1)) // 4  # partition, not percentile: a tenth of the cost
        return float(np.partition(rest, k)[k]), float(np.mean(rest >= self.clip_luma))

    @staticmethod
    def _overhead(levels: dict[str, float]) -> float | None:
        """Stops by which the upward-facing skin (forehead, nose ridge) outshines the cheeks.

        Light from high above grazes the forward-facing cheeks and lands on the forehead and the
        nose ridge; light from the front lights them alike. The brighter cheek is used so that
        side light (one bright cheek) does not read as overhead. The eye band is not used: with
        frontal light it already sits 1 to 4 stops below the cheeks (iris, lashes, brows, deep
        sockets; measured on Yale), so it cannot tell a shadow from an eye.
        """
        top = [levels[k] for k in ("forehead_l", "forehead_r", "nose") if k in levels]
        cheeks = [levels[k] for k in ("cheek_l", "cheek_r") if k in levels]
        if not top or not cheeks:
            return None
        return stops(max(top), max(cheeks))
