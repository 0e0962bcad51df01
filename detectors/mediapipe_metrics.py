"""Keeping MediaPipe's usage metrics on the machine (releases after 0.10.21 upload them).

MediaPipe 0.10.21 sends nothing. Every later release on PyPI (0.10.30 onwards, the only ones with
wheels for Python 3.13) starts an uploader with each task: `mediapipe::tasks::core::logging::
google_internal::HttpLoggingClient`, posting to https://play.googleapis.com/log (MediaPipe issue
6291). Nothing turns it off: no field of BaseOptions changes it (host_environment, host_system,
app_id and ca_bundle_path were each tried under strace) and libmediapipe exports no function for
it. On Linux the uploader sends through the libcurl linked into libmediapipe.so, and libcurl
reads the proxy variables for each connection: pointing them at a Unix socket that cannot exist
makes the upload fail before any DNS query or connect (strace: one connect to AF_UNIX
"/dev/null/...", ENOTDIR, and no AF_INET at all; tests/test_privacy.py). On Windows (WinINet)
and macOS (NSURLSession) the uploader ignores these variables, so OnCue installs MediaPipe
0.10.21 there and refuses Python 3.13 (docs/decisions.md, "Python 3.13 and MediaPipe's metrics").

The variables belong to the whole process, so programs OnCue starts (the browser that opens a
report, OnCue's own windows) must get `environment_for_other_programs()`, the user's own.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import sys
from collections.abc import MutableMapping

log = logging.getLogger(__name__)

LAST_RELEASE_WITHOUT_METRICS = (0, 10, 21)
# A SOCKS proxy at a Unix socket that cannot exist (/dev/null is not a directory). With `socks5h`
# the proxy resolves host names, so not even a DNS query leaves the process.
NOWHERE = "socks5h://localhost/dev/null/oncue-sends-nothing"
_SET = ("https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY")
# `no_proxy=*` (or a list naming googleapis.com) would send the upload around the proxy.
_DROPPED = ("no_proxy", "NO_PROXY")

_users_own: dict[str, str | None] = {}


def release(version: str) -> tuple[int, ...]:
    """(major, minor, micro) of a version string such as "0.10.21" or "1.2.3rc1"."""
    parts = []
    for part in version.split(".")[:3]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        parts.append(int(digits or 0))
    return tuple(parts)


def installed_mediapipe() -> str | None:
    try:
        return importlib.metadata.version("mediapipe")
    except importlib.metadata.PackageNotFoundError:
        return None


def keep_usage_metrics_local(environ: MutableMapping[str, str] | None = None,
                             platform: str = sys.platform,
                             version: str | None = None) -> bool:
    """Point MediaPipe's uploader nowhere when this MediaPipe has one; True when the guard is on.

    Call it before the first MediaPipe task is created (libcurl reads the variables when the
    upload connects, at the latest when the task closes). Idempotent.
    """
    env = os.environ if environ is None else environ
    version = installed_mediapipe() if version is None else version
    if version is None or release(version) <= LAST_RELEASE_WITHOUT_METRICS:
        return False
    if not platform.startswith("linux"):
        log.warning("MediaPipe %s uploads usage metrics on this system and OnCue cannot stop "
                    "it here: install OnCue with Python 3.12, which uses MediaPipe 0.10.21",
                    version)
        return False
    if all(env.get(name) == NOWHERE for name in _SET) and not any(n in env for n in _DROPPED):
        return True
    for name in (*_SET, *_DROPPED):
        _users_own.setdefault(name, env.get(name))
    for name in _DROPPED:
        env.pop(name, None)
    for name in _SET:
        env[name] = NOWHERE
    log.info("MediaPipe %s: its usage-metrics upload is pointed nowhere", version)
    return True


def environment_for_other_programs(environ: MutableMapping[str, str] | None = None
                                   ) -> dict[str, str]:
    """The environment with the user's own proxy settings, for a program OnCue starts."""
    env = dict(os.environ if environ is None else environ)
    for name, value in _users_own.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env
