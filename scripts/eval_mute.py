"""Accuracy of the pixel mute reader on every labelled meeting screen, scored leave-one-source-out.

Sources (app/OS groups): the Zoom Linux screens (../shared/data/screens/zoom-linux) and, from
../shared/data/screens/meeting-apps, Zoom for Windows, Google Meet (macOS browser), Teams for
Windows, Teams for Linux and the Webex web widget. Most of the new files are crops of a button:
each is scored alone and as a whole frame, pasted into a real screenshot (never saved):

- Zoom crops replace the toolbar button of a Linux meeting frame (at 1x, and native size in the
  frame rescaled 1.5x); the audio dialog crop goes over the middle of the meeting;
- Meet crops go at the bottom centre of a dark meeting screen (Webex's, its toolbar gone) and of
  a desktop; the Teams crops on a dark call screen, the pre-join toggles on a desktop;
- variants with the button or toolbar gone must read `unknown` (the toolbar hidden);
- the Zoom Linux variants as before: Mute / Join Audio pasted, rescaled, light theme, on a desktop.

Leave-one-source-out: the reader's tunable thresholds (Zoom glyph correlation, the meeting
canvas share, the round button's glyph margin) are chosen on every other source by accuracy
(fewest wrong cues first), then the held-out source is scored with them. A wrong cue is a
definite muted/unmuted where the label says otherwise: worse than `unknown`.

    .venv/bin/python scripts/eval_mute.py [--shared DIR] [-v] [--no-cv]

Prints a table; exits 1 when a held-out case is wrong.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import logging
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from detectors.meeting_apps import MeetingMuteReader  # noqa: E402
from overlay.capture.media import read_image  # noqa: E402

log = logging.getLogger(__name__)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "screens"
SCALES = (0.75, 1.5, 2.0)
Case = tuple[str, str, str, np.ndarray]  # source, name, expected state, rgb
GRID = {"min_score": (0.6, 0.65, 0.7), "canvas_share": (0.15, 0.25, 0.35),
        "round_margin": (0.03, 0.06, 0.1)}
DEFAULTS = {"min_score": 0.65, "canvas_share": 0.25, "round_margin": 0.06}


def rescale(rgb: np.ndarray, f: float) -> np.ndarray:
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(rgb, None, fx=f, fy=f, interpolation=interp)


def light_theme(rgb: np.ndarray) -> np.ndarray:
    """Zoom's light theme, roughly: grey chrome and glyphs invert, red and green stay."""
    out = rgb.copy()
    c = rgb.astype(np.int16)
    neutral = (c.max(axis=2) - c.min(axis=2)) < 40
    out[neutral] = 255 - rgb[neutral]
    return out


def on_desktop(rgb: np.ndarray, f: float = 0.75) -> np.ndarray:
    """The window shrunk and placed off-centre on a bigger blue desktop (position and size)."""
    small = rescale(rgb, f)
    desk = np.zeros((900, 1600, 3), np.uint8)
    desk[:] = (40, 110, 150)
    desk[137:137 + small.shape[0], 311:311 + small.shape[1]] = small
    return desk


