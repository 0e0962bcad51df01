"""Decoding recordings with PyAV: audio tracks of video files, wav/flac/mp3, and still images.

Used by the replay sources and by scripts that evaluate detectors on recordings. Every failure is
turned into `MediaError` naming the file and the problem, so the CLI can print one clear line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

AUDIO_RATE = 16_000  # everything audio in OnCue is 16 kHz mono float32 in [-1, 1]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}
MAX_IMAGE_PIXELS = 50_000_000


class MediaError(Exception):
    """A recording or image could not be read. str() is one line: 'PATH: problem'."""


def _open(path: Path):  # type: ignore[no-untyped-def]
    import av

    if not path.exists():
        raise MediaError(f"{path}: file not found")
    if path.is_dir():
        raise MediaError(f"{path}: is a folder, not a recording")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: file is empty")
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MediaError(f"{path}: not a readable audio or video file ({exc})") from exc


def read_audio(path: str | Path, rate: int = AUDIO_RATE) -> np.ndarray:
    """The first audio track of `path` as mono float32 at `rate` Hz (resampled as needed)."""
    import av

    path = Path(path)
    container = _open(path)
    try:
        if not container.streams.audio:
            raise MediaError(f"{path}: has no audio track")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks: list[np.ndarray] = []
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            raise MediaError(f"{path}: audio is corrupt or truncated ({exc})") from exc
    finally:
        container.close()
    if not chunks:
        raise MediaError(f"{path}: audio track holds no samples")
    samples = np.concatenate(chunks).astype(np.float32, copy=False)
    # FFmpeg downmixes stereo to mono at -3 dB per channel (power-preserving), so two loud,
    # alike channels sum past full scale (1.4 for a 0.99 tone); OnCue's audio is [-1, 1].
    return np.clip(samples, -1.0, 1.0, out=samples)


def is_image(path: str | Path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def read_image(path: str | Path) -> np.ndarray:
    """A still image as RGB uint8 (H, W, 3)."""
    import cv2

    path = Path(path)
    if not path.exists():
        raise MediaError(f"{path}: file not found")
    if path.is_dir():
        raise MediaError(f"{path}: is a folder, not an image")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: file is empty")
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise MediaError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    # Read the header first so a huge image is refused before it is decoded into memory.
    header_ok, (w, h) = _image_size(path, data)
    if header_ok and w * h > MAX_IMAGE_PIXELS:
        raise MediaError(f"{path}: image is {w}x{h}, larger than OnCue reads "
                         f"({MAX_IMAGE_PIXELS} px)")
    try:
        bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
    except cv2.error:
        # OpenCV refuses images over CV_IO_MAX_IMAGE_PIXELS with an exception (a header that
        # PyAV could not read above, e.g. a 100000x100000 PNG with a broken data chunk).
        bgr = None
    if bgr is None:
        raise MediaError(f"{path}: not a readable image (corrupt, truncated or too large)")
    return np.ascontiguousarray(bgr[:, :, ::-1])


def _image_size(path: Path, data: np.ndarray) -> tuple[bool, tuple[int, int]]:
    try:
        import av

        with av.open(str(path)) as c:
            s = c.streams.video[0]
            return True, (int(s.codec_context.width), int(s.codec_context.height))
    except Exception:  # noqa: BLE001 - any header trouble is left to the decoder to report
        return False, (0, 0)
