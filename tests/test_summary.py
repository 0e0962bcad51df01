"""Summary figures against hand-built event logs, worked out by hand in the comments."""

from __future__ import annotations

import pytest

from overlay.review.spans import complement, gaze_share, state_spans, union
from overlay.review.summary import summarise
from overlay.review.takeaways import clock, takeaways
from overlay.session.eventlog import EventLog, default_log_path
from overlay.session.events import SessionEvent, SessionInfo

E = SessionEvent


def interview() -> list[SessionEvent]:
    """Two answers: 5-40 s (35 s) and 70-200 s (130 s, past the 2:00 line); ends at 240 s."""
    return [
        E(0, "session_started", {"mode": "live", "source": "cam", "calibrated": False}),
        E(0, "lighting", {"verdicts": ["ok"]}),
        E(0, "gaze", {"state": "lens", "calibrated": False}),
        E(10, "gaze", {"state": "away", "calibrated": False}),
        E(12, "nudge", {"kind": "look_at_lens", "text": "Look at the lens"}),
        E(14, "gaze", {"state": "lens", "calibrated": False}),
        E(20, "speech", {"start": 5, "end": 20}),
        E(30, "gaze", {"state": "noface", "calibrated": False}),
        E(34, "gaze", {"state": "lens", "calibrated": False}),
        E(40, "speech", {"start": 22, "end": 40}),
        E(40, "answer", {"start": 5, "end": 40, "duration_s": 35, "wpm": 150, "fillers": 2,
                         "fillers_per_min": 3.43}),
        E(50, "gaze", {"state": "closed", "calibrated": False}),
        E(51, "gaze", {"state": "lens", "calibrated": False}),
        E(60, "nudge", {"kind": "muted", "text": "You're muted"}),
        E(80, "mark", {"note": "good story"}),
        E(100, "lighting", {"verdicts": ["backlit"]}),
        E(110, "device", {"source": "camera", "state": "lost", "detail": "unplugged"}),
        E(115, "device", {"source": "camera", "state": "back"}),
        E(150, "lighting", {"verdicts": ["ok"]}),
        E(190, "nudge", {"kind": "wrap_up", "text": "Wrap up"}),
        E(200, "speech", {"start": 70, "end": 200}),
        E(200, "answer", {"start": 70, "end": 200, "duration_s": 130, "wpm": 170, "fillers": 4,
                          "fillers_per_min": 1.85}),
        E(210, "gaze", {"state": "away", "calibrated": False}),
        E(220, "gaze", {"state": "lens", "calibrated": False}),
        E(240, "session_ended", {"reason": "stopped"}),
    ]


def info(status: str = "ended", duration: float | None = 240.0) -> SessionInfo:
    return SessionInfo("s1", "live", "cam", "2026-11-20T09:00:00+00:00",
                       None if status != "ended" else "2026-11-20T09:04:00+00:00", duration,
                       status, "Riverside IM")


def test_spans_arithmetic() -> None:
    assert union([(5, 8), (1, 3), (2, 4), (9, 9)]) == [(1, 4), (5, 8)]
    assert complement([(1, 4), (5, 8)], 0, 10) == [(0, 1), (4, 5), (8, 10)]
    steps = state_spans([(2, "lens"), (5, "away")], 8)
    assert steps == [(0, 2, "unknown"), (2, 5, "lens"), (5, 8, "away")]
    share = gaze_share(steps, [(1, 6)])
    assert (share.lens_s, share.away_s, share.unsure_s) == (3, 1, 1)
    assert share.eye_contact == pytest.approx(3 / 4)


def test_answers_match_the_log() -> None:
    s = summarise(interview(), info())
    assert s.duration_s == 240
    assert [(a.start, a.end, a.duration_s) for a in s.answers] == [(5, 40, 35), (70, 200, 130)]
    a1, a2 = s.answers
    # Answer 1, 5-40 s: lens 5-10, 14-30, 34-40 = 27 s; away 10-14 = 4 s; noface 30-34 = 4 s.
    assert (a1.eye.lens_s, a1.eye.away_s, a1.eye.unsure_s) == (27, 4, 4)
    assert a1.eye.eye_contact == pytest.approx(27 / 31)
    assert a2.eye.eye_contact == 1.0
    assert (a1.wpm, a1.fillers, a1.fillers_per_min) == (150, 2, 3.43)
    assert [n.kind for n in a1.nudges] == ["look_at_lens"]
    assert [n.kind for n in a2.nudges] == ["wrap_up"]  # the muted nudge at 60 s is between them
    assert (a1.over_line, a2.over_line) == (False, True)
    assert s.answers_over_line == 1 and s.longest_answer_s == 130
    assert s.mean_wpm == pytest.approx((150 * 35 + 170 * 130) / 165)
    assert s.fillers_total == 6
    assert s.fillers_per_min == pytest.approx(6 / (165 / 60))


