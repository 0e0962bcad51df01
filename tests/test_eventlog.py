from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog
from overlay.session.events import SessionEvent


def test_append_and_read_back(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "s.sqlite")
    sid = log.start_session("live", "camera+microphone")
    log.append(sid, SessionEvent(0.0, "session_started", {"mode": "live"}))
    log.append(sid, SessionEvent(3.5, "nudge", {"kind": "wrap_up", "text": "Wrap up"}))
    log.end_session(sid, 10.0)
    assert [e.kind for e in log.events(sid)] == ["session_started", "nudge"]
    info = log.session(sid)
    assert info.status == "ended" and info.duration_s == 10.0
    if os.name == "posix":
        assert (tmp_path / "s.sqlite").stat().st_mode & 0o077 == 0


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        SessionEvent(0.0, "gossip", {})


def test_delete_one_and_all(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "s.sqlite")
    a, b = log.start_session("live", "x"), log.start_session("practice", "y")
    log.append(a, SessionEvent(1.0, "mark", {}))
    log.delete(a)
    assert [s.id for s in log.sessions()] == [b]
    log.delete_all()
    assert log.sessions() == []


WRITER = """
import sys, time
from pathlib import Path
from overlay.session.eventlog import EventLog
from overlay.session.events import SessionEvent
log = EventLog(Path(sys.argv[1]))
sid = log.start_session("live", "test")
i = 0
while True:
    log.append(sid, SessionEvent(float(i), "mark", {"i": i}))
    if i == 50:
        print(sid, flush=True)
    i += 1
    time.sleep(0.001)
"""


def test_sigkill_loses_nothing_already_logged(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.stdout is not None
    sid = proc.stdout.readline().strip()
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    log = EventLog(db)
    events = log.events(sid)
    # Every event up to the last one logged is there, in order, with no gap.
    assert len(events) > 50
    assert [e.data["i"] for e in events] == list(range(len(events)))
    assert log.session(sid).status == "crashed"
