"""PyInstaller runtime hook (Linux): let `ctypes.util.find_library` find the bundle's own copies.

sounddevice looks PortAudio up with `find_library("portaudio")` and mss looks up X11/xcb the same
way; on Linux that asks the system's linker cache only, so on a machine without `libportaudio2`
the microphone would be off although the bundle carries the library. PyInstaller patches
find_library this way on Windows only (its loader's pyimod03_ctypes). The bundled copy wins;
anything the bundle lacks is looked up as before.
"""

import ctypes.util
import glob
import os
import sys

_system_find_library = ctypes.util.find_library


def _find_library(name):  # type: ignore[no-untyped-def]
    bundled = sorted(glob.glob(os.path.join(sys._MEIPASS, f"lib{name}.so*")))
    return bundled[0] if bundled else _system_find_library(name)


if sys.platform.startswith("linux"):
    ctypes.util.find_library = _find_library
