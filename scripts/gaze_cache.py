"""Per-frame MediaPipe faces of the labelled clips, cached in /tmp so gaze experiments are fast.

MediaPipe on the 15 labelled clips costs minutes on a shared 2-core machine; the gaze scripts
(`eval_gaze.py`, `cv_gaze.py`, `train_gaze.py`) need the same faces many times. The cache holds
derived data of `../shared/data`, so it lives in /tmp and never in the repository.

`CachedFaceFinder` stands in for `FaceFinder` inside the app's own offline pipeline
(`overlay.session.offline.analyze_recording(..., face_finder=...)`): whatever frames the app's
analysis-rate policy picks are answered from the cache by their capture time, and a frame the
cache lacks is run through MediaPipe (and added). The cache is filled by running MediaPipe over
every decoded frame at the app's analysis resolution (`Recording.video_frames`, 640 px), so a
subsampled run sees faces that MediaPipe's tracker found with every frame before them: the
landmarks of one frame differ by a fraction of a pixel from a run that skipped frames.

Run directly to fill the cache: `python scripts/gaze_cache.py [CLIP...]`.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.face import Face, FaceFinder  # noqa: E402
from detectors.gaze_calibration import GazeCalibration  # noqa: E402
from overlay.settings import Settings  # noqa: E402

log = logging.getLogger(__name__)
DATA = ROOT.parent / "shared" / "data" / "video"
CACHE = Path("/tmp/oncue_gaze_faces")
VERSION = 1


def _key(t: float) -> int:
    return int(round(t * 1000.0))


class FaceCache:
    """Faces of one clip by capture time (ms). Loaded from /tmp; `save` writes it back."""

    def __init__(self, clip: Path) -> None:
        self.clip = clip
        self.path = CACHE / f"{clip.name}.v{VERSION}.npz"
        self.faces: dict[int, Face | None] = {}
        self.dirty = False
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        with np.load(self.path) as npz:
            d = {key: npz[key] for key in npz.files}
        names = [str(n) for n in d["names"]]
        size = (int(d["size"][0]), int(d["size"][1]))
        for i, ms in enumerate(d["ms"].tolist()):
            face = None
            if d["present"][i]:
                shapes = dict(zip(names, (float(x) for x in d["blend"][i]), strict=True))
                face = Face(landmarks=d["landmarks"][i], head_matrix=d["matrix"][i],
                            image_size=size, blendshapes=shapes)
            self.faces[int(ms)] = face

    def save(self) -> None:
        if not self.dirty:
            return
        CACHE.mkdir(exist_ok=True)
        items = sorted(self.faces.items())
        names: list[str] = next((sorted(f.blendshapes) for _, f in items if f is not None), [])
        size = next((f.image_size for _, f in items if f is not None), (0, 0))
        lms = [f.landmarks if f else np.zeros((478, 3), np.float32) for _, f in items]
        mats = [f.head_matrix if f else np.eye(4, dtype=np.float32) for _, f in items]
        blend = [[f.blend(n) for n in names] if f else [0.0] * len(names) for _, f in items]
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, ms=np.array([k for k, _ in items], np.int64),
                            present=np.array([f is not None for _, f in items]),
                            landmarks=np.array(lms, np.float32), matrix=np.array(mats, np.float32),
                            blend=np.array(blend, np.float32), names=np.array(names),
                            size=np.array(size))
        tmp.replace(self.path)
        self.dirty = False


class CachedFaceFinder:
    """A `FaceFinder` for one clip that answers from the cache, running MediaPipe on misses."""

    def __init__(self, clip: Path) -> None:
        self.cache = FaceCache(clip)
        self._finder: FaceFinder | None = None
        self.misses = 0

    def find(self, rgb: np.ndarray, t: float = 0.0) -> Face | None:
        key = _key(t)
        if key in self.cache.faces:
            return self.cache.faces[key]
        if self._finder is None:
            from overlay.face_model import open_face_finder

            self._finder = open_face_finder(video=True)
        face = self._finder.find(rgb, t)
        self.misses += 1
        self.cache.faces[key] = face
        self.cache.dirty = True
        return face

    def close(self) -> None:
        self.cache.save()
        if self._finder is not None:
            self._finder.close()
            self._finder = None


def fill(clip: Path) -> int:
    """Run MediaPipe over every frame of `clip` the cache lacks; returns the frames run."""
    from overlay.capture.replay import Recording

    finder = CachedFaceFinder(clip)
    try:
        for frame in Recording(clip).video_frames():
            finder.find(frame.rgb, frame.t)
    finally:
        finder.close()
    return finder.misses


def labelled_clips(data: Path = DATA) -> list[Path]:
    return [data / f.name[:-4] for f in sorted((data / "gaze-labels").glob("*.csv"))]


def source_of(clip_name: str) -> str:
    """The clip's source (the repository it came from): its name before `__`."""
    return clip_name.split("__", 1)[0]


def load_labels(clip: Path) -> list[tuple[float, str]]:
    """(t, label) rows of the clip's hand labels; a trailing `?` is kept (unsure)."""
    path = clip.parent / "gaze-labels" / f"{clip.name}.csv"
    with path.open(newline="") as f:
        return [(float(row["t"]), row["label"].strip()) for row in csv.DictReader(f)]


@dataclass
class ClipRun:
    """One clip through the app's offline pipeline: the frames it analysed and their states."""

    clip: Path
    times: list[float]  # capture times of the analysed frames
    states: list[str]  # the gaze state the app reported on each
    faces: list[Face | None]  # the faces those frames gave
    calibration: GazeCalibration | None = None  # measured on `calibrated_on`, if asked
    calibrated_on: tuple[float, float] | None = None

    def state_at(self, t: float) -> str | None:
        """What the app showed at time t: the state of the last analysed frame at or before t."""
        i = bisect.bisect_right(self.times, t + 1e-6) - 1
        return self.states[i] if i >= 0 else None

    def index_at(self, t: float) -> int | None:
        i = bisect.bisect_right(self.times, t + 1e-6) - 1
        return i if i >= 0 else None


def run_app(clip: Path, settings: Settings,
            calibrate: tuple[float, float] | None = None) -> ClipRun:
    """`overlay.session.offline.analyze_recording` on the clip, its faces from the cache."""
    from overlay.session.offline import analyze_recording

    finder = CachedFaceFinder(clip)
    try:
        result = analyze_recording(clip, settings, face_finder=finder,  # type: ignore[arg-type]
                                   calibrate=calibrate)
    finally:
        finder.close()
    frames = result.recorder.frames
    times = [f.t for f in frames]
    faces = [finder.cache.faces.get(_key(t)) for t in times]
    calibration = result.pipeline.gaze.eye_contact.calibration if calibrate else None
    return ClipRun(clip, times, [str(f.gaze) for f in frames], faces, calibration, calibrate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for clip in args.clips or labelled_clips():
        print(f"{clip.name}: {fill(clip)} frames run", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
