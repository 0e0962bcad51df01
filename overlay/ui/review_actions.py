"""What the summary window's buttons open: the notes dialog and the thank-you drafts.

The owner's side of those windows (they only draw and forward): notes are saved to the notes
store and name the session's program; the drafts are made from the saved notes, with the
interviewers of the session's cue sheet when the notes have none, checked by the guards against
every other program's drafts, and saved as .eml files into the data folder on request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PyQt6.QtWidgets import QWidget

from overlay.review.notes import NotesStore, SessionNotes

log = logging.getLogger(__name__)


def notes_or_sheet(session_id: str, program: str | None, day: date | None = None
                   ) -> SessionNotes:
    """The saved notes, or new ones: the session's day, the program and the interviewers from
    the cue sheet."""
    from overlay.review.sheet_people import sheet_interviewers

    notes = NotesStore().load(session_id) or SessionNotes(session_id, program or "", day)
    if notes.interview_date is None and day is not None:
        notes = replace(notes, interview_date=day)
    if not notes.interviewers:
        notes = replace(notes, interviewers=sheet_interviewers(notes.program or program))
    return notes


def open_notes(session_id: str, program: str | None, day: date | None, log_path: Path,
               on_saved: Callable[[SessionNotes], None], parent: QWidget | None) -> QWidget:
    from overlay.session.eventlog import open_log
    from overlay.ui.notes_dialog import NotesDialog

    def save(notes: SessionNotes) -> None:
        stored = NotesStore().save(notes)
        with open_log(log_path) as event_log:  # a log of its own: the window may outlive one
            event_log.set_program(session_id, notes.program or None)
        on_saved(stored)

    dialog = NotesDialog(session_id, notes_or_sheet(session_id, program, day), program or "",
                         parent)
    dialog.saved.connect(save)
    dialog.show()
    return dialog


def open_followup(session_id: str, program: str | None, day: date | None,
                  parent: QWidget | None, tell: Callable[[str], None]) -> QWidget:
    from overlay.paths import data_dir
    from overlay.review.followup import Signature, save_eml, thank_you_drafts
    from overlay.review.guards import GuardWarning, TopChoiceRefused, review
    from overlay.settings import load_settings
    from overlay.ui.followup_dialog import FollowupDialog

    profile = load_settings().section("profile")
    signature = Signature(name=profile["name"] or "[Your name]", aamc_id=profile["aamc_id"],
                          email=profile["email"], phone=profile["phone"])
    store = NotesStore()
    notes = notes_or_sheet(session_id, program, day)
    drafts = thank_you_drafts(notes, signature)
    others = [d for n in store.all() if n.session_id != session_id and n.program != notes.program
              for d in thank_you_drafts(n, signature)]
    refused = None
    warnings: list[GuardWarning] = []
    try:
        warnings = [w for w in review(drafts + others, already_told=store.top_choice())
                    if notes.program in w.programs]
        if not profile["name"]:
            warnings.append(GuardWarning("signature", "Your name for the signature goes in "
                                         "your settings file: [profile] name = \"...\".", ()))
    except TopChoiceRefused as exc:
        refused = str(exc)
    if not drafts:
        refused = ("No interviewers yet: add them in the notes (one per line, and after a ';' "
                   "what you talked about with each), or in the cue sheet's \"## Interviewers\".")
    folder = data_dir() / "drafts"

    def save(draft) -> None:  # type: ignore[no-untyped-def]
        tell(f"Saved {save_eml(draft, signature, folder)}")

    dialog = FollowupDialog(drafts, warnings, refused, on_save_eml=save, parent=parent)
    dialog.show()
    return dialog
