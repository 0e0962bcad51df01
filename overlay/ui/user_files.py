"""The user's own files: the settings file, the cue-sheet folder and its starter sheet, the
first-start marker, and the one setting the welcome window writes (where the camera is).

No Qt here, so the first-start behaviour is tested on a temporary home folder alone.
"""

from __future__ import annotations

import logging
import re
import shutil
import tomllib
from pathlib import Path

log = logging.getLogger(__name__)

STARTER_SHEET = "example-interview.md"
WELCOMED_MARKER = ".welcomed"  # in the config dir: the welcome window was seen once


def ensure_user_settings() -> Path:
    """The user's settings file, created from the defaults, every value commented out."""
    from overlay.paths import bundled_config_dir, user_settings_file

    path = user_settings_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Your OnCue settings. Uncomment a line and change it; everything else keeps",
                 "# its default. Section headers may stay as they are.", ""]
        for line in (bundled_config_dir() / "defaults.toml").read_text().splitlines():
            is_value = line.strip() and not line.startswith(("#", "["))
            lines.append("# " + line if is_value else line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ensure_cue_sheet_folder() -> Path:
    """The cue-sheet folder, seeded with the template the first time."""
    from overlay.paths import cue_sheet_dir

    folder = cue_sheet_dir()
    folder.mkdir(parents=True, exist_ok=True)
    starter_cue_sheet(folder)
    return folder


def starter_cue_sheet(folder: Path) -> Path | None:
    """The starter sheet made from the template in an empty folder (None: the user has sheets
    of their own, which are never touched)."""
    from overlay.paths import bundled_config_dir

    path = folder / STARTER_SHEET
    if path.exists():
        return path
    if any(folder.glob("*.md")):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_config_dir() / "cuesheet_template.md", path)
    log.info("starter cue sheet written to %s", path)
    return path


def is_first_start() -> bool:
    """No settings file and no marker: nobody has seen OnCue's welcome on this account."""
    from overlay.paths import config_dir, user_settings_file

    return not user_settings_file().exists() and not (config_dir() / WELCOMED_MARKER).exists()


def mark_welcomed() -> None:
    from overlay.paths import config_dir

    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / WELCOMED_MARKER).write_text("The welcome window was shown once.\n",
                                          encoding="utf-8")


def save_camera_offset(x: int, y: int, path: Path | None = None) -> Path:
    """Write [overlay] camera_offset_x/y into the user's settings, keeping every other line
    (comments included): an existing line for the key, set or commented out, is replaced in
    place; a missing one is added under [overlay], or with a new [overlay] at the end."""
    from overlay.paths import user_settings_file

    path = path or user_settings_file()
    if not path.exists():
        ensure_user_settings() if path == user_settings_file() else path.write_text("")
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, value in (("camera_offset_x", x), ("camera_offset_y", y)):
        lines = _set_in_section(lines, "overlay", key, f"{key} = {int(value)}")
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never leave a file behind that OnCue itself cannot read
    path.write_text(text, encoding="utf-8")
    return path


def _set_in_section(lines: list[str], section: str, key: str, new: str) -> list[str]:
    header = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")
    own = re.compile(rf"^\s*(#\s*)?{re.escape(key)}\s*=")
    start = next((i for i, line in enumerate(lines)
                  if (m := header.match(line)) and m.group(1).strip() == section), None)
    if start is None:
        return [*lines, "", f"[{section}]", new]
    end = next((i for i in range(start + 1, len(lines)) if header.match(lines[i])), len(lines))
    found = [i for i in range(start + 1, end) if own.match(lines[i])]
    if not found:
        return [*lines[:start + 1], new, *lines[start + 1:]]
    # The set line if there is one, else the first commented-out one, becomes the new value.
    chosen = next((i for i in found if not lines[i].lstrip().startswith("#")), found[0])
    return [new if i == chosen else line for i, line in enumerate(lines)
            if not (i in found and i != chosen and not line.lstrip().startswith("#"))]
