"""A tap on the interview pipeline: sees each analysed frame and audio block as it goes in.

The pre-flight check needs the raw audio (microphone levels) and the newest analysed picture
(the preview); practice recordings need both. Rather than a second path from the devices, the tap
wraps the live session's own `InterviewPipeline.on_video`/`on_audio`, so it sees exactly what the
detectors see, on the worker threads that already carry it (never in a device callback).
Listeners must be quick: they run on the vision or audio worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from overlay.capture.base import AudioBlock, VideoFrame

log = logging.getLogger(__name__)


class PipelineTap:
    def __init__(self, pipeline: Any, *, on_video: Callable[[VideoFrame], None] | None = None,
                 on_audio: Callable[[AudioBlock], None] | None = None) -> None:
        self.pipeline = pipeline
        self._video = pipeline.on_video
        self._audio = pipeline.on_audio
        self._on_video = on_video
        self._on_audio = on_audio
        # Instance attributes shadow the methods: the session's workers call these.
        pipeline.on_video = self._tapped_video
        pipeline.on_audio = self._tapped_audio

    def _tapped_video(self, frame: VideoFrame) -> Any:
        result = self._video(frame)
        if self._on_video is not None:
            try:
                self._on_video(frame)
            except Exception:  # a listener's bug must not stop the analysis
                log.exception("video listener failed")
        return result

    def _tapped_audio(self, block: AudioBlock) -> None:
        self._audio(block)
        if self._on_audio is not None:
            try:
                self._on_audio(block)
            except Exception:
                log.exception("audio listener failed")

    def remove(self) -> None:
        for name in ("on_video", "on_audio"):
            self.pipeline.__dict__.pop(name, None)
