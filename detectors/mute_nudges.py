"""The three microphone mistakes of a video call, as pure, rate-limited policies.

- `MutedTalk`: own speech starts while the meeting reads `muted` -> "You're muted". The meeting
  state comes a few times a second and speech per audio chunk, so the nudge fires on whichever
  arrives second, as long as that is within `grace` of the speech onset: a talk spurt that began
  long before the state turned muted is not this mistake (the user muted on purpose mid-sentence).
- `DeadMic`: the input is digital silence or a flat noise floor for `window` seconds while the
  camera sees the mouth moving -> "Mic hears nothing". A live mic under speech moves by tens of dB
  within seconds; a dead one (wrong device, hardware switch) does not move at all.
- `AudibleTyping`: keystrokes (counts only, never which keys) while unmuted and not speaking ->
  "Typing is audible".

All are fed in time order with session seconds; each returns a `Nudge` or None.
"""

from __future__ import annotations

import logging
import math
from collections import deque

from detectors.nudge import Nudge

log = logging.getLogger(__name__)


class MutedTalk:
    def __init__(self, grace: float = 1.0, cooldown: float = 30.0,
                 max_state_age: float = 3.0) -> None:
        self.grace = grace  # the nudge must come within this long of the speech onset
        self.cooldown = cooldown
        self.max_state_age = max_state_age  # an older screen reading is not trusted
        self._speaking = False
        self._onset: float | None = None
        self._state, self._state_t = "unknown", -math.inf
        self._last: float = -math.inf
        self._told_onset: float | None = None

    def meeting(self, t: float, state: str) -> Nudge | None:
        self._state, self._state_t = state, t
        return self._check(t)

    def speech(self, t: float, speaking: bool) -> Nudge | None:
        if speaking and not self._speaking:
            self._onset = t
        self._speaking = speaking
        return self._check(t) if speaking else None

    def _check(self, t: float) -> Nudge | None:
        if not self._speaking or self._onset is None or self._told_onset == self._onset:
            return None
        if self._state != "muted" or t - self._state_t > self.max_state_age:
            return None
        if t - self._onset > self.grace or t - self._last < self.cooldown:
            return None
        self._last, self._told_onset = t, self._onset
        log.info("talking while muted at %.2f s (speech began %.2f s)", t, self._onset)
        return Nudge(t, "muted", "You're muted")


class DeadMic:
    def __init__(self, window: float = 10.0, silence_dbfs: float = -90.0,
                 flat_db: float = 2.0, mouth_share: float = 0.5,
                 cooldown: float = 60.0) -> None:
        self.window = window
        self.silence_dbfs = silence_dbfs  # below this the input is digital silence
        self.flat_db = flat_db  # a level spread (10th to 90th percentile) this small is a floor
        self.mouth_share = mouth_share  # share of the window the mouth must be seen moving
        self.cooldown = cooldown
        self._chunks: deque[tuple[float, float, bool | None]] = deque()
        self._last = -math.inf

    def audio(self, t: float, rms: float, mouth_moving: bool | None) -> Nudge | None:
        """`rms` of one chunk of float samples in [-1, 1]; `mouth_moving` from the camera, or
        None when no face is seen (no face: no evidence, never a nudge)."""
        db = 20.0 * math.log10(max(rms, 1e-9))
        self._chunks.append((t, db, mouth_moving))
        while self._chunks and self._chunks[0][0] < t - self.window - 0.05:
            self._chunks.popleft()
        if t - self._chunks[0][0] < self.window - 0.05 or t - self._last < self.cooldown:
            return None
        levels = sorted(c[1] for c in self._chunks)
        lo, hi = levels[len(levels) // 10], levels[(9 * len(levels)) // 10]
        silent = hi <= self.silence_dbfs
        flat = hi - lo <= self.flat_db
        moving = sum(1 for c in self._chunks if c[2]) / len(self._chunks)
        if (silent or flat) and moving >= self.mouth_share:
            self._last = t
            log.info("mic hears nothing at %.2f s (level %.1f..%.1f dBFS)", t, lo, hi)
            return Nudge(t, "mic_dead", "Mic hears nothing")
        return None


class AudibleTyping:
    def __init__(self, window: float = 3.0, min_keys: int = 6,
                 cooldown: float = 120.0) -> None:
        self.window = window
        self.min_keys = min_keys  # this many keystrokes within `window` is typing, not a hotkey
        self.cooldown = cooldown
        self._keys: deque[tuple[float, int]] = deque()
        self._last = -math.inf

    def keys(self, t: float, count: int, meeting_state: str, speaking: bool) -> Nudge | None:
        """`count` keystrokes since the previous call (the count only, never which keys)."""
        self._keys.append((t, count))
        while self._keys and self._keys[0][0] < t - self.window:
            self._keys.popleft()
        if meeting_state != "unmuted" or speaking or t - self._last < self.cooldown:
            return None
        if sum(c for _, c in self._keys) >= self.min_keys:
            self._last = t
            self._keys.clear()
            return Nudge(t, "typing", "Typing is audible")
        return None
