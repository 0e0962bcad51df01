"""The built desktop bundle starts, analyses a clip and runs the overlay on a replay, then quits.

Runs scripts/smoke_bundle.py against a bundle built by scripts/build_bundle.py (dist/ in this
checkout, or the one ONCUE_BUNDLE points at); skips when dist/ has none, since building takes
minutes, and fails when ONCUE_BUNDLE names one that is not there (.ci/run builds it first). With
the labelled recordings present, the bundle must also find faces in a real clip, which shows the
bundled model and MediaPipe runtime really run.
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
    if bundle.exists():
        return bundle
    if os.environ.get("ONCUE_BUNDLE"):
        # Named on purpose (.ci/run builds it first): a missing bundle is a broken build.
        pytest.fail(f"ONCUE_BUNDLE names {bundle}, which does not exist")
    pytest.skip(f"no built bundle at {bundle} (dist/); build one with "
                f"`python scripts/build_bundle.py` or point ONCUE_BUNDLE at one")


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


def test_macos_app_declares_camera_and_microphone() -> None:
    """macOS kills an app that opens the camera or microphone without these Info.plist strings,
    and the hardened runtime denies both without the two device entitlements."""
    import plistlib

    with open(ROOT / "packaging" / "macos" / "Info.plist", "rb") as fh:
        info = plistlib.load(fh)
    for key in ("NSCameraUsageDescription", "NSMicrophoneUsageDescription"):
        assert len(info.get(key, "")) > 40, key
    with open(ROOT / "packaging" / "macos" / "entitlements.plist", "rb") as fh:
        entitlements = plistlib.load(fh)
    assert entitlements.get("com.apple.security.device.camera") is True
    assert entitlements.get("com.apple.security.device.audio-input") is True


def test_linux_prune_drops_only_what_dropped_plugins_linked(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "packaging"))
    import prune_linux

    links = {"/sp/PyQt6/QtGui.so": {"libQt6Gui.so.6", "libfontconfig.so.1"},
             "/sp/qgtk3.so": {"libQt6Gui.so.6", "libgtk-3.so.0", "libfontconfig.so.1"},
             "/usr/lib/libportaudio.so.2": {"libasound.so.2"}}
    monkeypatch.setattr(prune_linux, "_linked", lambda path: links.get(path, set()))
    plugin = "PyQt6/Qt6/plugins/"
    binaries = [
        ("PyQt6/QtGui.abi3.so", "/sp/PyQt6/QtGui.so", "EXTENSION"),
        (plugin + "platformthemes/libqgtk3.so", "/sp/qgtk3.so", "BINARY"),
        (plugin + "platforms/libqxcb.so", "/sp/qxcb.so", "BINARY"),
        ("PyQt6/Qt6/lib/libQt6Gui.so.6", "/sp/site-packages/Gui", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libfontconfig.so.1", "/usr/lib/libfontconfig.so.1", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
        ("libportaudio.so.2", "/usr/lib/libportaudio.so.2", "BINARY"),
        ("libasound.so.2", "/usr/lib/libasound.so.2", "BINARY"),
    ]
    kept, dropped = prune_linux.prune(binaries)
    assert sorted(dropped) == [plugin + "platformthemes/libqgtk3.so", "libgtk-3.so.0"]
    assert {d for d, _, _ in kept} == {d for d, _, _ in binaries} - set(dropped)
