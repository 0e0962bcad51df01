"""Whether a session showed enough of the face to judge its light, framing and camera height.

A verdict about the room is only as good as the frames it rests on: five frames with a face out of
a hundred say nothing about the light of the session, and telling the user to raise the camera
from them is a wrong cue, which is worse than none. So every clip-level light or framing verdict
(`LightingSummary`, `FramingSummary`) goes through `SceneEvidence.judgeable`: at least
`MIN_FACE_LOOKS` analysed frames with a face AND a face in at least `MIN_FACE_SHARE` of the
frames analysed. Below either, the verdict is `unknown` and `why_unknown` says why, in the words
the check and the report show ("a face was found in 5% of 255 frames: not enough to judge the
light").

Why these numbers: light and framing are looked at 5 times a second (`scene.rate_hz`), so 10
frames are 2 s of face, the time the steady verdicts need to settle (`STEADY_S`); and a face in
under a quarter of the frames means the user was mostly out of view, turned away or hidden by the
dark, when what the frames with a face show is not the session.

One computation: the pipeline's clip report (`overlay/session/scene_step.py`) is built from these
summaries and logged as a `scene` event; the JSON, the pre-flight check, the summary's take-aways
and the report's timeline all read that report, so they can never disagree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

MIN_FACE_LOOKS = 10
MIN_FACE_SHARE = 0.25

TOPICS = {"light": "the light", "framing": "the framing and camera height"}


@dataclass(frozen=True)
class SceneEvidence:
    looks: int  # frames analysed for light and framing
    faces: int  # of which a face was found

    @property
    def face_share(self) -> float | None:
        return self.faces / self.looks if self.looks else None

    @property
    def judgeable(self) -> bool:
        # A recording shorter than MIN_FACE_LOOKS frames (a photo) is judged on all it has.
        share = self.face_share
        return (self.faces >= min(MIN_FACE_LOOKS, self.looks) and share is not None
                and share >= MIN_FACE_SHARE)

    def why_unknown(self, topic: str) -> str | None:
        """Why `topic` ("light" or "framing") cannot be judged, or None when it can."""
        if self.judgeable:
            return None
        what = TOPICS.get(topic, topic)
        if self.looks == 0:
            return f"no camera frames were analysed: {what} is unknown"
        if self.faces == 0:
            return f"no face was found in {self.looks} frames: {what} is unknown"
        share = self.face_share or 0.0
        return (f"a face was found in {percent(share)} of {self.looks} frames: not enough to "
                f"judge {what}")

    def to_json(self) -> dict[str, object]:
        share = self.face_share
        return {"frames": self.looks, "frames_with_face": self.faces,
                "face_share": None if share is None else round(share, 3),
                "enough": self.judgeable}


def percent(share: float) -> str:
    """A share in whole percent, never rounded to 0% or 100% when it is not."""
    p = round(100 * share)
    if p == 0 and share > 0:
        return "under 1%"
    if p == 100 and share < 1:
        return "99%"
    return f"{p}%"
