"""After the interview day: thank-you drafts per interviewer and a follow-up timeline per program.

The seed's rules: a short thank-you to each interviewer within 24-48 hours, naming one or two
things actually discussed (that is what makes it read as written for them); an optional update
after one or two weeks only when there is real news; at most one message near the rank-list
deadline. Drafts are text the user edits and sends; OnCue never sends mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from overlay.review.notes import Interviewer, SessionNotes

log = logging.getLogger(__name__)

SUBJECT_FORMATS = (
    "Thank you – {program} interview on {date}",
    "Thank you – {program} residency interview",
    "Thank you from {name} – {program} interview on {date}",
)


@dataclass(frozen=True)
class Signature:
    """The user's sign-off, from settings: name, and optionally AAMC ID, email, phone."""

    name: str
    aamc_id: str = ""  # AAMC ID, which is also the ERAS identifier
    email: str = ""
    phone: str = ""

    def block(self) -> str:
        lines = [self.name]
        if self.aamc_id:
            lines.append(f"AAMC ID: {self.aamc_id}")
        lines += [x for x in (self.email, self.phone) if x]
        return "\n".join(lines)


@dataclass(frozen=True)
class Draft:
    program: str
    interviewer: Interviewer
    subject: str
    body: str  # salutation to signature, plain text
    interview_date: date | None
    send_by: date | None  # 48 h after the interview day
    top_choice: bool = False

    @property
    def letter(self) -> str:
        """The body without the signature block: what the length guard counts."""
        return self.body.split("\nSincerely,")[0]

    @property
    def word_count(self) -> int:
        return len(self.letter.split())

    def as_text(self) -> str:
        to = f"To: {self.interviewer.email}\n" if self.interviewer.email else ""
        return f"{to}Subject: {self.subject}\n\n{self.body}\n"


def long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


# Two ways to say each part, taken in turn by the interviewers of one program: letters to
# colleagues who compare notes should not be word-for-word twins even before the specifics.
OPENINGS = ("Thank you for taking the time to speak with me{day} during my interview at {program}.",
            "Thank you for meeting with me{day} while I interviewed at {program}.")
PERSONAL = ("I especially enjoyed our conversation about {topic}.",
            "I appreciated hearing your thoughts on {topic}.")
PROGRAM_WIDE = ("It was also good to learn about {topics}.",
                "I was glad to learn more about {topics} as well.")
CLOSINGS = ("Our conversation strengthened my interest in {program}.",
            "I left even more interested in training at {program}.")


def _names_someone_else(topic: str, interviewer: Interviewer,
                        others: tuple[Interviewer, ...]) -> bool:
    """A topic like "Dr. Alvarez's sepsis project" belongs in Dr. Alvarez's letter only."""
    low = topic.lower()
    return any(o.last_name.lower() in low for o in others
               if o.last_name.lower() != interviewer.last_name.lower() and len(o.last_name) > 1)


def thank_you(notes: SessionNotes, interviewer: Interviewer, signature: Signature,
              subject_format: int = 0, top_choice: bool = False, variant: int = 0) -> Draft:
    """One thank-you draft. `top_choice` adds the top-choice sentence; the guards allow that for
    one program only, so callers pass it only after asking the user.

    What was discussed with this interviewer (after the ';' of their line) is the letter's
    personal sentence; without it the letter holds a bracketed prompt naming them, never
    another interviewer's topic. The session's topics are said as things learnt that day, not
    as a conversation with this person, and a topic naming another interviewer is left out."""
    program = notes.program or "[program]"
    when = notes.interview_date
    subject = SUBJECT_FORMATS[subject_format].format(
        program=program, date=long_date(when) if when else "[date]", name=signature.name)
    v = variant % 2
    own = interviewer.topic.strip().rstrip(".")
    who = interviewer.salutation().removeprefix("Dear ").rstrip(",")
    personal = PERSONAL[v].format(topic=own or f"[what you talked about with {who}]")
    shared = [t.strip().rstrip(".") for t in notes.topics if t.strip()
              and t.strip().rstrip(".") != own
              and not _names_someone_else(t, interviewer, notes.interviewers)][:2]
    day = f" on {when:%A}" if when else ""
    paragraphs = [
        interviewer.salutation(),
        OPENINGS[v].format(day=day, program=program),
        personal + (" " + PROGRAM_WIDE[v].format(topics=" and ".join(shared)) if shared else ""),
        f"{program} is my top choice, and I would be thrilled to train there." if top_choice
        else CLOSINGS[v].format(program=program),
        "Thank you again for your time and consideration.",
        f"Sincerely,\n{signature.block()}",
    ]
    return Draft(program=program, interviewer=interviewer, subject=subject,
                 body="\n\n".join(paragraphs), interview_date=when,
                 send_by=when + timedelta(days=2) if when else None, top_choice=top_choice)


