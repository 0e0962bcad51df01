"""The summary window and the notes box construct, show offscreen, and forward what is typed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("PyQt6.QtSvgWidgets")


from overlay.review.notes import Interviewer, SessionNotes  # noqa: E402
from overlay.review.summary import summarise  # noqa: E402
from overlay.review.takeaways import takeaways  # noqa: E402
from overlay.session.events import SessionEvent, SessionInfo  # noqa: E402
from overlay.ui.notes_dialog import NotesDialog, NotesForm  # noqa: E402
from overlay.ui.summary_window import SummaryWindow  # noqa: E402

E = SessionEvent


def summary():  # type: ignore[no-untyped-def]
    events = [E(0, "gaze", {"state": "lens", "calibrated": False}),
              E(30, "gaze", {"state": "away", "calibrated": False}),
              E(60, "answer", {"start": 0, "end": 60, "duration_s": 60, "wpm": 150}),
              E(70, "nudge", {"kind": "muted", "text": "You're muted"}),
              E(220, "answer", {"start": 80, "end": 220, "duration_s": 140, "wpm": 150}),
              E(230, "session_ended", {"reason": "stopped"})]
    info = SessionInfo("s9", "live", "cam", "2026-11-20T09:00:00", None, 230.0, "ended",
                       "Riverside IM")
    return summarise(events, info)


def test_summary_window_shows_figures_titled_charts_and_every_way_on(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.review.history import CheckLine, PreflightResult

    s = summary()
    opened: list[str] = []
    check = PreflightResult("c1", "2026-11-20T08:50:00", (
        CheckLine("light", "fail", "the face is darker than the room", "face a window"),
        CheckLine("microphone", "pass", "level fine", "")))
    w = SummaryWindow(s, takeaways(s), None, preflight=check,
                      moment_urls=["file:///r.mp4#t=0.0", "file:///r.mp4#t=80.0"],
                      on_open_notes=lambda: opened.append("notes"),
                      on_open_followup=lambda: opened.append("followup"),
                      on_open_report=lambda: opened.append("report"),
                      on_open_url=opened.append)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert len(w.takeaway_labels) == 3 and "muted" in w.takeaway_labels[0].text()
    assert "2 answers, 1 over 2:00" == w.figure_labels[0].text()
    assert all(c.renderer().isValid() for c in w.charts) and len(w.charts) == 2  # type: ignore[union-attr]
    titles = [c.parentWidget().title.text() for c in w.charts]  # type: ignore[union-attr]
    assert titles == ["Answers against the 2:00 line", "Eye contact over time"]
    # Each chart in its own section: the two never touch.
    first, second = w.charts
    assert first.mapTo(w, first.rect().bottomLeft()).y() + 20 < second.mapTo(
        w, second.rect().topLeft()).y()
    table = w.answers_table.text()
    assert table.count(">watch</a>") == 2 and "#t=80.0" in table
    w.answers_table.linkActivated.emit("file:///r.mp4#t=80.0")
    text = w.preflight_label.text()
    assert "1 to fix" in text and "face a window" in text and "level fine" in text
    w.notes_button.click()
    w.followup_button.click()
    w.report_button.click()
    assert opened == ["file:///r.mp4#t=80.0", "notes", "followup", "report"]
    assert "No camera frames were analysed" in w.about.text()  # no clip report in this log
    w.close()


def test_summary_without_a_check_says_where_to_run_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.summary_window import analysed_rate

    s = summary()
    w = SummaryWindow(s, takeaways(s), None)
    qtbot.addWidget(w)
    assert "No pre-flight check before this session" in w.preflight_label.text()
    assert not w.notes_button.isEnabled() and "watch" not in w.answers_table.text()
    assert analysed_rate(s) is None


def test_summary_is_placed_beside_the_meeting_not_over_it() -> None:
    from overlay.ui.placement import Box
    from overlay.ui.summary_opening import MIN_BESIDE, place_beside

    screen = Box(0, 0, 1920, 1080)
    meeting = Box(0, 0, 1200, 1000)
    got = place_beside(meeting, [screen], (720, 860))
    assert got.x >= meeting.right and got.right <= screen.right and got.h == 860
    # Meeting on the right: the summary goes left of it.
    got = place_beside(Box(700, 0, 1220, 1000), [screen], (720, 860))
    assert got.right <= 700 and got.x >= 0
    # A second screen without the meeting: there.
    second = Box(1920, 0, 1280, 1024)
    got = place_beside(Box(0, 0, 1920, 1080), [screen, second], (720, 860))
    assert got.x >= second.x
    # A full-screen call: the right edge, the least covered part; never larger than the screen.
    got = place_beside(Box(0, 0, 1920, 1080), [screen], (720, 1400))
    assert got.right == screen.right - 12 and got.h == 1080 - 24
    assert place_beside(None, [screen], (720, 860)).right == screen.right - 12
    assert MIN_BESIDE > 400


def test_the_summary_is_built_from_the_log_with_the_check_and_the_recording(
        qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from overlay.practice import recording
    from overlay.session.eventlog import EventLog
    from overlay.ui.summary_opening import SummaryOpener

    log = EventLog(tmp_path / "log.sqlite")
    check = log.start_session("check", "camera+microphone")
    log.append(check, E(1.0, "check", {"id": "light.dark", "group": "light", "status": "pass",
                                       "detail": "light on the face", "fix": ""}))
    log.end_session(check, 20.0)
    sid = log.start_session("practice", "camera+microphone")
    for event in (E(60, "answer", {"start": 5, "end": 60, "duration_s": 55, "wpm": 140}),
                  E(61, "session_ended", {"reason": "stopped"})):
        log.append(sid, event)
    log.end_session(sid, 61.0)
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / f"{sid}.mp4").write_bytes(b"0")
    monkeypatch.setattr(recording, "recordings_dir", lambda: folder)
    window = SummaryOpener(log, lambda text: None).build_summary(sid)
    qtbot.addWidget(window)
    assert "#t=5.0" in window.answers_table.text()
    assert "everything passed" in window.preflight_label.text()
    log.close()


def test_notes_dialog_round_trips_saved_notes(qtbot) -> None:  # type: ignore[no-untyped-def]
    old = SessionNotes("s1", "Lakeview", date(2026, 12, 3), "far away",
                       (Interviewer.parse("Ms. Dana Fox, Coordinator <df@example.org>"),),
                       ("sepsis handoffs", "Guatemala elective"))
    dialog = NotesDialog("s1", old)
    qtbot.addWidget(dialog)
    dialog.show()
    got: list[SessionNotes] = []
    dialog.saved.connect(got.append)
    dialog._save()
    assert got and got[0].interviewers == old.interviewers and got[0].topics == old.topics
    assert got[0].interview_date == old.interview_date and got[0].impressions == "far away"


def test_empty_notes_form_prompts(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = NotesForm("s2")
    qtbot.addWidget(form)
    assert "fresh" in form.impressions.placeholderText()
    n = form.notes()
    assert n.interviewers == () and n.topics == () and n.program == ""


def test_followup_dialog_copies_and_shows_warnings(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PyQt6.QtWidgets import QApplication

    from overlay.review.followup import Signature, thank_you_drafts
    from overlay.review.guards import GuardWarning
    from overlay.ui.followup_dialog import FollowupDialog

    n = SessionNotes("s1", "Lakeview", date(2026, 12, 3), "",
                     (Interviewer.parse("Dr. Ng, Associate PD"),), ("sepsis handoffs",))
    drafts = thank_you_drafts(n, Signature("Alex Kim"))
    saved: list[object] = []
    warn = GuardWarning("too_long", "The draft is long", ("Lakeview",))
    dialog = FollowupDialog(drafts, [warn], on_save_eml=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.copy_buttons[0].click()
    clip = QApplication.clipboard()
    assert clip is not None and "Dear Dr. Ng," in clip.text() and drafts[0].subject in clip.text()
    dialog.save_buttons[0].click()
    assert saved == [drafts[0]]
    assert [m.text() for m in dialog.messages] == ["The draft is long"]
    refused = FollowupDialog(drafts, refused="Refused: only one top choice")
    qtbot.addWidget(refused)
    assert refused.copy_buttons == [] and "Refused" in refused.messages[0].text()


def test_summary_keeps_clear_of_the_overlay_and_its_menu_button() -> None:
    from overlay.ui.placement import Box
    from overlay.ui.summary_opening import place_beside

    screen = Box(0, 0, 1600, 900)
    overlay = Box(300, 0, 1000, 330)  # the overlay and the control beside it
    got = place_beside(None, [screen], (720, 860), avoid=overlay)
    assert got.y >= overlay.bottom and got.bottom <= screen.bottom and got.h >= 320
    clear = place_beside(Box(0, 0, 860, 880), [screen], (720, 860), avoid=Box(0, 0, 100, 100))
    assert clear.y == 12  # nothing to avoid there
