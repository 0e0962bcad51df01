"""The items of the pre-flight check, each with a verdict and, when it fails, the fix to make.

Camera and light items are read from the interview pipeline's own clip results
(`InterviewPipeline.report()`: the same lighting and framing detectors the overlay uses during
the call, through `detectors/scene_report.py`, the computation the JSON and the summary use),
never from a second detector, so the check, the nudges and the report can never disagree. Too
few frames with a face and an item is `skip` with the reason (`detectors/scene_evidence.py`). The
microphone items come from `detectors.mic_check`; the machine items from `preflight.machine`.

Fix texts use the words of the usual interview advice (face a window or a lamp, raise the camera
to eye level, use a headset) so the list reads like a friend's checklist, not like a log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from detectors.framing import FIXES as FRAMING_FIXES
from detectors.mic_check import MicReading, MicVerdicts
from detectors.scene_evidence import SceneEvidence, percent
from detectors.scene_report import SceneVerdict

log = logging.getLogger(__name__)

GROUPS = ("camera", "light", "microphone", "machine")
STATUSES = ("pass", "fail", "skip")


@dataclass(frozen=True)
class CheckItem:
    id: str  # "light.dark", "microphone.level", ...
    group: str  # one of GROUPS
    status: str  # pass / fail / skip (skip: could not be judged, never a failure)
    detail: str  # what was measured, in plain words
    fix: str = ""  # what to do about it; empty when there is nothing to do

    def __post_init__(self) -> None:
        if self.group not in GROUPS or self.status not in STATUSES:
            raise ValueError(f"bad check item {self.id}: {self.group}/{self.status}")

    def to_json(self) -> dict[str, str]:
        return asdict(self)


# Lighting verdict (detectors/lighting.py) -> (item id, label, fix).
LIGHT_ITEMS: dict[str, tuple[str, str, str]] = {
    "backlit": ("light.backlight", "no light behind you",
                "face a window or a lamp; don't sit with the light behind you"),
    "too_dark": ("light.dark", "enough light on your face",
                 "face a light source: a window or a lamp in front of you"),
    "face_overexposed": ("light.overexposed", "face not washed out",
                         "soften the light in front of you or move it back"),
    "uneven": ("light.uneven", "even light on both sides",
               "face the window squarely, or add a lamp on the darker side"),
    "overhead": ("light.overhead", "no overhead shadows",
                 "add a lamp in front of you at eye level; don't rely on the ceiling light"),
}
FRAMING_ITEM = ("too_close", "too_far", "no_headroom", "low_in_frame", "off_centre")
HEIGHT_ITEM = ("camera_low", "camera_high")


def _share_text(shares: Mapping[str, float], verdict: str) -> str:
    share = shares.get(verdict)
    return f" in {percent(share)} of the frames with a face" if share is not None else ""


def _evidence(report: Mapping[str, Any], frames: int, faces: int) -> SceneEvidence:
    """The frames the light and framing verdicts rest on (the pipeline's own count), or the
    pipeline's frame counts for a report without one."""
    part = ((report.get("lighting") or {}).get("evidence")) or {}
    if "frames" in part and "frames_with_face" in part:
        return SceneEvidence(int(part["frames"]), int(part["frames_with_face"]))
    return SceneEvidence(frames, faces)


def camera_items(report: Mapping[str, Any], frames: int, faces: int) -> list[CheckItem]:
    """Face found, framing, camera height: from the pipeline's framing result and its evidence.

    A face lost in the dark is a light problem first: the fix then says so. With too few frames
    with a face, framing and camera height are `skip` with the reason, never a guess.
    """
    evidence = _evidence(report, frames, faces)
    if evidence.looks == 0:
        return [CheckItem("camera.face", "camera", "fail", "no picture from the camera",
                          "plug in the camera, or close other apps that are using it")]
    share = evidence.face_share or 0.0
    light = SceneVerdict.from_report(report, "lighting")
    fix = ("face a light source so the camera can see you" if "too_dark" in light.verdicts
           else "sit in front of the camera and check nothing covers it")
    items = [CheckItem("camera.face", "camera", "pass" if share >= 0.5 else "fail",
                       f"face found in {percent(share)} of {evidence.looks} frames",
                       "" if share >= 0.5 else fix)]
    framing = SceneVerdict.from_report(report, "framing")
    fixes = dict(zip(framing.problems, framing.fixes, strict=False))
    for item_id, keys, label in (("camera.framing", FRAMING_ITEM, "chest up, with headroom"),
                                 ("camera.height", HEIGHT_ITEM, "eyes level with the lens")):
        if not framing.known:
            why = f" ({framing.unknown_because})" if item_id == "camera.framing" else ""
            items.append(CheckItem(item_id, "camera", "skip", f"{label}: unknown{why}"))
            continue
        wrong = [v for v in framing.verdicts if v in keys]
        if not wrong:
            items.append(CheckItem(item_id, "camera", "pass", label))
            continue
        what = ", ".join(v.replace("_", " ") + _share_text(framing.shares, v) for v in wrong)
        items.append(CheckItem(item_id, "camera", "fail", f"{label}: {what}",
                               "; ".join(fixes.get(v, FRAMING_FIXES.get(v, "")) for v in wrong)))
    return items


def light_items(report: Mapping[str, Any]) -> list[CheckItem]:
    light = SceneVerdict.from_report(report, "lighting")
    items = []
    for verdict, (item_id, label, fix) in LIGHT_ITEMS.items():
        if not light.known:  # the reason once, on the group's first line
            why = f" ({light.unknown_because})" if not items else ""
            items.append(CheckItem(item_id, "light", "skip", f"{label}: unknown{why}"))
        elif verdict in light.verdicts:
            detail = f"{verdict.replace('_', ' ')}{_share_text(light.shares, verdict)}"
            items.append(CheckItem(item_id, "light", "fail", detail, fix))
        else:
            items.append(CheckItem(item_id, "light", "pass", label))
    return items


def _db(x: float | None) -> str:
    return "?" if x is None else f"{x:.0f} dBFS"


def microphone_items(r: MicReading | None,
                     limits: MicVerdicts | None = None) -> list[CheckItem]:
    """Input alive, speaking level, clipping, noise floor, echo risk."""
    limits = limits or MicVerdicts()
    g = "microphone"
    echo = CheckItem("microphone.echo", g, "skip",
                     "echo risk: unknown (the check cannot tell speakers from a headset)",
                     "use a headset or earphones so the interviewer's voice does not echo")
    if r is None or r.seconds == 0:
        return [CheckItem("microphone.input", g, "fail", "no audio from the microphone",
                          "plug in the microphone or pick it in your system's sound settings"),
                echo]
    if r.dead:
        why = "digital silence" if r.digital_silence else f"nothing above {_db(r.peak_dbfs)}"
        return [CheckItem("microphone.input", g, "fail",
                          f"the input is muted or dead: {why} for {r.seconds:.0f} s",
                          "unmute the microphone (a key or a switch on the headset) or pick "
                          "another input in your system's sound settings"), echo]
    items = [CheckItem("microphone.input", g, "pass", f"input alive (peak {_db(r.peak_dbfs)})")]
    if not r.speech_heard:
        items.append(CheckItem("microphone.level", g, "fail",
                               "no speech heard above the room noise",
                               "read the sample sentence aloud; if you did, move the microphone "
                               "closer or raise its input volume"))
    elif limits.too_quiet(r):
        items.append(CheckItem("microphone.level", g, "fail",
                               f"your voice is quiet ({_db(r.speech_dbfs)})",
                               "move the microphone closer or raise its input volume"))
    else:
        items.append(CheckItem("microphone.level", g, "pass",
                               f"speaking level {_db(r.speech_dbfs)}"))
    if limits.clipping(r):
        items.append(CheckItem("microphone.clipping", g, "fail",
                               f"clipping: {100 * r.clipped_share:.1f}% of the speech at full "
                               "scale", "lower the input volume or sit a little further back"))
    else:
        items.append(CheckItem("microphone.clipping", g,
                               "pass" if r.speech_heard else "skip", "no clipping"))
    noise = f"noise floor {_db(r.noise_dbfs)}"
    if r.snr_db is not None:
        noise += f", voice {r.snr_db:.0f} dB above it"
    items.append(CheckItem("microphone.noise", g, "fail" if limits.noisy(r) else "pass", noise,
                           "find a quieter room: close the window, turn off fans and "
                           "notifications" if limits.noisy(r) else ""))
    items.append(echo)
    return items


def failed(items: list[CheckItem]) -> list[CheckItem]:
    return [i for i in items if i.status == "fail"]
