"""The mute state read from the meeting app's own controls, through the OS accessibility layer.

Each platform module (`atspi`, `uia`, `ax`) lists the app's labelled controls; this module maps
their labels through the one table (`labels.py`) and decides:

- every matching control agrees: that state, decided by the app itself (`source="accessibility"`);
- they disagree (two Meet tabs, one muted) or none matches: no reading, and the screen pixels
  decide as before. The accessibility reader never says `unknown` on its own: it either knows, or
  leaves the question to the pixel reader.

A full walk of an app's tree costs tens to hundreds of calls, so it runs at most every
`search_period` seconds; in between only the controls found last time are read again (one call
each), which also follows a label change within one watcher period. `MuteFromA11y` is not
thread-safe: the watcher (`watcher.py`) owns it on one thread, as D-Bus and COM connections
belong to the thread that opened them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from detectors.meeting import MeetingReading
from overlay.capture.a11y.labels import LabelRule, rule_for

log = logging.getLogger(__name__)

SOURCE = "accessibility"


class A11yUnavailable(RuntimeError):
    """The platform's accessibility layer cannot be used here; str() says why and what to do."""


@dataclass(frozen=True)
class Control:
    app: str | None  # which meeting app it belongs to ("zoom", "meet", ...), None if none
    role: str  # the platform's role name, for the log
    label: str  # the accessible name (or title/description) as the app gives it
    handle: object  # the backend's reference, to read the label again


class A11yBackend(Protocol):
    name: str  # "at-spi", "uia", "ax"

    def controls(self) -> list[Control]:
        """Every button-like control of the running meeting apps that has a label."""
        ...

    def relabel(self, control: Control) -> str | None:
        """The control's label now, or None when the control is gone."""
        ...

    def close(self) -> None: ...


class MuteFromA11y:
    def __init__(self, backend: A11yBackend, search_period: float = 5.0) -> None:
        self.backend = backend
        self.search_period = search_period
        self._known: list[Control] = []  # controls whose labels matched a rule last time
        self._walked_at: float | None = None

    def read(self, t: float) -> MeetingReading | None:
        """The app's own mute state at session time `t`, or None to let the pixels decide."""
        matched = self._reread() if self._known else []
        if not matched and (self._walked_at is None or t - self._walked_at >= self.search_period):
            self._walked_at = t
            matched = [(c, r) for c in self.backend.controls()
                       if (r := rule_for(c.app, c.label)) is not None]
            self._known = [c for c, _ in matched]
            if matched:
                log.info("mute control found through %s: %s", self.backend.name,
                         ", ".join(f"{c.app} {c.role} {c.label!r}" for c, _ in matched))
        return _decide(matched)

    def _reread(self) -> list[tuple[Control, LabelRule]]:
        fresh = []
        for control in self._known:
            label = self.backend.relabel(control)
            rule = rule_for(control.app, label) if label is not None else None
            if rule is None:
                # Gone, or a label the table does not know (a menu closed, the tab navigated
                # away): search again, so a control that replaced it is found.
                self._known = []
                return []
            fresh.append((Control(control.app, control.role, label or "", control.handle), rule))
        return fresh


def _decide(matched: list[tuple[Control, LabelRule]]) -> MeetingReading | None:
    states = {rule.state for _, rule in matched}
    if len(states) != 1:
        if len(states) > 1:
            log.debug("accessibility labels disagree: %s", [c.label for c, _ in matched])
        return None
    apps = {c.app for c, _ in matched}
    return MeetingReading(states.pop(), apps.pop() if len(apps) == 1 else None, None,
                          source=SOURCE)
