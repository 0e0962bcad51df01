"""Every target resolves to wheels: OnCue's dependencies for each OS and Python the README supports.

    python scripts/check_wheels.py            the table; exit 1 when a supported pair fails
    python scripts/check_wheels.py --verbose  and the resolver's whole message for each failure

For each target (Windows x64, macOS arm64 and x86_64, Linux x86_64) and each Python (3.11, 3.12,
3.13) it resolves the `[project] dependencies` of pyproject.toml within scripts/constraints.txt,
leaving out scripts/excludes.txt, with wheels only (a user has no compiler): what the set-up
installs there. It uses `uv pip compile --python-platform`, which evaluates each dependency's
environment markers for the target (pynput's `evdev` only on Linux, MediaPipe's pins per Python)
and reads only the package index, so it runs on any machine, in seconds, caching nothing in the
repository. uv comes with the dev tools (`pip install uv`).

Python 3.13 on Windows and macOS is refused on purpose, not for want of a wheel: every MediaPipe
with 3.13 wheels uploads usage metrics there and nothing stops it (docs/decisions.md). Those
pairs are shown as refused and are expected NOT to resolve: if one starts to, the pins changed
and this says so.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "scripts" / "constraints.txt"
EXCLUDES = ROOT / "scripts" / "excludes.txt"

# uv's names for the targets. Linux: glibc 2.36 is Debian 12's, the oldest system the README
# supports (Ubuntu 24.04 has 2.39); macOS: uv's default deployment target.
TARGETS = {
    "Windows x64": "x86_64-pc-windows-msvc",
    "macOS arm64": "aarch64-apple-darwin",
    "macOS x86_64": "x86_64-apple-darwin",
    "Linux x86_64": "x86_64-manylinux_2_36",
}
PYTHONS = ("3.11", "3.12", "3.13")
REFUSED = {
    ("Windows x64", "3.13"): "MediaPipe with 3.13 wheels sends usage metrics on Windows",
    ("macOS arm64", "3.13"): "MediaPipe with 3.13 wheels sends usage metrics on macOS",
    ("macOS x86_64", "3.13"): "no MediaPipe after 0.10.21 has macOS x86_64 wheels",
}


@dataclass(frozen=True)
class Outcome:
    target: str
    python: str
    resolved: bool
    why: str  # the resolver's reason when it failed; the package count when it resolved
    detail: str = ""

    @property
    def refused(self) -> str | None:
        return REFUSED.get((self.target, self.python))

    @property
    def ok(self) -> bool:
        return self.resolved != bool(self.refused)

    def cell(self) -> str:
        if self.refused:
            return ("refused (expected)" if not self.resolved
                    else "RESOLVES, but the set-up refuses it: check the pins")
        return f"ok ({self.why})" if self.resolved else f"FAIL: {self.why}"


def find_uv() -> list[str]:
    try:
        from uv import find_uv_bin  # the `uv` wheel's own locator

        return [find_uv_bin()]
    except (ImportError, FileNotFoundError):
        pass
    found = shutil.which("uv")
    if found is None:
        raise SystemExit("check_wheels: uv is not installed; `python -m pip install uv` "
                         "(it is among OnCue's dev tools)")
    return [found]


def runtime_requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return list(tomllib.load(fh)["project"]["dependencies"])


def reason(stderr: str) -> str:
    """The resolver's first explanation, in one line: which package, and why."""
    text = " ".join(stderr.split())
    for pattern in (r"Because (.+?)(?:, we can conclude|\. And because|$)",
                    r"(No solution found.+?)(?: hint:|$)", r"error: (.+?)(?: hint:|$)"):
        found = re.search(pattern, text)
        if found:
            return found.group(1)[:220]
    return text[:220] or "the resolver failed without a message"


def resolve(uv: list[str], requirements: Path, target: str, python: str,
            cache: str | None) -> Outcome:
    cmd = [*uv, "pip", "compile", "--quiet", "--no-header", "--no-annotate",
           "--python-platform", TARGETS[target], "--python-version", python,
           "--only-binary", ":all:", "-c", str(CONSTRAINTS), "--excludes", str(EXCLUDES),
           str(requirements)]
    # No uv.toml changes the answer, and uv must not fetch an interpreter for the Python version
    # it resolves for (it would try to download one): the package index is all it may reach.
    env = dict(os.environ, UV_NO_CONFIG="1", UV_PYTHON_DOWNLOADS="never")
    if cache:
        env["UV_CACHE_DIR"] = cache
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    if done.returncode == 0:
        pins = [ln for ln in done.stdout.splitlines() if ln and not ln.startswith(("#", " "))]
        return Outcome(target, python, True, f"{len(pins)} wheels")
    return Outcome(target, python, False, reason(done.stderr), done.stderr.strip())


def table(outcomes: list[Outcome]) -> str:
    width = max(len(t) for t in TARGETS)
    lines = [f"{'target':<{width}}  python  result"]
    for o in sorted(outcomes, key=lambda o: (list(TARGETS).index(o.target), o.python)):
        lines.append(f"{o.target:<{width}}  {o.python:<6}  {o.cell()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="the resolver's whole message")
    parser.add_argument("--cache-dir", help="uv's cache (default: uv's own, outside the repo)")
    args = parser.parse_args(argv)
    uv = find_uv()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="oncue-wheels-") as tmp:
        requirements = Path(tmp) / "requirements.in"
        requirements.write_text("\n".join(runtime_requirements()) + "\n")
        pairs = [(t, p) for t in TARGETS for p in PYTHONS]
        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(
                lambda pair: resolve(uv, requirements, pair[0], pair[1], args.cache_dir), pairs))
    print(table(outcomes))
    for o in outcomes:
        if o.refused:
            print(f"refused: {o.target}, Python {o.python}: {o.refused} (docs/decisions.md)")
        if args.verbose and not o.ok and o.detail:
            print(f"\n--- {o.target}, Python {o.python}\n{o.detail}")
    bad = [o for o in outcomes if not o.ok]
    supported = sum(1 for o in outcomes if not o.refused)
    print(f"{supported - sum(1 for o in bad if not o.refused)} of {supported} supported pairs "
          f"resolve to wheels; {len(outcomes) - supported} refused on purpose; "
          f"{time.monotonic() - started:.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