def thank_you_drafts(notes: SessionNotes, signature: Signature, subject_format: int = 0,
                     top_choice: bool = False) -> list[Draft]:
    """One draft per interviewer named in the notes, each worded its own way."""
    return [thank_you(notes, who, signature, subject_format, top_choice, variant=i)
            for i, who in enumerate(notes.interviewers)]


def to_message(draft: Draft, signature: Signature) -> EmailMessage:
    """An RFC 5322 message, marked unsent so mail programs open it as a draft to edit."""
    msg = EmailMessage()
    msg["Subject"] = draft.subject
    if signature.email:
        msg["From"] = f"{signature.name} <{signature.email}>"
    if draft.interviewer.email:
        msg["To"] = draft.interviewer.email
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg["Message-ID"] = make_msgid(domain="oncue.invalid")
    msg["X-Unsent"] = "1"  # Outlook and Thunderbird open an X-Unsent message as a draft
    msg.set_content(draft.body + "\n")
    return msg


def save_eml(draft: Draft, signature: Signature, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = "-".join(w for w in f"thank-you {draft.program} {draft.interviewer.last_name}"
                    .lower().replace("/", " ").split())
    path = folder / f"{stem}.eml"
    path.write_bytes(bytes(to_message(draft, signature)))
    return path


@dataclass(frozen=True)
class FollowupStep:
    program: str
    kind: str  # thank_you / update / rank_note
    opens: date
    due: date
    what: str
    optional: bool

    def status(self, today: date) -> str:
        if today < self.opens:
            return "upcoming"
        if today <= self.due:
            return "due now"
        # A late thank-you still beats none, for about a week; after that it reads as odd.
        if not self.optional and today <= self.due + timedelta(days=7):
            return "overdue"
        return "window passed"


def timeline(all_notes: list[SessionNotes], rank_deadline: date | None = None
             ) -> list[FollowupStep]:
    """Per program: thank-you (0-48 h), optional update (1-2 weeks), one note before the rank
    deadline. A program with several sessions is dated by its latest interview day."""
    latest: dict[str, date] = {}
    for n in all_notes:
        if n.program and n.interview_date:
            latest[n.program] = max(latest.get(n.program, n.interview_date), n.interview_date)
    steps: list[FollowupStep] = []
    for program, day in sorted(latest.items(), key=lambda kv: (kv[1], kv[0])):
        steps.append(FollowupStep(program, "thank_you", day, day + timedelta(days=2),
                                  "Thank-you email to each interviewer (within 24-48 h)", False))
        steps.append(FollowupStep(program, "update", day + timedelta(days=7),
                                  day + timedelta(days=14),
                                  "Optional update, only with real news (a score, a paper, an "
                                  "award) or a question that matters for your ranking", True))
        if rank_deadline is not None:
            opens = max(rank_deadline - timedelta(days=14), day + timedelta(days=1))
            due = rank_deadline - timedelta(days=1)
            if opens <= due:
                steps.append(FollowupStep(program, "rank_note", opens, due,
                                          "At most one message before the rank deadline; tell "
                                          "one program only that it is your top choice", True))
    return steps


def due_now(steps: list[FollowupStep], today: date) -> list[FollowupStep]:
    return [s for s in steps if s.status(today) in ("due now", "overdue")]
