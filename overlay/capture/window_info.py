"""What the platforms' window lists give for one window (meeting_window_x11, _win, _mac).

Its own module so that the per-OS listers and the meeting finder that picks among their windows
import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WindowInfo:
    """One visible top-level window as the platform lists it."""

    title: str
    owner: str  # X11: WM_CLASS; Windows: the window class; macOS: the owning app's name
    x: int
    y: int
    width: int
    height: int
