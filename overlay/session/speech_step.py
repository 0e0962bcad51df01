"""The user's speaking: own-voice activity, answers and their timer, pace, filled pauses.

Runs on the audio worker. What the speech analyser concludes becomes events (`speech`, `answer`,
`filler`) and nudges; speech onsets and microphone levels are passed on to the meeting step for
the "You're muted" and "Mic hears nothing" rules. Mouth movement arrives from the vision worker
through `note_face` (under the pipeline's shared lock).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from detectors.answers import Cue
from detectors.face import Face
from detectors.fillers import Filler
from detectors.nudge import Nudge
from detectors.speaking import AnswerSummary, SpeakingAnalyzer, SpeechSegment
from overlay.session.meeting_step import MeetingStep
from overlay.session.recorder import SessionRecorder
from overlay.settings import Settings

log = logging.getLogger(__name__)

# The live audio worker analyses the microphone in batches of about this long (LiveSession._audio):
# each wake-up of a thread costs more than the maths of a batch, so fewer, longer batches are
# cheaper. It adds at most that much to a speech onset; the answer-timer cues do not wait for it,
# they are raised up to CUE_AHEAD_S early, stamped with their moment, and the coach shows them
# then (the nudge-latency budget is 150 ms; "You're muted" needs 1 s of speech anyway).
AUDIO_BATCH_S = 0.1
CUE_AHEAD_S = 2 * AUDIO_BATCH_S  # a batch, and a late wake-up on a loaded machine


def cues_from(settings: Settings) -> tuple[Cue, ...]:
    answer = settings.section("answer")
    return (Cue(answer["soft_s"], "answer_soft", "Ninety seconds" if answer["soft_s"] == 90
                else "Time check"),
            Cue(answer["wrap_up_s"], "wrap_up", "Wrap up"),
            Cue(answer["stop_s"], "answer_stop", "Time to stop"))


class SpeechStep:
    def __init__(self, settings: Settings, recorder: SessionRecorder,
                 meeting: MeetingStep) -> None:
        pace = settings.section("pace")
        self.recorder = recorder
        self.meeting = meeting
        self.analyzer = SpeakingAnalyzer(answer_gap_s=settings["answer.gap_s"],
                                         cues=cues_from(settings),
                                         pace_limit_wpm=pace["max_wpm"],
                                         pace_sustain_s=pace["sustain_s"],
                                         cue_ahead_s=CUE_AHEAD_S)
        self.heard = False  # any audio at all arrived
        # "Speaking" as of the last sample or face, kept as a plain bool so that other threads
        # (the overlay's snapshot) read it without taking the pipeline's lock.
        self.speaking_now = False

    def note_face(self, face: Face | None, t: float) -> None:
        self.analyzer.note_face(face, t)
        self.speaking_now = self.analyzer.speaking

    def on_audio(self, t0: float, samples: np.ndarray) -> None:
        self.heard = True
        self._record(self.analyzer.feed_audio(samples, t0))
        t1 = t0 + len(samples) / 16_000.0
        self.speaking_now = self.analyzer.speaking
        self.meeting.on_speaking(t1, self.speaking_now)
        rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
        mouth = self.analyzer.mouth.moving(t1)
        self.meeting.on_level(t1, rms, None if mouth is None else mouth >= self.analyzer.mouth_min)

    def finish(self, t_end: float) -> None:
        self._record(self.analyzer.finish(t_end))

    def _record(self, events: list[Any]) -> None:
        for ev in events:
            if isinstance(ev, Nudge):
                self.recorder.nudge(ev)
            elif isinstance(ev, SpeechSegment):
                # Voice activity pads onsets; nothing starts before the session did.
                self.recorder.event(ev.end, "speech", start=max(0.0, ev.start), end=ev.end)
            elif isinstance(ev, AnswerSummary):
                self.recorder.event(ev.end, "answer", start=max(0.0, ev.start), end=ev.end,
                                    duration_s=ev.duration_s, wpm=ev.wpm, fillers=ev.fillers,
                                    fillers_per_min=ev.fillers_per_min)
            elif isinstance(ev, Filler):
                self.recorder.event(ev.t, "filler", duration_s=ev.duration_s)

    def answer_elapsed(self, t: float) -> float | None:
        return self.analyzer.answer_elapsed(t)

    def report(self) -> dict[str, Any]:
        share = self.analyzer.talk_share if self.heard else None
        return {"talk_share": None if share is None else round(share, 3)}
