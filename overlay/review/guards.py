"""Guards on follow-up drafts: the seed's copy-paste mistake, rambling, and a second top choice.

- Two drafts to different programs that read the same once names, programs and dates are taken
  out: programs compare notes, and a form letter reads as one. Two interviewers at one program
  getting the same letter is a softer warning of its own. Measured with the Jaccard index of
  word 3-shingles, which the shared boilerplate of a personalised note keeps well under the
  threshold while a copy with only the names swapped scores 1.0.
- A draft naming another program than its addressee: the other half of the copy-paste mistake.
- A draft over about 200 words: thank-you notes are read in seconds.
- A draft still holding a bracketed prompt ("[what you talked about with Dr. Lee]"): what was
  discussed with that interviewer is missing, and a letter without it is a form letter.
- Telling a second program it is the top choice is refused outright, not warned about: it is a
  promise that cannot be true twice, and program directors do talk to each other.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from itertools import combinations

from overlay.review.followup import Draft

log = logging.getLogger(__name__)

SIMILARITY_LIMIT = 0.8
WORD_LIMIT = 200
TOP_CHOICE = re.compile(
    r"\b(my|our)\s+(very\s+)?(top|first|number[- ]one|#\s?1|no\.\s?1)\s+choice\b"
    r"|\brank(ing)?\s+(you|your\s+program|\w+)\s+(first|#\s?1|number[- ]one)\b"
    r"|\bfirst\s+on\s+my\s+rank\s+list\b", re.IGNORECASE)


PLACEHOLDER = re.compile(r"\[[^\]\n]{3,80}\]")


class TopChoiceRefused(ValueError):
    """Raised when drafts (or a message already sent) would name two programs the top choice."""


@dataclass(frozen=True)
class GuardWarning:
    kind: str  # similar / similar_same_program / wrong_program / too_long / placeholder
    message: str
    programs: tuple[str, ...]


def claims_top_choice(draft: Draft) -> bool:
    return draft.top_choice or bool(TOP_CHOICE.search(draft.body))


def _words(draft: Draft, programs: list[str]) -> list[str]:
    """The letter's words with every program, the addressee's name and dates taken out."""
    text = draft.letter.lower()
    who = draft.interviewer
    for name in sorted([*programs, who.name, who.last_name, who.role], key=len, reverse=True):
        if name.strip():
            text = text.replace(name.lower(), " ")
    text = re.sub(r"\b(dear|dr|ms|mr|mx)\b\.?", " ", text)
    text = re.sub(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", " ", text)
    return re.findall(r"[a-z0-9']+", text)


def similarity(a: Draft, b: Draft, programs: list[str]) -> float:
    """Jaccard index of word 3-shingles, after names and programs are removed (0..1)."""
    sa, sb = (set(zip(w, w[1:], w[2:], strict=False))
              for w in (_words(a, programs), _words(b, programs)))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def check_top_choice(drafts: list[Draft], already_told: str | None = None) -> None:
    """Raise `TopChoiceRefused` when more than one program would be told it is the top choice."""
    claimed = sorted({d.program for d in drafts if claims_top_choice(d)})
    told = ([already_told] if already_told else []) + [p for p in claimed if p != already_told]
    if len(told) > 1:
        first, others = told[0], ", ".join(told[1:])
        why = "you already told" if already_told else "these drafts tell"
        raise TopChoiceRefused(
            f"Refused: {why} {first} it is your top choice, so {others} cannot be told the same. "
            "Only one program can be your top choice; say you are very interested instead.")


def review(drafts: list[Draft], already_told: str | None = None,
           limit: float = SIMILARITY_LIMIT, max_words: int = WORD_LIMIT) -> list[GuardWarning]:
    """All warnings for a set of drafts; raises `TopChoiceRefused` before anything else."""
    check_top_choice(drafts, already_told)
    programs = sorted({d.program for d in drafts})
    out: list[GuardWarning] = []
    for a, b in combinations(drafts, 2):
        score = similarity(a, b, programs)
        if score < limit:
            continue
        if a.program != b.program:
            out.append(GuardWarning("similar", (
                f"The drafts to {a.program} ({a.interviewer.name}) and {b.program} "
                f"({b.interviewer.name}) are {round(100 * score)}% the same text. Add something "
                "you discussed in each interview."), (a.program, b.program)))
        else:  # interviewers at one program often compare the notes they received
            out.append(GuardWarning("similar_same_program", (
                f"The drafts to {a.interviewer.name} and {b.interviewer.name} at {a.program} are "
                f"{round(100 * score)}% the same text; they may compare notes. Add what you "
                "discussed with each (after a ';' in the interviewer line)."), (a.program,)))
    for d in drafts:
        wrong = [p for p in programs
                 if p != d.program and p not in d.program and p.lower() in d.body.lower()]
        if wrong:
            out.append(GuardWarning("wrong_program", (
                f"The draft to {d.program} ({d.interviewer.name}) names "
                f"{', '.join(wrong)}: a copy-paste left over?"), (d.program, *wrong)))
        prompts = PLACEHOLDER.findall(d.letter)
        if prompts:
            out.append(GuardWarning("placeholder", (
                f"The draft to {d.interviewer.name} at {d.program} still says {prompts[0]}: add "
                "what you talked about with them (after a ';' in the interviewer line)."),
                (d.program,)))
        if d.word_count > max_words:
            out.append(GuardWarning("too_long", (
                f"The draft to {d.interviewer.name} at {d.program} is {d.word_count} words; "
                f"keep it under about {max_words}."), (d.program,)))
    return out
