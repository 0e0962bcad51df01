"""A clip's or a session's light, from the per-frame readings of `detectors/lighting.py`.

A condition counts for the clip when it holds in at least `min_share` of the frames that could
judge it, and only with enough frames with a face (`detectors/scene_evidence.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from detectors.lighting import LIGHTING_VERDICTS, LightingReading
from detectors.scene_evidence import SceneEvidence


@dataclass(frozen=True)
class ClipLighting:
    """Lighting of a whole clip or session: the verdicts and how often each held."""

    verdicts: tuple[str, ...]  # ("ok",) when nothing held long enough; () when unknown
    shares: dict[str, float]  # verdict -> share of judged frames where it held
    frames: int  # frames seen
    judged: int  # frames with a face, or dark enough to call too dark without one
    dark_no_face: int  # frames with no face in a dark frame
    evidence: SceneEvidence = SceneEvidence(0, 0)
    why_unknown: str | None = None  # why verdicts is (), in the user's words


class LightingSummary:
    """Folds per-frame readings into clip verdicts.

    A condition belongs to the clip when it holds in at least `min_share` of the *judged* frames
    (a face was measured, or no face was found in a dark frame). 30 % by default: lighting is a
    property of the room, so a real problem holds for most of the clip, while a head turn or a
    hand in front of the face lasts seconds. Frames with no face in a lit frame judge nothing.

    No verdict without evidence (`detectors/scene_evidence.py`): too few frames with a face and
    the clip's light is unknown, with the reason. One exception: frames too dark to show a face,
    or a dark silhouette against a bright window, are evidence of the light themselves, so a
    clip that is mostly that is `too_dark` or `backlit`.
    """

    def __init__(self, min_share: float = 0.3) -> None:
        self.min_share = min_share
        self._counts: dict[str, int] = {}
        self._frames = 0
        self._faces = 0
        self._judged = 0
        self._dark_no_face = 0
        self._no_face_light = 0  # frames that show the light without a face (dark, silhouette)

    def add(self, reading: LightingReading) -> None:
        self._frames += 1
        self._faces += reading.face_found
        if not reading.judged:
            return
        self._judged += 1
        self._dark_no_face += reading.dark_no_face
        self._no_face_light += not reading.face_found
        for verdict in reading.verdicts:
            self._counts[verdict] = self._counts.get(verdict, 0) + 1

    @property
    def evidence(self) -> SceneEvidence:
        return SceneEvidence(self._frames, self._faces)

    def result(self) -> ClipLighting:
        evidence = self.evidence
        shares = {k: v / self._judged for k, v in self._counts.items()} if self._judged else {}
        # Frames too dark to show a face, or a silhouette, show the light all the same.
        shown = SceneEvidence(self._frames, self._faces + self._no_face_light)
        held = tuple(v for v in LIGHTING_VERDICTS[1:] if shares.get(v, 0.0) >= self.min_share)
        why: str | None = None
        if evidence.judgeable:
            verdicts = held or ("ok",)
        elif shown.judgeable and self._no_face_light >= 0.5 * self._frames and held:
            verdicts = held
        else:
            verdicts, why = (), evidence.why_unknown("light")
        return ClipLighting(verdicts=verdicts, shares=shares, frames=self._frames,
                            judged=self._judged, dark_no_face=self._dark_no_face,
                            evidence=evidence, why_unknown=why)
