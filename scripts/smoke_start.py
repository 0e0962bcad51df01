"""The README's run command, as a new user runs it: `python3 scripts/start.py --replay CLIP`.

Under a fresh Xvfb with a compositor (the real xcb platform, not offscreen Qt), on a clip this
script makes itself (tests/clips.py), with the replay ending the session and OnCue quitting at
the recording's end (ONCUE_QUIT_AT_END=1, as a test would close the summary). Passes when the
app reached its main loop, exited 0 and printed no traceback. `.ci/run` runs it inside the fresh
Debian chroot, after the tests, so "the run command works on a fresh machine" is checked too.
Run it with the venv's Python (it makes the clip with PyAV):
`.venv/bin/python scripts/smoke_start.py`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import free_display, start_compositor, start_xvfb  # noqa: E402

from overlay.process_environment import environment_for_other_programs  # noqa: E402
from tests.clips import make_clip  # noqa: E402

READY = "OnCue main loop started"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="oncue-start-") as tmp:
        clip = make_clip(Path(tmp) / "interview.mp4", seconds=6.0)
        n = free_display(80)
        xvfb = start_xvfb(n)
        compositor = start_compositor(n)
        # The user's environment: with MediaPipe 1.2.3 (Python 3.13) importing overlay (the
        # desk's helpers do) pointed this process's proxies nowhere, and the start downloads
        # the face model into its fresh data dir.
        env = {k: v for k, v in environment_for_other_programs().items()
               if not k.startswith("QT_QPA")}
        env.update(DISPLAY=f":{n}", ONCUE_QUIT_AT_END="1", ONCUE_DATA_DIR=f"{tmp}/data",
                   ONCUE_CONFIG_DIR=f"{tmp}/config")
        try:
            # The interpreter under the venv this runs in: the plain `python3` a user types.
            python = getattr(sys, "_base_executable", sys.executable)
            done = subprocess.run([python, str(ROOT / "scripts" / "start.py"),
                                   "--replay", str(clip)], env=env, capture_output=True,
                                  text=True, timeout=180, stdin=subprocess.DEVNULL)
        finally:
            compositor.kill()
            xvfb.kill()
    problems = []
    if done.returncode != 0:
        problems.append(f"exit code {done.returncode}")
    if READY not in done.stderr:
        problems.append("the main loop was never reached")
    if "Traceback" in done.stderr:
        problems.append("a traceback was printed")
    if problems:
        sys.stderr.write(done.stderr[-3000:])
        print(f"start.py --replay: FAIL ({'; '.join(problems)})")
        return 1
    print("start.py --replay under Xvfb: reached the main loop, quit at the recording's end, "
          "exit 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
