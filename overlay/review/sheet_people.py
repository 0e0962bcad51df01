"""What the cue sheet already says about an interview: its program and who interviews.

The user typed the program (the sheet's `# Title`) and the interviewers (the "## Interviewers"
card: "Dr. Patel, program director") before the call; the session list, the notes and the
thank-you drafts take them from there instead of asking again. The template's own placeholders
("[Program] interview", "[Name], chief resident") are not names and are never used.
"""

from __future__ import annotations

import logging
from pathlib import Path

from overlay.cuesheet import CueSheet, load_cue_sheets
from overlay.review.notes import Interviewer

log = logging.getLogger(__name__)

INTERVIEWERS_CARD = "Interviewers"


def is_placeholder(text: str) -> bool:
    """Not filled in yet: the template's bracketed prompts."""
    return "[" in text and "]" in text


def program_of(sheet: CueSheet) -> str | None:
    """The sheet's title as the program's name, or None for the template's placeholder."""
    title = sheet.title.strip()
    return None if not title or is_placeholder(title) else title


def card_lines(sheet: CueSheet, title: str) -> list[str]:
    """The lines of the sheet's card with this title (any case)."""
    for card in sheet.cards:
        if card.title.casefold() == title.casefold():
            return [line.text for line in card.lines]
    return []


def interviewers_of(sheet: CueSheet) -> tuple[Interviewer, ...]:
    """The "## Interviewers" card read as interviewer lines (the notes' own format)."""
    return tuple(Interviewer.parse(line) for line in card_lines(sheet, INTERVIEWERS_CARD)
                 if line.strip() and not is_placeholder(line))


def sheet_for(program: str | None, folder: Path) -> CueSheet | None:
    """The cue sheet titled `program` (any case) in `folder`: the one the session showed."""
    if not program:
        return None
    sheets, _ = load_cue_sheets(folder)
    return next((s for s in sheets if s.title.casefold() == program.casefold()), None)


def sheet_interviewers(program: str | None, folder: Path | None = None
                       ) -> tuple[Interviewer, ...]:
    """The interviewers the cue sheet of `program` names; () when there is no such sheet."""
    if folder is None:
        from overlay.paths import cue_sheet_dir

        folder = cue_sheet_dir()
    sheet = sheet_for(program, folder)
    return interviewers_of(sheet) if sheet is not None else ()
