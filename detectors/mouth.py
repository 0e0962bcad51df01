"""Is the user's mouth moving? Confirms that the voice the microphone hears is the user's.

A voice in the room, or the interviewer through the laptop speakers, sounds like speech to the VAD;
only the camera can tell it is not the user. Talking opens and closes the jaw and lips several
times a second, so we watch how much mouth openness varies over a short window (`window_s`, 0.6 s):
the lip gap (landmarks 13/14) relative to face height, plus the jawOpen, mouthClose, mouthFunnel
and mouthPucker blendshapes. A still mouth (listening, smiling, a held pose) barely varies.

Calibration (FaceFinder on ../shared/data/video, 0.6 s windows): while speaking, the standard
deviation of `openness` was 0.03-0.35 (lia__obama.mov, 46 s; lipnet_grid__bbaf2n.mpg); a closed,
still mouth 0.003; pauses between sentences 0.01-0.02. Hence 0.5 at `still_std` = 0.02.

`moving(t)` is a probability-like score in [0, 1] (a logistic of that variation), or None when no
face was seen in the window: then the caller lets audio alone decide.

Sparse frames: while the face is steady the analysis rate drops to about one frame a second
(detectors/analysis_rate.py), too few for a 0.6 s window. Then the last `min_frames` faces within
`sparse_window_s` stand in: a talking mouth's openness differs from one moment to any other as
much as within 0.6 s, and a still one's does not, so the same threshold holds (it only reacts
later). The pipeline asks for faster frames at a voice onset (`SpeakingAnalyzer.mouth_wanted`).
"""

from __future__ import annotations

import logging
import math
from collections import deque

from detectors.face import CHIN, FOREHEAD, LOWER_LIP, UPPER_LIP, Face

log = logging.getLogger(__name__)

BLENDS = ("jawOpen", "mouthClose", "mouthFunnel", "mouthPucker")


def openness(face: Face) -> float:
    """One number for how open the mouth is: lip gap over face height plus jaw/lip blendshapes."""
    lm = face.landmarks
    face_h = math.dist(lm[FOREHEAD, :2].tolist(), lm[CHIN, :2].tolist()) or 1.0
    gap = math.dist(lm[UPPER_LIP, :2].tolist(), lm[LOWER_LIP, :2].tolist()) / face_h
    # The lip gap is ~0-0.15 of face height; blendshapes are 0-1. Scale the gap to match.
    shapes = face.blend("jawOpen") - face.blend("mouthClose") \
        + 0.5 * (face.blend("mouthFunnel") + face.blend("mouthPucker"))
    return 5.0 * gap + shapes


class MouthMotion:
    """Feed one `Face | None` per video frame; ask `moving(t)` from the audio side."""

    def __init__(self, *, window_s: float = 0.6, still_std: float = 0.02,
                 scale: float = 0.006, min_frames: int = 4,
                 sparse_window_s: float = 4.0) -> None:
        self.window_s = window_s
        self.sparse_window_s = max(sparse_window_s, window_s)
        self.still_std = still_std  # variation at which the score is 0.5
        self.scale = scale
        self.min_frames = min_frames
        self._seen: deque[tuple[float, float | None]] = deque()

    def note(self, face: Face | None, t: float) -> None:
        self._seen.append((t, openness(face) if face is not None else None))
        while self._seen and self._seen[0][0] < t - self.sparse_window_s - self.window_s:
            self._seen.popleft()

    def moving(self, t: float) -> float | None:
        values: list[float] = []
        newest = True
        for ts, v in reversed(self._seen):
            if ts > t:
                continue
            if newest and v is None and t - ts > self.window_s:
                return None  # the face is gone: older faces say nothing about now
            newest = False
            if t - ts > self.sparse_window_s or (
                    t - ts > self.window_s and len(values) >= self.min_frames):
                break
            if v is not None:
                values.append(v)
        if len(values) < self.min_frames:
            return None
        # A handful of values, 15 times a second from two threads: plain Python beats np.std.
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        z = (std - self.still_std) / self.scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
