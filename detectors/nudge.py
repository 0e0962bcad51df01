"""What every cue policy produces: a Nudge, and the order in which nudges outrank each other.

Detectors decide *whether* a condition deserves a nudge (sustained, rate-limited per kind); the
coach (`detectors/coach.py`) decides which single nudge is on screen. Texts are at most four words
so they can be read in a glance mid-answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Higher wins. Muted beats everything: talking into a muted mic wastes the whole answer.
PRIORITY: dict[str, int] = {
    "muted": 100,
    "mic_dead": 90,
    "answer_stop": 80,
    "wrap_up": 70,
    "look_at_lens": 60,
    "no_face": 55,
    "answer_soft": 50,
    "slow_down": 45,
    "typing": 40,
    "backlit": 30,
    "too_dark": 30,
    "face_overexposed": 28,
    "uneven": 25,
    "overhead": 25,
    "framing": 20,
    "fillers": 15,
}


@dataclass(frozen=True)
class Nudge:
    t: float  # session seconds when the condition was met
    kind: str  # a key of PRIORITY
    text: str  # at most four words, e.g. "Look at the lens"

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.kind, 0)

    def __post_init__(self) -> None:
        if len(self.text.split()) > 4:
            raise ValueError(f"nudge text must be at most four words: {self.text!r}")
