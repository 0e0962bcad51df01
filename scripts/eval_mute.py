"""Accuracy of the zero-configuration Zoom mute reader on the real Zoom Linux screens.

Every labelled file in ../shared/data/screens/zoom-linux, plus variants made in memory (never
saved): unmuted frames (the `Mute` crop pasted over the muted button), no-audio frames (the
`Join Audio` crop pasted there), all meeting frames rescaled 0.75x / 1.5x / 2x, with the
toolbar cropped away (must read `unknown`), a light-theme version
(neutral colours inverted, red and green kept), and the window placed off-centre on a larger
desktop. Prints a table; exits 1 below 100%.

    .venv/bin/python scripts/eval_mute.py [--data DIR] [-v]
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from detectors.meeting import ZoomMuteReader  # noqa: E402
from overlay.capture.media import read_image  # noqa: E402

log = logging.getLogger(__name__)
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "screens" / "zoom-linux"
SCALES = (0.75, 1.5, 2.0)


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


def locate(frame: np.ndarray, crop: np.ndarray) -> tuple[int, int]:
    res = cv2.matchTemplate(frame, crop, cv2.TM_SQDIFF)
    _, _, loc, _ = cv2.minMaxLoc(res)
    return loc


def unmute(frame: np.ndarray, muted: np.ndarray, plain: np.ndarray,
           shift: tuple[int, int] = (9, 1)) -> tuple[np.ndarray, int]:
    """Paste the Mute crop over the muted button, microphones aligned; returns (frame, top y).
    The default shift aligns the crops' glyphs (capsule centre 26.5 -> 17.5, top 3 -> 2)."""
    x, y = locate(frame, muted)
    out = frame.copy()
    border = np.concatenate([muted[0], muted[-1], muted[:, 0], muted[:, -1]])
    out[y:y + muted.shape[0], x:x + muted.shape[1]] = np.median(border, axis=0).astype(np.uint8)
    px, py = x + shift[0], y + shift[1]
    out[py:py + plain.shape[0], px:px + plain.shape[1]] = plain
    return out, y


def cases(data: Path) -> list[tuple[str, str, str, np.ndarray]]:
    """(group, name, expected state, rgb) for every labelled file and every variant."""
    rows = list(csv.DictReader((data / "labels.csv").open()))
    images = {r["file"]: read_image(data / r["file"])[..., :3] for r in rows}
    muted = images["button_muted_label_Unmute.png"]
    plain = images["button_unmuted_label_Mute.png"]
    join = images["button_join_audio.png"]
    out = [("labelled", r["file"], r["state"], images[r["file"]]) for r in rows]
    for r in rows:
        frame = images[r["file"]]
        if frame.shape[0] < 200:
            continue
        if r["state"] == "muted":
            pasted, top = unmute(frame, muted, plain)
            meetings = [(r["file"], "muted", frame), ("pasted:" + r["file"], "unmuted", pasted)]
            for name, state, img in meetings:
                if state == "unmuted":
                    out.append(("pasted", name, state, img))
                for f in SCALES:
                    out.append((f"rescaled {f}x", f"{name}@{f}", state, rescale(img, f)))
                for f in (1.0, *SCALES):
                    cut = rescale(img, f)[:int((top - 3) * f)]
                    out.append(("toolbar cropped", f"{name}@{f}", "unknown", cut))
                out.append(("light theme", name, state, light_theme(img)))
                out.append(("light theme", f"{name}@1.5", state, light_theme(rescale(img, 1.5))))
                out.append(("on desktop", name, state, on_desktop(img)))
            joined, _ = unmute(frame, muted, join, shift=(-8, 1))  # headphones centre 34.5
            for f in (1.0, *SCALES):
                out.append(("join audio pasted", f"{r['file']}@{f}", "no_audio",
                            rescale(joined, f)))
        for f in SCALES:  # every other labelled screen keeps its label when rescaled
            if r["state"] != "muted":
                out.append((f"rescaled {f}x", f"{r['file']}@{f}", r["state"], rescale(frame, f)))
    for name, state, img in (("button_unmuted_label_Mute.png", "unmuted", plain),
                             ("button_muted_label_Unmute.png", "muted", muted)):
        out.append(("light theme", name, state, light_theme(img)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    if not (args.data / "labels.csv").is_file():
        print(f"no labelled screens at {args.data}", file=sys.stderr)
        return 2
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for group, name, expected, rgb in cases(args.data):
        got = ZoomMuteReader().read(rgb)  # a fresh reader: no memory of the previous image
        ok = got.state == expected
        tally[group][0] += ok
        tally[group][1] += 1
        if not ok:
            failures.append(f"  {group:16s} {name:45s} expected {expected:14s} got {got.state}")
        if args.verbose:
            print(f"{'ok ' if ok else 'BAD'} {group:16s} {name:45s} {got.state:14s} {got.box}")
    print(f"{'group':18s} {'correct':>8s} {'total':>6s} {'accuracy':>9s}")
    for group, (good, total) in tally.items():
        print(f"{group:18s} {good:8d} {total:6d} {good / total:9.1%}")
    good = sum(g for g, _ in tally.values())
    total = sum(t for _, t in tally.values())
    print(f"{'all':18s} {good:8d} {total:6d} {good / total:9.1%}")
    if failures:
        print("failures:\n" + "\n".join(failures))
    return 0 if good == total else 1


if __name__ == "__main__":
    sys.exit(main())
