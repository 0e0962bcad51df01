"""The clip's light and framing verdicts as one JSON-ready report, and the way back from it.

`scene_report` is the single computation behind every figure about the room: the pipeline's
clip report (`oncue analyze` JSON, the pre-flight check) and the `scene` event the session logs
(the summary's take-aways and the report's timeline) are this dict, so "backlit in 41% of the
frames" reads the same everywhere. `SceneVerdict.from_report` reads one topic back for the check
and the summary, whatever version of OnCue wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detectors.clip_lighting import ClipLighting
from detectors.framing import ClipFraming

log = logging.getLogger(__name__)


def _shares(shares: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in sorted(shares.items())}


def scene_report(light: ClipLighting, framing: ClipFraming) -> dict[str, Any]:
    return {
        "lighting": {
            "verdicts": list(light.verdicts),
            "shares": _shares(light.shares),
            "frames_judged": light.judged,
            "dark_no_face_frames": light.dark_no_face,
            "too_dark_to_see_face": light.verdicts == ("too_dark",)
            and light.dark_no_face >= 0.5 * max(light.judged, 1),
            "evidence": light.evidence.to_json(),
            "unknown_because": light.why_unknown,
        },
        "framing": {
            "verdicts": list(framing.verdicts),
            "fixes": list(framing.fixes),
            "shares": _shares(framing.shares),
            "camera_pitch_deg": None if framing.camera_pitch_deg is None
            else round(framing.camera_pitch_deg, 1),
            "face_height": None if framing.face_height is None
            else round(framing.face_height, 3),
            "evidence": framing.evidence.to_json(),
            "unknown_because": framing.why_unknown,
        },
    }


@dataclass(frozen=True)
class SceneVerdict:
    """One topic ("lighting" or "framing") of a scene report."""

    verdicts: tuple[str, ...]  # () when unknown
    shares: dict[str, float]
    unknown_because: str | None
    fixes: tuple[str, ...] = ()
    frames: int | None = None  # frames analysed for it (None: not in the report)

    @property
    def known(self) -> bool:
        return bool(self.verdicts)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(v for v in self.verdicts if v != "ok")

    @staticmethod
    def from_report(report: Mapping[str, Any] | None, topic: str) -> SceneVerdict:
        part = (report or {}).get(topic) or {}
        verdicts = tuple(str(v) for v in part.get("verdicts") or ())
        why = part.get("unknown_because")
        if not verdicts and not why:
            why = f"no face was seen: the {'light' if topic == 'lighting' else topic} is unknown"
        frames = (part.get("evidence") or {}).get("frames")
        return SceneVerdict(verdicts=verdicts, frames=None if frames is None else int(frames),
                            shares={str(k): float(v) for k, v in
                                    (part.get("shares") or {}).items()},
                            unknown_because=None if verdicts else str(why),
                            fixes=tuple(str(f) for f in part.get("fixes") or ()))
