"""How OnCue drives MediaPipe's Face Landmarker beyond its public API, for speed.

Two measured shortcuts (docs/decisions.md), both guarded so that another MediaPipe version falls
back to the public behaviour: importing MediaPipe without its legacy Solutions API (1 s of cold
start), and reading the landmarker's output packets straight into numpy (3-5 ms of Python per
frame). `detectors/face.py` is the only user. Before MediaPipe loads, the usage-metrics guard
(`detectors/mediapipe_metrics.py`) runs: releases after 0.10.21 upload usage statistics.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import logging
import sys

import numpy as np

from detectors.mediapipe_metrics import keep_usage_metrics_local

log = logging.getLogger(__name__)

Found = tuple[np.ndarray, dict[str, float], np.ndarray]


def import_tasks_api() -> None:
    """Import MediaPipe (once) without its legacy Solutions API, which OnCue never calls.

    MediaPipe's package `__init__` imports `mediapipe.python.solutions` (0.10.21) or the Tasks
    drawing helpers (1.x), which import `matplotlib.pyplot`: about 1 s of a cold start that must
    stay under 3 s (measured with `python -X importtime`), and matplotlib is then not needed at
    all (scripts/excludes.txt leaves it out). While MediaPipe loads, an import hook gives those
    names stand-in modules: the Solutions one imports only `mediapipe.modules` (which 0.10.21's
    `__init__` expects to find, and deletes), and anything that later reaches for one of their
    names gets an error saying why.
    """
    keep_usage_metrics_local()
    if "mediapipe" in sys.modules:
        return

    class StandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
            return importlib.util.spec_from_loader(name, self) if name in _DRAWING else None

        def create_module(self, spec):  # type: ignore[no-untyped-def]
            return None

        def exec_module(self, module):  # type: ignore[no-untyped-def]
            if module.__name__ == _SOLUTIONS:
                importlib.import_module("mediapipe.modules")

            def missing(name: str) -> object:
                raise AttributeError(f"{module.__name__}.{name}: MediaPipe's drawing helpers "
                                     "are not loaded in OnCue (detectors/landmarker.py)")

            module.__getattr__ = missing

    hook = StandIn()
    sys.meta_path.insert(0, hook)
    try:
        importlib.import_module("mediapipe")
    finally:
        sys.meta_path.remove(hook)


_SOLUTIONS = "mediapipe.python.solutions"
# What imports matplotlib.pyplot: 0.10.21's legacy Solutions API, 1.x's Tasks drawing helpers.
_DRAWING = frozenset({_SOLUTIONS, "mediapipe.tasks.python.vision.drawing_utils",
                      "mediapipe.tasks.python.vision.drawing_styles"})


class PacketReader:
    """`detect_for_video` that reads the graph's output packets straight into numpy.

    MediaPipe's Python wrapper turns each result into 478 `NormalizedLandmark` objects, 52
    `Category` objects and a matrix: 3.3 ms of Python per frame on the development machine, a
    tenth of the whole landmarker's cost and 0.05 of a core at 15 fps, spent before OnCue turns
    them into an array anyway. This sends the same packets through the same graph and reads the
    same fields (see `face_landmarker._build_landmarker_result`), without the objects. It leans
    on the wrapper's internals (stream names, `_process_video_data`), so it is only used when
    they are all there; otherwise the public API runs. tests/test_gaze.py checks both give
    identical faces on a real clip.
    """

    def __init__(self, fl, packet_creator, packet_getter, layout_row_major: int) -> None:  # type: ignore[no-untyped-def]
        self._fl, self._create, self._get = fl, packet_creator, packet_getter
        self._row_major = layout_row_major

    @classmethod
    def for_this_mediapipe(cls) -> PacketReader | None:
        try:
            from mediapipe.framework.formats import matrix_data_pb2
            from mediapipe.python import packet_creator, packet_getter
            from mediapipe.tasks.python.vision import face_landmarker as fl

            for name in ("_IMAGE_IN_STREAM_NAME", "_NORM_RECT_STREAM_NAME",
                         "_NORM_LANDMARKS_STREAM_NAME", "_BLENDSHAPES_STREAM_NAME",
                         "_FACE_GEOMETRY_STREAM_NAME"):
                getattr(fl, name)
            if not hasattr(fl.FaceLandmarker, "_process_video_data"):
                return None
            return cls(fl, packet_creator, packet_getter,
                       matrix_data_pb2.MatrixData.Layout.ROW_MAJOR)
        except (ImportError, AttributeError):
            log.info("MediaPipe's internals differ from 0.10.21: using its public API")
            return None

    def find(self, landmarker, image, ms: int) -> Found | None:  # type: ignore[no-untyped-def]
        """(landmarks (478, 3) float32, blendshapes by name, 4x4 head matrix) of the first face."""
        fl, us = self._fl, ms * 1000
        rect = landmarker.convert_to_normalized_rect(None, image, roi_allowed=False)
        packets = landmarker._process_video_data({
            fl._IMAGE_IN_STREAM_NAME: self._create.create_image(image).at(us),
            fl._NORM_RECT_STREAM_NAME: self._create.create_proto(rect.to_pb2()).at(us),
        })
        found = packets[fl._NORM_LANDMARKS_STREAM_NAME]
        faces = [] if found.is_empty() else self._get.get_proto_list(found)
        if not faces:
            return None
        lms = np.array([(p.x, p.y, p.z) for p in faces[0].landmark], dtype=np.float32)
        shapes: dict[str, float] = {}
        if fl._BLENDSHAPES_STREAM_NAME in packets:
            lists = self._get.get_proto_list(packets[fl._BLENDSHAPES_STREAM_NAME])
            if lists:
                shapes = {c.label: float(c.score) for c in lists[0].classification}
        matrix = np.zeros((4, 4), dtype=np.float32)
        if fl._FACE_GEOMETRY_STREAM_NAME in packets:
            geometries = self._get.get_proto_list(packets[fl._FACE_GEOMETRY_STREAM_NAME])
            if geometries and geometries[0].HasField("pose_transform_matrix"):
                m = geometries[0].pose_transform_matrix
                data = np.array(m.packed_data, dtype=np.float32).reshape(m.rows, m.cols)
                matrix = data if m.layout == self._row_major else data.T
        return lms, shapes, matrix
