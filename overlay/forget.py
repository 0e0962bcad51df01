"""`oncue forget`: delete everything OnCue has stored about you, after showing what and asking.

What OnCue stores lives in two private folders (overlay/paths.py): the data folder (the event
log, notes and follow-up, reports, opt-in practice recordings, calibration) and the config folder
(settings, which hold the profile used to sign thank-you notes, and calibration; cue sheets and a
custom question bank). All of it goes, except what the user wrote for themselves, cue sheets and
questions, which go only with `--cue-sheets`. The cache keeps only the public face model, which
says nothing about anyone, and stays.

The list comes first and deletion needs the word `forget` typed (or `--yes`), because nothing of
this can be brought back. While an OnCue session is running, nothing is deleted: the running
process would go on writing into a log that no longer exists.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CONFIRM_WORD = "forget"
EVENT_LOG = "sessions.sqlite"
DATA_ENTRIES = {"notes": "interview notes and follow-up", "reports": "session reports",
                "recordings": "practice recordings (video and audio)"}
USER_WRITTEN = {"cue-sheets": "your cue sheets", "questions.toml": "your question bank"}
MODELS_DIR = "models"  # overlay/paths.face_model_path


@dataclass(frozen=True)
class StoredItem:
    path: Path
    what: str
    size_bytes: int


def _size(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def _sessions_in(db: Path) -> str:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            n = int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
    except sqlite3.Error:
        return "event log"
    return f"event log: {n} session{'s' * (n != 1)}"


def _describe(path: Path, folder: str) -> str:
    name = path.name
    if folder == "data":
        if name == EVENT_LOG:
            return _sessions_in(path)
        if name.startswith(EVENT_LOG):
            return "event log journal"
        return DATA_ENTRIES.get(name, "calibration and other OnCue data")
    if name == "settings.toml":
        return "settings (with your profile and calibration)"
    return USER_WRITTEN.get(name, "calibration and other OnCue settings")


def stored_items(data: Path, config: Path, cue_sheets: bool = False,
                 keep_settings: bool = False) -> tuple[list[StoredItem], list[StoredItem]]:
    """What would be deleted, and what is kept, in listing order."""
    delete: list[StoredItem] = []
    keep: list[StoredItem] = []
    for folder, root in (("data", data), ("config", config)):
        if not root.is_dir():
            continue
        for path in sorted(root.iterdir(), key=lambda p: (p.name != EVENT_LOG, p.name)):
            item = StoredItem(path, _describe(path, folder), _size(path))
            kept = (folder == "config" and ((path.name in USER_WRITTEN and not cue_sheets)
                                            or (path.name == "settings.toml" and keep_settings)))
            # The face model is Google's file, not the user's data: deleting it would only
            # make the next start download it again.
            kept = kept or (folder == "data" and path.name == MODELS_DIR)
            (keep if kept else delete).append(item)
    return delete, keep


def _unsafe(folder: Path) -> bool:
    """A data or config folder pointed (ONCUE_DATA_DIR...) at a home or system folder."""
    resolved = folder.resolve()
    home = Path.home().resolve()
    return resolved == Path(resolved.anchor) or resolved == home or resolved in home.parents


def _running_sessions(db: Path) -> list[str]:
    if not db.is_file():
        return []
    from overlay.session.eventlog import EventLog, EventLogError

    try:
        elog = EventLog(db)
    except (sqlite3.Error, EventLogError) as exc:
        # A damaged log: nothing can be running in it; it is deleted too.
        log.warning("event log %s unreadable: %s", db, exc)
        return []
    try:
        return [s.id for s in elog.sessions() if s.status == "running"]
    except sqlite3.Error as exc:
        log.warning("event log %s unreadable: %s", db, exc)
        return []
    finally:
        elog.close()


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return
    path.unlink(missing_ok=True)
    if path.name == EVENT_LOG:
        # Reading the log to count its sessions (SQLite WAL) may have made these after listing.
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(EVENT_LOG + suffix).unlink(missing_ok=True)


def _drop_if_empty(*folders: Path) -> None:
    for folder in folders:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _confirmed(yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print("oncue: forget needs a typed confirmation; run it in a terminal or pass --yes",
              file=sys.stderr)
        return False
    try:
        answer = input(f"Type '{CONFIRM_WORD}' to delete all of this for good: ")
    except EOFError:
        return False
    return answer.strip().lower() == CONFIRM_WORD


def forget_command(argv: list[str]) -> int:
    from overlay.paths import config_dir, data_dir

    ap = argparse.ArgumentParser(
        prog="oncue forget",
        description="Delete everything OnCue stored: the event log of every session, notes, "
                    "reports, recordings, calibration and settings. Lists it first and asks.")
    ap.add_argument("--cue-sheets", action="store_true",
                    help="also delete your cue sheets and your own question bank")
    ap.add_argument("--keep-settings", action="store_true",
                    help="keep settings.toml (your profile, hotkeys and calibration)")
    ap.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = ap.parse_args(argv)
    data, config = data_dir(), config_dir()
    for folder in (data, config):
        if _unsafe(folder):
            print(f"oncue: {folder}: refusing to empty a home or system folder; check "
                  "ONCUE_DATA_DIR and ONCUE_CONFIG_DIR", file=sys.stderr)
            return 2
    running = _running_sessions(data / EVENT_LOG)
    if running:
        print(f"oncue: an OnCue session is running ({running[0]}); quit OnCue first, then run "
              "`oncue forget` again", file=sys.stderr)
        return 1
    delete, keep = stored_items(data, config, args.cue_sheets, args.keep_settings)
    if not delete:
        print("OnCue has nothing stored to delete.")
    else:
        width = max(len(str(i.path)) for i in delete)
        print("OnCue will delete:")
        for item in delete:
            print(f"  {str(item.path):<{width}}  {item.what} ({_human(item.size_bytes)})")
    for item in keep:
        if item.path.name == MODELS_DIR:
            print(f"Kept: {item.path} (OnCue's face model; nothing about you)")
            continue
        how = "add --cue-sheets" if item.path.name in USER_WRITTEN else "drop --keep-settings"
        print(f"Kept: {item.path} ({item.what}; {how} to delete it)")
    if not delete:
        _drop_if_empty(data, config)
        return 0
    if not _confirmed(args.yes):
        print("Nothing was deleted.")
        return 1
    failed = 0
    for item in delete:
        try:
            _remove(item.path)
        except OSError as exc:
            failed += 1
            print(f"oncue: {item.path}: could not be deleted ({exc.strerror or exc})",
                  file=sys.stderr)
    _drop_if_empty(data, config)
    if failed:
        return 1
    print(f"Deleted {len(delete)} item{'s' * (len(delete) != 1)}. OnCue has forgotten you.")
    return 0
