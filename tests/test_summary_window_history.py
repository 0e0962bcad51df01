"""Sessions apart by kind, trends of one kind with date labels that never overlap, and the
pre-flight check found before a session."""

from __future__ import annotations

from overlay.review.history import (
    by_kind,
    kind_of,
    preflight_before,
    trend_labels,
    trends,
)
from overlay.review.summary import summarise
from overlay.session.eventlog import EventLog
from overlay.session.events import SessionEvent, SessionInfo

E = SessionEvent


def _summary(sid: str, mode: str, started: str, status: str = "ended",
             source: str = "camera+microphone", length: float = 60.0):  # type: ignore[no-untyped-def]
    events = [E(length, "answer", {"start": 0, "end": length, "duration_s": length, "wpm": 140})]
    if status != "crashed":
        events.append(E(length + 5, "session_ended", {"reason": "stopped"}))
    info = SessionInfo(sid, mode, source, started, None, length + 5, status, None)
    return summarise(events, info)


def test_kinds_keep_interviews_apart_from_practice_analyses_checks_and_crashes() -> None:
    history = [_summary("a", "live", "2026-11-20T09:00:00"),
               _summary("b", "live", "2026-11-19T09:00:00", source="/tmp/rec.mp4"),
               _summary("c", "practice", "2026-11-18T09:00:00"),
               _summary("d", "analysis", "2026-11-17T09:00:00", source="/tmp/x.mp4"),
               _summary("e", "check", "2026-11-16T09:00:00"),
               _summary("f", "live", "2026-11-15T09:00:00", status="crashed")]
    assert [kind_of(s) for s in history] == ["interview", "analysis", "practice", "analysis",
                                             "check", "crashed"]
    groups = by_kind(history)
    assert list(groups) == ["interview", "practice", "analysis", "check", "crashed"]
    assert [s.session_id for s in groups["analysis"]] == ["b", "d"]
    t = trends(history, "interview")
    assert [p.value for p in t["answer_length"]] == [60.0]  # the crash and replay are not in it
    assert len(trends(history)["pace"]) == 1  # the newest trendable kind: interviews


def test_trend_labels_are_few_short_and_spread() -> None:
    for n in (1, 2, 7, 8, 15, 18, 30, 61):
        started = [f"2026-{10 + i // 28:02d}-{i % 28 + 1:02d}T10:00:00" for i in range(n)]
        labels = trend_labels(started)
        shown = [i for i, lb in enumerate(labels) if lb]
        assert labels[-1] and len(shown) <= 7, (n, labels)
        drawn = max(1, n // 8)  # charts.trend prints only these points' labels and the last
        assert all(i % drawn == 0 or i == n - 1 for i in shown)
        gaps = [b - a for a, b in zip(shown, shown[1:], strict=False)]
        assert not gaps or min(gaps) >= max(1, n // 7 - 1), (n, shown)
    assert trend_labels(["2026-11-20T09:00:00", "2026-11-20T15:00:00"]) == ["Nov 20", ""]


def test_the_check_before_a_session_is_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = EventLog(tmp_path / "log.sqlite")
    check = log.start_session("check", "camera+microphone")
    log.append(check, E(1.0, "check", {"id": "light.dark", "group": "light", "status": "fail",
                                       "detail": "the face is dark", "fix": "face a window"}))
    log.append(check, E(2.0, "check", {"id": "mic.level", "group": "microphone",
                                       "status": "pass", "detail": "level fine", "fix": ""}))
    log.end_session(check, 20.0)
    interview = log.start_session("live", "camera+microphone")
    found = preflight_before(log, log.session(interview).started_at)
    assert found is not None and found.session_id == check
    assert [i.status for i in found.items] == ["fail", "pass"]
    assert found.failed[0].fix == "face a window"
    assert preflight_before(log, "2000-01-01T00:00:00") is None
    log.close()


def test_the_report_shows_the_check_and_trends_of_its_own_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from overlay.review.history import CheckLine, PreflightResult
    from overlay.review.report_html import render
    from overlay.review.takeaways import takeaways

    now = _summary("n", "live", "2026-11-20T09:00:00")
    history = [now, _summary("p1", "practice", "2026-11-19T09:00:00"),
               _summary("p2", "practice", "2026-11-18T09:00:00"),
               _summary("i2", "live", "2026-11-17T09:00:00")]
    check = PreflightResult("c", "2026-11-20T08:50:00",
                            (CheckLine("light", "fail", "face darker than the room",
                                       "face a window"),))
    html = render(now, takeaways(now), None, history, check)
    assert "the pre-flight check" in html and "face a window" in html
    assert "Across your interviews" in html and "Nov 17" in html and "Nov 18" not in html
    assert "No pre-flight check before" in render(now, takeaways(now), None, history)
