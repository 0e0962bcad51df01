"""The user's own files the tray opens: the settings file and the cue-sheet folder."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


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
    from overlay.paths import bundled_config_dir, cue_sheet_dir

    folder = cue_sheet_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.glob("*.md")):
        shutil.copy(bundled_config_dir() / "cuesheet_template.md", folder / "example-interview.md")
    return folder
