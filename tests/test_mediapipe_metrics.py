"""The usage-metrics decision for MediaPipe releases after 0.10.21 (detectors/mediapipe_metrics.py),
and the landmarker's refusal to load such a MediaPipe without it (detectors/landmarker.py).

Run on plain dicts and a stand-in module. Setting the environment is the app's, tested in
tests/test_process_environment.py; tests/test_privacy.py checks the real thing: the traced app
opens no IPv4/IPv6 connection with whichever MediaPipe is installed.
"""

from __future__ import annotations

import sys
import types

import pytest

from detectors import landmarker
from detectors import mediapipe_metrics as metrics

GUARDED = dict.fromkeys(metrics.PROXY_VARIABLES, metrics.NOWHERE)


def test_release_reads_the_leading_numbers() -> None:
    assert metrics.release("0.10.21") == (0, 10, 21)
    assert metrics.release("1.2.3rc1") == (1, 2, 3)
    assert metrics.release("0.10.30") > metrics.LAST_RELEASE_WITHOUT_METRICS
    assert metrics.release("0.10.9") < metrics.LAST_RELEASE_WITHOUT_METRICS


def test_the_release_without_metrics_needs_nothing() -> None:
    guard = metrics.metrics_guard("0.10.21", "linux")
    assert not guard.uploads and not guard.needed
    assert guard.settings == {} and guard.dropped == ()
    assert guard.holds_in({"no_proxy": "*", "https_proxy": "http://proxy.example:3128"})


def test_a_newer_release_on_linux_needs_every_proxy_pointed_nowhere() -> None:
    guard = metrics.metrics_guard("1.2.3", "linux")
    assert guard.needed
    assert guard.settings == GUARDED
    assert set(guard.dropped) == {"no_proxy", "NO_PROXY"}
    assert guard.holds_in(dict(GUARDED, PATH="/bin"))
    assert not guard.holds_in({"PATH": "/bin"})
    assert not guard.holds_in(dict(GUARDED, HTTPS_PROXY="http://p:1"))
    assert not guard.holds_in(dict(GUARDED, no_proxy="*"))  # * would go around the proxy


def test_elsewhere_a_newer_release_uploads_and_nothing_stops_it() -> None:
    guard = metrics.metrics_guard("1.2.3", "darwin")
    assert guard.uploads and not guard.stoppable and not guard.needed
    assert guard.settings == {}


def test_no_mediapipe_installed_needs_no_guard() -> None:
    guard = metrics.metrics_guard(None, "linux")
    assert not guard.uploads and guard.holds_in({})


@pytest.fixture
def stand_in_mediapipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mediapipe", types.SimpleNamespace(__version__="1.2.3"))
    monkeypatch.setattr(landmarker.sys, "platform", "linux")
    for name in (*metrics.PROXY_VARIABLES, *metrics.BYPASS_VARIABLES):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("stand_in_mediapipe")
def test_the_landmarker_refuses_a_mediapipe_that_would_upload(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(landmarker.UsageMetricsUnguarded, match="keep_usage_metrics_local"):
        landmarker.import_tasks_api()
    for name, value in GUARDED.items():
        monkeypatch.setenv(name, value)
    landmarker.import_tasks_api()  # guarded: loads
    monkeypatch.setenv("no_proxy", "*")
    with pytest.raises(landmarker.UsageMetricsUnguarded):
        landmarker.import_tasks_api()
