"""Cue sheets that will not work at a glance, and every problem of a folder of sheets in words.

Pure: no Qt. A bullet of more than `MAX_WORDS` reads like a script (it is read aloud, and the
interviewer sees the eyes move); a card without bullets shows nothing. `problems` is what the
overlay says, once, with the file's name and the line: sheets that could not be read, stray
lines left out (`CueSheet.skipped`), then script-like bullets.
"""

from __future__ import annotations

import logging

from overlay.cuesheet import CueSheet, CueSheetError, CueWarning

log = logging.getLogger(__name__)

MAX_WORDS = 12  # beyond this a bullet is a sentence to read, not a prompt to glance at


def lint(sheet: CueSheet, max_words: int = MAX_WORDS) -> list[CueWarning]:
    """Warnings for lines that will not work at a glance."""
    warnings = []
    for card in sheet.cards:
        if not card.lines:
            warnings.append(CueWarning(sheet.path, card.line,
                                       f"card '{card.title}' has no bullets"))
        for cue in card.lines:
            words = len(cue.text.split())
            if words > max_words:
                warnings.append(CueWarning(
                    sheet.path, cue.line,
                    f"{words} words reads like a script: keep a bullet to a prompt of "
                    f"{max_words} words or fewer"))
    return warnings


def problems(sheets: list[CueSheet], errors: list[CueSheetError]) -> list[str]:
    """Every problem of a folder of sheets, one sentence each, naming the file and the line:
    whole sheets that could not be read first, then lines left out, then script-like bullets."""
    out = [f"Cue sheet {e.path.name} not shown: line {e.line}: {e.message}" for e in errors]
    for sheet in sheets:
        out += [f"Cue sheet {w.in_words()}" for w in sheet.skipped]
    for sheet in sheets:
        out += [f"Cue sheet {w.in_words()}" for w in lint(sheet)]
    return out
