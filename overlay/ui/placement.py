"""Where the overlay goes: from the camera's position to the window and the places of its parts.

The camera is a setting ([overlay] camera_screen, camera_offset_x/y): a screen (0 = primary) and
the lens position relative to that screen's top centre. Everything is laid out around the lens,
because reading a cue right under the lens brings the eyes back to it:

    [ cue panel ]   ( lens )   (ring)
                  [nudge chip]  status

`plan_overlay` is plain geometry (no Qt objects in or out), so it is unit-tested directly;
`ScreenFollower` re-runs it when screens change (resolution, a monitor plugged in or out, the
primary screen switched), so the overlay never stays behind on a screen that went away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QObject, QRect
from PyQt6.QtGui import QGuiApplication, QScreen

log = logging.getLogger(__name__)

GAP = 10  # between the lens and the parts around it, logical px


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def moved(self, dx: int, dy: int) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def inside(self, outer: Box) -> Box:
        """This box shifted (not shrunk unless it must be) to lie within `outer`."""
        w, h = min(self.w, outer.w), min(self.h, outer.h)
        x = min(max(self.x, outer.x), outer.right - w)
        y = min(max(self.y, outer.y), outer.bottom - h)
        return Box(x, y, w, h)


@dataclass(frozen=True)
class OverlayPlan:
    """Screen coordinates of the window, and of its parts relative to the window."""

    lens: tuple[int, int]  # screen coordinates
    window: Box  # screen coordinates
    chip: Box  # the rest relative to the window
    ring: Box
    panel: Box
    status: Box


def part_sizes(font_px: int) -> dict[str, tuple[int, int]]:
    """Sizes that scale with the text size, so a larger font never clips."""
    f = max(18, font_px)
    return {"chip": (14 * f, 2 * f + 8), "ring": (int(3.6 * f), int(3.6 * f)),
            "panel": (15 * f, 14 * f), "status": (9 * f, f)}


def plan_overlay(screen: Box, offset_x: int, offset_y: int, font_px: int) -> OverlayPlan:
    lens_x = screen.x + screen.w // 2 + offset_x
    lens_y = screen.y + max(0, offset_y)
    sizes = part_sizes(font_px)
    cw, ch = sizes["chip"]
    chip = Box(lens_x - cw // 2, lens_y + GAP, cw, ch)
    rw, rh = sizes["ring"]
    ring = Box(chip.right + GAP, lens_y + GAP, rw, rh)
    pw, ph = sizes["panel"]
    panel = Box(chip.x - GAP - pw, lens_y + GAP, pw, ph)
    sw, sh = sizes["status"]
    status = Box(chip.right + GAP, ring.bottom + GAP // 2, sw, sh)
    # A camera near a screen edge: keep every part on the screen, the chip nearest the lens.
    parts = {k: b.inside(screen) for k, b in
             {"chip": chip, "ring": ring, "panel": panel, "status": status}.items()}
    left = min(b.x for b in parts.values())
    top = min(b.y for b in parts.values())
    right = max(b.right for b in parts.values())
    bottom = max(b.bottom for b in parts.values())
    window = Box(left, top, right - left, bottom - top)
    rel = {k: b.moved(-left, -top) for k, b in parts.items()}
    return OverlayPlan((lens_x, lens_y), window, rel["chip"], rel["ring"], rel["panel"],
                       rel["status"])


def to_box(rect: QRect) -> Box:
    return Box(rect.x(), rect.y(), rect.width(), rect.height())


def camera_screen(index: int) -> QScreen:
    """Screen `index` with the primary first (0); the primary if that screen is not there."""
    primary = QGuiApplication.primaryScreen()
    if primary is None:
        raise RuntimeError("no screen available")
    screens = [primary] + [s for s in QGuiApplication.screens() if s is not primary]
    if not 0 <= index < len(screens):
        log.warning("camera_screen %d not found (%d screens): using the primary screen",
                    index, len(screens))
        return primary
    return screens[index]


class ScreenFollower(QObject):
    """Calls `replace()` whenever the screen layout changes."""

    def __init__(self, replace: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._replace = replace
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        app.primaryScreenChanged.connect(self._screens_changed)
        self._watched: list[QScreen] = []
        self._watch_all()

    def _watch_all(self) -> None:
        for screen in QGuiApplication.screens():
            if screen not in self._watched:
                screen.geometryChanged.connect(self._geometry_changed)
                self._watched.append(screen)
        self._watched = [s for s in self._watched if s in QGuiApplication.screens()]

    def _screens_changed(self, *_: object) -> None:
        self._watch_all()
        log.info("screens changed: placing the overlay again")
        self._replace()

    def _geometry_changed(self, *_: object) -> None:
        self._replace()
