"""Screenshots of the real overlay over a stand-in meeting window, under Xvfb + xcompmgr.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/overlay-*.png

The desk is scripts/xvfb_desk.py's (Xvfb on a free display, xcompmgr so translucency looks as
users see it, the stand-in meeting window); the overlay on it is scripts/overlay_driver.py's,
stepped through its stages; each stage is saved whole or cropped to the part the docs show. The
Xvfb test (tests/test_overlay_xvfb.py) drives the same stages, so it checks exactly what the docs
show. `--meeting CLICKS` and `--drive CLIP` still start those two roles, for the scripts and docs
that name this file; the desk's helpers are re-exported here under their old names. The
synthetic clip and backdrop are made here and in xvfb_desk.py: no third-party footage ends up in
a screenshot.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
log = logging.getLogger("screenshots")

import overlay_driver  # noqa: E402
from overlay_driver import STAGES  # noqa: E402

# The desk's helpers, under the names the tests and scripts have always imported from here.
from xvfb_desk import (  # noqa: E402, F401
    SCREEN,
    Desktop,
    free_display,
    grab,
    meeting_window,
    start_compositor,
    start_xvfb,
    wait_for_x_server,
)

EXAMPLE_SHEET = """# City General IM (fictional example)
## Why City General
- Safety-net clinic, Spanish-speaking patients
- Dr. Lee's QI curriculum
- Close to family in Queens
## Interviewers
- Dr. Patel, program director
- Dr. Okafor, associate PD
- Dr. Kim, chief resident
## Tell me about yourself
- Grew up translating for my parents
- Free clinic, 3 years: why IM
- Research: readmissions after CHF
## Questions to ask
- Night float structure?
- Fellowship match last 3 years?
"""


def make_clip(path: Path, seconds: float = 30.0) -> Path:
    """A plain synthetic talking-head stand-in (grey, a moving block, a tone)."""
    import av
    import numpy as np

    rate = 16000
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=15)
        video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        audio = out.add_stream("aac", rate=rate)
        audio.layout = "mono"
        for i in range(int(seconds * 15)):
            img = np.full((240, 320, 3), 110, np.uint8)
            x = 40 + (i * 3) % 200
            img[80:160, x:x + 60] = 200
            for packet in video.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        t = np.arange(int(seconds * rate)) / rate
        tone = (0.05 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
        for start in range(0, len(tone), 1024):
            frame = av.AudioFrame.from_ndarray(tone[None, start:start + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate = rate
            for packet in audio.encode(frame):
                out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
    return path


def crop(src: Path, box: tuple[int, int, int, int], out: Path, margin: int = 24) -> None:
    from PIL import Image

    x, y, w, h = box
    with Image.open(src) as img:
        img.crop((max(0, x - margin), max(0, y - margin), min(img.width, x + w + margin),
                  min(img.height, y + h + margin))).save(out)


def main() -> int:
    import tempfile

    out_dir = ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "config" / "cue-sheets").mkdir(parents=True)
        (work / "config" / "cue-sheets" / "city-general.md").write_text(EXAMPLE_SHEET)
        desk = Desktop(work, {"ONCUE_CONFIG_DIR": str(work / "config"),
                              "ONCUE_DATA_DIR": str(work / "data")})
        try:
            desk.start_overlay(make_clip(work / "clip.mp4"))
            for name in STAGES:
                geo = desk.stage(name)
                shot = desk.grab(work / f"{name}.png")
                wx, wy = geo["window"][:2]
                if name == "desktop":
                    desk.grab(out_dir / "overlay-desktop.png")
                    x, y, w, h = geo["window"]
                    crop(shot, (x, y, w, h), out_dir / "overlay-window.png")
                elif name.startswith("chip_"):
                    x, y, w, h = geo["chip"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / f"overlay-{name}.png")
                elif name.startswith("timer_"):
                    x, y, w, h = geo["ring"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / f"overlay-{name}.png")
                elif name == "status":
                    x, y, w, h = geo["chip"]
                    rx, ry, rw, rh = geo["status"]
                    crop(shot, (wx + x, wy + y, rx + rw - x, ry + rh - y),
                         out_dir / "overlay-status.png")
                elif name == "none":
                    x, y, w, h = geo["panel"]
                    crop(shot, (wx + x, wy + y, w, h), out_dir / "overlay-cue-panel.png")
                print(f"{name}: saved")
        finally:
            desk.close()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if len(sys.argv) >= 3 and sys.argv[1] == "--meeting":
        raise SystemExit(meeting_window(Path(sys.argv[2])))
    if len(sys.argv) >= 3 and sys.argv[1] == "--drive":
        os.environ.setdefault("GLOG_minloglevel", "2")
        raise SystemExit(overlay_driver.drive(Path(sys.argv[2])))
    raise SystemExit(main())
