"""The JSON that `oncue analyze` writes; its shape is documented in docs/analyze-json.md.

Built only from what the pipeline recorded (events, frame records) and its end-of-clip report,
so the JSON, the event log and the summary always agree.
"""

from __future__ import annotations

import logging
from typing import Any

from overlay.session.offline import AnalysisResult

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(float(x), nd)


def analysis_json(result: AnalysisResult) -> dict[str, Any]:
    rec = result.recorder
    stats = result.pipeline.stats()
    clip = result.pipeline.report()
    out: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "source": {
            "paths": [str(result.path)],
            "kind": result.kind,
            "duration_s": _r(result.duration_s),
            "fps": _r(result.fps),
            "frames_analysed": stats.frames,
            "audio_s": _r(stats.audio_s),
        },
        "session_id": result.session_id,
        "frames": [f.to_json() for f in rec.frames],
        "speech": [{"start": _r(e.data["start"]), "end": _r(e.data["end"])}
                   for e in rec.events_of("speech")],
        "answers": [{k: (_r(v) if isinstance(v, float) else v) for k, v in e.data.items()}
                    for e in rec.events_of("answer")],
        "fillers": [{"t": _r(e.t), "duration_s": _r(e.data["duration_s"])}
                    for e in rec.events_of("filler")],
        "nudges": [{"t": _r(n.t), "kind": n.kind, "text": n.text} for n in rec.nudges],
        "marks": [{"t": _r(e.t), **e.data} for e in rec.events_of("mark")],
    }
    out.update(clip)
    return out
