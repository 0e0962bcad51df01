"""The summary window and the notes box construct, show offscreen, and forward what is typed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("PyQt6.QtSvgWidgets")

from PyQt6.QtCore import QDate  # noqa: E402

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


def test_summary_window_shows_figures_charts_and_notes(qtbot) -> None:  # type: ignore[no-untyped-def]
    s = summary()
    saved: list[SessionNotes] = []
    opened: list[bool] = []
    w = SummaryWindow(s, takeaways(s), None, saved.append, lambda: opened.append(True))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.isVisible()
    assert len(w.takeaway_labels) == 3 and "muted" in w.takeaway_labels[0].text()
    assert "2" in w.figure_labels[0].text() and "1 over 2:00" in w.figure_labels[0].text()
    assert all(c.renderer().isValid() for c in w.charts)
    form = w.notes_form
    assert form.program.text() == "Riverside IM"
    form.impressions.setPlainText("Kind residents")
    form.interviewers.setPlainText("Dr. Maria Alvarez, Program Director\nSam Lee, Chief resident")
    form.topics[0].setText("ultrasound curriculum")
    form.date.setDate(QDate(2026, 11, 20))
    w.save_button.click()
    assert len(saved) == 1
    n = saved[0]
    assert n.session_id == "s9" and n.interview_date == date(2026, 11, 20)
    assert [i.last_name for i in n.interviewers] == ["Alvarez", "Lee"]
    assert n.topics == ("ultrasound curriculum",) and n.impressions == "Kind residents"
    w.report_button.click()
    assert opened == [True]
    w.close()


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
