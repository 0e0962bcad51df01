"""An orderly stop: Ctrl+C, SIGTERM and a closed terminal (SIGHUP) mid-session end the session
in order (no traceback, the answer in progress kept, status `ended`, exit code 128 + signal), in
the real app, in practice and in the event loop itself; a replay ends with its recording."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from overlay.session.eventlog import EventLog
from tests.clips import make_clip

ROOT = Path(__file__).resolve().parents[1]
READY = "OnCue main loop started"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")


def start(*args: str, nohup: bool = False) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GLOG_minloglevel="2")

    def ignore_hangup() -> None:  # what `nohup oncue` does
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    return subprocess.Popen([sys.executable, "-m", "overlay", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ignore_hangup if nohup else None)


def wait_for(proc: subprocess.Popen[str], text: str) -> list[str]:
    """stderr lines up to the one holding `text` (the process must not exit first)."""
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if text in line:
            return seen
    pytest.fail(f"exited (code {proc.wait()}) before {text!r}:\n{''.join(seen)}")


def stop_with(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[float, str]:
    """Send `sig`; seconds until the process exited, and the rest of its stderr."""
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return time.monotonic() - sent, rest


def the_session(data: Path) -> tuple[str, str, list[dict]]:  # type: ignore[type-arg]
    """status, the `session_ended` reason, and the answers of the only session logged."""
    elog = EventLog(data / "sessions.sqlite")
    try:
        (info,) = elog.sessions()
        events = elog.events(info.id)
    finally:
        elog.close()
    ended = [e.data["reason"] for e in events if e.kind == "session_ended"]
    assert len(ended) == 1, [e.kind for e in events]
    return info.status, ended[0], [e.data for e in events if e.kind == "answer"]


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "long.mp4", seconds=60.0)


@pytest.mark.parametrize("sig, reason", [(signal.SIGINT, "interrupted"),
                                         (signal.SIGTERM, "terminated"),
                                         (signal.SIGHUP, "terminal closed")])
def test_a_signal_mid_session_ends_it_in_order(long_clip: Path, sig: signal.Signals,
                                               reason: str) -> None:
    proc = start("--replay", str(long_clip))
    wait_for(proc, READY)
    time.sleep(1.0)  # a moment of session; the clip runs for a minute
    took, stderr = stop_with(proc, sig)
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 128 + sig, stderr
    assert took < 10.0
    status, why, _ = the_session(Path(os.environ["ONCUE_DATA_DIR"]))
    assert status == "ended" and why.startswith(reason)


def test_nohup_stays_nohup(long_clip: Path) -> None:
    """A signal the user had ignored (`nohup oncue`) stays ignored."""
    proc = start("--replay", str(long_clip), nohup=True)
    wait_for(proc, READY)
    proc.send_signal(signal.SIGHUP)
    time.sleep(1.5)
    assert proc.poll() is None, "SIGHUP stopped a nohup'ed OnCue"
    took, stderr = stop_with(proc, signal.SIGTERM)
    assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr, stderr
    assert the_session(Path(os.environ["ONCUE_DATA_DIR"]))[0] == "ended"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_mid_answer_keeps_the_answer(shared_data: Path, sig: signal.Signals) -> None:
    """The bar of issue 15 on a real talking head (continuous speech from 0.5 s): signalled
    8 s into the answer (scripts/check_orderly_stop.py does the same at 25 s of 46 s)."""
    proc = start("--replay", str(shared_data / "video" / "lia__obama.mov"))
    wait_for(proc, READY)
    time.sleep(8.0)
    took, stderr = stop_with(proc, sig)
    assert "Traceback" not in stderr and proc.returncode == 128 + sig, stderr
    assert took < 10.0
    status, _, answers = the_session(Path(os.environ["ONCUE_DATA_DIR"]))
    assert status == "ended"
    (answer,) = answers
    assert answer["start"] < 2.0 and answer["end"] >= 7.0


def test_a_replay_ends_with_its_recording(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "short.mp4", seconds=3.0)
    proc = start("--replay", str(clip))
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in stderr, stderr
    assert "the recording has ended" in stderr
    status, why, _ = the_session(Path(os.environ["ONCUE_DATA_DIR"]))
    assert status == "ended" and why == "end_of_recording"


@pytest.mark.parametrize("window", [False, True])
def test_practice_stops_on_ctrl_c(long_clip: Path, window: bool) -> None:
    args = ["practice", "--replay", str(long_clip), "-n", "1"] + ([] if window else ["--no-window"])
    proc = start(*args)
    if not window:
        assert proc.stdout is not None
        while "Question 1" not in proc.stdout.readline():
            assert proc.poll() is None
    data = Path(os.environ["ONCUE_DATA_DIR"])
    deadline = time.monotonic() + 120
    while not _logged(data, "question"):  # the practice has begun
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    took, stderr = stop_with(proc, signal.SIGINT)
    assert "Traceback" not in stderr and proc.returncode == 130, stderr
    assert "interrupted" in stderr
    status, why, _ = the_session(data)
    assert status == "ended" and "interrupted" in why


def _logged(data: Path, kind: str) -> bool:
    db = data / "sessions.sqlite"
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("SELECT 1 FROM events WHERE kind = ?", (kind,)).fetchone()
    except sqlite3.OperationalError:  # the schema is not there yet
        return False
    return row is not None


# -- the mechanism, in this process ---------------------------------------------------------
def test_a_signal_reaches_a_running_event_loop(qtbot) -> None:  # type: ignore[no-untyped-def]
    """No timer runs Python here: only the wake-up socket can let the handler run."""
    from PyQt6.QtCore import QEventLoop, QTimer

    from overlay.ui.stop_signals import StopRequest, StopSignals

    asked: list[StopRequest] = []
    loop = QEventLoop()

    def on_stop(request: StopRequest) -> None:
        asked.append(request)
        loop.quit()

    signals = StopSignals(on_stop)
    try:
        QTimer.singleShot(50, lambda: os.kill(os.getpid(), signal.SIGTERM))
        QTimer.singleShot(10_000, loop.quit)  # a bound, should the signal never come
        loop.exec()
    finally:
        signals.uninstall()
    assert asked == [StopRequest("terminated (SIGTERM)", 128 + signal.SIGTERM, "SIGTERM")]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # put back as it was


def test_logout_and_a_second_signal(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A logout (Qt's commitDataRequest; a QSessionManager cannot be made in a test, so its slot
    is called as Qt would) asks once; a signal while stopping hands the next one to the
    system, so a third Ctrl+C ends OnCue at once."""
    from PyQt6.QtWidgets import QApplication

    from overlay.ui.stop_signals import StopRequest, StopSignals

    asked: list[StopRequest] = []
    signals = StopSignals(asked.append, QApplication.instance())
    try:
        signals._on_logout(None)
        signals._on_logout(None)
        assert asked == [StopRequest("logout", 0)]
        signals._on_signal(signal.SIGINT, None)  # while stopping
        assert len(asked) == 1
        assert signal.getsignal(signal.SIGINT) == signal.SIG_DFL
    finally:
        signals.uninstall()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
