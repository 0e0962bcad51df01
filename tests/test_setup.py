"""scripts/setup.py's choice of the distribution's packages for the Python that runs it.

Debian's `python3` leaves out what a venv needs (`python3.X-venv`) and the shared library that
PyInstaller bundles (`libpython3.X`, a test tool's need): both are named after the running
Python's minor version, and only for the distribution's own Python (a pyenv or python.org build
has both). Checked on plain values; nothing is installed here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import setup  # noqa: E402  (scripts/setup.py)

MINOR = f"python3.{sys.version_info.minor}"


def test_debians_python_gets_its_shared_library_for_the_tests(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup.sys, "base_prefix", "/usr")
    monkeypatch.setattr(setup, "python_can_make_venvs", lambda: True)
    assert setup.python_debs(dev=True) == [f"lib{MINOR}"]
    assert setup.python_debs(dev=False) == []  # the app itself runs without it


def test_debians_python_without_ensurepip_gets_its_venv_package(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup.sys, "base_prefix", "/usr")
    monkeypatch.setattr(setup, "python_can_make_venvs", lambda: False)
    assert setup.python_debs(dev=True) == ["python3-venv", f"{MINOR}-venv", f"lib{MINOR}"]


def test_another_python_gets_no_distribution_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup.sys, "base_prefix", "/root/.pyenv/versions/3.11.7")
    monkeypatch.setattr(setup, "python_can_make_venvs", lambda: False)
    assert setup.python_debs(dev=True) == []


def test_the_dev_set_up_asks_apt_for_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(setup.sys, "platform", "linux")
    monkeypatch.setattr(setup.sys, "base_prefix", "/usr")
    monkeypatch.setattr(setup.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(setup, "python_can_make_venvs", lambda: True)
    monkeypatch.setattr(setup, "install_debs", asked.append)
    setup.system_packages(dev=True)
    assert f"lib{MINOR}" in asked[0] and "libportaudio2" in asked[0] and "strace" in asked[0]


def test_the_pinned_uv_is_not_installed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """`uv --version` ends with the target triple; the version is the second word."""
    import subprocess

    pinned = setup.uv_requirement()[4:]
    installs: list[list[str]] = []
    monkeypatch.setattr(setup, "run_logged", lambda cmd, what: installs.append(cmd))

    def probe(answer: str):  # type: ignore[no-untyped-def]
        return lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=answer, stderr="")

    monkeypatch.setattr(setup.subprocess, "run", probe(f"uv {pinned} (x86_64-unknown-linux-gnu)\n"))
    setup.ensure_uv()
    assert installs == []
    monkeypatch.setattr(setup.subprocess, "run", probe("uv 0.1.0 (x86_64-unknown-linux-gnu)\n"))
    setup.ensure_uv()
    assert len(installs) == 1 and installs[0][-1] == setup.uv_requirement()
