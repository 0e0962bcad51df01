#!/usr/bin/env bash
# Linux and macOS shorthand for `python3 scripts/test.py` (set up if needed, then run the tests).
exec python3 "$(dirname "$0")/test.py" "$@"
