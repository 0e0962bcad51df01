"""`oncue forget`: lists what OnCue stored, asks, deletes it all (cue sheets only when asked)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from overlay.forget import forget_command, stored_items
from overlay.review.commands import write_report
from overlay.review.notes import NotesStore, SessionNotes
from overlay.session.eventlog import EventLog, default_log_path
from overlay.session.events import SessionEvent


@pytest.fixture
def stored() -> dict[str, Path]:
    """A data and config folder holding one of everything OnCue writes."""
    data, config = Path(os.environ["ONCUE_DATA_DIR"]), Path(os.environ["ONCUE_CONFIG_DIR"])
    elog = EventLog(default_log_path())
    for _ in range(2):
        sid = elog.start_session("live", "camera+microphone")
        elog.append(sid, SessionEvent(0.0, "session_started", {"mode": "live"}))
        elog.end_session(sid, 30.0)
    report = write_report(elog, sid)
    elog.close()
    NotesStore().save(SessionNotes(session_id=sid, program="Internal Medicine"))
    recording = data / "recordings" / f"{sid}.mp4"
    recording.parent.mkdir()
    recording.write_bytes(b"\0" * 2048)
    calibration = data / "gaze-calibration.json"
    calibration.write_text("{}")
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('[profile]\nname = "Dr. A"\n')
    (config / "cue-sheets").mkdir()
    (config / "cue-sheets" / "mgh.md").write_text("## Why us\n- the clinic\n")
    (config / "questions.toml").write_text("")
    return {"data": data, "config": config, "log": default_log_path(), "report": report,
            "notes": data / "notes", "recording": recording, "calibration": calibration,
            "settings": config / "settings.toml", "sheets": config / "cue-sheets",
            "questions": config / "questions.toml"}


def remaining(stored: dict[str, Path]) -> set[str]:
    return {k for k, p in stored.items() if k not in ("data", "config") and p.exists()}


EVERYTHING = {"log", "report", "notes", "recording", "calibration", "settings", "sheets",
              "questions"}


def test_lists_everything_first_and_refuses_without_a_terminal(
        stored: dict[str, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("forget\n"))  # not a terminal
    assert forget_command([]) == 1
    out, err = capsys.readouterr()
    assert "OnCue will delete:" in out
    for key in ("log", "notes", "calibration", "settings"):
        assert str(stored[key]) in out
    assert str(stored["report"].parent) in out and str(stored["recording"].parent) in out
    assert "event log: 2 sessions" in out and "practice recordings" in out
    assert f"Kept: {stored['sheets']} (your cue sheets; add --cue-sheets" in out
    assert "pass --yes" in err and "Nothing was deleted." in out
    assert remaining(stored) == EVERYTHING


@pytest.mark.parametrize("typed,deleted", [("yes\n", False), ("", False), ("forget\n", True),
                                           ("  Forget \n", True)])
def test_typed_confirmation(stored: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                            typed: str, deleted: bool) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    assert forget_command([]) == (0 if deleted else 1)
    assert remaining(stored) == ({"sheets", "questions"} if deleted else EVERYTHING)


def test_yes_deletes_all_but_what_the_user_wrote(stored: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert forget_command(["--yes"]) == 0
    assert remaining(stored) == {"sheets", "questions"}
    assert not stored["data"].exists()  # emptied, then removed
    assert "OnCue has forgotten you." in capsys.readouterr().out
    # A fresh start afterwards: nothing left to list, nothing to delete.
    assert forget_command(["--yes"]) == 0
    assert "nothing stored" in capsys.readouterr().out
    assert not stored["data"].exists()  # asking made no folder


def test_a_damaged_event_log_is_deleted_too(stored: dict[str, Path]) -> None:
    stored["log"].write_bytes(b"not a database" * 100)
    assert forget_command(["--yes"]) == 0
    assert remaining(stored) == {"sheets", "questions"}


def test_cue_sheets_and_keep_settings(stored: dict[str, Path]) -> None:
    assert forget_command(["--yes", "--cue-sheets", "--keep-settings"]) == 0
    assert remaining(stored) == {"settings"}
    assert forget_command(["--yes", "--cue-sheets"]) == 0
    assert remaining(stored) == set() and not stored["config"].exists()


def test_nothing_is_deleted_while_a_session_runs(stored: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    elog = EventLog(default_log_path())
    sid = elog.start_session("live", "camera")  # this process: alive
    try:
        assert forget_command(["--yes"]) == 1
    finally:
        elog.close()
    assert f"session is running ({sid})" in capsys.readouterr().err
    assert remaining(stored) == EVERYTHING


def test_refuses_to_empty_a_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ONCUE_DATA_DIR", str(home))
    assert forget_command(["--yes"]) == 2
    assert "refusing to empty a home or system folder" in capsys.readouterr().err
    assert (home / "Documents").is_dir()


def test_a_file_that_cannot_be_deleted_is_named(stored: dict[str, Path],
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    real_rmtree = shutil.rmtree

    def rmtree(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).name == "recordings":  # as a file held open on Windows would
            raise PermissionError(13, "Permission denied", str(path))
        real_rmtree(path)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert forget_command(["--yes"]) == 1
    err = capsys.readouterr().err
    assert f"oncue: {stored['recording'].parent}: could not be deleted (Permission denied)" in err
    assert remaining(stored) == {"recording", "sheets", "questions"}


def test_listing_is_pure(stored: dict[str, Path]) -> None:
    delete, keep = stored_items(stored["data"], stored["config"])
    assert delete[0].path == stored["log"]  # the event log first: the thing that matters most
    assert {i.path for i in keep} == {stored["sheets"], stored["questions"]}
    assert sum(i.size_bytes for i in delete if i.path == stored["recording"].parent) == 2048
    assert remaining(stored) == EVERYTHING


def test_symlinked_entry_removes_the_link_not_its_target(stored: dict[str, Path],
                                                         tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (stored["data"] / "linked").symlink_to(outside, target_is_directory=True)
    assert forget_command(["--yes"]) == 0
    assert (outside / "keep.txt").read_text() == "mine"


def test_runs_as_a_command(stored: dict[str, Path]) -> None:
    """The same body in a fresh process, as `oncue forget` will run it."""
    code = ("import sys; from overlay.forget import forget_command; "
            "sys.exit(forget_command(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", code, "--yes", "--cue-sheets"],
                            cwd=Path(__file__).resolve().parents[1], capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert remaining(stored) == set()
