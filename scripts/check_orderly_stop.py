"""Ctrl+C / SIGTERM / SIGHUP mid-answer: how long OnCue takes to exit, and what the log kept.

Starts the real app (`python -m overlay --replay CLIP`, offscreen Qt) on a talking-head clip,
waits until its main loop runs, lets the replay play for `--after` seconds (the answer starts
with the speech, within the first second of lia__obama.mov), sends the signal, and reports the
exit code, the seconds from signal to exit, whether stderr holds a traceback, the session's
status and its answers. Exit 1 when any run misses the bar (exit within 10 s, no traceback,
status `ended`, an answer kept that reaches the moment of the signal).

    .venv/bin/python scripts/check_orderly_stop.py --after 25 --signal INT TERM HUP
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT.parent / "shared" / "data" / "video" / "lia__obama.mov"
READY = "OnCue main loop started"
BAR_S = 10.0


def stopped_session(db: Path) -> dict[str, object]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ((sid, status, duration),) = conn.execute(
            "SELECT id, status, duration_s FROM sessions").fetchall()
        answers = [json.loads(d) for (d,) in conn.execute(
            "SELECT data FROM events WHERE session_id = ? AND kind = 'answer'", (sid,))]
        ended = [json.loads(d) for (d,) in conn.execute(
            "SELECT data FROM events WHERE session_id = ? AND kind = 'session_ended'", (sid,))]
    return {"status": status, "duration_s": duration, "answers": answers,
            "reason": ended[0]["reason"] if ended else None}


def run_once(clip: Path, after: float, sig: signal.Signals, work: Path) -> dict[str, object]:
    data = work / sig.name
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONCUE_DATA_DIR=str(data),
               ONCUE_CONFIG_DIR=str(work / "config"))
    proc = subprocess.Popen([sys.executable, "-m", "overlay", "--replay", str(clip)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    lines: list[str] = []
    for line in proc.stderr:
        lines.append(line)
        if READY in line:
            break
    else:
        raise SystemExit(f"the app exited before its main loop:\n{''.join(lines)}")
    time.sleep(after)
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        _, rest = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, rest = proc.communicate()
    took = time.monotonic() - sent
    stderr = "".join(lines) + (rest or "")
    print(stderr, file=sys.stderr) if os.environ.get("SHOW_STDERR") else None
    found = stopped_session(data / "sessions.sqlite")
    answers = found["answers"]
    assert isinstance(answers, list)
    longest = max((a["end"] - a["start"] for a in answers), default=0.0)
    ok = (took <= BAR_S and "Traceback" not in stderr and found["status"] == "ended"
          and longest >= after - 2.0)
    return {"signal": sig.name, "exit_code": proc.returncode, "exit_s": round(took, 2),
            "traceback": "Traceback" in stderr, "status": found["status"],
            "reason": found["reason"], "answers": len(answers), "longest_answer_s":
            round(longest, 1), "ok": ok}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", type=Path, default=CLIP)
    ap.add_argument("--after", type=float, default=25.0, help="seconds of replay before the "
                    "signal")
    ap.add_argument("--signal", nargs="+", default=["INT", "TERM"],
                    choices=["INT", "TERM", "HUP"])
    args = ap.parse_args()
    if not args.clip.is_file():
        print(f"{args.clip}: not found (the labelled recordings are in ../shared/data)")
        return 2
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; clip {args.clip.name}, signal after "
          f"{args.after:.0f} s")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.signal:
            result = run_once(args.clip, args.after, getattr(signal, f"SIG{name}"), Path(tmp))
            bad += not result["ok"]
            print("  ".join(f"{k}={v}" for k, v in result.items()))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
