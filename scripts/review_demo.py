"""A made-up interview day in a fresh data folder, and OnCue's review windows opened on it.

    ONCUE_DATA_DIR=/tmp/demo ONCUE_CONFIG_DIR=/tmp/demo-cfg .venv/bin/python scripts/review_demo.py
    ... --shots DIR --display N    (under scripts/screenshots_first_run.py: screenshots)

Writes an event log with a pre-flight check, fourteen earlier sessions (interviews, practice,
an analysis, a crashed run) and one interview at "City General IM" (five answers, gaze, speech,
nudges, the clip report), a cue sheet naming its interviewers, and then opens what the user
sees after the call: the summary window beside a stand-in meeting window titled "Zoom Meeting",
the notes dialog, the thank-you drafts, and the trend chart of the report. No real person's data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHEET = """# City General IM
## Interviewers
- Dr. Priya Patel, program director; the safety-net clinic's continuity panels
- Dr. Kwame Osei, associate program director; the night-float redesign
## Why City General
- Safety-net clinic, Spanish-speaking patients
- QI curriculum
"""


def _interview(log, started: datetime, lengths: list[float], eye: float, mode: str = "live",  # type: ignore[no-untyped-def]
               source: str = "camera+microphone", crashed: bool = False) -> str:
    from overlay.session.events import SessionEvent as E

    sid = log.start_session(mode, source)
    log._conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?",  # a past day
                      (started.isoformat(timespec="seconds"), sid))
    t, events = 5.0, [E(0, "session_started", {"mode": mode, "source": source})]
    for i, length in enumerate(lengths):
        away = t + length * eye
        events += [E(t, "gaze", {"state": "lens", "calibrated": True}),
                   E(away, "gaze", {"state": "away", "calibrated": True}),
                   E(t + length, "speech", {"start": t, "end": t + length}),
                   E(t + length, "answer", {"start": t, "end": t + length, "duration_s": length,
                                            "wpm": 138 + 9 * i, "fillers": 2 + i,
                                            "fillers_per_min": (2 + i) / length * 60})]
        if length > 120:
            events.append(E(t + 110, "nudge", {"kind": "wrap_up", "text": "Wrap up"}))
        t += length + 40
    frames = int(t * 14.6)
    evidence = {"frames": frames, "frames_with_face": int(frames * 0.97)}
    events.append(E(t, "scene", {"lighting": {"verdicts": ["ok"], "shares": {"ok": 0.96},
                                              "evidence": evidence},
                                 "framing": {"verdicts": ["ok"], "shares": {"ok": 0.99},
                                             "evidence": evidence}}))
    if not crashed:
        events.append(E(t, "session_ended", {"reason": "stopped"}))
    for event in events:
        log.append(sid, event)
    if not crashed:
        log.end_session(sid, t)
    return sid


def build(log) -> str:  # type: ignore[no-untyped-def]
    from overlay.paths import cue_sheet_dir
    from overlay.session.events import SessionEvent as E

    day = datetime(2026, 11, 20, 9, 0).astimezone()
    for i in range(14):
        when = day - timedelta(days=2 * (14 - i))
        mode = "practice" if i % 3 == 0 else "live"
        _interview(log, when, [70 + 5 * i, 150 - 4 * i, 95], 0.55 + 0.015 * i, mode)
    _interview(log, day - timedelta(days=1), [40, 60], 0.5, "analysis", "/tmp/friend.mp4")
    _interview(log, day - timedelta(hours=20), [30], 0.6, crashed=True)
    check = log.start_session("check", "camera+microphone")
    log._conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?",
                      ((day - timedelta(minutes=12)).isoformat(timespec="seconds"), check))
    for item in (("camera", "pass", "camera found, 1280x720 at 30 fps", ""),
                 ("light", "fail", "your face is darker than the room behind you",
                  "face the window, or put a lamp behind the screen"),
                 ("microphone", "pass", "your voice is clear above the room's noise", ""),
                 ("machine", "pass", "CPU headroom for the meeting app", "")):
        log.append(check, E(1.0, "check", dict(zip(("group", "status", "detail", "fix"), item,
                                                    strict=True), id=item[0])))
    log.append(check, E(20.0, "session_ended", {"reason": "check done"}))
    log.end_session(check, 20.0)
    sid = _interview(log, day, [62, 131, 88, 104, 47], 0.74)
    log.set_program(sid, "City General IM")
    folder = cue_sheet_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "city-general.md").write_text(SHEET, encoding="utf-8")
    return sid


def zoom_stand_in() -> subprocess.Popen[bytes]:
    code = ("from PyQt6.QtWidgets import QApplication, QLabel; import sys;"
            "a = QApplication(sys.argv); w = QLabel('  Zoom Meeting (stand-in)');"
            "w.setWindowTitle('Zoom Meeting');"
            "w.setStyleSheet('background:#1f232b; color:#9aa5b1; font-size:22px');"
            "w.setGeometry(0, 0, 860, 880); w.show(); a.exec()")
    return subprocess.Popen([sys.executable, "-c", code])


def main() -> int:
    import time

    from PyQt6.QtWidgets import QApplication

    from overlay.session.eventlog import open_log
    from overlay.ui.summary_opening import SummaryOpener
    from overlay.ui.summary_window import SummaryWindow

    shots = Path(sys.argv[sys.argv.index("--shots") + 1]) if "--shots" in sys.argv else None
    display = sys.argv[sys.argv.index("--display") + 1] if "--display" in sys.argv else None
    meeting = zoom_stand_in() if shots is not None else None
    time.sleep(1.5)
    app = QApplication(sys.argv[:1])

    def grab(name: str) -> None:
        for _ in range(30):
            app.processEvents()
            time.sleep(0.05)
        if shots is not None:
            subprocess.run(["import", "-display", f":{display}", "-window", "root",
                            str(shots / name)], check=True, timeout=30)
            print(f"saved {shots / name}")

    with open_log() as log:
        sid = build(log)
        opener = SummaryOpener(log, print)
        window = opener.open_summary(sid)
        assert isinstance(window, SummaryWindow)
        print("summary at", window.geometry())
        grab("summary-window.png")
        scroll = window.findChild(__import__("PyQt6.QtWidgets", fromlist=["QScrollArea"])
                                  .QScrollArea)
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        grab("summary-window-end.png")
        window.notes_button.click()
        grab("summary-notes.png")
        for w in list(opener.windows[1:]):
            w.close()
        window.followup_button.click()
        grab("summary-followup.png")
        opener.close_all()
        trend_png(log, shots)
    if meeting is not None:
        meeting.terminate()
    return 0


def trend_png(log, shots: Path | None) -> None:  # type: ignore[no-untyped-def]
    """The report's "Across your interviews" pace chart, drawn by Qt's SVG renderer."""
    from PyQt6.QtCore import QByteArray
    from PyQt6.QtGui import QColor, QImage, QPainter
    from PyQt6.QtSvg import QSvgRenderer

    from overlay.review import charts
    from overlay.review.history import load_history, trends

    points = trends(load_history(log), "interview")["eye_contact"]
    svg = charts.standalone(charts.trend("t", "Eye contact while speaking (interviews)", points,
                                         "%", band=(0.7, 0.8)))
    print("trend labels:", [p.label for p in points])
    if shots is None:
        return
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    size = renderer.defaultSize() * 2
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(shots / "trend-eye-contact.png"))


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    raise SystemExit(main())
