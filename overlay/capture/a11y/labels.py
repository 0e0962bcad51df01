"""What the meeting apps call their mute control, and what each name means: one table.

A mute button names the action it offers, so its name says the opposite of the state: Zoom's
"Mute" button is shown while the user is heard. Every row cites where the label was seen. A label
counts only inside the app it belongs to (`Control.app`): YouTube's "Mute (m)" or Chromium's
"Mute tab" in a browser are not a meeting's microphone, and a label no row names is no evidence.

Labels are compared after `normalise`: lower case, whitespace folded, and the keyboard hint
the apps append dropped ("Unmute (Ctrl+Shift+M)", "Turn off microphone (ctrl + d)",
"Mute My Audio, Alt+A"), so the table lists each wording once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Why each label means what it means (cited in the rows below).
SOURCES = {
    "zoom-mac-window": "Zoom for macOS meeting window: the audio button's AXDescription is "
                       "'Mute My Audio' / 'Unmute My Audio' (AppleScript gist LeZuse/d6f6a184, "
                       "'description of button 1'; Zoom's own Alt+A tooltip 'Unmute My Audio')",
    "zoom-mac-menu": "Zoom for macOS menu bar: Meeting > 'Mute Audio' / 'Unmute Audio' "
                     "(Hammerspoon gists rumpl/0c7b82d9, adamturtle/ca7f5aab)",
    "zoom-toolbar": "Zoom toolbar button text 'Mute' / 'Unmute' / 'Join Audio' (shared/data "
                    "screens zoom-linux and the Windows crops in meeting-apps)",
    "zoom-tooltip": "Zoom's tooltip 'Unmute My Audio (Alt+A)' over the button (zoom-linux "
                    "frame join-meeting-id_frame468); its settings call the shortcut "
                    "'Mute/Unmute My Audio'",
    "teams-toolbar": "Teams call toolbar: 'Mute (Ctrl+Shift+M)' / 'Unmute (Ctrl+Shift+M)' "
                     "(Ctrl+Shift+M is Teams' documented mute shortcut; teams-for-linux's "
                     "MuteToggle finds the button by aria-label containing 'mute' / 'unmute' "
                     "or data-tid 'toggle-mute'); new Teams labels the button 'Mic' with "
                     "'Mute mic' / 'Unmute mic'",
    "meet": "Google Meet microphone button aria-label 'Turn off microphone' / 'Turn on "
            "microphone' with the shortcut hint '(ctrl + d)' / '(⌘ + d)' (issue 16; Hammerspoon "
            "script bforchhammer/google-meet-mic.lua selects it by that hint)",
    "webex": "Webex Meetings: 'Mute' / 'Unmute' (its Meeting menu items, per the macOS "
             "accessibility monitors that read them), 'Mute me' / 'Unmute me'; the web widget's "
             "disabled 'No microphone' button (shared/data meeting-apps webex_widget_*)",
}


@dataclass(frozen=True)
class LabelRule:
    app: str  # "zoom", "teams", "meet", "webex"
    label: str  # normalised, matched whole
    state: str  # "muted", "unmuted" or "no_audio"
    source: str  # key of SOURCES


RULES: tuple[LabelRule, ...] = (
    LabelRule("zoom", "unmute my audio", "muted", "zoom-mac-window"),
    LabelRule("zoom", "mute my audio", "unmuted", "zoom-mac-window"),
    LabelRule("zoom", "unmute audio", "muted", "zoom-mac-menu"),
    LabelRule("zoom", "mute audio", "unmuted", "zoom-mac-menu"),
    LabelRule("zoom", "unmute", "muted", "zoom-toolbar"),
    LabelRule("zoom", "mute", "unmuted", "zoom-toolbar"),
    LabelRule("zoom", "join audio", "no_audio", "zoom-toolbar"),
    LabelRule("teams", "unmute", "muted", "teams-toolbar"),
    LabelRule("teams", "mute", "unmuted", "teams-toolbar"),
    LabelRule("teams", "unmute mic", "muted", "teams-toolbar"),
    LabelRule("teams", "mute mic", "unmuted", "teams-toolbar"),
    LabelRule("meet", "turn on microphone", "muted", "meet"),
    LabelRule("meet", "turn off microphone", "unmuted", "meet"),
    LabelRule("webex", "unmute", "muted", "webex"),
    LabelRule("webex", "mute", "unmuted", "webex"),
    LabelRule("webex", "unmute me", "muted", "webex"),
    LabelRule("webex", "mute me", "unmuted", "webex"),
    LabelRule("webex", "no microphone", "no_audio", "webex"),
)
_BY_LABEL = {(r.app, r.label): r for r in RULES}

# The hint after the action: "(Ctrl+Shift+M)", "(⌘ + d)", ", Alt+A", " Alt+A".
_HINT = re.compile(r"\s*(\([^)]*\)|,?\s*(ctrl|alt|cmd|command|⌘|shift)\s*\+.*)$", re.IGNORECASE)

# Process or window names of the apps, and browser page titles that say which meeting a tab
# holds. Lower case, matched as substrings.
APP_PROCESSES = {"zoom": ("zoom",), "teams": ("teams",), "webex": ("webex",)}
BROWSERS = ("chromium", "chrome", "firefox", "edge", "brave", "safari", "opera", "vivaldi")
PAGE_TITLES = {"meet": ("meet - ", "google meet"), "teams": ("microsoft teams",),
               "webex": ("webex",), "zoom": ("zoom meeting", "zoom workplace")}


def normalise(label: str) -> str:
    text = " ".join(label.replace("\u00a0", " ").split()).lower()
    return _HINT.sub("", text).strip()


def rule_for(app: str | None, label: str) -> LabelRule | None:
    """The row this app's control label matches, or None (no evidence either way)."""
    if app is None or not label:
        return None
    return _BY_LABEL.get((app, normalise(label)))


def app_of_process(name: str) -> str | None:
    """Which meeting app a process (or AT-SPI application) is, or None (browsers included)."""
    low = name.lower()
    if any(b in low for b in BROWSERS):
        return None
    for app, names in APP_PROCESSES.items():
        if any(n in low for n in names):
            return app
    return None


def is_browser(name: str) -> bool:
    low = name.lower()
    return any(b in low for b in BROWSERS)


def app_of_page(title: str) -> str | None:
    """Which meeting a browser tab (its document title) holds, or None."""
    low = title.lower().replace("\u2013", "-").replace("\u2014", "-")
    for app, marks in PAGE_TITLES.items():
        if any(low.startswith(m) or f" {m}" in f" {low}" for m in marks):
            return app
    return None
