"""Hotkey combinations in pynput's notation ("<ctrl>+<alt>+o"), parsed once for every backend.

The backends that take the key (an X11 grab, a Windows hook that suppresses) match the key
themselves, so they need the combination as data: its modifiers and its key, and the key's name in
each system's terms (an X keysym name, a Windows virtual-key code).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

MODIFIERS = ("ctrl", "alt", "shift", "cmd")
ALIASES = {"control": "ctrl", "option": "alt", "super": "cmd", "win": "cmd", "return": "enter",
           "pgup": "page_up", "pgdn": "page_down", "escape": "esc"}
# Named keys: X keysym name (X11 keysymdef.h) and Windows virtual-key code (Microsoft,
# "Virtual-Key Codes").
NAMED_KEYS: dict[str, tuple[str, int]] = {
    "enter": ("Return", 0x0D), "space": ("space", 0x20), "tab": ("Tab", 0x09),
    "esc": ("Escape", 0x1B), "left": ("Left", 0x25), "up": ("Up", 0x26),
    "right": ("Right", 0x27), "down": ("Down", 0x28), "page_up": ("Prior", 0x21),
    "page_down": ("Next", 0x22), "home": ("Home", 0x24), "end": ("End", 0x23),
    **{f"f{n}": (f"F{n}", 0x6F + n) for n in range(1, 13)},
}


class ComboError(ValueError):
    pass


@dataclass(frozen=True)
class Combo:
    modifiers: frozenset[str]
    key: str  # a lower-case letter or digit, or a NAMED_KEYS name

    @property
    def x11_keysym(self) -> str:
        return NAMED_KEYS[self.key][0] if self.key in NAMED_KEYS else self.key

    @property
    def windows_vk(self) -> int:
        # Letters and digits are their upper-case ASCII codes (VK_A = 0x41, VK_0 = 0x30).
        return NAMED_KEYS[self.key][1] if self.key in NAMED_KEYS else ord(self.key.upper())

    def text(self) -> str:
        mods = "+".join(m.capitalize() for m in MODIFIERS if m in self.modifiers)
        return f"{mods}+{self.key.replace('_', ' ').capitalize()}"


def parse_combo(text: str) -> Combo:
    """'<ctrl>+<alt>+o' -> Combo({ctrl, alt}, 'o'); a clear ComboError for anything else."""
    mods: set[str] = set()
    key = ""
    for part in text.strip().lower().split("+"):
        name = part.strip().removeprefix("<").removesuffix(">")
        name = ALIASES.get(name, name)
        if name in MODIFIERS:
            mods.add(name)
        elif key:
            raise ComboError(f"{text!r}: more than one key besides the modifiers")
        elif name in NAMED_KEYS or (len(name) == 1 and name.isalnum() and name.isascii()):
            key = name
        else:
            raise ComboError(f"{text!r}: unknown key {part!r} (use a letter, a digit, or one "
                             f"of {', '.join(sorted(NAMED_KEYS))})")
    if not key:
        raise ComboError(f"{text!r}: no key besides the modifiers")
    if not mods & {"ctrl", "alt", "cmd"}:
        raise ComboError(f"{text!r}: needs Ctrl, Alt or Cmd, or it would take the key from "
                         f"every app")
    return Combo(frozenset(mods), key)


def parse_bindings(bindings: Mapping[str, str]) -> dict[str, Combo]:
    """command -> Combo for every binding that is not empty; two commands on one combo is an
    error (one of them would never fire)."""
    combos: dict[str, Combo] = {}
    for command, text in bindings.items():
        if not text:
            continue
        combo = parse_combo(text)
        for other, seen in combos.items():
            if seen == combo:
                raise ComboError(f"{text!r} is bound to both {other} and {command}")
        combos[command] = combo
    return combos
