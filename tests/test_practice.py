"""Practice mode: the question bank, question events, recordings only when opted in, windows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from overlay.practice.questions import QuestionBankError, load_questions, pick
from tests.clips import make_clip

SEED_IDS = {"about-you", "specialty", "program", "strengths", "challenge", "gap", "exam-score",
            "img", "your-questions"}


def _recordings(data: Path) -> list[Path]:
    folder = data / "recordings"
    return sorted(folder.iterdir()) if folder.exists() else []


# -- the bank ------------------------------------------------------------------------------------
def test_the_bank_holds_the_seed_questions_each_with_tips() -> None:
    bank = load_questions()
    assert {q.id for q in bank} == SEED_IDS
    assert all(q.text.strip() and 2 <= len(q.tips) <= 3 for q in bank)


def test_user_questions_replace_by_id_and_add_new_ones(tmp_path: Path) -> None:
    user = tmp_path / "config" / "questions.toml"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('[[question]]\nid = "program"\ntext = "What do you know about us?"\n\n'
                    '[[question]]\nid = "research"\ntext = "Tell me about your research."\n'
                    'tips = ["One project, your part in it."]\n')
    bank = load_questions()
    ids = [q.id for q in bank]
    assert ids[-1] == "research" and ids.count("program") == 1
    assert next(q for q in bank if q.id == "program").text == "What do you know about us?"


def test_a_bad_user_file_names_the_file_and_the_question(tmp_path: Path) -> None:
    user = tmp_path / "config" / "questions.toml"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('[[question]]\nid = "ok"\ntext = "Fine."\n\n[[question]]\nid = "bad id!"\n'
                    'text = "x"\n')
    with pytest.raises(QuestionBankError, match=r"questions.toml: question 2"):
        load_questions()


def test_pick_orders_shuffles_and_filters() -> None:
    bank = load_questions()
    assert pick(bank) == bank
    a, b = pick(bank, shuffle=True, seed=3), pick(bank, shuffle=True, seed=3)
    assert a == b and sorted(q.id for q in a) == sorted(q.id for q in bank)
    assert [q.id for q in pick(bank, only=["gap", "img"])] == ["gap", "img"]
    assert len(pick(bank, count=2)) == 2
    with pytest.raises(QuestionBankError, match="nope"):
        pick(bank, only=["nope"])


# -- sessions ------------------------------------------------------------------------------------
def _practice(clip: Path, *extra: str) -> int:
    """Three questions of 0.6 s over a 3 s clip played at real speed (a replay played as fast
    as possible skips frames, so its question times would depend on the machine's speed)."""
    from overlay.commands.check_practice import practice_command

    return practice_command(["--replay", str(clip), "--no-window", "--question-s", "0.6",
                             "-n", "3", *extra])


def test_practice_logs_a_question_event_per_question_and_records_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "clip.mp4"
    make_clip(clip, seconds=3.0)
    assert _practice(clip) == 0
    out = capsys.readouterr().out
    assert "Question 1 of 3: Tell me about yourself." in out and "report:" in out
    from overlay.session.eventlog import open_log

    with open_log() as event_log:
        info = event_log.sessions()[0]
        questions = [e for e in event_log.events(info.id) if e.kind == "question"]
    assert info.mode == "practice"
    assert [e.data["id"] for e in questions] == ["about-you", "specialty", "program"]
    assert [e.t for e in questions] == sorted(e.t for e in questions)
    assert _recordings(tmp_path / "data") == []
    assert "recording" not in out


def test_a_recording_is_written_only_when_opted_in(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import av

    clip = tmp_path / "clip.mp4"
    make_clip(clip, seconds=3.0)
    data = tmp_path / "data"
    assert _practice(clip, "--no-record") == 0
    assert _recordings(data) == []
    assert _practice(clip, "--record") == 0
    files = _recordings(data)
    assert len(files) == 1
    assert (files[0].stat().st_mode & 0o777) == 0o600
    from overlay.practice.recording import recording_for
    from overlay.session.eventlog import open_log

    with open_log() as event_log:
        sid = event_log.sessions()[0].id
    assert recording_for(sid) == files[0]
    with av.open(str(files[0])) as rec:
        assert rec.streams.video and rec.streams.audio
        assert sum(1 for _ in rec.decode(video=0)) > 0
    # The setting opts in too, and --no-record still wins over it.
    monkeypatch.setenv("ONCUE_PRACTICE_RECORD", "true")
    assert _practice(clip, "--no-record") == 0
    assert len(_recordings(data)) == 1
    assert _practice(clip) == 0
    assert len(_recordings(data)) == 2


# -- windows (offscreen) --------------------------------------------------------------------------
@pytest.fixture
def offscreen(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    from PyQt6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


class FakePractice:
    def __init__(self) -> None:
        self.questions = pick(load_questions(), count=2)
        self.index = 0
        self.ended = False

    def state(self):  # type: ignore[no-untyped-def]
        from overlay.practice.session import PracticeState

        return PracticeState(number=self.index + 1, total=2, question=self.questions[self.index],
                             elapsed_s=170.0, remaining_s=-20.0, time_up=True,
                             last=self.index == 1, done=self.ended, recording=True)

    def next_question(self) -> None:
        self.index = min(1, self.index + 1)

    def end(self) -> None:
        self.ended = True


def test_practice_window_draws_the_question_and_forwards_next(offscreen) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.practice_window import PracticeWindow, clock_text

    fake = FakePractice()
    window = PracticeWindow(fake)
    assert window.question.text() == "Tell me about yourself."
    assert "Recording" in window.recording.text() and "Time's up" in window.hint.text()
    window.next_button.click()
    assert window.question.text() == "Why this specialty?"
    assert window.next_button.text().startswith("Finish")
    window.end_button.click()
    window.refresh()
    assert fake.ended and not window.next_button.isEnabled()
    assert clock_text(88.2) == "1:29" and clock_text(-20.0) == "+0:20"
    window.close()


def test_check_window_lists_every_item_with_its_fix(offscreen) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from overlay.preflight.items import CheckItem
    from overlay.preflight.runner import CheckProgress
    from overlay.ui.check_window import CheckWindow, ItemRow

    items = (CheckItem("light.dark", "light", "fail", "too dark", "face a light source"),
             CheckItem("machine.disk", "machine", "pass", "80 GB free"))

    class FakeCheck:
        done = False

        def progress(self) -> CheckProgress:
            return CheckProgress(t=5.0, check_s=20.0, done=self.done,
                                 preview=np.zeros((48, 64, 3), np.uint8),
                                 items=items if self.done else ())

    check = FakeCheck()
    window = CheckWindow(check)
    assert "Checking" in window.heading.text()
    check.done = True
    window.refresh()
    rows = window.findChildren(ItemRow)
    assert len(rows) == 2 and "1 thing to fix" in window.heading.text()
    assert window.grab().width() > 0
    window.close()
