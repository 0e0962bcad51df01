"""Shared fixtures: the real recordings in ../shared/data, temporary OnCue directories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("ONCUE_SHARED_DATA",
                                  Path(__file__).resolve().parents[2] / "shared" / "data"))


def _pin_face_model() -> None:
    """Point every test (and every app process a test starts) at the user's installed model.

    The model lives in the data directory, which each test replaces with a temporary one below;
    without this, the tests would look for the model in that empty folder.
    """
    if "ONCUE_FACE_MODEL" not in os.environ:
        from overlay.paths import face_model_path

        os.environ["ONCUE_FACE_MODEL"] = str(face_model_path())


_pin_face_model()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The labelled recordings; tests that need them skip when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real recordings not available: {SHARED_DATA} is absent (see tests/README.md)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data and config directories, never the user's real ones."""
    monkeypatch.setenv("ONCUE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONCUE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ONCUE_CACHE_DIR", str(tmp_path / "cache"))
