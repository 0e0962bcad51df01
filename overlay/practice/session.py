"""Practice mode: a mock interview over the full live pipeline, one question after another.

`PracticeSession` runs a `LiveSession` in mode "practice" (devices, or a recording with `replay`)
so the nudges, the answer timer and the event log work exactly as in a real interview. It logs a
`question` event each time a question is shown; the summary pairs each answer with the question
asked before it. A question's time (`question_s`) is only a guide: in the window the next question
is *offered* when it runs out, the user moves on with Next; headless runs (`run`) move on by
themselves. Recording happens only when `record=True` (see `practice.recording`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overlay.capture.base import AudioBlock, VideoFrame
from overlay.interrupts_held import interrupts_held
from overlay.practice.questions import Question
from overlay.session.eventlog import EventLog
from overlay.session.tap import PipelineTap
from overlay.settings import Settings

log = logging.getLogger(__name__)

OnQuestion = Callable[[Question, int, int], None]  # question, 1-based number, how many


@dataclass(frozen=True)
class PracticeState:
    """What the practice window draws."""

    number: int  # 1-based; 0 before the first question
    total: int
    question: Question | None
    elapsed_s: float  # on this question
    remaining_s: float  # of `question_s`; negative once over
    time_up: bool
    last: bool  # the current question is the last one
    done: bool
    recording: bool


class PracticeSession:
    def __init__(self, settings: Settings, event_log: EventLog | None,
                 questions: list[Question], *, replay: Path | None = None,
                 realtime: bool = True, question_s: float = 150.0, record: bool = False,
                 session: Any = None) -> None:
        if not questions:
            raise ValueError("a practice session needs at least one question")
        self.questions = questions
        self.question_s = question_s
        if session is None:
            from overlay.session.live import LiveSession

            session = LiveSession(settings, event_log, replay=replay, realtime=realtime,
                                  mode="practice")
        self.session = session
        self.realtime = realtime
        self.recording = None
        if record:  # the only place a recording is ever created
            from overlay.practice.recording import PracticeRecording, recordings_dir

            name = session.recorder.session_id or time.strftime("practice-%Y%m%d-%H%M%S")
            self.recording = PracticeRecording(recordings_dir() / f"{name}.mp4")
        self._media_t = 0.0
        self.tap = PipelineTap(session.pipeline, on_video=self._on_video,
                               on_audio=self._on_audio)
        self._index = -1
        self._shown_at = 0.0
        self._done = False

    @property
    def session_id(self) -> str | None:
        return self.session.recorder.session_id

    def start(self) -> None:
        self.session.start()
        self.next_question()

    # -- on the session's workers ------------------------------------------------------------
    def _on_video(self, frame: VideoFrame) -> None:
        self._media_t = max(self._media_t, frame.t)
        if self.recording is not None:
            self.recording.add_frame(frame)

    def _on_audio(self, block: AudioBlock) -> None:
        if self.recording is not None:
            self.recording.add_audio(block)

    def now(self) -> float:
        """Session time. A replay played as fast as possible stamps samples with its own
        position, not the wall clock, so questions then follow the newest analysed frame."""
        return float(self.session.clock.now()) if self.realtime else self._media_t

    def next_question(self) -> Question | None:
        """Show the next question (logged), or end the practice after the last one."""
        if self._done:
            return None
        if self._index + 1 >= len(self.questions):
            self._done = True
            return None
        self._index += 1
        q = self.questions[self._index]
        self._shown_at = self.now()
        self.session.recorder.event(self._shown_at, "question", id=q.id, text=q.text)
        log.info("question %d/%d: %s", self._index + 1, len(self.questions), q.id)
        return q

    def end(self) -> None:
        """The user ends the practice early."""
        self._done = True

    def state(self) -> PracticeState:
        q = self.questions[self._index] if self._index >= 0 else None
        elapsed = self.now() - self._shown_at if q is not None else 0.0
        done = self._done or bool(self.session.finished())
        return PracticeState(
            number=self._index + 1, total=len(self.questions), question=q, elapsed_s=elapsed,
            remaining_s=self.question_s - elapsed, time_up=elapsed >= self.question_s,
            last=self._index + 1 >= len(self.questions), done=done,
            recording=self.recording is not None)

    def finish(self, reason: str | None = None) -> Path | None:
        """Stop the session (the answer in progress is closed and kept) and close the
        recording; returns the recording's path, if any. Safe to call twice."""
        self._done = True
        if reason is None:
            reason = "end_of_recording" if self.session.finished() else "stopped"
        with interrupts_held():  # ended half-way it would stay `running`, taken for a crash
            self.session.stop(reason)
        self.tap.remove()
        if self.recording is not None:
            return self.recording.close()
        return None

    def run(self, on_question: OnQuestion | None = None, poll: float = 0.05) -> Path | None:
        """Headless: ask each question for `question_s`, until the last or the replay ends."""
        self.start()
        reason = None
        try:
            shown = -1
            while not self.state().done:
                s = self.state()
                if s.number - 1 != shown and s.question is not None:
                    shown = s.number - 1
                    if on_question is not None:
                        on_question(s.question, s.number, s.total)
                if s.time_up:
                    self.next_question()
                    continue
                time.sleep(poll)
        except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM/SIGHUP (overlay/cli.py)
            reason = f"interrupted ({exc.args[0] if exc.args else 'SIGINT'})"
            raise
        finally:
            path = self.finish(reason)
        return path


def print_summary(event_log: EventLog, practice: PracticeSession) -> None:
    """The end of a headless practice: take-aways, per-answer lines, the report's path."""
    from overlay.review.commands import write_report
    from overlay.review.history import load_review

    sid = practice.session_id
    if sid is None:
        return
    summary, takeaways, _ = load_review(event_log, sid)
    print(f"\nPractice over: {len(summary.answers)} answer(s) in {summary.duration_s:.0f} s.")
    for a in summary.answers:
        print(f"  {a.index}. {a.duration_s:4.0f} s  {a.question or ''}")
    for i, t in enumerate(takeaways, 1):
        print(f"{i}. {t.text}")
    if practice.recording is not None:
        print(f"recording (private): {practice.recording.path}")
    print(f"report: {write_report(event_log, sid)}")