def black_canvas(rgb: np.ndarray) -> np.ndarray:
    """The meeting canvas black instead of grey, as Zoom for macOS paints it."""
    out = rgb.copy()
    c = rgb.astype(np.int16)
    canvas = ((c.max(axis=2) - c.min(axis=2)) <= 10) & (c.mean(axis=2) <= 70)
    out[canvas] = (c[canvas] // 8).astype(np.uint8)
    return out


def locate(frame: np.ndarray, crop: np.ndarray) -> tuple[int, int]:
    res = cv2.matchTemplate(frame, crop, cv2.TM_SQDIFF)
    _, _, loc, _ = cv2.minMaxLoc(res)
    return loc


def border_colour(img: np.ndarray) -> np.ndarray:
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    return np.median(border, axis=0).astype(np.uint8)


def paste(frame: np.ndarray, crop: np.ndarray, x: int, y: int) -> np.ndarray:
    out = frame.copy()
    h, w = min(crop.shape[0], out.shape[0] - y), min(crop.shape[1], out.shape[1] - x)
    out[y:y + h, x:x + w] = crop[:h, :w]
    return out


def erase(frame: np.ndarray, box: tuple[int, int, int, int], colour: np.ndarray) -> np.ndarray:
    x, y, w, h = box
    out = frame.copy()
    out[y:y + h, x:x + w] = colour
    return out


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


def outcomes(cases: list[Case], params: dict[str, float]) -> list[str]:
    """The state read from every case, a fresh reader each (no memory between images)."""
    return [MeetingMuteReader(**params).read(rgb).state for _, _, _, rgb in cases]  # type: ignore[arg-type]


def tally(cases: list[Case], got: list[str]) -> tuple[int, int]:
    """(right, wrong cues): a wrong cue is a definite muted/unmuted the label does not say."""
    right = sum(g == c[2] for c, g in zip(cases, got, strict=True))
    wrong = sum(g in ("muted", "unmuted") and g != c[2] for c, g in zip(cases, got, strict=True))
    return right, wrong


def choose(cases: list[Case], table: dict[tuple[float, ...], list[str]],
           keep: list[bool]) -> tuple[float, ...]:
    """The grid point with the fewest wrong cues on the kept cases, then the most right, then
    the fewest moves from the defaults."""
    def key(values: tuple[float, ...]) -> tuple[int, int, int]:
        kept = [c for c, k in zip(cases, keep, strict=True) if k]
        got = [g for g, k in zip(table[values], keep, strict=True) if k]
        right, wrong = tally(kept, got)
        moved = sum(v != DEFAULTS[k] for k, v in zip(GRID, values, strict=True))
        return (wrong, -right, moved)
    return min(table, key=key)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the screens folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    ap.add_argument("--no-cv", action="store_true", help="defaults only, no leave-one-out")
    args = ap.parse_args()
    zoom, apps = args.shared / "zoom-linux", args.shared / "meeting-apps"
    for folder in (zoom, apps):
        if not (folder / "labels.csv").is_file():
            print(f"no labelled screens at {folder}", file=sys.stderr)
            return 2
    cases = zoom_linux_cases(zoom) + app_cases(apps, zoom)
    grid = [tuple(DEFAULTS.values())] if args.no_cv else list(itertools.product(*GRID.values()))
    table = {values: outcomes(cases, dict(zip(GRID, values, strict=True))) for values in grid}
    sources = list(dict.fromkeys(c[0] for c in cases))
    print(f"{'held-out source':16s} {'params (chosen on the others)':44s} {'right':>6s} "
          f"{'total':>6s} {'acc':>7s} {'wrong cues':>10s}")
    all_right = all_wrong = 0
    failures: list[str] = []
    for source in sources:
        chosen = choose(cases, table, [c[0] != source for c in cases])
        held = [i for i, c in enumerate(cases) if c[0] == source]
        got = [table[chosen][i] for i in held]
        right, wrong = tally([cases[i] for i in held], got)
        all_right, all_wrong = all_right + right, all_wrong + wrong
        for i, g in zip(held, got, strict=True):
            src, name, expected, _ = cases[i]
            cue = g in ("muted", "unmuted") and g != expected
            if g != expected:
                failures.append(f"  {src:13s} {name:48s} expected {expected:14s} got {g}"
                                + ("   <- WRONG CUE" if cue else ""))
            if args.verbose:
                print(f"{'ok ' if g == expected else 'BAD'} {src:13s} {name:48s} {g}")
        shown = " ".join(f"{k}={v}" for k, v in zip(GRID, chosen, strict=True))
        print(f"{source:16s} {shown:44s} {right:6d} {len(held):6d} {right / len(held):7.1%} "
              f"{wrong:10d}")
    print(f"{'all':16s} {'':44s} {all_right:6d} {len(cases):6d} "
          f"{all_right / len(cases):7.1%} {all_wrong:10d}")
    labelled = [i for i, c in enumerate(cases) if c[1].endswith(".png") and ":" not in c[1]]
    defaults = table.get(tuple(DEFAULTS.values())) or outcomes(cases, DEFAULTS)
    right, wrong = tally([cases[i] for i in labelled], [defaults[i] for i in labelled])
    print(f"labelled files alone (defaults): {right}/{len(labelled)} right, {wrong} wrong cues")
    if failures:
        print("failures (held out):\n" + "\n".join(failures))
    return 0 if all_right == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
