"""The practice question bank: `config/questions.toml`, plus the user's own questions.

The user's `<config dir>/questions.toml` has the same shape. A question there with an id already
in the bank replaces it (the user rewords a question their programs ask differently); new ids come
after the bundled ones. A malformed file is an error that names the file and the question.
"""

from __future__ import annotations

import logging
import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from overlay.paths import bundled_config_dir, config_dir

log = logging.getLogger(__name__)

_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class QuestionBankError(Exception):
    """One line: which file, which question, what is wrong."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    tips: tuple[str, ...] = ()


def user_questions_file() -> Path:
    return config_dir() / "questions.toml"


def read_questions(path: Path) -> list[Question]:
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionBankError(f"{path}: not valid TOML ({exc})") from exc
    except OSError as exc:
        raise QuestionBankError(f"{path}: cannot be read ({exc.strerror})") from exc
    entries = doc.get("question", [])
    if not isinstance(entries, list):
        raise QuestionBankError(f"{path}: questions go in [[question]] tables")
    out = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: question {n}"
        if not isinstance(entry, dict):
            raise QuestionBankError(f"{where}: must be a [[question]] table")
        qid, text, tips = entry.get("id"), entry.get("text"), entry.get("tips", [])
        if not isinstance(qid, str) or not _ID.match(qid):
            raise QuestionBankError(f"{where}: 'id' must be a short name of letters, digits, "
                                    f"- and _ (got {qid!r})")
        if not isinstance(text, str) or not text.strip():
            raise QuestionBankError(f"{where} ({qid}): 'text' must be the question")
        if not isinstance(tips, list) or not all(isinstance(t, str) for t in tips):
            raise QuestionBankError(f"{where} ({qid}): 'tips' must be a list of strings")
        unknown = set(entry) - {"id", "text", "tips"}
        if unknown:
            raise QuestionBankError(f"{where} ({qid}): unknown key(s) {sorted(unknown)}")
        out.append(Question(qid, text.strip(), tuple(t.strip() for t in tips if t.strip())))
    return out


def load_questions(user_file: Path | None = None) -> list[Question]:
    """The bundled bank with the user's questions merged in (see the module docstring)."""
    bank = read_questions(bundled_config_dir() / "questions.toml")
    user_file = user_file or user_questions_file()
    if user_file.exists():
        by_id = {q.id: i for i, q in enumerate(bank)}
        for q in read_questions(user_file):
            if q.id in by_id:
                bank[by_id[q.id]] = q
            else:
                by_id[q.id] = len(bank)
                bank.append(q)
    return bank


def pick(bank: list[Question], *, shuffle: bool = False, count: int | None = None,
         only: list[str] | None = None, seed: int | None = None) -> list[Question]:
    """The questions of one practice session, in the order they will be asked."""
    chosen = list(bank)
    if only:
        by_id = {q.id: q for q in bank}
        missing = [i for i in only if i not in by_id]
        if missing:
            raise QuestionBankError(f"no question with id {', '.join(missing)}; "
                                    "`oncue practice --list` shows them")
        chosen = [by_id[i] for i in only]
    if shuffle:
        random.Random(seed).shuffle(chosen)
    if count is not None:
        if count < 1:
            raise QuestionBankError("ask at least one question")
        chosen = chosen[:count]
    return chosen
