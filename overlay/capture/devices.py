"""`oncue devices`: the cameras, microphones and screens this machine offers, and what is missing.

Each kind is probed on its own, so a missing one (no camera on a desktop, no display on a server)
is reported as such while the others are still listed.
"""

from __future__ import annotations

import logging
import sys

from overlay.capture.base import SourceFailed

log = logging.getLogger(__name__)


def list_cameras(max_index: int = 6) -> list[str]:
    import cv2

    from overlay.capture.camera import camera_names

    names = camera_names()
    if sys.platform.startswith("linux") and not names:
        return []  # no /dev/video*: probing indices would only print OpenCV's complaints
    found = []
    for index in sorted(names) or range(max_index):
        cap = cv2.VideoCapture(index)
        try:
            if cap.isOpened():
                found.append(f"{index}: {names.get(index, 'camera')}")
        finally:
            cap.release()
    return found


def list_microphones() -> list[str]:
    from overlay.capture.microphone import _sounddevice

    sd = _sounddevice()
    try:
        devices = sd.query_devices()
    except sd.PortAudioError as exc:
        raise SourceFailed(f"microphones: PortAudio error ({exc})") from exc
    default_in = sd.default.device[0] if sd.default.device else -1
    return [f"{i}: {d['name']}{' (default)' if i == default_in else ''}"
            for i, d in enumerate(devices) if d["max_input_channels"] > 0]


def list_screens() -> list[str]:
    from overlay.capture.screen import monitors

    mons = monitors()
    return [f"{i}: {m['width']}x{m['height']} at ({m['left']}, {m['top']})"
            for i, m in enumerate(mons) if i > 0]


def find_meeting_window() -> list[str]:
    """The meeting window the screen watcher would read, if one is open now."""
    from overlay.capture.meeting_window import find_meeting, platform_lister

    lister = platform_lister()
    if lister is None:
        raise SourceFailed("no window list here (Wayland?): the watcher reads the configured "
                           "monitor instead")
    found = find_meeting(lister())
    if found is None:
        return []
    x, y, w, h = found.region
    return [f"{found.app}: \"{found.title}\", {w}x{h} at ({x}, {y})"]


def describe_devices() -> str:
    from overlay.paths import face_model_path, user_settings_file

    lines = []
    for title, probe, missing in (
        ("Cameras", list_cameras, "none found: OnCue can analyse a recording instead "
                                  "(oncue analyze FILE, oncue --replay FILE)"),
        ("Microphones", list_microphones, "none found: speech cues need a microphone"),
        ("Screens", list_screens, "no display: the overlay and the mute watcher need one"),
        ("Meeting window", find_meeting_window, "none open now (Zoom, Teams, Webex or Meet in a "
                                                "browser); the watcher reads the monitor"),
    ):
        lines.append(f"{title}:")
        try:
            items = probe()
        except SourceFailed as exc:
            items, missing = [], str(exc)
        except Exception as exc:  # noqa: BLE001 - a device library failing is a finding here
            items, missing = [], f"unavailable ({exc})"
        lines.extend(f"  {item}" for item in items) if items else lines.append(f"  {missing}")
    model = face_model_path()
    state = "ok" if model.exists() else "missing: run scripts/setup.sh"
    lines.append(f"Face model: {model} ({state})")
    problem = settings_problem()
    settings = user_settings_file()
    lines.append(f"Settings file: {settings}" + ("" if settings.exists() else " (none yet: every "
                                                 "setting has its default)"))
    if problem is not None:
        lines.append(f"  BROKEN: {problem}")
    return "\n".join(lines)


def settings_problem() -> str | None:
    """Why the user's settings file cannot be used (the error names the file and the key), or
    None when it loads: `oncue devices` is where a user looks for that file."""
    from overlay.settings import SettingsError, load_settings

    try:
        load_settings()
    except SettingsError as exc:
        return str(exc)
    return None


def devices_command() -> int:
    """`oncue devices`: the listing; exit 1 when the settings file is broken (OnCue would not
    start with it), after the listing, so the devices are still shown."""
    print(describe_devices())
    problem = settings_problem()
    if problem is not None:
        print(f"oncue: the settings file is broken: {problem}", file=sys.stderr)
        return 1
    return 0
