"""Where OnCue keeps things: platformdirs locations, bundled config, the face model.

Every directory OnCue creates is private to the user (0700), because it holds notes about
interviews and, if the user opts in, recordings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP = "oncue"
FACE_MODEL_NAME = "face_landmarker.task"
FACE_MODEL_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def data_dir() -> Path:
    """Event log, summaries, notes. `ONCUE_DATA_DIR` overrides (tests, portable installs)."""
    override = os.environ.get("ONCUE_DATA_DIR")
    return _private_dir(Path(override) if override else Path(platformdirs.user_data_dir(APP)))


def config_dir() -> Path:
    """The user's settings file and cue sheets. `ONCUE_CONFIG_DIR` overrides."""
    override = os.environ.get("ONCUE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP))


def cache_dir() -> Path:
    override = os.environ.get("ONCUE_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP))


def user_settings_file() -> Path:
    return config_dir() / "settings.toml"


def cue_sheet_dir() -> Path:
    return config_dir() / "cue-sheets"


def face_model_path() -> Path:
    """The verified model `oncue setup` stores (overlay/model_setup.py).

    `ONCUE_FACE_MODEL` overrides; a copy shipped inside a desktop bundle is used when present.
    It lives in the data directory, not the cache: cache cleaners would delete it.
    """
    override = os.environ.get("ONCUE_FACE_MODEL")
    if override:
        return Path(override)
    bundled = Path(__file__).resolve().parent / "models" / FACE_MODEL_NAME
    if bundled.is_file():
        return bundled
    return data_dir() / "models" / FACE_MODEL_NAME


def legacy_face_model_path() -> Path:
    """Where OnCue 0.1 kept the model (the cache); `oncue setup` moves it from there."""
    return cache_dir() / "models" / FACE_MODEL_NAME


def bundled_config_dir() -> Path:
    """The declarative defaults: `overlay/config` in a wheel, `config/` in a checkout, and
    `overlay/config` under the unpacked folder of a PyInstaller bundle (`sys._MEIPASS`)."""
    import sys

    here = Path(__file__).resolve().parent
    candidates = [here / "config", here.parent / "config"]
    frozen = getattr(sys, "_MEIPASS", None)  # set only inside a PyInstaller bundle
    if frozen:
        # PyInstaller gives frozen modules a __file__ under _MEIPASS too, but say it outright:
        # packaging/oncue.spec puts the defaults exactly here.
        candidates.insert(0, Path(frozen) / "overlay" / "config")
    for candidate in candidates:
        if (candidate / "defaults.toml").is_file():
            return candidate
    raise FileNotFoundError(
        f"OnCue's config/defaults.toml was not found beside {here}; the installation is incomplete"
    )
