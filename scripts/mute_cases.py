"""The labelled meeting screens and the whole frames made from them, for scripts/eval_mute.py.

Every case is (source, name, expected state, rgb). Sources are app/OS groups: the Zoom Linux
screens (../shared/data/screens/zoom-linux) and, from ../shared/data/screens/meeting-apps, Zoom
for Windows, Google Meet (macOS browser), Teams for Windows, Teams for Linux and the Webex web
widget. Most of the new files are crops of a button: each is scored alone and as a whole frame,
pasted into a real screenshot or into a call screen drawn in code (`mute_frames`), never saved.

The name says what was done to the file (`variant` turns it into a column of the table):
- `name.png`: the labelled file as it is;
- `...@f`: rescaled by f (0.75, Windows 125% and 150%, retina 2x);
- `light:...`: the light theme; `moved:...` / `desktop:...`: the window elsewhere on a desktop;
- `cut...`, `hidden:...`, `no button:...`: the toolbar hidden or gone, which must read `unknown`;
- `screen:...`, `pasted:...`, `in-frame...`, `call...`, `join:...`: a crop pasted into a whole
  frame at 1x.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from mute_frames import (
    DISPLAY_SCALES,
    black_canvas,
    border_colour,
    erase,
    light_theme,
    locate,
    meet_call,
    on_desktop,
    paste,
    rescale,
    teams_call,
    zoom_call,
)
from mute_frames import desktop as drawn_desktop

from overlay.capture.media import read_image

Case = tuple[str, str, str, np.ndarray]  # source, name, expected state, rgb
SCALES = (0.75, 1.5, 2.0)
VARIANTS = ("file", "scaled", "light", "moved", "hidden", "pasted")


def variant(name: str) -> str:
    """The column of the per-app table a case belongs to (see the module's docstring)."""
    if name.startswith("light"):
        return "light"
    if name.startswith(("moved", "desktop")):
        return "moved"
    if name.startswith(("cut", "hidden", "no button")):
        return "hidden"
    if "@" in name and not name.endswith("@1.0"):
        return "scaled"
    return "file" if ":" not in name else "pasted"


def unmute(frame: np.ndarray, muted: np.ndarray, plain: np.ndarray,
           shift: tuple[int, int] = (9, 1)) -> tuple[np.ndarray, int]:
    """Paste the Mute crop over the muted button, microphones aligned; returns (frame, top y).
    The default shift aligns the crops' glyphs (capsule centre 26.5 -> 17.5, top 3 -> 2)."""
    x, y = locate(frame, muted)
    out = erase(frame, (x, y, muted.shape[1], muted.shape[0]), border_colour(muted))
    return paste(out, plain, x + shift[0], y + shift[1]), y


def _labelled(folder: Path) -> tuple[list[dict[str, str]], dict[str, np.ndarray]]:
    rows = list(csv.DictReader((folder / "labels.csv").open()))
    return rows, {r["file"]: read_image(folder / r["file"])[..., :3] for r in rows}


def zoom_linux_cases(data: Path) -> list[Case]:
    rows, images = _labelled(data)
    muted = images["button_muted_label_Unmute.png"]
    plain = images["button_unmuted_label_Mute.png"]
    join = images["button_join_audio.png"]
    src = "zoom/linux"
    out = [(src, r["file"], r["state"], images[r["file"]]) for r in rows]
    for r in rows:
        frame = images[r["file"]]
        if frame.shape[0] < 200:
            continue
        if r["state"] == "muted":
            pasted, top = unmute(frame, muted, plain)
            for name, state, img in [(r["file"], "muted", frame),
                                     ("pasted:" + r["file"], "unmuted", pasted)]:
                if state == "unmuted":
                    out.append((src, name, state, img))
                for f in SCALES:
                    out.append((src, f"{name}@{f}", state, rescale(img, f)))
                for f in (1.0, *SCALES):
                    out.append((src, f"cut:{name}@{f}", "unknown",
                                rescale(img, f)[:int((top - 3) * f)]))
                out.append((src, f"cut black:{name}", "unknown", black_canvas(img[:top - 3])))
                out.append((src, f"light:{name}", state, light_theme(img)))
                out.append((src, f"light:{name}@1.5", state, light_theme(rescale(img, 1.5))))
                out.append((src, f"desktop:{name}", state, on_desktop(img)))
            joined, _ = unmute(frame, muted, join, shift=(-8, 1))  # headphones centre 34.5
            for f in (1.0, *SCALES):
                out.append((src, f"join:{r['file']}@{f}", "no_audio", rescale(joined, f)))
        else:
            for f in SCALES:
                out.append((src, f"{r['file']}@{f}", r["state"], rescale(frame, f)))
    for name, state, img in (("button_unmuted_label_Mute.png", "unmuted", plain),
                             ("button_muted_label_Unmute.png", "muted", muted)):
        out.append((src, f"light:{name}", state, light_theme(img)))
    return out


def app_cases(apps: Path, zoom: Path) -> list[Case]:
    rows, images = _labelled(apps)
    _, z = _labelled(zoom)
    meeting = z["join-meeting-url_frame497.png"]  # Zoom for Linux, the window fills the screen
    desktop = z["join-meeting-id_frame000.png"]  # a desktop, no meeting
    dark = images["webex_widget_left_meeting.png"]  # a dark call screen without a toolbar
    zx, zy = locate(meeting, z["button_muted_label_Unmute.png"])
    bar = border_colour(z["button_muted_label_Unmute.png"])
    no_button = erase(meeting, (zx - 4, zy - 2, 68, 48), bar)
    out: list[Case] = []
    for r in rows:
        src, name, state, img = f"{r['app']}/{r['os']}", r["file"], r["state"], images[r["file"]]
        out.append((src, name, state, img))
        if r["kind"] == "full_window" or r["kind"] == "full_screen":
            for f in (0.75, 1.5, 2.0):
                out.append((src, f"{name}@{f}", state, rescale(img, f)))
            if state == "no_audio" and r["app"] == "webex":  # in a meeting: toolbar cut away
                out.append((src, f"cut:{name}", "unknown", img[:int(img.shape[0] * 0.82)]))
            continue
        if r["app"] == "zoom" and r["kind"] == "button_crop":
            for share in (0.8, 1.0, 1.25):  # 43 px: the Linux button's height at 1x
                small = rescale(img, share * 43 / img.shape[0])
                y = min(zy, no_button.shape[0] - small.shape[0])
                out.append((src, f"in-frame x{share}:{name}", state,
                            paste(no_button, small, zx, y)))
            big = rescale(no_button, 1.5)
            out.append((src, f"in-frame@1.5:{name}", state,
                        paste(big, img, int(zx * 1.5), int(zy * 1.5) - 6)))
        elif r["app"] == "zoom":  # the audio dialog's button, over the middle of the meeting
            x, y = (meeting.shape[1] - img.shape[1]) // 2, (meeting.shape[0] - img.shape[0]) // 2
            out.append((src, f"in-frame:{name}", state, paste(no_button, img, x, y)))
        elif r["app"] == "meet":
            f = 0.5 if img.shape[0] > 120 else 1.0  # the retina crop on a 1x screen...
            one = rescale(img, f)
            for bg_name, bg in (("call", dark), ("desktop", desktop)):
                x, y = (bg.shape[1] - one.shape[1]) // 2, bg.shape[0] - one.shape[0] - 12
                out.append((src, f"{bg_name}:{name}", state, paste(bg, one, x, y)))
            big = rescale(dark, 2.0)  # ...and native on a 2x screen
            two = rescale(one, 2.0) if f == 1.0 else img
            x, y = (big.shape[1] - two.shape[1]) // 2, big.shape[0] - two.shape[0] - 24
            out.append((src, f"call@2:{name}", state, paste(big, two, x, y)))
        elif r["app"] == "teams" and state == "not_in_meeting":  # pre-join toggles
            out.append((src, f"desktop:{name}", state, paste(desktop, img, 400, 300)))
        elif r["app"] == "teams":
            out.append((src, f"call:{name}", state, paste(dark, img, dark.shape[1] - 200, 8)))
    out.append(("zoom/windows", "no button:zoom frame", "unknown", no_button))
    out.append(("meet/mac", "no button:dark call", "unknown", dark[60:]))  # no Webex header
    return out




def _fit(crop: np.ndarray, native: float, s: float) -> np.ndarray:
    """A crop taken at display scale `native`, as it would show at scale s."""
    return rescale(crop, s / native) if abs(s / native - 1) > 0.01 else crop


def _screens(app: str, s: float, light: bool = False,
             toolbar: bool = True) -> tuple[np.ndarray, tuple[int, int]]:
    if app == "zoom":
        return zoom_call(s, toolbar=toolbar)
    if app == "meet":
        return meet_call(s, toolbar=toolbar)
    return teams_call(s, light=light, toolbar=toolbar)


# The display scale each crop was taken at (the Zoom for Windows crops are 71 px tall where the
# Linux button at 1x is 43; the Meet crops of 81 px are 1x, the 154 px one is retina).
NATIVE = {"zoom_toolbarcrop_unmuted_pybot_win.png": 1.5,
          "zoom_toolbarcrop_muted_pybot_win.png": 1.5,
          "meet_button_muted_bueller4.png": 2.0}


def variant_cases(apps: Path, zoom: Path) -> list[Case]:
    """Every button crop pasted into a call screen drawn in code, at each display scale, in the
    light theme, in a window moved across a desktop, and the same screens with the toolbar
    hidden; the whole Webex windows at 125%, light, moved and with the toolbar cut away."""
    rows, images = _labelled(apps)
    zrows, z = _labelled(zoom)
    crops = [(f"{r['app']}/{r['os']}", r["app"], r["file"], r["state"], images[r["file"]])
             for r in rows if r["kind"] == "button_crop" and r["app"] in ("zoom", "meet", "teams")]
    crops += [("zoom/linux", "zoom", r["file"], r["state"], z[r["file"]])
              for r in zrows if r["file"].startswith("button_")]
    out: list[Case] = []
    for src, app, name, state, crop in crops:
        native = NATIVE.get(name, 1.0)
        prejoin = state == "not_in_meeting"  # Teams' device toggles: a pre-join screen
        for s in DISPLAY_SCALES:
            button = _fit(crop, native, s)
            if prejoin:
                frame = paste(drawn_desktop(s), button, int(400 * s), int(300 * s))
            else:
                frame, (x, y) = _screens(app, s)
                frame = paste(frame, button, x, y)
            out.append((src, f"screen:{name}@{s}", state, frame))
            if app != "meet":  # Meet's call screen is dark in either theme
                out.append((src, f"light:{name}@{s}", state, light_theme(frame)))
            if s in (1.0, 2.0):
                out.append((src, f"moved:{name}@{s}", state,
                            on_desktop(frame, at=(int(517 * s), int(263 * s)),
                                       size=(int(2000 * s), int(1200 * s)))))
    for app, src in (("zoom", "zoom/linux"), ("meet", "meet/mac"), ("teams", "teams/windows")):
        for s in DISPLAY_SCALES:
            hidden, _ = _screens(app, s, toolbar=False)
            out.append((src, f"hidden:{app} call@{s}", "unknown", hidden))
            if app != "meet":
                out.append((src, f"light hidden:{app} call@{s}", "unknown",
                            light_theme(hidden)))
    for r in rows:
        if r["app"] != "webex":
            continue
        img, state = images[r["file"]], r["state"]
        out.append(("webex/web", f"{r['file']}@1.25", state, rescale(img, 1.25)))
        out.append(("webex/web", f"light:{r['file']}", state, light_theme(img)))
        out.append(("webex/web", f"moved:{r['file']}", state, on_desktop(img, at=(57, 403))))
        if state == "no_audio":  # in a meeting: the toolbar cut away, at other scales
            for s in (1.25, 2.0):
                cut = rescale(img[:int(img.shape[0] * 0.82)], s)
                out.append(("webex/web", f"cut:{r['file']}@{s}", "unknown", cut))
    return out
