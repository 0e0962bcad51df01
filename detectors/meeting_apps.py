"""The mute state from the screen for Zoom, Teams, Meet and Webex: one reader, several looks.

Zoom's toolbar (and Teams', which draws its microphone over a text label the same way) is read by
`ZoomMuteReader`. Where it finds no button, Meet's round microphone button is looked for
(`detectors.round_mic`), then Webex's microphone pill (`detectors.webex_bar`), then a pre-join
screen's microphone toggle switch (Teams), which means the call has not started, then Zoom's
"Join with Computer Audio" dialog button, then Webex's "you left the meeting" page
(`detectors.webex_screen`). Every look answers only when its own evidence is
complete; otherwise the Zoom reader's scene verdict stands (`unknown` while a meeting may be on
screen).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np

from detectors.meeting import DEFINITE, MeetingReading, ZoomMuteReader
from detectors.meeting_scene import MeetingScene, colour_blobs
from detectors.round_mic import RoundMicReader, toggle_switches
from detectors.webex_bar import WebexBarReader
from detectors.webex_screen import left_meeting

log = logging.getLogger(__name__)


class MeetingMuteReader:
    """RGB uint8 screenshots in time order -> `MeetingReading` (source "pixels").

    `min_score`: the Zoom glyph correlation; `canvas_share`: the share of dark meeting canvas
    (`light_share`: of one empty light stage) that makes a missing toolbar `unknown`;
    `round_margin`: how much better the slashed (or plain) microphone must match inside a round
    button than the other; `round_plain`: how well a plain one must match for `unmuted`.
    """

    def __init__(self, min_score: float = 0.65, canvas_share: float = 0.25,
                 round_margin: float = 0.06, search_period: float = 3.0,
                 light_share: float = 0.5, round_plain: float = 0.65) -> None:
        self.search_period = search_period
        scene = MeetingScene(canvas_share=canvas_share, light_share=light_share)
        self.zoom = ZoomMuteReader(min_score=min_score, search_period=search_period, scene=scene)
        self.round = RoundMicReader(margin=round_margin, min_plain=round_plain)
        self.webex = WebexBarReader()
        # The other apps' looks: when they last ran and what they said. Like the Zoom search,
        # they run at most every `search_period` while they find no button, and on every shot
        # while they do, so a change of state is seen at once.
        self._looked: tuple[float, MeetingReading | None] | None = None

    def read(self, rgb: np.ndarray, t: float | None = None) -> MeetingReading:
        rgb = np.ascontiguousarray(rgb[..., :3])
        reading = self.zoom.read(rgb, t)
        if reading.state in DEFINITE:
            if reading.box is not None and _switch_beside(rgb, reading.box):
                # A microphone with a switch beside it is a pre-join screen's device choice
                # (Teams): the call has not started, whatever the switch says.
                return MeetingReading("not_in_meeting", None, None)
            return reading
        looked = self._looked
        if (t is not None and looked is not None and t - looked[0] < self.search_period
                and (looked[1] is None or looked[1].state not in DEFINITE)):
            return looked[1] or reading
        found = self._other_apps(rgb)
        self._looked = (t if t is not None else 0.0, found)
        return found or reading

    def _other_apps(self, rgb: np.ndarray) -> MeetingReading | None:
        last = self._looked[1] if self._looked is not None else None
        if last is not None and last.box is not None and last.state in DEFINITE:
            # The button found last time, looked for again in its band of rows only (whole
            # width: Webex's Join pill sits far along the bar): a fraction of the full looks.
            x, y, w, h = last.box
            y0 = max(0, y - 2 * h)
            band = np.ascontiguousarray(rgb[y0:y + 3 * h])
            look = self.round if last.app == "meet" else self.webex
            again = look.read(band)
            if again is not None and again.state in DEFINITE and again.box is not None:
                bx, by, bw, bh = again.box
                return replace(again, box=(bx, by + y0, bw, bh))
        found = self.round.read(rgb) or self.webex.read(rgb)
        if found is not None:
            return found
        if toggle_switches(rgb):
            return MeetingReading("not_in_meeting", None, None)
        joining = audio_join_button(rgb)
        if joining is not None:
            return MeetingReading("no_audio", "zoom", joining)
        if left_meeting(rgb) is not None:
            # Webex's "you left the meeting" page: its logo over an empty stage with one line
            # of text (a meeting with its toolbar hidden still shows a self-view or a tile).
            return MeetingReading("not_in_meeting", "webex", None)
        return None


def _switch_beside(rgb: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """A switched-on toggle in the button's row, within six button widths (looked for in that
    band only: this runs on every shot that shows a button)."""
    x, y, w, h = box
    x0, y0 = max(0, x - 6 * w), max(0, y - h // 2)
    band = np.ascontiguousarray(rgb[y0:y + 2 * h, x0:x + 7 * w])
    for _, oy, _, oh in toggle_switches(band):
        centre_y = y0 + oy + oh / 2
        if y - h / 2 <= centre_y <= y + 1.5 * h:
            return True
    return False


def audio_join_button(rgb: np.ndarray) -> tuple[int, int, int, int] | None:
    """Zoom's "Join with Computer Audio" button: a wide Zoom-blue bar (at least five times as
    wide as tall) with white text on it, on a light dialog. Meet's and Teams' join buttons are
    far shorter ("Join now"), Webex's is green."""
    for x, y, w, h, area in colour_blobs(rgb)["blue"]:
        if not (18 <= h <= 90 and w >= 5 * h and area >= 0.75 * w * h):
            continue
        inner = rgb[y + h // 4:y + h - h // 4, x + h // 2:x + w - h // 2].astype(np.int16)
        white = float(((inner.min(axis=2) > 200)).mean())
        around = rgb[max(0, y - 2):y, x:x + w].astype(np.int16)  # the dialog just above
        light = around.size > 0 and float((around.min(axis=2) > 200).mean()) > 0.8
        if 0.05 <= white <= 0.5 and light:
            return (x, y, w, h)
    return None
