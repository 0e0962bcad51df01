"""PyInstaller runtime hook: give a windowed (no console) OnCue somewhere to write.

A windowed executable (Windows `OnCue.exe`, the macOS app) starts with `sys.stdout` and
`sys.stderr` set to None (PyInstaller's documented behaviour for `console=False`), and OnCue's
one-line notices, logging and MediaPipe's stderr juggling would fail on None. They go to a log
file in the platform's log directory instead, overwritten at each start, so a user who reports a
problem has the last run's lines. It holds messages only, never audio or video.
"""

import os
import sys

if sys.stdout is None or sys.stderr is None:
    try:
        import platformdirs

        log_dir = platformdirs.user_log_dir("oncue", appauthor=False)
        os.makedirs(log_dir, exist_ok=True)
        _sink = open(os.path.join(log_dir, "oncue.log"), "w", encoding="utf-8", buffering=1)
    except OSError:
        _sink = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        sys.stdout = _sink
    if sys.stderr is None:
        sys.stderr = _sink
