"""Follow-up rules: drafts with the notes' specifics, the timeline, and the guards."""

from __future__ import annotations

import email
import os
import stat
from dataclasses import replace
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest

from overlay.review.commands import followup_command
from overlay.review.followup import (
    Signature,
    due_now,
    save_eml,
    thank_you,
    thank_you_drafts,
    timeline,
)
from overlay.review.guards import TopChoiceRefused, check_top_choice, review, similarity
from overlay.review.notes import Interviewer, NotesStore, SessionNotes
from overlay.session.eventlog import open_log
from overlay.session.events import SessionEvent

SIG = Signature(name="Alex Kim", aamc_id="12345678", email="alex@example.org")
DAY = date(2026, 11, 20)


def notes(program: str, topics: tuple[str, ...], sid: str = "s1",
          when: date = DAY, own: str = "") -> SessionNotes:
    """Dr. Alvarez with what was discussed with her (`own`); the others without."""
    return SessionNotes(
        session_id=sid, program=program, interview_date=when,
        interviewers=(Interviewer.parse("Dr. Maria Alvarez, Program Director <ma@example.org>"
                                        + (f"; {own}" if own else "")),
                      Interviewer.parse("Sam Lee, Chief resident"),
                      Interviewer.parse("Ms. Dana Fox, Program coordinator")),
        topics=topics)


RIVERSIDE = notes("Riverside Internal Medicine",
                  ("the new point-of-care ultrasound curriculum",
                   "how residents run the Saturday free clinic"),
                  own="the residents' bedside teaching rounds")
LAKEVIEW = notes("Lakeview Medical Center", (
    "your quality-improvement project on sepsis handoffs in the ICU",
    "the global health elective in Guatemala during second year"), sid="s2",
    own="the ICU's quality-improvement team")


def test_salutations_are_explicit() -> None:
    alvarez, lee, fox = RIVERSIDE.interviewers
    assert alvarez.salutation() == "Dear Dr. Alvarez,"
    assert lee.salutation() == "Dear Dr. Lee,"  # a resident is a physician
    assert fox.salutation() == "Dear Ms. Fox,"
    assert Interviewer("Jordan Park", "Program coordinator").salutation() == "Dear Jordan Park,"
    assert Interviewer.parse("Mr. Chris Day, Coordinator").salutation() == "Dear Mr. Day,"
    assert Interviewer("Ann Roe MD").salutation() == "Dear Dr. Roe,"
    assert alvarez.email == "ma@example.org" and alvarez.role == "Program Director"


def test_draft_contains_the_notes_specifics_and_signature() -> None:
    drafts = thank_you_drafts(RIVERSIDE, SIG)
    assert len(drafts) == 3
    d = drafts[0]
    assert d.subject == "Thank you – Riverside Internal Medicine interview on November 20, 2026"
    assert d.body.startswith("Dear Dr. Alvarez,")
    for topic in RIVERSIDE.topics:
        assert topic in d.body
    assert "Alex Kim\nAAMC ID: 12345678\nalex@example.org" in d.body
    assert "Friday" in d.body  # 2026-11-20 is a Friday
    assert d.send_by == DAY + timedelta(days=2)
    assert "top choice" not in d.body
    assert thank_you(RIVERSIDE, RIVERSIDE.interviewers[0], SIG, subject_format=1).subject == \
        "Thank you – Riverside Internal Medicine residency interview"


def test_eml_is_an_rfc5322_draft(tmp_path: Path) -> None:
    d = thank_you_drafts(RIVERSIDE, SIG)[0]
    path = save_eml(d, SIG, tmp_path)
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["Subject"] == d.subject
    assert msg["To"] == "ma@example.org" and msg["From"] == "Alex Kim <alex@example.org>"
    assert msg["X-Unsent"] == "1" and msg["Date"]
    assert RIVERSIDE.topics[0] in msg.get_content()


def test_timeline_follows_the_interview_date() -> None:
    later = notes("Lakeview Medical Center", (), sid="s2", when=date(2026, 12, 3))
    steps = timeline([RIVERSIDE, later], rank_deadline=date(2027, 3, 3))
    riverside = [s for s in steps if s.program == "Riverside Internal Medicine"]
    assert [(s.kind, s.opens, s.due) for s in riverside] == [
        ("thank_you", DAY, date(2026, 11, 22)),
        ("update", date(2026, 11, 27), date(2026, 12, 4)),
        ("rank_note", date(2027, 2, 17), date(2027, 3, 2)),
    ]
    assert sum(s.kind == "rank_note" for s in steps) == 2  # at most one per program
    lake = [s for s in steps if s.program == "Lakeview Medical Center"]
    assert lake[0].opens == date(2026, 12, 3) and lake[0].due == date(2026, 12, 5)
    # What is due now depends on today.
    assert [s.status(date(2026, 11, 21)) for s in riverside] == [
        "due now", "upcoming", "upcoming"]
    assert [s.kind for s in due_now(steps, date(2026, 11, 21))] == ["thank_you"]
    assert riverside[0].status(date(2026, 11, 25)) == "overdue"
    assert riverside[1].status(date(2026, 12, 20)) == "window passed"
    assert [s.kind for s in due_now(steps, date(2027, 2, 20))] == ["rank_note", "rank_note"]