def test_eye_contact_talk_share_and_calibration() -> None:
    s = summarise(interview(), info())
    # Speaking 5-20, 22-40, 70-200: lens 5+6+8+6+130 = 155, away 4 (10-14), noface 4 (30-34).
    assert (s.speaking_eye.lens_s, s.speaking_eye.away_s, s.speaking_eye.unsure_s) == (155, 4, 4)
    # Listening 0-5, 20-22, 40-70, 200-240: lens 5+2+10+19+10+20 = 66, away 210-220, closed 50-51.
    assert (s.listening_eye.lens_s, s.listening_eye.away_s, s.listening_eye.closed_s) == (66, 10, 1)
    assert s.listening_eye.eye_contact == pytest.approx(66 / 76)
    assert s.talk_s == 163 and s.talk_share == pytest.approx(163 / 240)
    assert s.calibrated is False
    assert s.eye_series[0].start == 0 and s.eye_series[-1].end == 240
    assert s.eye_series[0].speaking == pytest.approx(5 / 5)  # 0-10 s bin: speaking 5-10, lens


def test_incidents_match_the_log() -> None:
    s = summarise(interview(), info())
    assert [(i.t, i.kind) for i in s.incidents] == [
        (60, "muted"), (80, "mark"), (100, "lighting"), (110, "device")]
    assert [(v.verdict, v.start, v.end) for v in s.lighting] == [("backlit", 100, 150)]
    assert [(g.source, g.start, g.end, g.detail) for g in s.device_gaps] == [
        ("camera", 110, 115, "unplugged")]
    assert s.incidents_of("mark")[0].text == "Marked: good story"
    assert s.status == "ended" and s.ended_reason == "stopped" and not s.crashed


def test_crashed_session_from_the_real_log() -> None:
    """Killed at 120 s: no session_ended, the second answer never ended; summary all the same."""
    elog = EventLog(default_log_path())
    sid = elog.start_session("live", "cam")
    for e in interview():
        if e.t <= 120:
            elog.append(sid, e)
    elog.mark_recovered(sid)  # what the app does for a session whose process is gone
    s = summarise(elog.events(sid), elog.session(sid))
    elog.close()
    assert s.status == "crashed" and s.crashed and s.ended_reason is None
    assert s.duration_s == 115  # the last event logged
    assert len(s.answers) == 1 and s.answers[0].eye.eye_contact == pytest.approx(27 / 31)
    assert s.talk_s == 33  # 5-20 and 22-40
    # A device lost and never back would run to the end; here it came back at 115.
    assert s.device_gaps[0].end == 115
    assert [v.end for v in s.lighting] == [115]  # backlit still on when the log stops


def test_no_gaze_no_speech_says_so() -> None:
    events = [E(0, "session_started", {"mode": "practice", "source": "mic"}),
              E(30, "answer", {"start": 2, "end": 30, "duration_s": 28}),
              E(31, "session_ended", {"reason": "stopped"})]
    s = summarise(events, info(duration=31))
    assert s.calibrated is None and not s.has_gaze
    assert s.speaking_eye.eye_contact is None
    assert s.talk_s == 28  # no speech stretches logged: the answer is the talking
    assert s.answers[0].wpm is None and s.answers[0].fillers == 0
    assert s.mean_wpm is None


def test_unsure_gaze_is_not_guessed() -> None:
    events = [E(0, "gaze", {"state": "noface"}), E(10, "gaze", {"state": "unknown"}),
              E(20, "answer", {"start": 0, "end": 20, "duration_s": 20}),
              E(20, "session_ended", {"reason": "stopped"})]
    s = summarise(events, info(duration=20))
    assert s.answers[0].eye.eye_contact is None
    assert s.answers[0].eye.unsure_s == 20


def test_takeaways_rank_what_mattered_most() -> None:
    t = takeaways(summarise(interview(), info()))
    assert len(t) == 3
    assert t[0].kind == "muted" and "1:00" in t[0].text
    assert t[1].kind == "long_answers" and "2:10" in t[1].text
    assert t[0].weight > t[1].weight


def test_takeaways_fill_with_good_news() -> None:
    events = [E(0, "gaze", {"state": "lens"}),
              E(60, "answer", {"start": 0, "end": 60, "duration_s": 60, "wpm": 140,
                               "fillers": 1}),
              E(60, "session_ended", {"reason": "stopped"})]
    t = takeaways(summarise(events, info(duration=60)))
    assert len(t) == 3 and all(x.good_news for x in t)
    assert "1:00" in t[0].text


def test_clock() -> None:
    assert clock(0) == "0:00" and clock(125.4) == "2:05" and clock(3725) == "1:02:05"


def test_meeting_state_unknown_and_no_audio() -> None:
    events = [E(0, "session_started", {"mode": "live", "source": "cam"}),
              E(10, "meeting", {"state": "unmuted", "app": "zoom"}),  # watcher starts at 10 s
              E(40, "meeting", {"state": "unknown", "app": "zoom"}),  # toolbar hidden 40-70 s
              E(70, "meeting", {"state": "no_audio", "app": "zoom"}),
              E(80, "meeting", {"state": "muted", "app": "zoom"}),
              E(100, "session_ended", {"reason": "stopped"})]
    s = summarise(events, info(duration=100))
    assert s.has_meeting and s.meeting_unknown_s == 30  # not the 10 s before the first reading
    assert [(i.t, i.kind, i.end) for i in s.incidents] == [(70, "meeting", 80)]
    assert not summarise(events[:1] + events[-1:], info(duration=100)).has_meeting


