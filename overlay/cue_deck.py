"""The cue deck: which sheet, card and page of the cue sheets is up beside the lens.

The overlay's hotkeys move through it (next / previous card, next / previous sheet); the cue
panel draws its `view()`. A card with more bullets than fit on the panel is split into pages,
so a glance never meets a wall of text. Moves stop at the ends instead of wrapping round: in an
interview a card that jumps back to the first one is a surprise. Pure: no Qt; the sheets are
read by overlay/cuesheet.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


# What the deck reads of a `CueSheet` (overlay/cuesheet.py), said structurally: cuesheet.py
# re-exports the deck, so importing its types here would make the two modules a cycle.
class _Line(Protocol):
    @property
    def text(self) -> str: ...


class _Card(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def lines(self) -> Sequence[_Line]: ...


class _Sheet(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def cards(self) -> Sequence[_Card]: ...


@dataclass(frozen=True)
class CueView:
    """What the cue panel draws now."""

    sheet_title: str
    card_title: str
    lines: tuple[str, ...]
    card: int  # 1-based
    cards: int
    page: int  # 1-based page within the card (a card longer than a page is split)
    pages: int
    sheet: int
    sheets: int


class CueDeck:
    """Which sheet, card and page is up; moved by hotkeys, clamped at the ends (no surprises)."""

    def __init__(self, sheets: Sequence[_Sheet], bullets_per_card: int = 3) -> None:
        self.sheets = sheets
        self.per_page = max(1, bullets_per_card)
        self.sheet = self.card = self.page = 0

    def _pages(self, sheet: int, card: int) -> int:
        n = len(self.sheets[sheet].cards[card].lines)
        return max(1, -(-n // self.per_page))

    def view(self) -> CueView | None:
        if not self.sheets:
            return None
        sheet = self.sheets[self.sheet]
        card = sheet.cards[self.card]
        start = self.page * self.per_page
        return CueView(sheet.title, card.title,
                       tuple(c.text for c in card.lines[start:start + self.per_page]),
                       self.card + 1, len(sheet.cards), self.page + 1,
                       self._pages(self.sheet, self.card), self.sheet + 1, len(self.sheets))

    def next_card(self) -> None:
        if not self.sheets:
            return
        if self.page + 1 < self._pages(self.sheet, self.card):
            self.page += 1
        elif self.card + 1 < len(self.sheets[self.sheet].cards):
            self.card, self.page = self.card + 1, 0

    def previous_card(self) -> None:
        if not self.sheets:
            return
        if self.page > 0:
            self.page -= 1
        elif self.card > 0:
            self.card -= 1
            self.page = self._pages(self.sheet, self.card) - 1

    def next_sheet(self) -> None:
        if self.sheet + 1 < len(self.sheets):
            self.sheet, self.card, self.page = self.sheet + 1, 0, 0

    def previous_sheet(self) -> None:
        if self.sheet > 0:
            self.sheet, self.card, self.page = self.sheet - 1, 0, 0
