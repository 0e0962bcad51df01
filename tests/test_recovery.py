"""Crash recovery: a live session killed with SIGKILL is found at the next start, its summary is
written once, and it is never offered again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.recovery import pending, recover_unfinished, recovery_notice
from overlay.session.eventlog import EventLog, default_log_path
from overlay.session.events import SessionEvent
from tests.clips import make_clip

ROOT = Path(__file__).resolve().parents[1]
READY = "OnCue main loop started"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def event_count(db: Path) -> tuple[int, bool]:
    """Events logged so far, and whether the session has ended (then it is too late to kill)."""
    if not db.exists():
        return 0, False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            kinds = [k for (k,) in conn.execute("SELECT kind FROM events")]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0, False
    return len(kinds), "session_ended" in kinds


def kill_live_session(clip: Path, data: Path, min_events: int, linger_s: float) -> None:
    """Start `python -m overlay --replay clip`, wait until it has logged `min_events` events and
    run `linger_s` more seconds, then SIGKILL it (no chance to end its session)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONCUE_DATA_DIR=str(data),
               PYNPUT_BACKEND="dummy", GLOG_minloglevel="2")
    proc = subprocess.Popen([sys.executable, "-m", "overlay", "--replay", str(clip)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # the app prints READY once its event loop runs
            if READY in line:
                break
        else:
            pytest.fail(f"the app exited before its main loop (code {proc.wait()})")
        # Deadlines only bound the wait for the app; nothing here measures its speed.
        deadline = time.monotonic() + 120
        db = data / "sessions.sqlite"
        while event_count(db)[0] < min_events:
            assert proc.poll() is None, "the app stopped before it could be killed"
            assert time.monotonic() < deadline, "the session logged too few events"
            time.sleep(0.2)
        time.sleep(linger_s)
        # The app outlives a replay that has played to its end (the window stays): make sure
        # the session itself is still running, or this would test nothing.
        assert not event_count(db)[1], "the session ended on its own: the clip is too short"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def check_recovered_once(data: Path) -> str:
    """What the next start does; returns the report's HTML."""
    elog = EventLog(data / "sessions.sqlite")
    try:
        (crashed,) = pending(elog)
        assert crashed.mode == "live" and crashed.ended_at is None
        (found,) = recover_unfinished(elog)
        assert found.session_id == crashed.id and found.events >= 1
        assert found.report == data / "reports" / f"{crashed.id}.html"
        assert found.report.is_file() and found.problem is None
        assert found.report.stat().st_mode & 0o077 == 0  # private, like everything stored
        notice = recovery_notice([found])
        assert notice is not None and "ended unexpectedly" in notice and str(found.report) in notice
        # Marked recovered: closed at its last event, and not offered at the start after.
        info = elog.session(crashed.id)
        assert info.status == "crashed" and info.duration_s is not None
        assert pending(elog) == [] and recover_unfinished(elog) == []
        return found.report.read_text(encoding="utf-8")
    finally:
        elog.close()


def test_killed_replayed_session_is_recovered_once(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    make_clip(clip, seconds=40.0)
    data = Path(os.environ["ONCUE_DATA_DIR"])  # the directory conftest gave this test
    kill_live_session(clip, data, min_events=1, linger_s=2.0)
    html = check_recovered_once(data)
    assert "ended by a crash" in html


def test_killed_real_interview_keeps_its_events(shared_data: Path) -> None:
    """A real talking-head clip: killed mid-answer, the summary still has what was logged."""
    data = Path(os.environ["ONCUE_DATA_DIR"])
    kill_live_session(shared_data / "video" / "lia__obama.mov", data, min_events=3, linger_s=0.5)
    elog = EventLog(data / "sessions.sqlite")
    (crashed,) = pending(elog)
    kinds = {e.kind for e in elog.events(crashed.id)}
    elog.close()
    assert "session_started" in kinds and "session_ended" not in kinds
    assert len(kinds) >= 2  # something beyond the start was logged before the kill
    assert "ended by a crash" in check_recovered_once(data)


# -- the logic, without a subprocess --------------------------------------------------------
def crashed_session(elog: EventLog, mode: str, events: int) -> str:
    sid = elog.start_session(mode, "test")
    for i in range(events):
        elog.append(sid, SessionEvent(float(i * 10), "session_started" if i == 0 else "mark"))
    # A pid that is certainly gone: a child that has exited and been reaped.
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    elog._conn.execute("UPDATE sessions SET pid = ? WHERE id = ?", (int(child.stdout), sid))
    return sid


def test_only_sessions_worth_a_summary_are_offered_but_all_are_closed() -> None:
    elog = EventLog(default_log_path())
    live = crashed_session(elog, "live", 3)
    practice = crashed_session(elog, "practice", 2)
    analysis = crashed_session(elog, "analysis", 3)
    empty = crashed_session(elog, "live", 0)
    running = elog.start_session("live", "this process")  # alive: not a crash
    written: list[str] = []

    def writer(log_: EventLog, sid: str) -> Path:
        written.append(sid)
        return Path(f"/reports/{sid}.html")

    found = recover_unfinished(elog, write=writer)
    assert sorted(written) == sorted([live, practice])
    assert {r.session_id: r.duration_s for r in found} == {live: 20.0, practice: 10.0}
    assert pending(elog) == []
    statuses = {s.id: s.status for s in elog.sessions()}
    assert statuses[analysis] == statuses[empty] == "crashed"
    assert statuses[running] == "running"
    notice = recovery_notice(found)
    assert notice is not None and "(1 more: see `oncue sessions`)" in notice
    elog.close()


def test_a_summary_that_fails_is_told_once_and_does_not_stop_the_start() -> None:
    elog = EventLog(default_log_path())
    sid = crashed_session(elog, "live", 2)

    def broken(log_: EventLog, session_id: str) -> Path:
        raise ValueError("bad event")

    (found,) = recover_unfinished(elog, write=broken)
    assert found.session_id == sid and found.report is None
    assert "could not be written (ValueError: bad event)" in found.message()
    assert recover_unfinished(elog, write=broken) == []
    assert recovery_notice([]) is None
    elog.close()


# -- whose session is running: PID and process start time -----------------------------------
def test_same_pid_but_another_start_time_is_not_this_process() -> None:
    """After a reboot a crashed session's PID is soon another process's: the start time tells
    them apart, so the crash is still found."""
    from overlay.session.owner_process import own_start, session_process_alive

    me = os.getpid()
    started = own_start()
    assert started is not None
    assert session_process_alive(me, started)
    assert not session_process_alive(me, started - 3600.0)  # same PID, started an hour before
    assert not session_process_alive(me, started + 30.0)
    assert session_process_alive(me, None)  # a row from before start times were kept: PID only
    assert not session_process_alive(None, started) and not session_process_alive(0, None)


def test_a_session_whose_pid_was_reused_is_recovered() -> None:
    elog = EventLog(default_log_path())
    reused = elog.start_session("live", "test")
    elog.append(reused, SessionEvent(0.0, "session_started"))
    elog.append(reused, SessionEvent(12.0, "mark"))
    mine = elog.start_session("live", "this process")
    # The crashed session's process had this PID, but started a day earlier.
    elog._conn.execute("UPDATE sessions SET pid = ?, pid_started = pid_started - 86400 "
                       "WHERE id = ?", (os.getpid(), reused))
    assert [s.id for s in pending(elog)] == [reused]
    (found,) = recover_unfinished(elog, write=lambda log_, sid: Path(f"/r/{sid}.html"))
    assert found.session_id == reused and found.duration_s == 12.0
    statuses = {s.id: s.status for s in elog.sessions()}
    assert statuses == {reused: "crashed", mine: "running"}
    elog.close()


def test_a_log_from_before_start_times_gains_the_column(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, mode TEXT NOT NULL, source TEXT NOT "
            "NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_s REAL, status TEXT NOT "
            "NULL, pid INTEGER, program TEXT);"
            "INSERT INTO sessions VALUES ('old', 'live', 'x', '2026-01-01T10:00:00', NULL, NULL,"
            f" 'running', {os.getpid()}, NULL);")
    elog = EventLog(db)
    (info,) = elog.sessions()
    assert info.status == "running"  # this PID is alive and there is no start time to compare
    new = elog.start_session("live", "x")
    row = elog._conn.execute("SELECT pid_started FROM sessions WHERE id = ?", (new,)).fetchone()
    assert row[0] is not None
    elog.close()
