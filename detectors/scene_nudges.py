"""Nudges about the room and the camera: only for what persists, and rarely.

Lighting and framing seldom change mid-interview and the user can rarely fix them mid-answer, so
the full list belongs in the pre-flight check and the summary. During the call a condition earns a
nudge only after it has held for `sustain_s` (a head turn or a hand in front of the face is not a
lighting problem) and each kind is repeated at most every `repeat_s`.

Never while the user speaks (docs/nudges.md): a condition that holds through an answer is told in
the next pause, once the user has been quiet for `quiet_s` (the silence that ends an answer), so
the nudge lands between answers, where the user can act on it. The clock of a condition keeps
running during the answer: it does not have to hold another `sustain_s` after it.

Feed `update` every lighting and framing reading in time order, with whether the user speaks. A
reading that judges nothing (no face in a lit frame) neither extends nor breaks a condition: it
is a gap, and gaps shorter than `gap_s` are bridged so one missed detection does not restart the
clock.
"""

from __future__ import annotations

import logging

from detectors.framing import FramingReading
from detectors.lighting import LightingReading
from detectors.nudge import PRIORITY, Nudge

log = logging.getLogger(__name__)

# Verdict -> (nudge kind, text of at most four words).
LIGHTING_TEXTS: dict[str, tuple[str, str]] = {
    "backlit": ("backlit", "Light is behind you"),
    "too_dark": ("too_dark", "Too dark"),
    "face_overexposed": ("face_overexposed", "Face is overexposed"),
    "uneven": ("uneven", "Uneven light"),
    "overhead": ("overhead", "Light from above"),
}
FRAMING_TEXTS: dict[str, tuple[str, str]] = {
    "camera_low": ("framing", "Raise the camera"),
    "camera_high": ("framing", "Lower the camera"),
    "too_close": ("framing", "Move back a little"),
    "too_far": ("framing", "Move closer"),
    "no_headroom": ("framing", "Leave space above"),
    "low_in_frame": ("framing", "Tilt the camera down"),
    "off_centre": ("framing", "Centre yourself"),
}
DARK_NO_FACE_TEXT = "Too dark to see"  # "too dark to see your face" is five words


class SceneNudger:
    """Turns lighting/framing readings into at most one nudge per call."""

    def __init__(self, sustain_s: float = 5.0, repeat_s: float = 180.0, gap_s: float = 1.0,
                 quiet_s: float = 2.5) -> None:
        self.sustain_s = sustain_s
        self.quiet_s = quiet_s
        self.repeat_s = repeat_s
        self.gap_s = gap_s
        self._since: dict[str, float] = {}  # verdict -> when it started holding
        self._seen: dict[str, float] = {}  # verdict -> last time it held
        self._last_nudge: dict[str, float] = {}  # nudge kind -> when it was last shown
        self._last_speech = float("-inf")

    def update(self, reading: LightingReading | FramingReading, t: float,
               speaking: bool = False) -> Nudge | None:
        texts = LIGHTING_TEXTS if isinstance(reading, LightingReading) else FRAMING_TEXTS
        if speaking:
            self._last_speech = t
        if not reading.judged:
            self._expire(texts, t)
            return None
        for verdict in texts:
            if verdict in reading.verdicts:
                if t - self._seen.get(verdict, -1e9) > self.gap_s:
                    self._since[verdict] = t  # a new stretch
                self._seen[verdict] = t
            else:
                self._since.pop(verdict, None)
        if t - self._last_speech < self.quiet_s:
            return None  # inside an answer: the conditions keep their clocks for the pause
        best: Nudge | None = None
        for verdict in texts:  # table order, so ties go to the first listed
            start = self._since.get(verdict)
            if start is None or t - start < self.sustain_s:
                continue
            kind, text = texts[verdict]
            if t - self._last_nudge.get(kind, -1e9) < self.repeat_s:
                continue
            if verdict == "too_dark" and getattr(reading, "dark_no_face", False):
                text = DARK_NO_FACE_TEXT
            candidate = Nudge(t=t, kind=kind, text=text)
            # Ties keep the first: backlit (the cause) before too_dark (the symptom).
            if best is None or PRIORITY.get(kind, 0) > best.priority:
                best = candidate
        if best is not None:
            # Conditions held together share one cause and one fix (a backlit face is also too
            # dark): the nudge shown covers all of them, so they do not follow half a second on.
            for verdict, start in self._since.items():
                if verdict in texts and t - start >= self.sustain_s:
                    self._last_nudge[texts[verdict][0]] = t
            log.debug("scene nudge %s at %.1f s", best.kind, t)
        return best

    def _expire(self, texts: dict[str, tuple[str, str]], t: float) -> None:
        """Forget conditions whose last sighting is older than the gap we bridge."""
        for verdict in list(self._since):
            if verdict in texts and t - self._seen.get(verdict, -1e9) > self.gap_s:
                del self._since[verdict]
