"""The usage-metrics guard for MediaPipe releases after 0.10.21 (detectors/mediapipe_metrics.py).

Run on plain dicts, never on the test process's own environment. tests/test_privacy.py checks the
real thing: the traced app opens no IPv4/IPv6 connection with whichever MediaPipe is installed.
"""

from __future__ import annotations

import logging

import pytest

from detectors import mediapipe_metrics as metrics


@pytest.fixture(autouse=True)
def _fresh_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "_users_own", {})


def test_release_reads_the_leading_numbers() -> None:
    assert metrics.release("0.10.21") == (0, 10, 21)
    assert metrics.release("1.2.3rc1") == (1, 2, 3)
    assert metrics.release("0.10.30") > metrics.LAST_RELEASE_WITHOUT_METRICS
    assert metrics.release("0.10.9") < metrics.LAST_RELEASE_WITHOUT_METRICS


def test_the_release_without_metrics_leaves_the_environment_alone() -> None:
    env = {"no_proxy": "*", "https_proxy": "http://proxy.example:3128"}
    assert not metrics.keep_usage_metrics_local(env, "linux", "0.10.21")
    assert env == {"no_proxy": "*", "https_proxy": "http://proxy.example:3128"}


def test_a_newer_release_on_linux_points_every_proxy_nowhere() -> None:
    env = {"no_proxy": "*", "NO_PROXY": "googleapis.com", "HTTPS_PROXY": "http://p:1", "X": "1"}
    assert metrics.keep_usage_metrics_local(env, "linux", "1.2.3")
    assert "no_proxy" not in env and "NO_PROXY" not in env
    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"):
        assert env[name] == metrics.NOWHERE
    assert env["X"] == "1"
    assert metrics.keep_usage_metrics_local(env, "linux", "1.2.3")  # idempotent


def test_programs_oncue_starts_get_the_users_own_proxy_settings() -> None:
    env = {"no_proxy": "localhost", "HTTPS_PROXY": "http://p:1", "PATH": "/bin"}
    metrics.keep_usage_metrics_local(env, "linux", "1.2.3")
    theirs = metrics.environment_for_other_programs(env)
    assert theirs == {"no_proxy": "localhost", "HTTPS_PROXY": "http://p:1", "PATH": "/bin"}
    assert env["HTTPS_PROXY"] == metrics.NOWHERE  # OnCue's own stays guarded


def test_elsewhere_a_newer_release_is_only_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    env = {"PATH": "/bin"}
    with caplog.at_level(logging.WARNING):
        assert not metrics.keep_usage_metrics_local(env, "darwin", "1.2.3")
    assert env == {"PATH": "/bin"}
    assert "Python 3.12" in caplog.text



def test_no_mediapipe_installed_is_no_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "installed_mediapipe", lambda: None)
    env: dict[str, str] = {}
    assert not metrics.keep_usage_metrics_local(env, "linux")
    assert env == {}
