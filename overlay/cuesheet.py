"""Cue sheets: one Markdown file per interview, read into cards of short prompts, and linted.

The format is deliberately small, so a mistake is easy to name: `# Title` (optional) names the
sheet, each `## Heading` starts a card, and each bullet (`-`, `*`, `+` or `1.`) is one line on
that card. Plain text inside a card is a line too; an indented line continues the bullet above;
`<!-- comments -->` are skipped (the template explains itself in them). A file that cannot be read
at all (not text, empty, no card, a comment never closed) raises one `CueSheetError` naming the
file and the line. A stray line (text above the first card) costs only that line: it is skipped
and kept in `CueSheet.skipped` as a `CueWarning`, because losing a whole interview's sheet for one
line of notes is worse than losing the line. A file that reads like a script gets `CueWarning`s
from `lint` (overlay/cue_lint.py), because a prompt is glanced at, a sentence is read aloud;
`problems` there puts both in the words the overlay shows.

Pure: no Qt. `CueDeck`, the flipping state the overlay's hotkeys move through, is in
overlay/cue_deck.py (re-exported here).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from overlay.cue_deck import CueDeck, CueView  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

# A cue sheet is a page of prompts. Far beyond these it is the wrong file, and reading it would
# hold the overlay's start (and the Markdown clean-up) for seconds per megabyte.
MAX_BYTES = 256 * 1024
MAX_LINE_CHARS = 2000
_BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE = [(re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
           (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
           (re.compile(r"(?<!\w)[*_](.+?)[*_](?!\w)"), r"\1"),
           (re.compile(r"`([^`]*)`"), r"\1")]


class CueSheetError(Exception):
    """A cue sheet that cannot be read: one line naming the file and the line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class CueLine:
    text: str
    line: int  # 1-based line in the file, for the linter's messages


@dataclass(frozen=True)
class Card:
    title: str
    lines: tuple[CueLine, ...]
    line: int


@dataclass(frozen=True)
class CueWarning:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def in_words(self) -> str:
        """For the overlay: the file's name (not its long path) and the line."""
        return f"{self.path.name}, line {self.line}: {self.message}"


@dataclass(frozen=True)
class CueSheet:
    path: Path
    title: str
    cards: tuple[Card, ...]
    skipped: tuple[CueWarning, ...] = ()  # stray lines left out, each with its line number


def plain(text: str) -> str:
    """Markdown emphasis, code and links reduced to their words."""
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise CueSheetError(path, line, "binary data, not a Markdown text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CueSheetError(path, line, "not UTF-8 text (save the file as UTF-8)") from None
    if not text.strip():
        raise CueSheetError(path, 1, "empty file: add '## ' cards with '- ' bullets "
                                     "(see the template)")
    return text


def parse_cue_sheet(text: str, path: Path) -> CueSheet:
    title = ""
    cards: list[Card] = []
    card_title, card_line = "", 0  # the card being read
    lines: list[CueLine] = []
    skipped: list[CueWarning] = []
    in_comment = False
    for n, raw in enumerate(text.splitlines(), 1):
        if len(raw) > MAX_LINE_CHARS:
            raise CueSheetError(path, n, f"line of {len(raw)} characters: a cue sheet holds "
                                         f"short prompts (at most {MAX_LINE_CHARS} per line)")
        row = raw
        if in_comment or "<!--" in row:
            row, in_comment = _strip_comment(row, in_comment)
        if not row.strip():
            continue
        heading = _HEADING.match(row)
        if heading and len(heading.group(1)) == 1 and not cards and not card_line:
            title = plain(heading.group(2))
            continue
        if heading and len(heading.group(1)) == 2:
            if card_line:
                cards.append(Card(card_title, tuple(lines), card_line))
            card_title, card_line, lines = plain(heading.group(2)), n, []
            if not card_title:
                raise CueSheetError(path, n, "a '##' card heading needs a title")
            continue
        bullet = _BULLET.match(row)
        if not card_line:
            what = "a bullet" if bullet else "text"
            skipped.append(CueWarning(path, n, f"{what} outside a card was left out: start a "
                                               f"card with '## Title' above it"))
            continue
        if bullet:
            lines.append(CueLine(plain(bullet.group(1)), n))
        elif heading:
            lines.append(CueLine(plain(heading.group(2)), n))  # ### inside a card: a line
        elif raw[:1] in (" ", "\t") and lines:
            prev = lines[-1]
            lines[-1] = CueLine(plain(prev.text + " " + row), prev.line)
        else:
            lines.append(CueLine(plain(row), n))
    if card_line:
        cards.append(Card(card_title, tuple(lines), card_line))
    if in_comment:
        raise CueSheetError(path, n, "an '<!--' comment is never closed with '-->'")
    if not cards:
        raise CueSheetError(path, skipped[0].line if skipped else 1,
                            "no cards: start each card with a '## ' heading")
    return CueSheet(path, title or path.stem.replace("-", " ").replace("_", " "), tuple(cards),
                    tuple(skipped))


def _strip_comment(row: str, in_comment: bool) -> tuple[str, bool]:
    out = ""
    while row:
        if in_comment:
            end = row.find("-->")
            if end < 0:
                return out, True
            row, in_comment = row[end + 3:], False
        else:
            start = row.find("<!--")
            if start < 0:
                return out + row, False
            out, row, in_comment = out + row[:start], row[start + 4:], True
    return out, in_comment


def read_cue_sheet(path: Path) -> CueSheet:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CueSheetError(path, 1, f"{size // 1024} kB is too large for a cue sheet "
                                         f"(at most {MAX_BYTES // 1024} kB of short prompts)")
        data = path.read_bytes()
    except OSError as exc:
        raise CueSheetError(path, 1, f"cannot be read ({exc.strerror})") from exc
    return parse_cue_sheet(_decode(path, data), path)


def load_cue_sheets(folder: Path) -> tuple[list[CueSheet], list[CueSheetError]]:
    """Every `*.md` in `folder`, in name order; a broken file is reported, not fatal. Nothing
    is logged here: the caller says each problem once, where the user looks (`problems`)."""
    sheets: list[CueSheet] = []
    errors: list[CueSheetError] = []
    if not folder.is_dir():
        return sheets, errors
    for path in sorted(folder.glob("*.md")):
        try:
            sheets.append(read_cue_sheet(path))
        except CueSheetError as exc:
            errors.append(exc)
    return sheets, errors
