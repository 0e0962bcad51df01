#!/usr/bin/env bash
# Linux and macOS shorthand for `python3 scripts/setup.py` (see there).
exec python3 "$(dirname "$0")/setup.py" "$@"
