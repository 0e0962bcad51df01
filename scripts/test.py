"""Set up OnCue with its test tools if needed, then run the tests: `python3 scripts/test.py`.

Arguments go to pytest (e.g. `-k gaze -x`). Works on Linux, macOS and Windows; Qt runs offscreen
unless QT_QPA_PLATFORM says otherwise (the Xvfb tests start their own X server).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import setup  # noqa: E402  (scripts/setup.py, beside this file)


def main() -> int:
    setup.main(["--dev"])
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    py = str(setup.venv_python())
    # tests/test_layering.py runs the import-linter contracts as one of the tests.
    try:
        return subprocess.run([py, "-m", "pytest", *sys.argv[1:]], cwd=setup.ROOT, env=env,
                              check=False).returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
