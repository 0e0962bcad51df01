"""The table the speech evaluations print, and their bar: shared by scripts/eval_speech.py (voice
activity, noise, WebRTC) and scripts/eval_speaking.py (pace, fillers).

Every row goes through `check`, which prints it and remembers a row below its bar in `FAILS`;
eval_speech.py exits 1 when any row failed. Frames are 10 ms (`RES`); audio is fed in 20 ms
chunks (`CHUNK`), as the microphone ring delivers it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

log = logging.getLogger(__name__)

RES = 0.01
CHUNK = 320  # 20 ms
FAILS: list[str] = []


def mask(segs: Iterable[tuple[float, float]], dur: float) -> np.ndarray:
    m = np.zeros(int(round(dur / RES)), dtype=bool)
    for a, b in segs:
        m[max(0, int(round(a / RES))):max(0, int(round(b / RES)))] = True
    return m


def f1(ref: np.ndarray, hyp: np.ndarray) -> float:
    tp = float((ref & hyp).sum())
    return 2 * tp / max(1.0, float(ref.sum() + hyp.sum()))


def check(name: str, value: float, ok: bool, bar: str) -> None:
    print(f"{name:<44} {value:>8.3f}  {bar:<12} {'ok' if ok else 'BELOW BAR'}")
    if not ok:
        FAILS.append(name)
