"""What an installed OnCue weighs: a virtual environment's size and its largest distributions.

    .venv/bin/python scripts/install_size.py            # this interpreter's environment
    .venv/bin/python scripts/install_size.py --top 25

Sizes come from each distribution's RECORD (the files pip installed), so a package's bundled
libraries (`cv2` + `opencv_contrib_python.libs`) count under the distribution that brought them.
Each distribution is marked `run` when OnCue needs it at run time (in the dependency closure of
the `oncue` distribution without extras), otherwise `dev` (test tools, the bundler) or `other`.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import platform
import re
import sys
from pathlib import Path

MB = 1e6


def _name(req: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0].lower().replace("_", "-")


def runtime_closure(root: str = "oncue") -> set[str]:
    """Distributions `root` needs at run time: its requirements without extras, recursively."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        todo += [_name(r) for r in reqs if "extra ==" not in r]
    return seen


def dist_bytes(dist: md.Distribution) -> int:
    total = 0
    for f in dist.files or []:
        try:
            total += f.locate().stat().st_size
        except OSError:
            pass
    return total


def tree_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    run = runtime_closure()
    dev = {_name(r) for r in (md.requires("oncue") or []) if "extra ==" in r}
    rows = []
    for dist in md.distributions():
        name = _name(dist.metadata["Name"])
        kind = "run" if name in run else "dev" if name in dev else "other"
        rows.append((dist_bytes(dist), name, dist.version, kind))
    rows.sort(reverse=True)
    prefix = Path(sys.prefix)
    total = tree_bytes(prefix)
    by_kind = {k: sum(r[0] for r in rows if r[3] == k) for k in ("run", "dev", "other")}
    print(f"environment: {prefix} {total / MB:.0f} MB on disk; distributions: run "
          f"{by_kind['run'] / MB:.0f} MB, dev {by_kind['dev'] / MB:.0f} MB, other "
          f"{by_kind['other'] / MB:.0f} MB")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    for size, name, version, kind in rows[:args.top]:
        print(f"  {size / MB:7.1f} MB  {kind:5s} {name} {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
