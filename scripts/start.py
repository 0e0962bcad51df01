"""Set up OnCue if needed, then start it: `python3 scripts/start.py [oncue arguments]`.

Arguments go to `oncue`, e.g. `--replay interview.mp4` or `analyze interview.mp4 --json out.json`.
Works the same on Linux, macOS and Windows (`py scripts\\start.py`); needs only Python 3.11+.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import setup  # noqa: E402  (scripts/setup.py, beside this file)


def main() -> int:
    setup.main([])
    # A child process rather than exec: exec does not exist as such on Windows, and the exit
    # code (130 after Ctrl+C) is passed on either way.
    try:
        return subprocess.run([str(setup.oncue_command()), *sys.argv[1:]], check=False).returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
