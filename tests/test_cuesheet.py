"""Cue sheets: the template reads cleanly; a malformed file gives one error naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from overlay.cue_lint import lint, problems
from overlay.cuesheet import (
    CueDeck,
    CueSheetError,
    load_cue_sheets,
    parse_cue_sheet,
    read_cue_sheet,
)
from overlay.paths import bundled_config_dir

TEMPLATE = bundled_config_dir() / "cuesheet_template.md"


def test_template_renders_without_warnings() -> None:
    sheet = read_cue_sheet(TEMPLATE)
    assert lint(sheet) == []
    titles = [c.title for c in sheet.cards]
    for wanted in ("Interviewers", "Why this program", "Questions to ask",
                   "Tell me about yourself", "STAR for a story", "SPF: hard questions"):
        assert wanted in titles
    assert all(card.lines for card in sheet.cards)
    assert not any("<!--" in line.text or "-->" in line.text
                   for card in sheet.cards for line in card.lines)


def _write(tmp_path: Path, data: bytes | str, name: str = "sheet.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize("data,line,words", [
    (b"", 1, "empty"),
    (b"   \n\n", 1, "empty"),
    (b"## Card\n- fine\n- caf\xe9 latte\n", 3, "UTF-8"),
    (b"## Card\n- one\n\x00\x01\x02binary", 3, "binary"),
    (b"# Title\nsome notes\n", 2, "no cards"),
    (b"<!-- only a comment -->\n", 1, "no cards"),
    (b"## Card\n- x\n<!-- never closed\n- y\n", 4, "never closed"),
    (b"##   \n- x\n", 1, "needs a title"),
])
def test_malformed_files_give_one_error_naming_file_and_line(tmp_path: Path, data: bytes,
                                                             line: int, words: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(CueSheetError) as info:
        read_cue_sheet(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message


def test_long_bullets_are_warned_as_scripts(tmp_path: Path) -> None:
    text = ("## Why us\n- Strong community clinic\n"
            "- I have always wanted to work in a program that values community service above "
            "all else\n")
    sheet = parse_cue_sheet(text, tmp_path / "x.md")
    warnings = lint(sheet)
    assert len(warnings) == 1 and warnings[0].line == 3 and "16 words" in str(warnings[0])
    assert lint(parse_cue_sheet("## A\n- " + " ".join(["w"] * 12) + "\n", Path("x.md"))) == []


def test_markdown_is_read_as_plain_prompts(tmp_path: Path) -> None:
    text = ("# City General\n## Card one\n- **Bold** and *em* and `code`\n"
            "- [a link](https://example.org) here\n  continued on the next line\n"
            "Plain text line\n1. numbered\n### Sub heading\n## Empty card\n")
    sheet = parse_cue_sheet(text, tmp_path / "x.md")
    assert sheet.title == "City General"
    lines = [c.text for c in sheet.cards[0].lines]
    assert lines == ["Bold and em and code", "a link here continued on the next line",
                     "Plain text line", "numbered", "Sub heading"]
    assert [str(w).split(": ", 1)[1] for w in lint(sheet)] == ["card 'Empty card' has no bullets"]


def test_sheet_title_defaults_to_the_file_name(tmp_path: Path) -> None:
    sheet = parse_cue_sheet("## A\n- x\n", tmp_path / "city-general_im.md")
    assert sheet.title == "city general im"


def test_folder_loads_good_sheets_and_reports_broken_ones(tmp_path: Path) -> None:
    _write(tmp_path, "## A\n- x\n", "a.md")
    _write(tmp_path, b"\xff\xfe", "b.md")
    _write(tmp_path, "not a sheet", "c.txt")
    sheets, errors = load_cue_sheets(tmp_path)
    assert [s.path.name for s in sheets] == ["a.md"]
    assert len(errors) == 1 and errors[0].path.name == "b.md"
    assert load_cue_sheets(tmp_path / "absent") == ([], [])


def test_deck_pages_cards_and_flips_sheets(tmp_path: Path) -> None:
    one = parse_cue_sheet("## A\n- 1\n- 2\n- 3\n- 4\n## B\n- 5\n", tmp_path / "one.md")
    two = parse_cue_sheet("## C\n- 6\n", tmp_path / "two.md")
    deck = CueDeck([one, two], bullets_per_card=3)
    seen = []
    for _ in range(4):
        view = deck.view()
        assert view is not None
        seen.append((view.card_title, view.lines, view.page, view.pages))
        deck.next_card()
    assert seen == [("A", ("1", "2", "3"), 1, 2), ("A", ("4",), 2, 2), ("B", ("5",), 1, 1),
                    ("B", ("5",), 1, 1)]  # clamped at the last card
    deck.previous_card()
    assert deck.view().lines == ("4",)  # type: ignore[union-attr]
    deck.next_sheet()
    assert deck.view().card_title == "C" and deck.view().sheet == 2  # type: ignore[union-attr]
    deck.next_sheet()
    assert deck.view().sheet == 2  # type: ignore[union-attr]
    deck.previous_sheet()
    assert deck.view().card_title == "A"  # type: ignore[union-attr]
    empty = CueDeck([], 3)
    empty.next_card()
    empty.previous_card()
    assert empty.view() is None


def test_a_stray_line_costs_the_line_not_the_sheet(tmp_path: Path) -> None:
    path = _write(tmp_path, "# Title\n\n- a bullet first\nnotes to self\n## Card\n- x\n",
                  "city.md")
    sheets, errors = load_cue_sheets(tmp_path)
    assert errors == [] and [c.title for c in sheets[0].cards] == ["Card"]
    assert [w.line for w in sheets[0].skipped] == [3, 4]
    said = problems(sheets, errors)
    assert said == [
        "Cue sheet city.md, line 3: a bullet outside a card was left out: start a card with "
        "'## Title' above it",
        "Cue sheet city.md, line 4: text outside a card was left out: start a card with "
        "'## Title' above it"]
    assert str(tmp_path) not in " ".join(said)  # the overlay names the file, not its long path
    assert path.exists()


def test_problems_name_broken_sheets_and_script_bullets(tmp_path: Path) -> None:
    _write(tmp_path, b"\xff\xfe", "b.md")
    _write(tmp_path, "## A\n- " + " ".join(["word"] * 14) + "\n", "c.md")
    said = problems(*load_cue_sheets(tmp_path))
    assert said[0].startswith("Cue sheet b.md not shown: line 1: not UTF-8")
    assert said[1].startswith("Cue sheet c.md, line 2: 14 words reads like a script")
