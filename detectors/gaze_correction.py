"""Cameras that may redraw the eyes onto the lens: then eye contact cannot be judged.

NVIDIA Broadcast offers its effects through a virtual camera of its own ("Camera (NVIDIA
Broadcast)"), one of which, Eye Contact, redirects the eyes in the picture "to simulate natural
eye contact" (NVIDIA Maxine Eye Contact overview, docs.nvidia.com/nim/maxine/eye-contact).
Windows Studio Effects applies Eye Contact "at the hardware level for the camera ... on by default
for any app using the camera" (learn.microsoft.com/windows/ai/studio-effects); its camera shows
up as "Windows Studio Effects" / "Studio Effects Camera" on some machines. Whether the effect is
switched on is readable only through the driver (Windows Studio Effects: the Kernel Streaming
extended control for eye gaze correction), which OnCue does not query yet; so a camera whose name
says it can correct eye contact is treated as correcting it: praising eye contact that the camera
painted on would be worse than saying nothing.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# Lower-case name fragments -> the product the user knows.
CORRECTING_CAMERAS = (
    ("nvidia broadcast", "NVIDIA Broadcast"),
    ("studio effects", "Windows Studio Effects"),
)


def eye_contact_corrector(camera_name: str | None) -> str | None:
    """The product that may correct eye contact on this camera, from its name; else None."""
    if not camera_name:
        return None
    name = camera_name.lower()
    for fragment, product in CORRECTING_CAMERAS:
        if fragment in name:
            return product
    return None