def test_no_rank_note_without_a_deadline() -> None:
    assert {s.kind for s in timeline([RIVERSIDE])} == {"thank_you", "update"}


def test_similarity_warns_on_a_copy_paste_not_on_personalised_drafts() -> None:
    a = thank_you(RIVERSIDE, RIVERSIDE.interviewers[0], SIG)
    personal = thank_you(LAKEVIEW, LAKEVIEW.interviewers[0], SIG)
    programs = [a.program, personal.program]
    assert similarity(a, personal, programs) < 0.8
    assert review([a, personal]) == []
    # The seed's mistake: the same letter with the program name swapped.
    copied = replace(a, program=LAKEVIEW.program,
                     body=a.body.replace(RIVERSIDE.program, LAKEVIEW.program))
    assert similarity(a, copied, programs) > 0.95
    warnings = review([a, copied])
    assert [w.kind for w in warnings] == ["similar"]
    assert set(warnings[0].programs) == set(programs)


def test_wrong_program_named_and_too_long() -> None:
    a = thank_you(RIVERSIDE, RIVERSIDE.interviewers[0], SIG)
    b = thank_you(LAKEVIEW, LAKEVIEW.interviewers[0], SIG)
    stale = replace(b, body=b.body.replace("during my interview at Lakeview Medical Center",
                                           "during my interview at Riverside Internal Medicine"))
    assert "wrong_program" in [w.kind for w in review([a, stale])]
    long = replace(a, body=a.body.replace("Thank you again", "I also enjoyed the tour. " * 40
                                          + "Thank you again"))
    assert long.word_count > 200
    assert [w.kind for w in review([long])] == ["too_long"]
    assert review([a]) == []


def test_a_second_top_choice_is_refused() -> None:
    a = thank_you(RIVERSIDE, RIVERSIDE.interviewers[0], SIG, top_choice=True)
    b = thank_you(LAKEVIEW, LAKEVIEW.interviewers[0], SIG, top_choice=True)
    assert "Riverside Internal Medicine is my top choice" in a.body
    check_top_choice([a, thank_you(RIVERSIDE, RIVERSIDE.interviewers[1], SIG, top_choice=True)])
    with pytest.raises(TopChoiceRefused, match="Only one program can be your top choice"):
        review([a, b])
    # Typed by hand rather than ticked: still caught.
    typed = thank_you(LAKEVIEW, LAKEVIEW.interviewers[0], SIG)
    typed = replace(typed, body=typed.body + "\nYou are my first choice.")
    with pytest.raises(TopChoiceRefused, match="Lakeview"):
        check_top_choice([typed], already_told="Riverside Internal Medicine")
    check_top_choice([a], already_told="Riverside Internal Medicine")  # the same one: fine


def test_notes_store_round_trip_is_private() -> None:
    store = NotesStore()
    saved = store.save(replace(RIVERSIDE, impressions="Friendly residents; far from family."))
    assert store.load("s1") == saved and saved.saved_at
    path = store.folder / "s1.json"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.set_top_choice("Riverside Internal Medicine")
    assert store.top_choice() == "Riverside Internal Medicine"
    store.delete_all()
    assert store.all() == [] and store.top_choice() == "Riverside Internal Medicine"
    with pytest.raises(ValueError):
        store.load("../etc/passwd")


def _session(program: str) -> str:
    with open_log() as elog:
        sid = elog.start_session("live", "cam")
        elog.append(sid, SessionEvent(0, "session_started", {"mode": "live", "source": "cam"}))
        elog.end_session(sid, 60)
    return sid


