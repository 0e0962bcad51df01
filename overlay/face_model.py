"""Opening the face-landmark model for the app: without MediaPipe's C++ chatter on the terminal,
and without a Ctrl+C cutting MediaPipe's native import in half (`interrupts_held`).

MediaPipe logs half a dozen lines to stderr from C++ (glog/absl) while the model loads and on the
first inference; GLOG_minloglevel does not reach them. A user of `oncue analyze` should see one
line per problem, so stderr's file descriptor is pointed at /dev/null for exactly that moment
(other threads' stderr is silenced for the same ~0.1 s; nothing of ours runs then). With
`oncue -v` the lines are kept.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from detectors.face import FaceFinder
from overlay.interrupts_held import interrupts_held
from overlay.paths import face_model_path

log = logging.getLogger(__name__)


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    if log.isEnabledFor(logging.DEBUG) or logging.getLogger().isEnabledFor(logging.INFO):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def open_face_finder(video: bool = True) -> FaceFinder:
    """The face finder, loaded and warmed up (the first inference also logs). A Ctrl+C during
    the load stops the command once the load is over (interrupts_held)."""
    with interrupts_held(), quiet_native_stderr():
        finder = FaceFinder(face_model_path(), video=video)
        finder.find(np.zeros((64, 64, 3), np.uint8), -1.0)
    return finder
