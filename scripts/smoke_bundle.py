"""Start a built OnCue bundle as a user would: analyse a clip, start the overlay on a replay, quit.

    .venv/bin/python scripts/smoke_bundle.py                 # the bundle in dist/
    .venv/bin/python scripts/smoke_bundle.py --bundle PATH   # or ONCUE_BUNDLE=PATH

Runs the bundle's own executable (never this Python) with private data and config folders and no
ONCUE_FACE_MODEL, so it must bring its own model, config defaults, Qt plugins and libraries:
1. `oncue analyze CLIP --json --report`: exit 0, frames analysed, the JSON and the report written;
   with `--face-clip FILE` (a recording of a real face) also faces found in it;
2. `oncue --replay CLIP`: reaches its main loop (its ready line), then ends by itself at the end
   of the recording or at `--quit-after`; if it outlives both, it is stopped with SIGTERM (the
   way a desktop session ends it), which is accepted only after the ready line;
3. where the bundle also has a windowed program (Windows OnCue.exe, the macOS app's OnCue), that
   one on the replay too, which must quit with exit 0.
Nothing may print a traceback or a missing module. On Linux without a display, Xvfb (with
xcompmgr when installed) is started with the helpers in scripts/screenshots.py, and the overlay
runs on the real xcb platform with pynput's X11 backend; elsewhere the desktop's own platform
(`--offscreen` for Qt's offscreen one). The clip is made here (tests/clips.py), never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

READY_LINE = "OnCue main loop started"  # overlay/ui/app.py
CLIP_S = 4.0
BAD_SIGNS = ("Traceback", "No module named", "ModuleNotFoundError", "ImportError",
             "could not load the Qt platform plugin", "Could not find the Qt platform plugin")


class SmokeFailed(Exception):
    pass


def console_executable(bundle: Path) -> Path:
    """The console program inside a bundle folder, a macOS .app, or the program itself."""
    if bundle.is_file():
        return bundle
    for rel in ("oncue", "oncue-cli.exe", "oncue-cli", "Contents/MacOS/oncue-cli"):
        if (bundle / rel).is_file():
            return bundle / rel
    raise SmokeFailed(f"{bundle}: no OnCue executable in it (build it: scripts/build_bundle.py)")


def windowed_executable(console: Path) -> Path | None:
    """The no-console program beside the console one (Windows, macOS), if the bundle has one."""
    for name in ("OnCue.exe", "OnCue"):
        if (console.parent / name).is_file() and console.name != name:
            return console.parent / name
    return None


def smoke_windowed(exe: Path, clip: Path, work: Path, env: dict[str, str]) -> str:
    """The double-clicked program has no stdout or stderr (packaging/rthook_streams.py gives it a
    log file): it must start on the replay and quit with exit 0 at --quit-after."""
    start = time.monotonic()
    done = subprocess.run([str(exe), "--replay", str(clip), "--quit-after", "8"], env=env,
                          cwd=work, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SmokeFailed(f"{exe.name} --replay: exit {done.returncode}")
    return f"{exe.name} --replay (windowed): exit 0 after {time.monotonic() - start:.1f} s"


def default_bundle() -> Path:
    env = os.environ.get("ONCUE_BUNDLE")
    if env:
        return Path(env)
    return ROOT / "dist" / ("OnCue.app" if sys.platform == "darwin" else "OnCue")


def clean_env(work: Path) -> dict[str, str]:
    """The user's environment minus anything that would let the bundle lean on this checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "ONCUE_FACE_MODEL")}
    env.update(ONCUE_DATA_DIR=str(work / "data"), ONCUE_CONFIG_DIR=str(work / "config"),
               ONCUE_CACHE_DIR=str(work / "cache"))
    return env


def check_output(what: str, result_code: int | None, stderr: str, accept: tuple[int, ...]) -> None:
    bad = [sign for sign in BAD_SIGNS if sign in stderr]
    if bad or result_code not in accept:
        raise SmokeFailed(f"{what}: exit {result_code}, {bad or 'no traceback'}; stderr:\n"
                          f"{stderr[-3000:]}")


def smoke_analyze(exe: Path, clip: Path, work: Path, env: dict[str, str],
                  need_face: bool = False) -> str:
    out, report = work / f"{clip.stem}.json", work / f"{clip.stem}.html"
    start = time.monotonic()
    done = subprocess.run([str(exe), "analyze", str(clip), "--json", str(out), "--report",
                           str(report)], env=env, cwd=work, capture_output=True, text=True,
                          timeout=600)
    check_output(f"analyze {clip.name}", done.returncode, done.stderr, (0,))
    doc = json.loads(out.read_text())
    frames = doc["source"]["frames_analysed"]
    faces = sum(1 for f in doc["frames"] if f["face"])
    if frames < 1 or not report.is_file():
        raise SmokeFailed(f"analyze {clip.name}: {frames} frames, report {report.is_file()}")
    if need_face and faces == 0:
        raise SmokeFailed(f"analyze {clip.name}: no face found in {frames} frames")
    return (f"analyze {clip.name}: exit 0, {frames} frames, {faces} with a face, report "
            f"{report.stat().st_size // 1024} kB, {time.monotonic() - start:.1f} s")