def test_followup_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s1 = _session("Riverside")
    assert followup_command(["notes", s1, "--program", "Riverside Internal Medicine",
                             "--date", "2026-11-20", "--interviewer",
                             "Dr. Maria Alvarez, Program Director", "--topic",
                             "the ultrasound curriculum", "--impressions", "warm"]) == 0
    s2 = _session("Lakeview")
    assert followup_command(["notes", s2, "--program", "Lakeview Medical Center", "--date",
                             "2026-11-24", "--interviewer", "Dr. Ng, Associate PD", "--topic",
                             "sepsis handoffs"]) == 0
    capsys.readouterr()
    assert followup_command(["drafts", s1, "--name", "Alex Kim", "--top-choice",
                             "--eml", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Dear Dr. Alvarez," in out and "the ultrasound curriculum" in out
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1
    assert followup_command(["drafts", s2, "--name", "Alex Kim", "--top-choice"]) == 2
    err = capsys.readouterr().err
    assert "already told Riverside Internal Medicine" in err
    assert followup_command(["--today", "2026-11-21"]) == 0
    out = capsys.readouterr().out
    assert "Due now (2026-11-21): Riverside Internal Medicine: thank you" in out


def test_interviewers_at_one_program_get_their_own_specifics() -> None:
    alike = thank_you_drafts(RIVERSIDE, SIG)[:2]  # Dr. Lee: nothing of his own, a prompt
    assert [(w.kind, "Lee" in w.message) for w in review(alike)] == [("placeholder", True)]
    assert "[what you talked about with Dr. Lee]" in alike[1].body
    assert "Alvarez" not in alike[1].body
    own = replace(RIVERSIDE, interviewers=(
        Interviewer.parse("Dr. Maria Alvarez, Program Director; her study of sepsis handoffs "
                          "between the emergency department and the ICU"),
        Interviewer.parse("Sam Lee, Chief resident; how the residents organised the wellness "
                          "retreat and the mentorship families for interns")), topics=())
    assert own.interviewers[0].topic.startswith("her study of sepsis")
    assert own.interviewers[0].as_line().endswith("; " + own.interviewers[0].topic)
    drafts = thank_you_drafts(own, SIG)
    assert "sepsis handoffs" in drafts[0].body and "sepsis" not in drafts[1].body
    assert review(drafts) == []


def test_a_topic_naming_one_interviewer_stays_in_that_interviewers_letter() -> None:
    """The seed's mistake: Dr. Osei thanked for Dr. Alvarez's project."""
    day = replace(RIVERSIDE, interviewers=(
        Interviewer.parse("Dr. Maria Alvarez, Program Director; her sepsis handoff project"),
        Interviewer.parse("Dr. Kwame Osei, Associate PD; the night-float redesign")),
        topics=("Dr. Alvarez's sepsis handoff project", "the Saturday free clinic"))
    alvarez, osei = thank_you_drafts(day, SIG)
    assert "sepsis" in alvarez.body and "sepsis" not in osei.body
    assert "night-float redesign" in osei.body and "night-float" not in alvarez.body
    assert "Saturday free clinic" in alvarez.body and "Saturday free clinic" in osei.body
    assert review([alvarez, osei]) == []
    from overlay.review.guards import similarity
    assert similarity(alvarez, osei, [day.program]) < 0.5  # not copy-paste twins


def test_drafts_take_the_interviewers_from_the_cue_sheet_and_ask_what_was_discussed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = Path(os.environ["ONCUE_CONFIG_DIR"]) / "cue-sheets"
    sheets.mkdir(parents=True)
    (sheets / "city.md").write_text("# City General IM\n## Interviewers\n"
                                    "- Dr. Patel, program director\n- Dr. Kim, chief resident\n"
                                    "- [Name], associate program director\n")
    sid = _session("City")
    assert followup_command(["notes", sid, "--program", "City General IM",
                             "--date", "2026-11-20"]) == 0
    answers = iter(["the safety-net clinic", ""])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    capsys.readouterr()
    assert followup_command(["drafts", sid, "--name", "Alex Kim"]) == 0
    out, err = capsys.readouterr()
    assert out.count("Subject: Thank you – City General IM") == 2  # the placeholder line skipped
    assert "Dear Dr. Patel," in out and "the safety-net clinic" in out
    assert "[what you talked about with Dr. Kim]" in out
    assert "send" not in out.lower().replace("sincerely", "")  # the timeline is not in the text
    assert "Interviewers from the cue sheet" in err
    assert "send these by Sunday November 22" in err
    assert "still says [what you talked about with Dr. Kim]" in err
    saved = NotesStore().load(sid)
    assert saved is not None and [i.topic for i in saved.interviewers] == [
        "the safety-net clinic", ""]


def test_drafts_without_interviewers_or_a_terminal_say_how_to_add_them(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    sid = _session("Nowhere")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert followup_command(["drafts", sid]) == 2
    assert "--interviewer" in capsys.readouterr().err


def test_drafts_without_notes_use_the_sessions_program_and_its_sheet(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = Path(os.environ["ONCUE_CONFIG_DIR"]) / "cue-sheets"
    sheets.mkdir(parents=True)
    (sheets / "city.md").write_text("# City General IM\n## Interviewers\n"
                                    "- Dr. Patel, program director; the continuity clinic\n")
    sid = _session("City")
    with open_log() as elog:
        elog.set_program(sid, "City General IM")  # as the overlay names it from the sheet
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert followup_command(["drafts", sid, "--name", "Alex Kim"]) == 0
    out = capsys.readouterr().out
    assert "Dear Dr. Patel," in out and "the continuity clinic" in out
