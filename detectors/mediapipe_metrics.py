"""Which MediaPipe uploads usage metrics, and what keeps them on the machine (a decision only).

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

This module only decides: `metrics_guard` says what the environment must hold for a given
MediaPipe on a given system, and `MetricsGuard.holds_in` checks an environment against it.
Setting the process environment (and giving the programs OnCue starts the user's own) is the
app's job, at its start: overlay/process_environment.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LAST_RELEASE_WITHOUT_METRICS = (0, 10, 21)
# A SOCKS proxy at a Unix socket that cannot exist (/dev/null is not a directory). With `socks5h`
# the proxy resolves host names, so not even a DNS query leaves the process.
NOWHERE = "socks5h://localhost/dev/null/oncue-sends-nothing"
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY")
# `no_proxy=*` (or a list naming googleapis.com) would send the upload around the proxy.
BYPASS_VARIABLES = ("no_proxy", "NO_PROXY")


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


@dataclass(frozen=True)
class MetricsGuard:
    """What one MediaPipe on one system needs so that its usage metrics stay on the machine."""

    version: str | None
    uploads: bool  # this MediaPipe starts the uploader
    stoppable: bool  # and the proxy variables stop it here (Linux only)

    @property
    def needed(self) -> bool:
        """The environment must be changed before the first MediaPipe task."""
        return self.uploads and self.stoppable

    @property
    def settings(self) -> dict[str, str]:
        return dict.fromkeys(PROXY_VARIABLES, NOWHERE) if self.needed else {}

    @property
    def dropped(self) -> tuple[str, ...]:
        return BYPASS_VARIABLES if self.needed else ()

    def holds_in(self, environ: Mapping[str, str]) -> bool:
        """True when `environ` keeps the upload local (always, when none is needed)."""
        return (all(environ.get(name) == value for name, value in self.settings.items())
                and not any(name in environ for name in self.dropped))


def metrics_guard(version: str | None, platform: str) -> MetricsGuard:
    """The guard for MediaPipe `version` (None: not installed) on `platform` (sys.platform)."""
    uploads = version is not None and release(version) > LAST_RELEASE_WITHOUT_METRICS
    return MetricsGuard(version, uploads, stoppable=platform.startswith("linux"))
