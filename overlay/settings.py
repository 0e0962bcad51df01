"""Settings: `config/defaults.toml` < the user's settings.toml < ONCUE_* environment variables.

The defaults file is the table of settings: its keys define what exists and its values define each
setting's type. Anything else in the user's file is an error that names the file, the key and the
expected type, so a typo never silently does nothing.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import reprlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overlay.paths import bundled_config_dir, user_settings_file

log = logging.getLogger(__name__)

# Environment variables that locate things rather than set settings (ONCUE_BUNDLE: the built
# bundle that tests/test_bundle.py smoke-tests; .ci/run sets it for the whole test run).
PATH_VARIABLES = {"ONCUE_DATA_DIR", "ONCUE_CONFIG_DIR", "ONCUE_CACHE_DIR", "ONCUE_FACE_MODEL",
                  "ONCUE_SHARED_DATA", "ONCUE_BUNDLE"}


# Settings that existed once: a user's file that still has one is told, not refused.
RETIRED = {"camera.fov_deg": "eye contact no longer depends on the field of view"}


class SettingsError(Exception):
    """One clear line: which file, which key, what was expected."""


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]  # "section.key" -> value
    sources: Mapping[str, str]  # "section.key" -> where the value came from

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def section(self, name: str) -> dict[str, Any]:
        prefix = name + "."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "integer", float: "number", str: "string"}.get(
        type(value), type(value).__name__)


# A value quoted in an error message is cut short: the message must stay one readable line even
# when the value is a megabyte of text or a table nested a thousand deep.
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 40
_SHORT.maxlevel = 2
INT64 = 2**63  # TOML integers are 64-bit; tomllib accepts any size


def _clip(name: str, limit: int = 60) -> str:
    """A key or section name as quoted in a message (a key may be a megabyte long too)."""
    return name if len(name) <= limit else name[:limit - 3] + "..."


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark, which TOML does not allow.
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except RecursionError:  # tomllib recurses once per level of [[[...]]] or {a={...}}
        raise SettingsError(f"{path}: not valid TOML (values nested too deeply)") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror})") from exc


def _flatten(doc: Mapping[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, body in doc.items():
        if not isinstance(body, dict):
            raise SettingsError(f"{path}: '{_clip(section)}' must be a [section], "
                                "not a bare value")
        for key, value in body.items():
            flat[f"{section}.{key}"] = value
    return flat


def _coerce(value: Any, default: Any, where: str, key: str) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(_in_range(value, where, key))
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise SettingsError(f"{where}: '{key}' must be {_type_name(default)}, "
                            f"got {_SHORT.repr(value)}")
    return _in_range(value, where, key)


def _in_range(value: Any, where: str, key: str) -> Any:
    # nan compares false with everything, so a threshold set to nan silently never fires.
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"{where}: '{key}' must be a finite number, got {value}")
    if isinstance(value, int) and not isinstance(value, bool) and not -INT64 <= value < INT64:
        raise SettingsError(f"{where}: '{key}' is too large ({_SHORT.repr(value)})")
    return value


def _from_env(text: str, default: Any, name: str, key: str) -> Any:
    where = f"environment variable {name}"
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return _in_range(int(text), where, key)
        if isinstance(default, float):
            return _in_range(float(text), where, key)
    except ValueError:
        raise SettingsError(f"{where}: '{key}' must be {_type_name(default)}, "
                            f"got {_SHORT.repr(text)}") from None
    return text


def env_name(key: str) -> str:
    return "ONCUE_" + key.replace(".", "_").upper()


@functools.cache
def _bundled_defaults() -> tuple[tuple[str, Any], ...]:
    """The shipped defaults, read once per process: they cannot change while OnCue runs."""
    defaults_path = bundled_config_dir() / "defaults.toml"
    return tuple(_flatten(_read_toml(defaults_path), defaults_path).items())


def load_settings(user_file: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    values = dict(_bundled_defaults())
    sources = {k: "defaults" for k in values}
    user_file = user_file or user_settings_file()
    if user_file.exists():
        for key, value in _flatten(_read_toml(user_file), user_file).items():
            if key in RETIRED:
                log.warning("%s: '%s' is no longer used (%s); remove it", user_file, key,
                            RETIRED[key])
                continue
            if key not in values:
                raise SettingsError(f"{user_file}: unknown setting '{_clip(key)}' "
                                    "(see config/defaults.toml for the list)")
            values[key] = _coerce(value, values[key], str(user_file), key)
            sources[key] = str(user_file)
    environ = os.environ if environ is None else environ
    by_env = {env_name(k): k for k in values}
    for name, text in environ.items():
        if not name.startswith("ONCUE_") or name in PATH_VARIABLES:
            continue
        setting = by_env.get(name)
        if setting is None:
            log.warning("ignoring %s: no such setting", name)
            continue
        values[setting] = _from_env(text, values[setting], name, setting)
        sources[setting] = name
    return Settings(values=values, sources=sources)
