"""Face landmarks from MediaPipe Face Landmarker (Tasks API), the input of gaze, lighting, framing.

One `FaceFinder` per vision worker. In VIDEO mode MediaPipe tracks between frames and needs strictly
increasing timestamps; we call it synchronously on our own thread (DESIGN.md: threading stays ours),
never in LIVE_STREAM mode with its callback thread.

The model path is passed in: detectors do no discovery and no I/O of their own beyond handing the
path to MediaPipe.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from detectors.landmarker import PacketReader, import_tasks_api

log = logging.getLogger(__name__)

DARK_MEDIAN = 50.0  # a frame this dark (median green, 8-bit) without a face is tried lifted
_LIFT = (255.0 * (np.arange(256) / 255.0) ** 0.5).astype(np.uint8)  # gamma 0.5 lookup table

# Landmark indices in MediaPipe's 478-point face mesh that the detectors share.
# Iris centres (each followed by its four ring points). 468 lies between 33 and 133, the
# subject's right eye (image left in an unmirrored camera picture); 473 between 263 and 362.
IRIS_OF_RIGHT_EYE = 468
IRIS_OF_LEFT_EYE = 473
LEFT_EYE_OUTER, LEFT_EYE_INNER, LEFT_EYE_TOP, LEFT_EYE_BOTTOM = 263, 362, 386, 374
RIGHT_EYE_OUTER, RIGHT_EYE_INNER, RIGHT_EYE_TOP, RIGHT_EYE_BOTTOM = 33, 133, 159, 145
NOSE_TIP = 1
CHIN = 152
FOREHEAD = 10
UPPER_LIP, LOWER_LIP = 13, 14
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400,
             377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67,
             109)
_FACE_OVAL_INDEX = np.array(FACE_OVAL)


class FaceModelMissing(RuntimeError):
    """The landmark model file is absent or unreadable; the message says how to get it."""


@dataclass(frozen=True)
class Face:
    """One face in one frame.

    `landmarks` are MediaPipe's normalised coordinates: x and y in [0, 1] of image width and
    height (may stray slightly outside), z roughly in the same scale as x, smaller = nearer.
    `head_matrix` is the 4x4 facial transformation matrix (canonical face -> camera space, cm).
    """

    landmarks: np.ndarray = field(repr=False)  # (478, 3) float32
    blendshapes: Mapping[str, float] = field(repr=False)
    head_matrix: np.ndarray = field(repr=False)  # (4, 4) float32
    image_size: tuple[int, int]  # (width, height) in pixels

    def pixels(self, indices: int | tuple[int, ...] | list[int] | np.ndarray) -> np.ndarray:
        """Landmark(s) in pixel coordinates (x, y)."""
        return self._pixel_xy[np.asarray(indices)]

    @cached_property
    def _pixel_xy(self) -> np.ndarray:
        # Every landmark at once: the detectors ask about ten times per frame for a few points,
        # and one multiply of the whole array costs less than ten small ones.
        w, h = self.image_size
        return self.landmarks[:, :2] * np.array([w, h], dtype=np.float32)

    def box(self) -> tuple[float, float, float, float]:
        """Bounding box of the face oval in pixels: (x0, y0, x1, y1)."""
        return self._box

    @cached_property
    def _box(self) -> tuple[float, float, float, float]:
        pts = self._pixel_xy[_FACE_OVAL_INDEX]
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)

    def blend(self, name: str) -> float:
        return float(self.blendshapes.get(name, 0.0))


class FaceFinder:
    """Wraps one MediaPipe FaceLandmarker. `video=True` for a stream of frames, else stills."""

    def __init__(self, model_path: Path | str, *, video: bool = True,
                 min_detection_confidence: float = 0.5, min_presence_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5, public_api: bool = False) -> None:
        # public_api: always MediaPipe's own result objects (the benchmark's "bare MediaPipe").
        path = Path(model_path)
        if not path.is_file():
            raise FaceModelMissing(
                f"{path}: face landmark model not found; run `oncue setup` once to "
                "obtain and verify it"
            )
        # Imported here so that merely importing detectors.face stays cheap and tests that never
        # touch a face do not pay for it.
        import_tasks_api()
        from mediapipe.tasks.python import BaseOptions, vision

        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(path)),
            running_mode=mode,
            num_faces=1,
            min_face_detection_confidence=min_detection_confidence,
            min_face_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
            output_face_blendshapes=True,
            output_facial_transformation_matrixes=True,
        )
        try:
            self._landmarker = vision.FaceLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise FaceModelMissing(f"{path}: not a usable face landmark model ({exc})") from exc
        self._video = video
        self._last_ms = -1
        self._packets = PacketReader.for_this_mediapipe() if video and not public_api else None
        self.lift_dark = not public_api  # the benchmark's bare MediaPipe runs once per frame

    def find(self, rgb: np.ndarray, t: float = 0.0) -> Face | None:
        """Landmarks of the most prominent face in an RGB uint8 image, or None.

        `t` is the frame's capture time in seconds; in video mode it must increase. Equal or
        decreasing times (a replay restarted, a clock hiccup) are nudged forward by 1 ms, since
        MediaPipe rejects them outright.

        A dark frame without a face is tried once more with its shadows lifted (gamma 0.5): the
        detector misses faces lit from above or in a dim room (9 of 10 Yale faces lit from
        straight above are found only so), and the light check needs the face to say why it is
        dark. The landmarks are those of the original frame (the lift moves no pixel); the
        lifted copy is never measured.
        """
        if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"expected an RGB uint8 image, got {rgb.dtype} {rgb.shape}")
        face = self._find_once(rgb, t)
        if face is None and self.lift_dark and float(np.median(rgb[::8, ::8, 1])) < DARK_MEDIAN:
            face = self._find_once(_LIFT[rgb], t)  # video mode: 1 ms later, as above
        return face

    def _find_once(self, rgb: np.ndarray, t: float) -> Face | None:
        import mediapipe as mp

        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._video:
            ms = max(int(round(t * 1000.0)), self._last_ms + 1)
            self._last_ms = ms
            if self._packets is not None:
                found = self._packets.find(self._landmarker, image, ms)
                if found is None:
                    return None
                lms, shapes, matrix = found
                return Face(landmarks=lms, blendshapes=shapes, head_matrix=matrix,
                            image_size=(image.width, image.height))
            result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect(image)
        if not result.face_landmarks:
            return None
        lms = np.array([(p.x, p.y, p.z) for p in result.face_landmarks[0]], dtype=np.float32)
        shapes = {c.category_name: float(c.score) for c in result.face_blendshapes[0]}
        matrix = np.asarray(result.facial_transformation_matrixes[0], dtype=np.float32)
        h, w = rgb.shape[:2]
        return Face(landmarks=lms, blendshapes=shapes, head_matrix=matrix, image_size=(w, h))

    def close(self) -> None:
        self._landmarker.close()

    def __enter__(self) -> FaceFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

