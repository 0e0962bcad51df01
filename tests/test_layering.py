"""The layering rules of DESIGN.md, checked on every test run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_detectors_do_no_device_io() -> None:
    """import-linter cannot forbid one function of cv2; detectors must not open devices or files."""
    banned = re.compile(r"cv2\.(VideoCapture|imread|imwrite)|(?<![\w.])open\(|"
                        r"^\s*(import|from)\s+(sounddevice|mss|pynput|PyQt6)\b")
    offenders = []
    for path in sorted((ROOT / "detectors").glob("*.py")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if banned.search(code) and not code.lstrip().startswith(('"', "'")):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_only_ui_imports_qt() -> None:
    offenders = []
    for path in sorted((ROOT / "overlay").rglob("*.py")):
        rel = path.relative_to(ROOT / "overlay")
        if rel.parts[0] == "ui":
            continue
        if re.search(r"^\s*(from|import)\s+PyQt6", path.read_text(), re.M):
            offenders.append(str(rel))
    assert not offenders, offenders
