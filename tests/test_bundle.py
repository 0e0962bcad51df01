"""The built desktop bundle starts, analyses a clip and runs the overlay on a replay, then quits.

Runs scripts/smoke_bundle.py against a bundle built by scripts/build_bundle.py (dist/ in this
checkout, or the one ONCUE_BUNDLE points at); skips when there is none, since building takes
minutes. With the labelled recordings present, the bundle must also find faces in a real clip,
which shows the bundled model and MediaPipe runtime really run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import smoke_bundle  # noqa: E402

FACE_CLIP = SHARED_DATA / "video" / "lia__driving3.mov"  # short, one face, steady


def _bundle() -> Path:
    bundle = smoke_bundle.default_bundle()
    if not bundle.exists():
        origin = "ONCUE_BUNDLE" if os.environ.get("ONCUE_BUNDLE") else "dist/"
        pytest.skip(f"no built bundle at {bundle} ({origin}); build one with "
                    f"`python scripts/build_bundle.py` or point ONCUE_BUNDLE at one")
    return bundle


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "smoke_bundle.py"), *args],
                          capture_output=True, text=True, timeout=900)


@pytest.mark.xvfb
def test_bundle_analyses_a_clip_and_runs_the_overlay() -> None:
    bundle = _bundle()
    args = ["--bundle", str(bundle)]
    if FACE_CLIP.is_file():
        args += ["--face-clip", str(FACE_CLIP)]
    result = _run(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke_bundle: OK" in result.stdout
    assert "main loop after" in result.stdout


def test_smoke_fails_on_a_folder_without_oncue(tmp_path: Path) -> None:
    """The smoke test can fail: a folder that is not a bundle is a failure, not a pass."""
    result = _run("--bundle", str(tmp_path))
    assert result.returncode == 1
    assert "no OnCue executable" in result.stderr