def test_a_malformed_event_is_skipped_not_fatal() -> None:
    events = interview()
    events.insert(5, E(20, "answer", {"start": None}))
    events.insert(5, E(20, "speech", {}))
    s = summarise(events, info())
    assert len(s.answers) == 2 and s.talk_s == 163


def _scene_event(t: float, light: dict, framing: dict) -> SessionEvent:
    return E(t, "scene", {"lighting": light, "framing": framing})


def test_light_take_away_quotes_the_pipeline_s_own_share() -> None:
    """Backlit and too dark held together are one problem, not 84% = 41% + 43% of the session:
    the take-away quotes the clip report's share, the one the JSON and the check show."""
    events = [
        E(0, "session_started", {"mode": "analysis", "source": "clip.mp4"}),
        E(10, "lighting", {"verdicts": ["backlit", "too_dark"]}),
        E(51, "lighting", {"verdicts": ["ok"]}),
        _scene_event(100, {"verdicts": ["backlit", "too_dark"],
                           "shares": {"backlit": 0.41, "too_dark": 0.43, "ok": 0.57},
                           "evidence": {"frames": 500, "frames_with_face": 480}},
                     {"verdicts": ["ok"], "shares": {"ok": 1.0},
                      "evidence": {"frames": 500, "frames_with_face": 480}}),
        E(100, "session_ended", {"reason": "end_of_recording"}),
    ]
    s = summarise(events, info())
    assert s.light is not None and s.light.verdicts == ("backlit", "too_dark")
    light = [t for t in takeaways(s) if t.kind == "lighting"]
    assert len(light) == 1 and "too dark in 43% of the frames with a face" in light[0].text
    assert "84%" not in light[0].text and "82%" not in light[0].text
    assert [t for t in takeaways(s) if t.kind == "framing"] == []


def test_no_light_or_framing_verdict_without_evidence() -> None:
    why = "a face was found in 5% of 255 frames: not enough to judge the light"
    events = [
        E(0, "session_started", {"mode": "check", "source": "clip.mp4"}),
        E(3, "lighting", {"verdicts": ["backlit"]}),
        E(3, "framing", {"verdicts": ["camera_low"], "fixes": ["raise the camera"]}),
        _scene_event(20, {"verdicts": [], "shares": {"backlit": 0.4},
                          "evidence": {"frames": 255, "frames_with_face": 13},
                          "unknown_because": why},
                     {"verdicts": [], "shares": {"camera_low": 1.0},
                      "evidence": {"frames": 255, "frames_with_face": 13},
                      "unknown_because": why.replace("the light", "the framing")}),
        E(20, "session_ended", {"reason": "stopped"}),
    ]
    s = summarise(events, info())
    assert s.lighting == () and s.framing == ()  # no bars on the timeline, no incidents
    assert not [i for i in s.incidents if i.kind in ("lighting", "framing")]
    kinds = {t.kind: t.text for t in takeaways(s, n=5)}
    assert why in kinds["lighting_unknown"]
    assert "lighting" not in kinds and "framing" not in kinds


def test_an_older_log_without_a_clip_report_counts_held_verdicts_once() -> None:
    events = [
        E(0, "session_started", {"mode": "live", "source": "cam"}),
        E(10, "lighting", {"verdicts": ["backlit", "too_dark"]}),
        E(51, "lighting", {"verdicts": ["ok"]}),
        E(100, "session_ended", {"reason": "stopped"}),
    ]
    light = [t for t in takeaways(summarise(events, info())) if t.kind == "lighting"]
    assert len(light) == 1 and "41% of the session" in light[0].text


@pytest.mark.realdata
def test_the_summary_and_the_json_give_the_same_light_and_framing(shared_data, tmp_path) -> None:
    """One computation: the JSON's clip report is the scene event the summary reads."""
    from pathlib import Path

    from overlay.session.analysis_json import analysis_json
    from overlay.session.offline import analyze_recording
    from overlay.settings import load_settings

    settings = load_settings(user_file=Path("/nonexistent"), environ={})
    elog = EventLog(tmp_path / "log.sqlite")
    try:
        result = analyze_recording(shared_data / "video" / "lia__driving3.mov", settings,
                                   event_log=elog)
        doc = analysis_json(result)
        (info,) = elog.sessions()
        s = summarise(elog.events(info.id), info)
    finally:
        elog.close()
    assert s.light is not None and s.framing_verdict is not None
    assert list(s.light.verdicts) == doc["lighting"]["verdicts"] == ["face_overexposed"]
    assert s.light.shares == doc["lighting"]["shares"]
    assert list(s.framing_verdict.verdicts) == doc["framing"]["verdicts"]
    share = round(100 * doc["lighting"]["shares"]["face_overexposed"])
    light = [t for t in takeaways(s, n=5) if t.kind == "lighting"]
    assert light and f"face overexposed in {share}% of the frames" in light[0].text