def smoke_overlay(exe: Path, clip: Path, work: Path, env: dict[str, str],
                  quit_after: float, grace_s: float = 30.0) -> str:
    cmd = [str(exe), "--replay", str(clip), "--quit-after", str(quit_after)]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines: list[str] = []
    ready_at = None
    for line in proc.stderr:  # ends when the process closes stderr (it exits)
        lines.append(line)
        if READY_LINE in line and ready_at is None:
            ready_at = time.monotonic() - start
            break
    if ready_at is None:
        proc.wait(timeout=30)
        check_output("overlay", proc.returncode, "".join(lines) + "\n(no ready line)", ())
    how = "by itself"
    try:
        _, rest = proc.communicate(timeout=quit_after + grace_s)
    except subprocess.TimeoutExpired:
        how = "by SIGTERM"
        proc.terminate()  # SIGTERM on POSIX; TerminateProcess (exit 1) on Windows
        _, rest = proc.communicate(timeout=30)
    stderr = "".join(lines) + rest
    accept = (0, -signal.SIGTERM if os.name == "posix" else 1) if how == "by SIGTERM" else (0,)
    check_output("overlay", proc.returncode, stderr, accept)
    if env.get("PYNPUT_BACKEND") == "xorg" and "global hotkeys are off" in stderr:
        raise SmokeFailed(f"overlay: pynput's X11 backend did not start:\n{stderr[-2000:]}")
    ended = time.monotonic() - start
    if how == "by itself":
        how = "at --quit-after" if ended >= quit_after else "at the end of the recording"
    notices = [line.strip() for line in stderr.splitlines()
               if line.startswith(("oncue:", "WARNING", "ERROR"))]
    return (f"overlay --replay: main loop after {ready_at:.1f} s, ended {how} after "
            f"{ended:.1f} s with exit {proc.returncode}"
            + "".join(f"\n  said: {line}" for line in notices))


def with_display(env: dict[str, str], work: Path, offscreen: bool) -> list[subprocess.Popen]:
    """Xvfb (+ xcompmgr) on Linux without a display; the desktop's own platform elsewhere."""
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
        env.setdefault("PYNPUT_BACKEND", "dummy")
        return []
    if not sys.platform.startswith("linux") or env.get("DISPLAY"):
        return []
    import shutil

    import screenshots

    if shutil.which("Xvfb") is None:
        raise SmokeFailed("Xvfb is not installed (apt-get install xvfb), or pass --offscreen")
    display = screenshots.free_display()
    procs = [screenshots.start_xvfb(display)]
    if shutil.which("xcompmgr"):
        procs.append(screenshots.start_compositor(display))
    env.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb", PYNPUT_BACKEND="xorg")
    env.pop("WAYLAND_DISPLAY", None)
    return procs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    parser.add_argument("--face-clip", type=Path,
                        help="also analyse this recording of a face and require faces found")
    parser.add_argument("--offscreen", action="store_true",
                        help="Qt's offscreen platform for the overlay (no display needed)")
    parser.add_argument("--quit-after", type=float, default=CLIP_S + 20.0)
    args = parser.parse_args(argv)

    from tests.clips import make_clip

    try:
        exe = console_executable(args.bundle)
        with tempfile.TemporaryDirectory(prefix="oncue-smoke-") as tmp:
            work = Path(tmp)
            clip = make_clip(work / "clip.mp4", seconds=CLIP_S)
            env = clean_env(work)
            print(f"bundle: {exe}")
            # analyze needs no display: offscreen, as on a CI runner without one.
            print(smoke_analyze(exe, clip, work, dict(env, QT_QPA_PLATFORM="offscreen")))
            if args.face_clip is not None:
                print(smoke_analyze(exe, args.face_clip, work,
                                    dict(env, QT_QPA_PLATFORM="offscreen"), need_face=True))
            servers = with_display(env, work, args.offscreen)
            try:
                print(smoke_overlay(exe, clip, work, env, args.quit_after))
                windowed = windowed_executable(exe)
                if windowed is not None:
                    print(smoke_windowed(windowed, clip, work, env))
            finally:
                for proc in reversed(servers):
                    proc.terminate()
                    proc.wait(timeout=10)
    except (SmokeFailed, subprocess.TimeoutExpired, RuntimeError) as exc:
        print(f"smoke_bundle: FAILED: {exc}", file=sys.stderr)
        return 1
    print("smoke_bundle: OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
