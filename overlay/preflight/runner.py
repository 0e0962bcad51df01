"""The pre-flight check: about 20 s of the live pipeline on the camera and microphone, then a list.

`PreflightCheck` runs a `LiveSession` in mode "check" (devices, or a recording with `replay`),
taps the pipeline for the preview and the microphone levels, and when the time is up (or the
recording ends) turns the pipeline's clip results, the microphone reading and the machine's state
into `CheckItem`s. Each item is logged as a `check` event in that session, so the history and the
summary can show the last check (`last_check`).

A replay checked without a window (`realtime=False`) runs through `ReplayCheckSession`
(overlay/preflight/replay_check.py): the same pipeline on every frame, synchronously, so the
result does not depend on the machine's load. Its microphone items read the recording's sound
track directly (the file *is* the microphone), fed to the same `MicCheck` in the same 20 ms
blocks. Camera and light always come from the session.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detectors.mic_check import MicCheck, dbfs
from overlay.capture.base import AudioBlock, VideoFrame
from overlay.preflight.items import CheckItem, camera_items, light_items, microphone_items
from overlay.preflight.machine import MachineProbe, machine_items
from overlay.session.eventlog import EventLog
from overlay.session.events import SessionInfo
from overlay.session.tap import PipelineTap
from overlay.settings import Settings

log = logging.getLogger(__name__)

CHECK_S = 20.0
SAMPLE_SENTENCE = ("I am applying to your program because I want to train where patients "
                   "come first, and I would be proud to learn here.")


@dataclass(frozen=True)
class CheckProgress:
    """What the check window draws; published for the GUI thread to poll."""

    t: float  # seconds into the check
    check_s: float
    done: bool
    preview: np.ndarray | None = field(default=None, repr=False)  # newest analysed frame, RGB
    face_box: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 in pixels
    level_dbfs: float | None = None  # newest audio block
    items: tuple[CheckItem, ...] = ()  # filled once done


class PreflightCheck:
    def __init__(self, settings: Settings, event_log: EventLog | None, *,
                 replay: Path | None = None, realtime: bool = True, check_s: float = CHECK_S,
                 session: Any = None) -> None:
        self.settings = settings
        self.event_log = event_log
        self.replay = replay
        self.realtime = realtime
        self.check_s = check_s
        if session is None and replay is not None and not realtime:
            # Nobody watches: every frame, in order, so the same file gives the same items.
            from overlay.preflight.replay_check import ReplayCheckSession

            session = ReplayCheckSession(settings, event_log, replay, check_s)
        if session is None:
            from overlay.session.live import LiveSession

            session = LiveSession(settings, event_log, replay=replay, realtime=realtime,
                                  mode="check", watch_screen=False)
        self.session = session
        self.mic = MicCheck()
        self._mic_from_file = replay is not None and not realtime
        self._lock = threading.Lock()
        self._preview: VideoFrame | None = None
        self._level: float | None = None
        self._video_t = 0.0
        self._audio_t = 0.0
        self._items: tuple[CheckItem, ...] = ()
        self._done = False
        self._started_at: float | None = None
        from overlay.paths import data_dir

        self.machine = MachineProbe(data_dir())
        self.tap = PipelineTap(session.pipeline, on_video=self._on_video,
                               on_audio=self._on_audio)

    # -- on the session's workers ------------------------------------------------------------
    def _on_video(self, frame: VideoFrame) -> None:
        with self._lock:
            self._preview = frame
            self._video_t = max(self._video_t, frame.t)

    def _on_audio(self, block: AudioBlock) -> None:
        if block.t0 >= self.check_s:
            return
        samples = np.asarray(block.samples, dtype=np.float32)
        if not self._mic_from_file:
            self.mic.feed(samples)
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
        with self._lock:
            self._level = dbfs(rms)
            self._audio_t = max(self._audio_t, block.t1)

    # -- the owner's side ----------------------------------------------------------------------
    def start(self) -> None:
        self.machine.start()
        self._started_at = time.monotonic()
        self.session.start()

    def elapsed(self) -> float:
        """Seconds into the check: the session clock, or a fast replay's position in the file."""
        if self._started_at is None:  # the session clock starts with the session
            return 0.0
        if not self.realtime:
            with self._lock:
                return min(self._video_t, self._audio_t) if self._has_both() else max(
                    self._video_t, self._audio_t)
        return float(self.session.clock.now())

    def _has_both(self) -> bool:
        names = {getattr(s, "name", "") for s in self.session.sources}
        return any("camera" in n for n in names) and any("microphone" in n for n in names)

    def due(self) -> bool:
        return self.elapsed() >= self.check_s or bool(self.session.finished())

    def progress(self) -> CheckProgress:
        with self._lock:
            frame, level, items, done = self._preview, self._level, self._items, self._done
        box = None
        face = getattr(self.session.pipeline, "last_face", None)
        if face is not None and frame is not None:
            box = tuple(float(v) for v in face.box())
        return CheckProgress(t=min(self.elapsed(), self.check_s), check_s=self.check_s,
                             done=done, preview=None if frame is None else frame.rgb,
                             face_box=box, level_dbfs=level, items=items)  # type: ignore[arg-type]

    def wait(self, timeout: float | None = None, poll: float = 0.05) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.due() and (deadline is None or time.monotonic() < deadline):
            time.sleep(poll)

    def finish(self) -> list[CheckItem]:
        """Stop the session and decide every item; logs them and returns them in list order."""
        if self._done:
            return list(self._items)
        reason = "end_of_recording" if self.session.finished() else "stopped"
        self.session.stop(reason)
        self.tap.remove()
        if self._mic_from_file and self.replay is not None:
            self._feed_file_audio(self.replay)
        pipeline = self.session.pipeline
        stats = pipeline.stats()
        report = pipeline.report()
        items = (camera_items(report, stats.frames, stats.faces) + light_items(report)
                 + microphone_items(self.mic.result())
                 + machine_items(self.machine.state(measure_cpu=self.realtime)))
        t_end = float(self.session.clock.now()) if self.realtime else self.elapsed()
        for item in items:
            self.session.recorder.event(t_end, "check", **item.to_json())
        with self._lock:
            self._items = tuple(items)
            self._done = True
        log.info("check done: %d items, %d to fix", len(items),
                 sum(i.status == "fail" for i in items))
        return items

    def _feed_file_audio(self, path: Path) -> None:
        from overlay.capture.replay import Recording

        recording = Recording(path)
        samples = recording.audio()[: int(self.check_s * 16_000)]
        for start in range(0, len(samples), 320):  # 20 ms blocks, as the microphone delivers
            self.mic.feed(samples[start:start + 320])

    def run(self, timeout: float | None = None) -> list[CheckItem]:
        """Headless: start, wait for the check to end, decide."""
        self.start()
        try:
            self.wait(timeout)
        finally:
            items = self.finish()
        return items

    @property
    def session_id(self) -> str | None:
        return self.session.recorder.session_id


def last_check(event_log: EventLog) -> tuple[SessionInfo, list[CheckItem]] | None:
    """The newest check session and its items, for the summary and the history."""
    for info in event_log.sessions():
        if info.mode != "check":
            continue
        items = [CheckItem(**{k: str(e.data.get(k, "")) for k in
                              ("id", "group", "status", "detail", "fix")})
                 for e in event_log.events(info.id) if e.kind == "check"]
        if items:
            return info, items
    return None
