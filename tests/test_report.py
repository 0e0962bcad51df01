"""The HTML report: every chart present, nothing loaded from anywhere; the history commands."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from overlay.review.commands import (
    build_report_html,
    report_command,
    sessions_command,
    write_report,
)
from overlay.review.notes import Interviewer, NotesStore, SessionNotes
from overlay.review.report_html import render
from overlay.review.summary import summarise
from overlay.review.takeaways import takeaways
from overlay.session.eventlog import open_log
from overlay.session.events import SessionEvent

E = SessionEvent


def practice(answer_lengths: list[float], lens_every: int = 3) -> list[SessionEvent]:
    """Answers separated by 30 s questions; gaze leaves the lens every `lens_every`-th 5 s."""
    ev = [E(0, "session_started", {"mode": "practice", "source": "mic", "calibrated": True})]
    t = 0.0
    for i, length in enumerate(answer_lengths):
        t += 30
        for k in range(int(length // 5)):
            ev.append(E(t + 5 * k, "gaze", {"state": "away" if k % lens_every == 0 else "lens",
                                            "calibrated": True}))
        ev.append(E(t + length, "speech", {"start": t, "end": t + length}))
        ev.append(E(t + length, "answer", {"start": t, "end": t + length, "duration_s": length,
                                           "wpm": 140 + 5 * i, "fillers": 2}))
        if length > 120:
            ev.append(E(t + 120, "nudge", {"kind": "wrap_up", "text": "Wrap up"}))
        t += length
    ev += [E(40, "nudge", {"kind": "muted", "text": "You're muted"}), E(50, "mark", {}),
           E(60, "lighting", {"verdicts": ["backlit"]}), E(90, "lighting", {"verdicts": []})]
    ev.sort(key=lambda e: e.t)
    return ev + [E(t + 20, "session_ended", {"reason": "stopped"})]


def record(events: list[SessionEvent], mode: str = "practice") -> str:
    with open_log() as elog:
        sid = elog.start_session(mode, "microphone")
        for e in events:
            elog.append(sid, e)
        elog.end_session(sid, events[-1].t)
    return sid


NETWORK = [r"https?:", r"//", r"<script", r"<link", r"<iframe", r"<img", r"url\(", r"@import",
           r"\bsrc\s*=", r"\bhref\s*="]


def assert_offline(html: str) -> None:
    for pattern in NETWORK:
        assert not re.search(pattern, html, re.IGNORECASE), f"report contains {pattern}"


def test_report_has_every_chart_and_no_network_reference() -> None:
    for lengths in ([70, 140, 95], [200, 150], [60, 90, 100, 110]):
        sid = record(practice(lengths))
    with open_log() as elog:
        html = build_report_html(elog, sid)
    charts = re.findall(r'data-chart="([a-z-]+)"', html)
    assert charts == ["answers", "eye-contact", "timeline", "trend-answer-length",
                      "trend-eye-contact", "trend-pace"]
    assert html.count("<rect") > 10 and "2:00 line" in html and "70-80%" in html
    assert_offline(html)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_report_text_follows_the_summary() -> None:
    sid = record(practice([70, 140, 95]))
    with open_log() as elog:
        s = summarise(elog.events(sid), elog.session(sid))
    html = render(s, takeaways(s))
    for t in takeaways(s):
        assert escape(t.text) in html
    assert "You talked while muted 1 time" in html
    assert html.count("<tr>") == 1 + 3 + 1 + len(s.incidents)  # two table heads, rows
    # The bars are as tall as the answers: 140 s is twice 70 s.
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" '
                                            r'height="([\d.]+)" fill="#[0-9a-f]+" rx="2"', html)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert "Gaze was calibrated" in html and "trend-" not in html  # one session: no trends


def test_user_text_is_escaped_and_notes_shown() -> None:
    sid = record(practice([60]))
    NotesStore().save(SessionNotes(sid, program="<script>alert(1)</script>",
                                   impressions="Loved the <b>residents</b>",
                                   interviewers=(Interviewer.parse("Dr. A B, PD"),),
                                   topics=("night float",)))
    with open_log() as elog:
        elog.set_program(sid, "<script>alert(1)</script>")
        html = build_report_html(elog, sid)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "Loved the &lt;b&gt;residents&lt;/b&gt;" in html and "night float" in html
    assert_offline(html)


def test_uncalibrated_and_crashed_are_said_plainly() -> None:
    events = [e for e in practice([80]) if e.kind != "session_ended"]
    events = [E(e.t, e.kind, {**e.data, "calibrated": False}) if e.kind == "gaze" else e
              for e in events]
    with open_log() as elog:
        sid = elog.start_session("live", "cam")
        for e in events:
            elog.append(sid, e)
        elog.mark_recovered(sid)
        html = build_report_html(elog, sid)
    assert "population default was used" in html
    assert "ended by a crash" in html


def test_report_command_writes_a_private_file(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert report_command([]) == 2
    assert "no sessions recorded yet" in capsys.readouterr().err
    sid = record(practice([60, 130]))
    out = tmp_path / "r.html"
    assert report_command(["last", "--out", str(out)]) == 0
    assert 'data-chart="answers"' in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o077 == 0
    assert report_command([sid[:12]]) == 0  # a unique prefix is enough
    with open_log() as elog:
        assert write_report(elog, sid).name == f"{sid}.html"


def test_sessions_list_and_delete(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    a = record(practice([60, 130]))
    b = record(practice([200]), mode="live")
    assert sessions_command([]) == 0
    out = capsys.readouterr().out
    assert a in out and b in out
    row_a = next(line for line in out.splitlines() if line.startswith(a))
    assert "2 (1)" in row_a and "2:10" in row_a  # two answers, one over 2:00, longest 2:10
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert sessions_command(["--delete", a]) == 1  # no terminal to confirm on, no --yes
    assert sessions_command(["--delete", a, "--yes"]) == 0
    with open_log() as elog:
        assert [s.id for s in elog.sessions()] == [b]
    assert sessions_command(["--delete-all", "--yes"]) == 0
    with open_log() as elog:
        assert elog.sessions() == []
    assert sessions_command(["--delete", "nope", "--yes"]) == 2


def test_unsure_answers_and_unread_mute_state_are_flagged() -> None:
    events = [E(0, "gaze", {"state": "noface"}), E(30, "gaze", {"state": "lens"}),
              E(40, "meeting", {"state": "unknown", "app": "zoom"}),
              E(50, "answer", {"start": 0, "end": 50, "duration_s": 50}),
              E(100, "session_ended", {"reason": "stopped"})]
    sid = record(events, mode="live")
    with open_log() as elog:
        html = build_report_html(elog, sid)
    # Answer 0-50 s: eyes unreadable 30 of 50 s (60%), so its 100% eye contact is starred.
    assert "100%*" in html and "its eye contact is uncertain" in html
    assert "could not be read for 60% of the session" in html  # unknown from 40 s to 100 s


def test_report_says_why_light_and_framing_are_unknown() -> None:
    why = "a face was found in 5% of 255 frames: not enough to judge the light"
    ev = practice([40.0])
    ev.insert(-1, E(ev[-1].t, "scene", {
        "lighting": {"verdicts": [], "evidence": {"frames": 255, "frames_with_face": 13},
                     "unknown_because": why},
        "framing": {"verdicts": ["too_close"], "shares": {"too_close": 0.62, "ok": 0.38},
                    "fixes": ["move back a little"],
                    "evidence": {"frames": 255, "frames_with_face": 200}}}))
    summary = summarise(ev, _info(ev))
    html = render(summary, takeaways(summary))
    assert escape(f"Light: unknown, {why}.") in html
    assert escape("Framing: too close in 62% of the frames with a face.") in html
    assert summary.lighting == ()  # the backlit event draws no bar: the light is unknown


def _info(ev: list[SessionEvent]):  # type: ignore[no-untyped-def]
    from overlay.session.events import SessionInfo

    return SessionInfo("s1", "practice", "mic", "2026-11-20T09:00:00+00:00", None, "ended",
                       ev[-1].t)
