"""What a live session shows the overlay, and what the overlay may ask of it.

`SessionSnapshot` is published by the session's workers and read by the GUI timer: immutable, so
any thread may read it. `SESSION_COMMANDS` are the names `LiveSession.command` accepts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from detectors.coach import Shown

log = logging.getLogger(__name__)

# What `LiveSession.command` accepts. "pick_self_view" starts the two-click pick of the user's
# tile in the meeting window (the camera's stand-in); "cancel_pick" ends a pick in progress.
SESSION_COMMANDS = ("snooze", "unsnooze", "mark", "pick_self_view", "cancel_pick")


@dataclass(frozen=True)
class SessionSnapshot:
    """What the overlay draws, published by the session; immutable so any thread may read it."""

    t: float
    running: bool
    nudge: Shown | None
    snoozed: bool
    speaking: bool
    answer_elapsed_s: float | None  # length of the answer in progress, None between answers
    gaze: str | None
    devices: dict[str, str] = field(default_factory=dict)  # source -> "ok"/"lost: why"
    analysed_fps: float = 0.0
    latency_ms: float = 0.0  # capture -> analysed, newest frame
    dropped_frames: int = 0
    # Session commands the overlay may offer now (see SESSION_COMMANDS), e.g. "pick_self_view"
    # while the camera is lost and no self-view tile is known.
    offers: tuple[str, ...] = ()
    prompt: str | None = None  # an instruction to show while the region pick runs
