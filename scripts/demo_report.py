"""Write a realistic, hand-made event log of a 30-minute interview and its HTML report.

    .venv/bin/python scripts/demo_report.py [--out report.html] [--data-dir DIR] [--history N]

The log is synthetic (seeded, so the same every run): nine answers between 0:50 and 3:20, gaze
that drifts off the lens more while listening, a muted start, a backlit stretch, a camera drop,
a marked moment. With --history N, N earlier practice sessions are added so the trends show.
Nothing is written to your real data directory unless you point --data-dir at it.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overlay.session.eventlog import EventLog  # noqa: E402
from overlay.session.events import SessionEvent  # noqa: E402

log = logging.getLogger(__name__)

ANSWERS = [75, 118, 96, 142, 64, 201, 88, 110, 131]  # seconds, a typical interview day


def interview_events(seed: int, answers: list[int], calibrated: bool = True,
                     lens_speaking: float = 0.74) -> list[SessionEvent]:
    rng = random.Random(seed)
    ev = [SessionEvent(0.0, "session_started",
                       {"mode": "live", "source": "camera+microphone", "calibrated": calibrated})]
    t = 20.0
    for i, length in enumerate(answers):
        listening_from = t
        t += rng.uniform(40, 95)  # the interviewer's question, or small talk
        start, end = t, t + length
        # Gaze while listening before the answer: more time on the interviewer's face.
        g = listening_from
        while g < start:
            ev.append(SessionEvent(g, "gaze", {"state": "lens" if rng.random() < 0.45 else "away",
                                               "calibrated": calibrated}))
            g += rng.uniform(2, 7)
        # Speech stretches inside the answer, with short breathing pauses.
        s = start
        while s < end:
            e = min(end, s + rng.uniform(6, 20))
            ev.append(SessionEvent(e, "speech", {"start": round(s, 2), "end": round(e, 2)}))
            s = e + rng.uniform(0.4, 1.6)
        g = start
        while g < end:
            state = "lens" if rng.random() < lens_speaking else rng.choice(["away", "away",
                                                                              "closed"])
            ev.append(SessionEvent(g, "gaze", {"state": state, "calibrated": calibrated}))
            g += rng.uniform(1.5, 8)
        if i == 0:
            ev.append(SessionEvent(start + 0.8, "nudge", {"kind": "muted", "text": "You're muted"}))
            ev.append(SessionEvent(start + 1.5, "meeting", {"state": "unmuted", "app": "zoom"}))
        for cue, kind, text in ((90, "answer_soft", "Start wrapping up"),
                                (120, "wrap_up", "Wrap up"), (180, "answer_stop", "Stop now")):
            if length > cue:
                ev.append(SessionEvent(start + cue, "nudge", {"kind": kind, "text": text}))
        if i == 5:
            ev.append(SessionEvent(start + 40, "nudge",
                                   {"kind": "look_at_lens", "text": "Look at the lens"}))
            ev.append(SessionEvent(start + 150, "nudge", {"kind": "slow_down",
                                                          "text": "Slow down"}))
        if i == 3:
            ev.append(SessionEvent(start + 60, "mark", {"note": "research question went well"}))
        fillers = rng.randint(1, 3 + length // 40)
        for _ in range(fillers):
            ev.append(SessionEvent(start + rng.uniform(0, length), "filler",
                                   {"duration_s": round(rng.uniform(0.2, 0.6), 2)}))
        wpm = round(rng.uniform(138, 158) + (24 if i == 5 else 0), 1)
        ev.append(SessionEvent(end, "answer", {
            "start": round(start, 2), "end": round(end, 2), "duration_s": round(end - start, 2),
            "wpm": wpm, "fillers": fillers, "fillers_per_min": round(fillers / (length / 60), 2)}))
        t = end
    ev += [SessionEvent(300.0, "lighting", {"verdicts": ["backlit"]}),
           SessionEvent(540.0, "lighting", {"verdicts": ["ok"]}),
           SessionEvent(700.0, "framing", {"verdicts": ["too_low"], "fixes": ["Raise camera"]}),
           SessionEvent(760.0, "framing", {"verdicts": [], "fixes": []}),
           SessionEvent(1200.0, "device", {"source": "camera", "state": "lost",
                                           "detail": "frames stopped"}),
           SessionEvent(1204.5, "device", {"source": "camera", "state": "back", "detail": ""})]
    end_t = max(t + 60, 1800.0)
    g = t
    while g < end_t:  # the closing "do you have questions for us?"
        ev.append(SessionEvent(g, "gaze", {"state": "lens" if rng.random() < 0.5 else "away",
                                           "calibrated": calibrated}))
        g += rng.uniform(2, 7)
    ev.sort(key=lambda e: e.t)
    ev.append(SessionEvent(end_t, "session_ended", {"reason": "stopped"}))
    return ev


def write_session(elog: EventLog, events: list[SessionEvent], mode: str = "live") -> str:
    sid = elog.start_session(mode, "camera+microphone")
    for e in events:
        elog.append(sid, e)
    elog.end_session(sid, events[-1].t)
    return sid


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("oncue-demo-report.html"))
    ap.add_argument("--data-dir", type=Path, default=None,
                    help="where the demo event log goes (default: a temporary directory)")
    ap.add_argument("--history", type=int, default=5, help="earlier practice sessions to add")
    args = ap.parse_args(argv)
    os.environ["ONCUE_DATA_DIR"] = str(args.data_dir or tempfile.mkdtemp(prefix="oncue-demo-"))

    from overlay.review.commands import build_report_html
    from overlay.review.notes import Interviewer, NotesStore, SessionNotes
    from overlay.session.eventlog import open_log

    with open_log() as elog:
        rng = random.Random(7)
        for k in range(args.history):  # earlier practice: longer answers, less eye contact
            answers = [int(a * (1.35 - 0.07 * k)) for a in rng.sample(ANSWERS, 6)]
            write_session(elog, interview_events(100 + k, answers, calibrated=k > 1,
                                                 lens_speaking=0.5 + 0.05 * k), "practice")
        sid = write_session(elog, interview_events(1, ANSWERS))
        elog.set_program(sid, "Riverside Internal Medicine")
        NotesStore().save(SessionNotes(
            session_id=sid, program="Riverside Internal Medicine",
            interview_date=date(2026, 11, 20),
            impressions="Residents seemed close and unhurried; strong ICU months; the city is far "
                        "from family. Noon conference is protected.",
            interviewers=(Interviewer.parse("Dr. Maria Alvarez, Program Director"),
                          Interviewer.parse("Sam Lee, Chief resident")),
            topics=("the new point-of-care ultrasound curriculum",
                    "how residents run the free clinic on Saturdays")))
        html = build_report_html(elog, sid)
    args.out.write_text(html, encoding="utf-8")
    print(f"session {sid}: report written to {args.out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
