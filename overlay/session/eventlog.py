"""The append-only event log: one SQLite database (WAL) holding every session and its events.

Each event is committed the moment it is appended. With WAL and synchronous=NORMAL a commit is a
write into the WAL file without fsync: a killed process (SIGKILL, crash) loses nothing already
appended, because the data is in the OS page cache; only a power cut could lose the last
transactions. That trade keeps appends cheap enough to call from the workers (tens of µs).

Workers on several threads append; one connection guarded by a lock serialises them (SQLite
allows one writer at a time anyway). Readers (history, summary) open their own connection.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from overlay.session.events import MODES, SessionEvent, SessionInfo
from overlay.session.owner_process import own_start, session_process_alive

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    duration_s REAL,
    status TEXT NOT NULL,
    pid INTEGER,
    program TEXT,
    pid_started REAL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    t REAL NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id, seq);
"""


class EventLogError(Exception):
    """The event log cannot be used; str() names the file and what to do."""


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                               timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        if "pid_started" not in columns:  # a log written before the start time was kept
            conn.execute("ALTER TABLE sessions ADD COLUMN pid_started REAL")
    except sqlite3.DatabaseError as exc:
        raise EventLogError(
            f"{path}: the session log is damaged or not a database ({exc}); move it aside "
            "to start a new one (or `oncue forget` to delete everything)") from exc
    if os.name == "posix":
        for suffix in ("", "-wal", "-shm"):
            f = Path(str(path) + suffix)
            if f.exists():
                f.chmod(0o600)
    return conn


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class EventLog:
    """Writes sessions and events; also answers the history's questions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = _connect(path)

    # -- writing ---------------------------------------------------------------------------
    def start_session(self, mode: str, source: str) -> str:
        if mode not in MODES:
            raise ValueError(f"unknown session mode {mode!r}")
        session_id = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        with self._lock:
            self._conn.execute(
                "INSERT INTO sessions (id, mode, source, started_at, status, pid, pid_started) "
                "VALUES (?, ?, ?, ?, 'running', ?, ?)",
                (session_id, mode, source, _now(), os.getpid(), own_start()),
            )
        return session_id

    def append(self, session_id: str, event: SessionEvent) -> None:
        payload = json.dumps(event.data, separators=(",", ":"), allow_nan=False)
        with self._lock:
            self._conn.execute(
                "INSERT INTO events (session_id, t, kind, data) VALUES (?, ?, ?, ?)",
                (session_id, float(event.t), event.kind, payload),
            )

    def end_session(self, session_id: str, duration_s: float, status: str = "ended") -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE sessions SET ended_at = ?, duration_s = ?, status = ? WHERE id = ?",
                (_now(), float(duration_s), status, session_id),
            )

    def end_own_sessions(self, reason: str) -> list[str]:
        """End, at their last event, the sessions this process left running (a command
        interrupted half-way): they were stopped, not crashed. Returns their ids."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id FROM sessions WHERE status = 'running' AND pid = ? AND "
                "(pid_started IS NULL OR pid_started = ?)", (os.getpid(), own_start())).fetchall()
        ended = []
        for (sid,) in rows:
            with self._lock:
                (last,) = self._conn.execute("SELECT MAX(t) FROM events WHERE session_id = ?",
                                             (sid,)).fetchone()
            t = float(last or 0.0)
            self.append(sid, SessionEvent(t, "session_ended", {"reason": reason}))
            self.end_session(sid, t)
            ended.append(sid)
        return ended

    def set_program(self, session_id: str, program: str | None) -> None:
        with self._lock:
            self._conn.execute("UPDATE sessions SET program = ? WHERE id = ?",
                               (program, session_id))

    # -- reading ---------------------------------------------------------------------------
    def sessions(self) -> list[SessionInfo]:
        """All sessions, newest first. A 'running' session whose process is gone is 'crashed'."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, mode, source, started_at, ended_at, duration_s, status, pid, program, "
                "pid_started FROM sessions ORDER BY started_at DESC, rowid DESC"
            ).fetchall()
        out = []
        for sid, mode, source, started, ended, dur, status, pid, program, pid_started in rows:
            if status == "running" and not session_process_alive(pid, pid_started):
                status = "crashed"
            out.append(SessionInfo(sid, mode, source, started, ended, dur, status, program))
        return out

    def session(self, session_id: str) -> SessionInfo:
        for info in self.sessions():
            if info.id == session_id:
                return info
        raise KeyError(f"no session {session_id!r} in {self.path}")

    def events(self, session_id: str) -> list[SessionEvent]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT t, kind, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        return [SessionEvent(t, kind, json.loads(data)) for t, kind, data in rows]

    def unfinished(self) -> list[SessionInfo]:
        """Sessions whose process died before ending them, not yet recovered.

        Their summary can still be built from their events; `mark_recovered` closes them so
        they are offered once.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, pid, pid_started FROM sessions WHERE status = 'running'").fetchall()
        dead = {sid for sid, pid, started in rows if not session_process_alive(pid, started)}
        return [s for s in self.sessions() if s.id in dead]

    def mark_recovered(self, session_id: str) -> None:
        """Close a crashed session at its last event (its status stays 'crashed')."""
        with self._lock:
            row = self._conn.execute("SELECT MAX(t) FROM events WHERE session_id = ?",
                                     (session_id,)).fetchone()
            self._conn.execute(
                "UPDATE sessions SET duration_s = ?, status = 'crashed', pid = NULL, "
                "pid_started = NULL WHERE id = ?",
                (float(row[0] or 0.0), session_id),
            )

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
            self._conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def delete_all(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM events")
            self._conn.execute("DELETE FROM sessions")
            self._conn.execute("VACUUM")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def default_log_path() -> Path:
    from overlay.paths import data_dir

    return data_dir() / "sessions.sqlite"


@contextmanager
def open_log(path: Path | None = None) -> Iterator[EventLog]:
    log_ = EventLog(path or default_log_path())
    try:
        yield log_
    finally:
        log_.close()


def event_dicts(events: list[SessionEvent]) -> list[dict[str, Any]]:
    return [{"t": e.t, "kind": e.kind, **e.data} for e in events]
