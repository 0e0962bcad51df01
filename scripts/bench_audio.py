"""CPU seconds per second of audio for the whole speaking path (target <= 0.1 on the dev machine).

Feeds recordings through `SpeakingAnalyzer` in 20 ms chunks, as the microphone ring delivers them,
and reports process CPU time (all threads, so Silero's native code counts) over audio duration.
Also the voice detector alone, and a quiet room (no speech), where the WebRTC gate keeps Silero and
the frame analysis idle. Exits 1 if the speech-dense recording costs more than --limit.

    .venv/bin/python scripts/bench_audio.py [--data ../shared/data] [--limit 0.1]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detectors.speaking import SpeakingAnalyzer  # noqa: E402
from detectors.voice import VoiceActivity  # noqa: E402
from overlay.capture.media import read_audio  # noqa: E402

CHUNK = 320  # 20 ms


def cpu_per_second(x: np.ndarray, analyzer: SpeakingAnalyzer | VoiceActivity,
                   chunk: int = CHUNK) -> float:
    start = time.process_time()
    for i in range(0, x.size, chunk):
        if isinstance(analyzer, SpeakingAnalyzer):
            analyzer.feed_audio(x[i:i + chunk], i / 16000)
        else:
            analyzer.feed(x[i:i + chunk], i / 16000)
    return (time.process_time() - start) / (x.size / 16000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--limit", type=float, default=0.1)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"{platform.platform()}; load average {os.getloadavg()[0]:.1f} at start")
    audio = args.data / "audio"
    clips = {
        "speech-dense (long/silero_test_60s)": audio / "long" / "silero_test_60s.wav",
        "meeting (vad-ami/dev00)": audio / "vad-ami" / "dev00.wav",
        "typing (noise/keyboard_typing)": audio / "noise" / "keyboard_typing.wav",
    }
    rows: list[tuple[str, float, float, float, float]] = []
    for name, path in clips.items():
        if not path.exists():
            print(f"{path}: absent, skipped")
            continue
        x = read_audio(path)
        rows.append((name, x.size / 16000, cpu_per_second(x, SpeakingAnalyzer()),
                     cpu_per_second(x, VoiceActivity()),
                     cpu_per_second(x, SpeakingAnalyzer(), chunk=1600)))
    quiet = (0.0005 * np.random.default_rng(0).standard_normal(16000 * 60)).astype(np.float32)
    rows.append(("quiet room (synthetic, 60 s)", 60.0, cpu_per_second(quiet, SpeakingAnalyzer()),
                 cpu_per_second(quiet, VoiceActivity()),
                 cpu_per_second(quiet, SpeakingAnalyzer(), chunk=1600)))
    print(f"{'audio':<38} {'seconds':>8} {'whole path':>11} {'voice only':>11} "
          f"{'whole, 100 ms drains':>21}  (CPU s per s; 20 ms chunks unless said)")
    for name, secs, whole, voice, drained in rows:
        print(f"{name:<38} {secs:>8.1f} {whole:>11.3f} {voice:>11.3f} {drained:>21.3f}")
    worst = max(r[2] for r in rows)
    print(f"worst whole path {worst:.3f} CPU s per s; limit {args.limit}; load average now "
          f"{os.getloadavg()[0]:.1f} (other processes share the 2 cores: figures vary by ~20%)")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
