"""A tap on the interview pipeline: sees each analysed frame and audio block as it goes in.

The pre-flight check needs the raw audio (microphone levels) and the newest analysed picture
(the preview); practice recordings need both. Rather than a second path from the devices, the tap
registers on the pipeline's listener lists, so it sees exactly what the detectors saw, on the
worker threads that already carry it (never in a device callback). Listeners must be quick:
they run on the vision or audio worker, and an exception in one never stops the analysis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from overlay.capture.base import AudioBlock, VideoFrame
from overlay.session.pipeline import InterviewPipeline

log = logging.getLogger(__name__)


class PipelineTap:
    def __init__(self, pipeline: InterviewPipeline, *,
                 on_video: Callable[[VideoFrame], None] | None = None,
                 on_audio: Callable[[AudioBlock], None] | None = None) -> None:
        self.pipeline = pipeline
        self._on_video = on_video
        self._on_audio = on_audio
        pipeline.frame_listeners.append(self._video)
        pipeline.audio_listeners.append(self._audio)

    def _video(self, frame: VideoFrame, record: Any) -> None:
        if self._on_video is not None:
            try:
                self._on_video(frame)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop the analysis
                log.exception("video listener failed")

    def _audio(self, block: AudioBlock) -> None:
        if self._on_audio is not None:
            try:
                self._on_audio(block)
            except Exception:  # noqa: BLE001
                log.exception("audio listener failed")

    def remove(self) -> None:
        if self._video in self.pipeline.frame_listeners:
            self.pipeline.frame_listeners.remove(self._video)
        if self._audio in self.pipeline.audio_listeners:
            self.pipeline.audio_listeners.remove(self._audio)
