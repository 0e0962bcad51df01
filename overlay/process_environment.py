"""OnCue's own process environment, and the user's own for every program OnCue starts.

OnCue changes a few variables of its process for itself: thread and log levels before native
libraries load (overlay/__init__.py, overlay/cli.py), XWayland for the overlay (overlay/ui/app.py)
and, with a MediaPipe that uploads usage metrics (Linux with Python 3.13), every proxy variable
pointed nowhere (detectors/mediapipe_metrics.py decides what; this module sets it). A program that
OnCue starts would inherit all of that: the browser showing a report would find no proxy, a
file manager would be told to use XWayland. So every change goes through `PROCESS`, which keeps
the value it replaced, and every launch goes through `start_program` or `open_in_desktop`, which
hand the program `environment_for_other_programs()`: the user's values back, and any variable
that someone changed after OnCue (a test, the user's code) as it is now.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detectors.mediapipe_metrics import metrics_guard

if TYPE_CHECKING:
    import subprocess

log = logging.getLogger(__name__)


class ProgramEnvironment:
    """OnCue's changes to one environment (the process's), with the user's values they replaced."""

    def __init__(self, environ: MutableMapping[str, str]) -> None:
        self.environ = environ
        self._users: dict[str, str | None] = {}  # None: the user had no such variable
        self._ours: dict[str, str | None] = {}  # what OnCue left there (None: removed)

    def _remember(self, name: str) -> None:
        self._users.setdefault(name, self.environ.get(name))

    def set(self, name: str, value: str) -> None:
        self._remember(name)
        self.environ[name] = self._ours[name] = value

    def setdefault(self, name: str, value: str) -> None:
        """OnCue's value unless the user set one."""
        if name not in self.environ:
            self.set(name, value)

    def drop(self, name: str) -> None:
        self._remember(name)
        self.environ.pop(name, None)
        self._ours[name] = None

    def for_other_programs(self) -> dict[str, str]:
        env = dict(self.environ)
        for name, users in self._users.items():
            if env.get(name) != self._ours[name]:
                continue  # changed again since OnCue set it: that value stands
            if users is None:
                env.pop(name, None)
            else:
                env[name] = users
        return env


PROCESS = ProgramEnvironment(os.environ)


def environment_for_other_programs() -> dict[str, str]:
    """The user's environment, for a program OnCue starts (a browser, OnCue's own windows)."""
    return PROCESS.for_other_programs()


def users_proxies(url: str) -> dict[str, str]:
    """The user's proxies for `url`, for OnCue's own downloads (`oncue setup`): urllib reads the
    process's, which the metrics guard points nowhere. Lower case wins and `no_proxy` is
    honoured, as in urllib.request.getproxies_environment."""
    import urllib.parse
    import urllib.request

    env = environment_for_other_programs()
    proxies: dict[str, str] = {}
    for name in sorted(env, key=lambda n: n.islower()):  # upper case first, lower case over it
        if env[name] and name.lower().endswith("_proxy"):
            proxies[name[:-6].lower()] = env[name]
    host = urllib.parse.urlsplit(url).hostname or ""
    if host and "no" in proxies and urllib.request.proxy_bypass_environment(host, proxies):
        return {}
    proxies.pop("no", None)
    return proxies


# -- MediaPipe's usage metrics --------------------------------------------------------------
def installed_mediapipe() -> str | None:
    """MediaPipe's version from its dist-info folder, without importing it or importlib.metadata
    (100 ms of a cold start); importlib.metadata only when there is no such folder beside it."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(next(iter(spec.submodule_search_locations))).parent
    for info in sorted(site.glob("mediapipe-*.dist-info")):
        return info.name[len("mediapipe-"):-len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version("mediapipe")
    except metadata.PackageNotFoundError:
        return None


def keep_usage_metrics_local(environment: ProgramEnvironment | None = None,
                             platform: str = sys.platform, version: str | None = None) -> bool:
    """Point MediaPipe's uploader nowhere when this MediaPipe has one; True when the guard is on.

    Call it before the first MediaPipe task is created (libcurl reads the variables when the
    upload connects, at the latest when the task closes): overlay/face_model.py does, before it
    loads the model. Idempotent. The user's own values are kept for other programs.
    """
    environment = PROCESS if environment is None else environment
    guard = metrics_guard(installed_mediapipe() if version is None else version, platform)
    if guard.uploads and not guard.stoppable:
        log.warning("MediaPipe %s uploads usage metrics on this system and OnCue cannot stop "
                    "it here: install OnCue with Python 3.12, which uses MediaPipe 0.10.21",
                    guard.version)
        return False
    if not guard.needed:
        return False
    if not guard.holds_in(environment.environ):
        for name in guard.dropped:
            environment.drop(name)
        for name, value in guard.settings.items():
            environment.set(name, value)
        log.info("MediaPipe %s: its usage-metrics upload is pointed nowhere", guard.version)
    return True


# -- starting other programs ------------------------------------------------------------------
def start_program(args: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
    """subprocess.Popen with the user's environment (the only way OnCue starts a program)."""
    import subprocess

    return subprocess.Popen(list(args), env=environment_for_other_programs(), **popen)


def open_in_desktop(target: str | Path) -> bool:
    """A file, folder or URL in the desktop's own application (browser, file manager, editor).

    Not QDesktopServices or webbrowser: both start the program with this process's environment.
    Windows' ShellExecute (os.startfile) takes none; OnCue changes no proxy there, only thread
    and log levels. False (and logged) when the desktop has no opener.
    """
    where = str(target)
    if sys.platform == "win32":
        try:
            os.startfile(where)  # type: ignore[attr-defined]  # noqa: S606
        except OSError as exc:
            log.warning("could not open %s: %s", where, exc)
            return False
        return True
    import shutil
    import subprocess

    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        log.warning("could not open %s: no %s on this system", where, opener)
        return False
    quiet = subprocess.DEVNULL  # the opener's chatter stays off OnCue's terminal
    start_program([opener, where], stdin=quiet, stdout=quiet, stderr=quiet)
    return True
