#!/usr/bin/env bash
# Linux and macOS shorthand for `python3 scripts/start.py` (set up if needed, then start OnCue).
exec python3 "$(dirname "$0")/start.py" "$@"
