"""The machine part of the pre-flight check: CPU headroom, power, disk space (psutil).

The meeting app needs CPU for video encoding; a laptop on battery throttles and may sleep; a full
disk stops the meeting app's and OnCue's recordings. `MachineProbe` measures (psutil);
`machine_items` judges, from plain numbers, so the judging is tested without psutil.

CPU is measured over the check itself, while OnCue's own analysis runs: that is the load the
meeting app will share the machine with during the interview.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overlay.preflight.items import CheckItem

log = logging.getLogger(__name__)

GB = 1024 ** 3


@dataclass(frozen=True)
class MachineState:
    cpu_busy: float | None  # percent of all cores busy over the check, None if not measured
    own_cpu: float | None  # OnCue's share of that, percent of all cores
    cores: int
    on_battery: bool | None  # None: no battery (a desktop) or unknown
    battery_percent: float | None
    disk_free_bytes: int | None
    disk_path: str
    cpu_not_measured: str = "not measured"  # why cpu_busy is None


def machine_items(state: MachineState, *, max_busy: float = 70.0, min_battery: float = 30.0,
                  min_free_gb: float = 2.0) -> list[CheckItem]:
    g = "machine"
    items = []
    if state.cpu_busy is None:
        items.append(CheckItem("machine.cpu", g, "skip",
                               f"CPU load {state.cpu_not_measured}"))
    else:
        own = f" (OnCue {state.own_cpu:.0f}%)" if state.own_cpu is not None else ""
        detail = f"CPU {state.cpu_busy:.0f}% busy{own} on {state.cores} cores"
        ok = state.cpu_busy <= max_busy
        items.append(CheckItem("machine.cpu", g, "pass" if ok else "fail", detail,
                               "" if ok else "close other apps (browser tabs, updates, cloud "
                               "sync) so the meeting app has room"))
    if state.on_battery is None:
        items.append(CheckItem("machine.power", g, "skip", "no battery found (plugged in)"))
    elif state.on_battery:
        level = (f" at {state.battery_percent:.0f}%" if state.battery_percent is not None
                 else "")
        low = state.battery_percent is not None and state.battery_percent < min_battery
        items.append(CheckItem("machine.power", g, "fail",
                               f"on battery{level}" + (", running low" if low else ""),
                               "plug in the charger: laptops slow down and dim on battery"))
    else:
        items.append(CheckItem("machine.power", g, "pass", "plugged in"))
    if state.disk_free_bytes is None:
        items.append(CheckItem("machine.disk", g, "skip", "free disk space unknown"))
    else:
        free_gb = state.disk_free_bytes / GB
        ok = free_gb >= min_free_gb
        items.append(CheckItem("machine.disk", g, "pass" if ok else "fail",
                               f"{free_gb:.1f} GB free", "" if ok else
                               "free some disk space (empty the trash, old downloads)"))
    return items


class MachineProbe:
    """Brackets the check: `start()` before it, `state()` after it (CPU over the interval)."""

    def __init__(self, disk_path: Path) -> None:
        self.disk_path = disk_path
        self._started = False
        self._process: Any = None

    def start(self) -> None:
        import psutil

        # cpu_percent(None) measures from the previous call on the same object: this sets the
        # zero, so the same Process object must be asked again at the end.
        psutil.cpu_percent(None)
        self._process = psutil.Process()
        self._process.cpu_percent(None)
        self._started = True

    def state(self, measure_cpu: bool = True) -> MachineState:
        """`measure_cpu=False` when the load says nothing: a replay analysed as fast as
        possible keeps the CPU busy by design."""
        import psutil

        cores = psutil.cpu_count() or 1
        busy = own = None
        if measure_cpu and self._started and self._process is not None:
            busy = float(psutil.cpu_percent(None))
            own = float(self._process.cpu_percent(None)) / cores
        on_battery = percent = None
        try:
            battery = psutil.sensors_battery()
        except (AttributeError, NotImplementedError, OSError):  # not every platform has one
            battery = None
        if battery is not None:
            # power_plugged is None when the OS cannot tell: then say nothing rather than guess.
            on_battery = None if battery.power_plugged is None else not battery.power_plugged
            percent = float(battery.percent)
        try:
            free: int | None = int(psutil.disk_usage(str(self.disk_path)).free)
        except OSError as exc:
            log.warning("disk space of %s unknown: %s", self.disk_path, exc)
            free = None
        why = "not measured" if measure_cpu else "not measured (a fast replay keeps it busy)"
        return MachineState(busy, own, cores, on_battery, percent, free, str(self.disk_path),
                            why)
