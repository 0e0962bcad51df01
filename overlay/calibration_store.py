"""Calibrations the user made (gaze per camera, the mute button of a meeting app), kept on disk.

They are measurements of this user's setup rather than preferences, so they live beside the
settings in `calibration.json` (private to the user) instead of in settings.toml. A damaged file
is reported and ignored: OnCue then runs uncalibrated and says so, it never refuses to start.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from overlay.paths import config_dir

log = logging.getLogger(__name__)
T = TypeVar("T")


def calibration_file() -> Path:
    return config_dir() / "calibration.json"


def load_calibrations(path: Path | None = None) -> dict[str, Any]:
    path = path or calibration_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("%s: ignored, not a readable calibration file (%s)", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def save_calibration(key: str, value: dict[str, Any] | None, path: Path | None = None) -> None:
    """Store one calibration (`None` removes it); written atomically, mode 0600."""
    path = path or calibration_file()
    data = load_calibrations(path)
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    if os.name == "posix":
        tmp.chmod(0o600)
    tmp.replace(path)


def stored_calibration(key: str, parse: Callable[[Any], T], what: str,
                       redo: str = "calibrate again") -> T | None:
    """One stored calibration, parsed; None when there is none or it is damaged (then a warning
    says so and what to do: OnCue runs uncalibrated rather than refusing to start)."""
    data = load_calibrations().get(key)
    if not data:
        return None
    try:
        return parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("stored %s ignored (%s); %s", what, exc, redo)
        return None
