"""A live session: capture sources, worker threads, the pipeline, the coach, the event log.

Threads and who owns them (every one is started in `start` and joined in `stop`):
- each source runs its own reader (camera, replay, screen) or callback (microphone, pynput);
- `vision` takes the latest frame and runs the face/gaze/light step (frames that arrive while it
  is busy are dropped by the slot, so latency stays bounded however slow the machine is);
- `audio` drains the audio ring and runs the speech step;
- `screen` takes the latest screenshot and reads the meeting's mute state.
The UI never calls into a worker: it polls `snapshot()` on a GUI timer, which returns an immutable
object the workers published, and forwards user commands through `command()`. Which sources are
opened, and what stands in for a camera the meeting app holds, is overlay/session/sources.py.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np

from detectors.coach import Coach
from overlay.capture.a11y.watcher import MeetingA11yWatcher
from overlay.capture.base import (
    AudioBlock,
    AudioRing,
    LatestFrame,
    ScreenShot,
    VideoFrame,
)
from overlay.capture.camera_feed import CameraFeed
from overlay.clock import SessionClock
from overlay.face_model import open_face_finder
from overlay.session.calibration import stored_gaze_calibration
from overlay.session.eventlog import EventLog
from overlay.session.gaze_step import camera_name
from overlay.session.nudge_slot import SharedCoach
from overlay.session.pipeline import InterviewPipeline
from overlay.session.recorder import SessionRecorder
from overlay.session.self_view_pick import SelfViewPick
from overlay.session.session_end import close_session
from overlay.session.snapshot import SESSION_COMMANDS, SessionSnapshot  # noqa: F401 - re-exported
from overlay.session.sources import SourceOpener, stored_mute_button
from overlay.session.speech_step import AUDIO_BATCH_S
from overlay.settings import Settings

log = logging.getLogger(__name__)


def _joined(blocks: list[AudioBlock]) -> list[AudioBlock]:
    """Consecutive blocks merged into one; a gap (dropped audio) starts a new block."""
    out: list[AudioBlock] = []
    for block in blocks:
        if out and abs(block.t0 - out[-1].t1) < 1e-3:
            last = out[-1]
            out[-1] = AudioBlock(last.t0, np.concatenate([last.samples, block.samples]))
        else:
            out.append(block)
    return out


class LiveSession:
    def __init__(self, settings: Settings, event_log: EventLog | None, *,
                 replay: Path | None = None, realtime: bool = True, mode: str = "live",
                 clock: SessionClock | None = None, watch_screen: bool | None = None,
                 loop_replay: bool = False, fail_camera_at: float | None = None,
                 fail_microphone_at: float | None = None,
                 back_after: float | None = None) -> None:
        self.settings = settings
        self.clock = clock or SessionClock()
        self.mode = mode
        self.frames: LatestFrame[VideoFrame] = LatestFrame()
        self.audio = AudioRing(max_seconds=5.0)
        self.shots: LatestFrame[ScreenShot] = LatestFrame()
        nudges = settings.section("nudges")
        self.coach = SharedCoach(Coach(nudges["min_display_s"], nudges["display_s"],
                                       nudges["snooze_s"]))
        self.event_log = event_log
        self.recorder = SessionRecorder(event_log=event_log, coach=self.coach,
                                        keep_events=event_log is None)
        self.devices: dict[str, str] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._latencies: deque[float] = deque(maxlen=60)
        self._analysed: deque[float] = deque(maxlen=60)
        self._snapshot: SessionSnapshot | None = None
        self.sources: list = []  # type: ignore[type-arg]
        self.mute_button = stored_mute_button()
        self._keystrokes = 0
        self._keys_lock = threading.Lock()
        source_name = str(replay) if replay else "camera+microphone"
        opener = SourceOpener(settings, self.clock, self.frames, self.audio, self.shots,
                              self._status)
        opened = opener.devices() if replay is None else opener.recording(
            replay, realtime=realtime, loop=loop_replay, fail_camera_at=fail_camera_at,
            fail_microphone_at=fail_microphone_at, back_after=back_after)
        self.sources.extend(opened.sources)
        self.devices.update(opened.lost)
        if watch_screen is None:
            watch_screen = settings["screen.watch_meeting"] and replay is None
        # The meeting app's own mute control (accessibility tree), asked before the pixels.
        self.meeting_a11y = MeetingA11yWatcher(self.clock.now) if watch_screen else None
        if watch_screen:
            self.sources.append(opener.screen(self.mute_button))
            self.sources.append(self.meeting_a11y)
        self.finder = open_face_finder(video=True) if opened.has_video else None
        # The user's own camera calibration; a replay shows someone else's camera.
        calibration = stored_gaze_calibration(settings) if replay is None else None
        self.pipeline = InterviewPipeline(settings, self.recorder, self.finder,
                                          mute_button=self.mute_button,
                                          gaze_calibration=calibration)
        self.pipeline.meeting.a11y = self.meeting_a11y
        if event_log is not None:
            self.recorder.session_id = event_log.start_session(mode, source_name)
        self.recorder.event(0.0, "session_started", mode=mode, source=source_name)
        if replay is None:
            self.pipeline.gaze.use_camera(camera_name(settings))  # eye-contact correction?
        feeds = [s for s in self.sources if isinstance(s, CameraFeed)]
        self.camera_feed = feeds[0] if feeds else None
        self.self_view_pick = SelfViewPick(
            self.camera_feed.use_self_view if self.camera_feed else lambda region: None,
            lambda state, detail: self.recorder.event(self.clock.now(), "device", source="camera",
                                                      state=state, detail=detail))

    # -- sources ---------------------------------------------------------------------------
    def _status(self, source: str):  # type: ignore[no-untyped-def]
        def report(state: str, detail: str) -> None:
            # "self_view": the camera is away and its stand-in delivers (the status line still
            # says the camera is lost: it is, and the user should know why frames look odd).
            self.devices[source] = ("ok" if state == "back" else
                                    f"self-view: {detail}" if state == "self_view" else
                                    f"lost: {detail}")
            self.recorder.event(self.clock.now(), "device", source=source, state=state,
                                detail=detail)
        return report

    # -- workers ---------------------------------------------------------------------------
    def start(self) -> None:
        # Zero the clock here, not at construction: opening the model and the devices takes
        # seconds, and a replay paced from an earlier zero would start seconds behind.
        self.clock.reset()
        for source in self.sources:
            self.devices.setdefault(source.name.replace("replay-", ""), "ok")
            source.start()
        for name, target in (("vision", self._vision), ("audio", self._audio),
                             ("screen-reader", self._screen)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._publish()

    def _vision(self) -> None:
        while not self._stop.is_set():
            frame = self.frames.take(timeout=0.2)
            if frame is None:
                if self.frames.closed:
                    return
                continue
            if self.finder is None:
                # The first frame of a session that started without video (a camera plugged in
                # later, a self-view picked mid-session): the face model opens now, once.
                self.finder = open_face_finder(video=True)
                self.pipeline.face_finder = self.finder
            self.pipeline.on_video(frame)
            if not self.pipeline.analysed_last:
                continue  # passed over by the analysis rate: neither analysed nor dropped
            now = self.clock.now()
            self._latencies.append(now - frame.t)
            self._analysed.append(now)

    def _audio(self) -> None:
        # The microphone delivers 20 ms blocks; they are analysed in batches of AUDIO_BATCH_S
        # (see overlay/session/speech_step.py for why, and why the timer cues are not late).
        while not self._stop.is_set():
            blocks = self.audio.drain(timeout=0.2)
            for block in _joined(blocks):
                self.pipeline.on_audio(block)
            if not blocks and self.audio.closed:
                return
            self._stop.wait(AUDIO_BATCH_S)

    def _screen(self) -> None:
        # Also forwards keystroke counts: a slow loop is all the typing cue needs.
        while not self._stop.is_set():
            shot = None if self.shots.closed else self.shots.take(timeout=0.5)
            if shot is not None:
                self.pipeline.on_screen(shot)
            elif self.shots.closed:
                self._stop.wait(0.5)  # no screen (lost or not watched): keystrokes only
            with self._keys_lock:
                keys, self._keystrokes = self._keystrokes, 0
            if keys:
                self.pipeline.on_keystrokes(keys, self.clock.now())

    def note_keystrokes(self, count: int) -> None:
        """Key presses counted by the hotkey listener (a count, never the keys)."""
        with self._keys_lock:
            self._keystrokes += count

    # -- the UI's side -----------------------------------------------------------------------
    def _publish(self) -> None:
        t = self.clock.now()
        fps = 0.0
        if len(self._analysed) >= 2 and self._analysed[-1] > self._analysed[0]:
            fps = (len(self._analysed) - 1) / (self._analysed[-1] - self._analysed[0])
        live = self.pipeline.live_state(t)
        self._snapshot = SessionSnapshot(
            t=t, running=not self._stop.is_set(), nudge=self.coach.current(
                t, speaking=self.pipeline.speaking, gaze=live.gaze),
            snoozed=self.coach.snoozed(t), speaking=self.pipeline.speaking,
            answer_elapsed_s=live.answer_elapsed_s, gaze=live.gaze,
            devices=dict(self.devices), analysed_fps=fps,
            latency_ms=1000.0 * (self._latencies[-1] if self._latencies else 0.0),
            dropped_frames=self.frames.dropped, offers=self._offers(),
            prompt=self.self_view_pick.prompt)

    def _offers(self) -> tuple[str, ...]:
        feed = self.camera_feed
        if self.self_view_pick.running:
            return ("cancel_pick",)
        return (feed.offer,) if feed is not None and feed.offer is not None else ()

    def snapshot(self) -> SessionSnapshot:
        """The latest published state; refreshed here too, so the coach's timing stays exact."""
        self._publish()
        assert self._snapshot is not None
        return self._snapshot

    def command(self, name: str, note: str = "") -> None:
        t = self.clock.now()
        if name == "snooze":
            self.coach.snooze(t)
        elif name == "unsnooze":
            self.coach.unsnooze()
        elif name == "mark":
            self.recorder.event(t, "mark", note=note)
        elif name == "pick_self_view":
            self.self_view_pick.start()
        elif name == "cancel_pick":
            self.self_view_pick.cancel()
        else:
            raise ValueError(f"unknown session command {name!r}")

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def finished(self) -> bool:
        """True once every replay source has played to its end."""
        return all(getattr(s, "finished", threading.Event()).is_set() for s in self.sources
                   if hasattr(s, "finished")) and any(hasattr(s, "finished") for s in self.sources)

    def stop(self, reason: str = "stopped") -> None:
        if self._stop.is_set():
            return
        self.self_view_pick.stop()
        for source in self.sources:
            source.stop()
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        t_end = self.clock.now()
        close_session(t_end, reason, pipeline=self.pipeline, finder=self.finder,
                      recorder=self.recorder, event_log=self.event_log)
        log.info("session stopped after %.1f s (%s)", t_end, reason)

    def wait(self, timeout: float) -> None:
        """Block until replays end or `timeout` passes (headless runs and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.finished():
            time.sleep(0.05)
