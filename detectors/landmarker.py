"""How OnCue drives MediaPipe's Face Landmarker beyond its public API, for speed.

Two measured shortcuts (docs/decisions.md), both guarded so that another MediaPipe version falls
back to the public behaviour: importing MediaPipe without its legacy Solutions API (1 s of cold
start), and reading the landmarker's output packets straight into numpy (3-5 ms of Python per
frame). `detectors/face.py` is the only user. Releases after 0.10.21 upload usage statistics
unless the process environment keeps them local (`detectors/mediapipe_metrics.py` says how); the
app sets that at its start (overlay/process_environment.py), and a MediaPipe loaded here without
it is refused, so no caller can forget it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import logging
import os
import sys
from ctypes import addressof, byref, c_char, sizeof

import numpy as np

from detectors.mediapipe_metrics import metrics_guard

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
    names gets an error saying why. Then a MediaPipe that would upload usage metrics is refused
    unless the environment keeps them local (its uploader starts with the first task, not here).
    """
    if "mediapipe" not in sys.modules:
        _import_without_drawing()
    _refuse_unguarded_metrics()


class UsageMetricsUnguarded(RuntimeError):
    """This MediaPipe would upload usage metrics: the environment does not keep them local."""


def _refuse_unguarded_metrics() -> None:
    """Only a read of the environment: setting it is the app's (detectors stay pure)."""
    version = getattr(sys.modules["mediapipe"], "__version__", None)
    guard = metrics_guard(version, sys.platform)
    if not guard.holds_in(os.environ):
        raise UsageMetricsUnguarded(
            f"MediaPipe {version} uploads usage metrics unless the proxy variables point "
            "nowhere: call overlay.process_environment.keep_usage_metrics_local() first")


def _import_without_drawing() -> None:
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
    def for_this_mediapipe(cls) -> PacketReader | CResultReader | None:
        """The fast reader this MediaPipe allows (0.10.21: packets; 1.x: C results), or None."""
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
            return CResultReader.for_this_mediapipe()

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


class CResultReader:
    """MediaPipe 1.x: `detect_for_video` with the C library's result read straight into numpy.

    1.x wraps a C library (ctypes); its `detect_for_video` calls `MpFaceLandmarkerDetectForVideo`
    and turns the C result into 478 `NormalizedLandmark` and 52 `Category` objects: 1.8 ms of
    Python per frame (Python 3.13, lia__obama), before OnCue turns them into an array anyway.
    This makes the same call with the same arguments and reads the same fields as
    `FaceLandmarkerResult.from_ctypes`, the landmarks as one numpy view of the C array, then
    frees the result as the wrapper does. Used only when those names are all there;
    tests/test_gaze.py checks it gives the public API's faces exactly.
    """

    def __init__(self, fl, landmark_c, layout: np.dtype) -> None:  # type: ignore[no-untyped-def]
        self._fl, self._layout = fl, layout
        self._stride = sizeof(landmark_c)

    @classmethod
    def for_this_mediapipe(cls) -> CResultReader | None:
        try:
            from mediapipe.tasks.python.components.containers import landmark_c
            from mediapipe.tasks.python.vision import face_landmarker as fl

            lm = landmark_c.MpNormalizedLandmarkC
            fields = {name: getattr(lm, name) for name in ("x", "y", "z")}
            fl.MpFaceLandmarkerResultC  # noqa: B018 - the result struct must be there
            # The wrapper declares the C library and handle it keeps (1.2.3's FaceLandmarker).
            if not {"_lib", "_handle"} <= set(getattr(fl.FaceLandmarker, "__annotations__", {})):
                log.info("MediaPipe's FaceLandmarker differs from 1.2.3: using its public API")
                return None
            layout = np.dtype({"names": list(fields), "formats": [np.float32] * 3,
                               "offsets": [f.offset for f in fields.values()],
                               "itemsize": sizeof(lm)})
            return cls(fl, lm, layout)
        except (ImportError, AttributeError):
            log.info("MediaPipe's internals differ from 0.10.21 and 1.x: using its public API")
            return None

    def find(self, landmarker, image, ms: int) -> Found | None:  # type: ignore[no-untyped-def]
        """(landmarks (478, 3) float32, blendshapes by name, 4x4 head matrix) of the first face."""
        result = self._fl.MpFaceLandmarkerResultC()
        lib = landmarker._lib
        lib.MpFaceLandmarkerDetectForVideo(landmarker._handle, image._image_ptr, None, ms,
                                           byref(result))
        try:
            if result.face_landmarks_count == 0:
                return None
            first = result.face_landmarks[0]
            count = first.landmarks_count
            if count == 0:
                return None
            raw = (c_char * (count * self._stride)).from_address(addressof(first.landmarks[0]))
            points = np.frombuffer(raw, dtype=self._layout, count=count)
            lms = np.stack([points["x"], points["y"], points["z"]], axis=1)
            shapes: dict[str, float] = {}
            if result.face_blendshapes_count:
                cats = result.face_blendshapes[0]
                for j in range(cats.categories_count):
                    cat = cats.categories[j]
                    name = cat.category_name.decode("utf-8") if cat.category_name else None
                    shapes[name] = float(cat.score)  # type: ignore[index]
            matrix = np.zeros((4, 4), dtype=np.float32)
            if result.facial_transformation_matrixes_count:
                matrix = np.asarray(result.facial_transformation_matrixes[0].to_numpy(),
                                    dtype=np.float32)
            return lms, shapes, matrix
        finally:
            lib.MpFaceLandmarkerCloseResult(byref(result))
