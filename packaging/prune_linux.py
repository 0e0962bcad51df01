"""Cut what the Linux bundle would carry for nothing: Qt plugins OnCue cannot use, and the
system libraries only they linked (packaging/oncue.spec calls `prune`).

PyInstaller collects every plugin of the Qt modules used, and every system library they link.
On Linux that brings GTK 3 and its stack (for the GTK platform theme) and Qt's Wayland, EGLFS,
VNC and PDF parts. OnCue runs through xcb, also under Wayland (overlay/ui/app.py: a Wayland
client cannot place its window or stay on top), or offscreen; it draws its own look, so
Qt's built-in style replaces the GTK theme; it shows no PDF. Bundling a system GTK also tends to
break on other distributions (its theme engines and pixbuf loaders come from the host).
A library is dropped only when no kept binary links it (ldd, transitive) and nothing loads it
by name (KEEP: Python's own library, which the bootloader opens; the ctypes users:
sounddevice's PortAudio and mss's X11/xcb). What KEEP holds counts as a root, so its own
dependencies (ALSA and JACK for PortAudio) stay too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

PLUGINS = "PyQt6/Qt6/plugins/"
DROP_PLUGINS = (
    "platforms/libqwayland", "platforms/libqeglfs", "platforms/libqlinuxfb", "platforms/libqvnc",
    "platforms/libqvkkhrdisplay", "platforms/libqminimalegl", "wayland-", "egldeviceintegrations/",
    "generic/", "platformthemes/libqgtk3", "imageformats/libqpdf",
)
KEEP = ("libpython", "libportaudio", "libX11.", "libXfixes", "libXrandr", "libxcb.", "libxcb-randr",
        "libxcb-render", "libxcb-shm", "libxcb-xfixes")

Entry = tuple[str, str, str]  # PyInstaller TOC: (destination, source, typecode)


def _linked(path: str) -> set[str]:
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if "=>" in line}


def _candidate(dest: str, src: str) -> bool:
    """A shared library that is there only because something links it."""
    name = Path(dest).name
    if not name.startswith("lib") or ".so" not in name:
        return False
    top_level_system = "/" not in dest and "site-packages" not in src
    return top_level_system or dest.startswith("PyQt6/Qt6/lib/")


def prune(binaries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """The binaries to keep, and the destinations dropped."""
    dropped = [d for d, _, _ in binaries
               if d.startswith(PLUGINS) and d[len(PLUGINS):].startswith(DROP_PLUGINS)]
    rest = [e for e in binaries if e[0] not in set(dropped)]
    roots = [e for e in rest if e[2] != "SYMLINK" and (not _candidate(e[0], e[1])
                                                     or Path(e[0]).name.startswith(KEEP))]
    needed: set[str] = set()
    for _, src, _ in roots:
        needed |= _linked(src)
    kept = []
    for entry in rest:
        name = Path(entry[0]).name
        if entry in roots or entry[2] == "SYMLINK" or name in needed:
            kept.append(entry)
        else:
            dropped.append(entry[0])
    return kept, dropped
