"""Notes written right after an interview: impressions, who interviewed, what was discussed.

The seed's advice: write impressions down while they are fresh, because by rank-list time every
program blurs together. The specifics (a project the faculty member described, a question about
night float) are what make a thank-you note personal.

One JSON file per session in `<data dir>/notes/`, mode 0600: these are private opinions about
named people. A small `followup.json` beside them records which program has been told it is the
top choice, so the guard can refuse telling a second one.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

TITLES = ("Dr.", "Ms.", "Mr.", "Mx.")
# Roles held by physicians: the salutation is "Dr." even when the user did not type it.
PHYSICIAN_ROLE = re.compile(
    r"\b(m\.?d\.?|d\.?o\.?|physician|attending|program director|pd|apd|faculty|chair|chief|"
    r"resident|fellow|surgeon|professor)\b", re.IGNORECASE)
CREDENTIALS = {"md", "m.d.", "do", "d.o.", "phd", "ph.d.", "mph", "ms", "msc", "mba", "facp",
               "facs", "faap", "jr.", "sr.", "ii", "iii"}


@dataclass(frozen=True)
class Interviewer:
    name: str  # "Jane Smith"
    role: str = ""  # "Program Director", "Chief resident", "Program coordinator"
    title: str = ""  # one of TITLES, or "" to decide from the role
    email: str = ""
    topic: str = ""  # something discussed with this interviewer in particular

    @property
    def last_name(self) -> str:
        parts = [p for p in self.name.replace(",", " ").split()
                 if p.lower().strip() not in CREDENTIALS]
        return parts[-1] if parts else self.name.strip()

    @property
    def is_physician(self) -> bool:
        if self.title:
            return self.title == "Dr."
        return bool(PHYSICIAN_ROLE.search(self.role) or PHYSICIAN_ROLE.search(self.name))

    def salutation(self) -> str:
        """'Dear Dr. Lastname,' for a physician, 'Dear Ms./Mr./Mx. Lastname,' when the user gave
        that title, and the full name otherwise: never a guessed gender."""
        if self.is_physician:
            return f"Dear Dr. {self.last_name},"
        if self.title in TITLES:
            return f"Dear {self.title} {self.last_name},"
        return f"Dear {self.name.strip()},"

    @classmethod
    def parse(cls, line: str) -> Interviewer:
        """'Dr. Jane Smith, Program Director <jsmith@example.org>; her sepsis study' -> Interviewer.

        After a semicolon comes what you discussed with this interviewer in particular."""
        line, _, topic = line.partition(";")
        email = ""
        m = re.search(r"<\s*([^<>\s]+@[^<>\s]+)\s*>", line)
        if m:
            email, line = m.group(1), line[:m.start()] + line[m.end():]
        name, _, role = (p.strip() for p in line.partition(","))
        title = ""
        for t in TITLES:
            bare = t.rstrip(".")
            if re.match(rf"{bare}\.?\s", name, re.IGNORECASE):
                title, name = t, name[len(bare):].lstrip(". ").strip()
                break
        return cls(name=name, role=role, title=title, email=email, topic=topic.strip())

    def as_line(self) -> str:
        text = f"{self.title} {self.name}".strip()
        if self.role:
            text += f", {self.role}"
        text += f" <{self.email}>" if self.email else ""
        return text + (f"; {self.topic}" if self.topic else "")


@dataclass(frozen=True)
class SessionNotes:
    session_id: str
    program: str = ""
    interview_date: date | None = None
    impressions: str = ""  # private: for ranking later, never put into an email
    interviewers: tuple[Interviewer, ...] = ()
    topics: tuple[str, ...] = ()  # one or two specifics discussed, used in the thank-you notes
    saved_at: str = ""

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["interview_date"] = self.interview_date.isoformat() if self.interview_date else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SessionNotes:
        when = d.get("interview_date")
        people = d.get("interviewers") or []
        return cls(
            session_id=str(d["session_id"]), program=str(d.get("program") or ""),
            interview_date=date.fromisoformat(str(when)) if when else None,
            impressions=str(d.get("impressions") or ""),
            interviewers=tuple(Interviewer(**p) for p in people),
            topics=tuple(str(t) for t in (d.get("topics") or [])),
            saved_at=str(d.get("saved_at") or ""),
        )


def _write_private(path: Path, text: str) -> None:
    """Write through a temporary file created 0600, then rename: never a readable half-file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


@dataclass
class NotesStore:
    folder: Path = field(default_factory=lambda: _default_folder())

    def _path(self, session_id: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", session_id) or session_id.startswith("."):
            raise ValueError(f"not a session id: {session_id!r}")
        return self.folder / f"{session_id}.json"

    def save(self, notes: SessionNotes) -> SessionNotes:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamped = replace(notes, saved_at=datetime.now().astimezone().isoformat(timespec="seconds"))
        _write_private(self._path(notes.session_id), json.dumps(stamped.to_json(), indent=2))
        return stamped

    def load(self, session_id: str) -> SessionNotes | None:
        path = self._path(session_id)
        if not path.is_file():
            return None
        try:
            return SessionNotes.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("notes for %s are unreadable (%s); ignoring them", session_id, exc)
            return None

    def all(self) -> list[SessionNotes]:
        if not self.folder.is_dir():
            return []
        found = (self.load(p.stem) for p in sorted(self.folder.glob("*.json"))
                 if p.name != "followup.json")
        return [n for n in found if n is not None]

    def delete(self, session_id: str) -> None:
        self._path(session_id).unlink(missing_ok=True)

    def delete_all(self) -> None:
        """Every session's notes; the top-choice record stays (it is about messages sent)."""
        for p in self.folder.glob("*.json"):
            if p.name != "followup.json":
                p.unlink()

    # -- the one program told it is the top choice ---------------------------------------------
    def top_choice(self) -> str | None:
        path = self.folder / "followup.json"
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8")).get("top_choice") or None

    def set_top_choice(self, program: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_private(self.folder / "followup.json", json.dumps({"top_choice": program}))


def _default_folder() -> Path:
    from overlay.paths import data_dir

    return data_dir() / "notes"
