"""The coach: of all nudges the detectors raise, which single one is on screen now.

The policy (docs/nudges.md):
- one nudge at a time; a higher-priority nudge replaces a lower one (muted > wrap up > look at the
  lens > light > framing, `detectors/nudge.py`); a shown nudge stays at least `min_display_s` so
  nothing flashes, and leaves after `display_s`;
- light and framing (`SCENE_KINDS`) are never on screen while the user speaks: telling someone to
  move their chair mid-answer is the most disruptive nudge there is. One waiting is dropped, one on
  screen leaves at once (it vanishing is less distracting than it staying);
- "Look at the lens" leaves as soon as the gaze is back at the lens (once it has been up
  `min_display_s`): it is about the present moment, and still showing it to someone who already
  looks at the lens tells them they are doing it wrong;
- while snoozed nothing is shown, but nudges are still counted (the summary lists them).

Pure and single-threaded: time, speaking and the gaze state come in as arguments. A session that
raises nudges on workers while the GUI thread asks what to show wraps it in
`overlay.session.nudge_slot.SharedCoach`, which holds the lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from detectors.nudge import Nudge

log = logging.getLogger(__name__)

# Nudges about the room and the camera (detectors/scene_nudges.py): between answers only.
SCENE_KINDS = frozenset({"backlit", "too_dark", "face_overexposed", "uneven", "overhead",
                         "framing"})
# Nudges about where the user looks: gone once the user looks at the lens again.
GAZE_KINDS = frozenset({"look_at_lens"})


@dataclass(frozen=True)
class Shown:
    nudge: Nudge
    since: float  # when it appeared on screen


class Coach:
    def __init__(self, min_display_s: float = 2.0, display_s: float = 4.0,
                 snooze_s: float = 300.0) -> None:
        if display_s < min_display_s:
            raise ValueError("display_s must be at least min_display_s")
        self.min_display_s = min_display_s
        self.display_s = display_s
        self.snooze_s = snooze_s
        self.snoozed_until = float("-inf")
        self._shown: Shown | None = None
        self._waiting: Nudge | None = None  # best nudge held back by min_display_s
        self.raised = 0
        self.suppressed = 0  # raised while snoozed

    def snooze(self, t: float) -> None:
        self.snoozed_until = t + self.snooze_s
        self._shown = None
        self._waiting = None

    def unsnooze(self) -> None:
        self.snoozed_until = float("-inf")

    def snoozed(self, t: float) -> bool:
        return t < self.snoozed_until

    def raise_nudge(self, nudge: Nudge) -> None:
        self.raised += 1
        if self.snoozed(nudge.t):
            self.suppressed += 1
            return
        if self._waiting is None or nudge.priority >= self._waiting.priority:
            self._waiting = nudge

    def current(self, t: float, *, speaking: bool = False,
                gaze: str | None = None) -> Shown | None:
        """The nudge on screen at time t (call at the display rate).

        `speaking`: the user is speaking now; `gaze`: the latest gaze state (lens / away /
        closed / noface, None when unknown).
        """
        if self.snoozed(t):
            return None
        shown = self._shown
        if shown is not None and self._leaves(shown, t, speaking, gaze):
            shown = self._shown = None
        waiting = self._waiting
        if waiting is not None:
            if (t - waiting.t > self.display_s  # its moment passed while another was shown
                    or (speaking and waiting.kind in SCENE_KINDS)
                    or (gaze == "lens" and waiting.kind in GAZE_KINDS)):
                self._waiting = None
            elif waiting.t > t:
                pass  # raised ahead of its moment (the answer timer's cues): shown when it comes
            elif shown is None or (waiting.priority > shown.nudge.priority
                                   and t - shown.since >= self.min_display_s):
                self._shown = shown = Shown(waiting, t)
                self._waiting = None
                log.debug("showing %s at %.2f s", waiting.kind, t)
            elif waiting.kind == shown.nudge.kind:
                self._waiting = None  # the same cue again: it is already on screen
        return shown

    def _leaves(self, shown: Shown, t: float, speaking: bool, gaze: str | None) -> bool:
        age = t - shown.since
        if age >= self.display_s:
            return True
        kind = shown.nudge.kind
        if speaking and kind in SCENE_KINDS:
            return True
        return gaze == "lens" and kind in GAZE_KINDS and age >= self.min_display_s
