#!/usr/bin/env bash
# Set up OnCue if needed, then start it. Arguments go to `oncue` (e.g. --replay FILE, analyze FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/oncue "$@"
