"""The overlay's native window layer on macOS and Windows, through fakes of objc_msgSend and
user32 that record every call: what is set, with which arguments, and what the user is told."""

from __future__ import annotations

from typing import Any

import pytest

from overlay.ui import capture_privacy as cp
from overlay.ui import window_native as wn
from overlay.ui import window_native_win as ww

VIEW, WINDOW, PANEL_CLASS = 0x1000, 0x2000, 0x3000


class FakeObjC:
    """Answers like AppKit for an NSView inside an NSPanel; records each message."""

    def __init__(self, behavior: int = 0, style: int = 0, has_window: bool = True) -> None:
        self.sent: list[tuple[int, str, tuple[Any, ...]]] = []
        self.behavior, self.style, self.has_window = behavior, style, has_window

    def send(self, receiver: int, selector: str, *args: Any) -> Any:
        assert selector in wn.SELECTORS, selector  # every selector has a typed signature
        assert len(args) == len(wn.SELECTORS[selector][0]), (selector, args)
        self.sent.append((receiver, selector, args))
        return {"window": WINDOW if self.has_window else 0,
                "isKindOfClass:": args[:1] == (PANEL_CLASS,),
                "collectionBehavior": self.behavior, "styleMask": self.style}.get(selector)

    def cls(self, name: str) -> int:
        return PANEL_CLASS if name == "NSPanel" else 0

    def to_window(self) -> dict[str, tuple[Any, ...]]:
        return {sel: args for receiver, sel, args in self.sent if receiver == WINDOW}


def test_macos_overlay_stays_visible_in_every_space_above_the_meeting() -> None:
    objc = FakeObjC(behavior=wn.MANAGED | wn.PARTICIPATES_IN_CYCLE | wn.MOVE_TO_ACTIVE_SPACE
                    | (1 << 11))  # an unrelated bit (fullScreenAllowsTiling) is kept
    result = wn.mac_keep_visible(objc, VIEW)
    assert objc.sent[0] == (VIEW, "window", ())  # the NSWindow is reached from Qt's NSView
    sent = objc.to_window()
    assert sent["setHidesOnDeactivate:"] == (False,)
    assert sent["setStyleMask:"] == (wn.NS_NONACTIVATING_PANEL,)
    (behavior,) = sent["setCollectionBehavior:"]
    assert behavior == (1 << 0) | (1 << 4) | (1 << 6) | (1 << 8) | (1 << 11)
    assert not behavior & (wn.MANAGED | wn.PARTICIPATES_IN_CYCLE | wn.MOVE_TO_ACTIVE_SPACE)
    assert sent["setLevel:"] == (25,)  # NSStatusWindowLevel: above the menu bar (24)
    assert sent["setIgnoresMouseEvents:"] == (True,)
    assert result.problem == "" and "level=25" in result.done


def test_macos_keeps_an_existing_nonactivating_style_and_can_take_clicks() -> None:
    objc = FakeObjC(style=wn.NS_NONACTIVATING_PANEL | 1)
    wn.mac_keep_visible(objc, VIEW, click_through=False)
    sent = objc.to_window()
    assert "setStyleMask:" not in sent and "setIgnoresMouseEvents:" not in sent


def test_macos_without_a_window_says_so_and_sends_nothing_to_it() -> None:
    objc = FakeObjC(has_window=False)
    result = wn.mac_keep_visible(objc, VIEW)
    assert result.problem and objc.to_window() == {}
    assert wn.mac_keep_visible(objc, 0).problem  # no view at all: not even "window" is sent


class FakeUser32:
    def __init__(self, style: int = 0, affinity_ok: tuple[bool, ...] = (True,),
                 errors: tuple[int, ...] = (), pos_ok: bool = True) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.style, self.pos_ok = style, pos_ok
        self._affinity_ok, self._errors = list(affinity_ok), list(errors)
        self._error = 0

    def _call(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def get_ex_style(self, hwnd: int) -> int:
        self._call("GetWindowLongPtrW", hwnd, ww.GWL_EXSTYLE)
        return self.style

    def set_ex_style(self, hwnd: int, style: int) -> int:
        self._call("SetWindowLongPtrW", hwnd, ww.GWL_EXSTYLE, style)
        previous, self.style = self.style, style
        return previous

    def set_window_pos(self, hwnd: int, after: int, flags: int) -> bool:
        self._call("SetWindowPos", hwnd, after, flags)
        self._error = 0 if self.pos_ok else 5
        return self.pos_ok

    def set_layered_alpha(self, hwnd: int, alpha: int) -> bool:
        self._call("SetLayeredWindowAttributes", hwnd, alpha)
        return True

    def set_display_affinity(self, hwnd: int, affinity: int) -> bool:
        self._call("SetWindowDisplayAffinity", hwnd, affinity)
        ok = self._affinity_ok.pop(0)
        # Like the real thing: the error code is the one of the call just made.
        self._error = 0 if ok else self._errors.pop(0)
        return ok

    def get_display_affinity(self, hwnd: int) -> int | None:
        return None

    def last_error(self) -> int:
        return self._error

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


HWND = 0xBEEF


def test_windows_overlay_is_topmost_and_click_through() -> None:
    user32 = FakeUser32(style=0)
    result = ww.windows_keep_on_top(user32, HWND)
    set_style = dict(user32.calls)["SetWindowLongPtrW"]
    assert set_style[:2] == (HWND, -20)
    for bit in (0x20, 0x80000, 0x80, 0x08000000):  # TRANSPARENT, LAYERED, TOOLWINDOW, NOACTIVATE
        assert set_style[2] & bit
    # The window was not layered before: it must be given its alpha or it stays invisible.
    assert dict(user32.calls)["SetLayeredWindowAttributes"] == (HWND, 255)
    hwnd, after, flags = dict(user32.calls)["SetWindowPos"]
    assert (hwnd, after) == (HWND, -1)  # HWND_TOPMOST
    assert flags & ww.SWP_NOMOVE and flags & ww.SWP_NOSIZE and flags & ww.SWP_NOACTIVATE
    assert result.problem == "" and "HWND_TOPMOST" in result.done


def test_windows_leaves_qts_styles_alone_when_already_right() -> None:
    qt_style = ww.WS_EX_LAYERED | ww.WS_EX_TRANSPARENT | ww.WS_EX_TOOLWINDOW | ww.WS_EX_NOACTIVATE
    user32 = FakeUser32(style=qt_style | ww.WS_EX_TOPMOST)
    ww.windows_keep_on_top(user32, HWND)
    assert user32.names() == ["GetWindowLongPtrW", "SetWindowPos"]


def test_windows_topmost_failure_names_the_error() -> None:
    result = ww.windows_keep_on_top(FakeUser32(style=0, pos_ok=False), HWND)
    assert "error 5" in result.problem


def test_windows_capture_exclusion_on_windows_10_2004_and_later() -> None:
    user32 = FakeUser32()
    result = cp.windows_exclude(user32, HWND, build=22631)
    assert user32.calls == [("SetWindowDisplayAffinity", (HWND, 0x11))]
    assert result.hidden and result.notice == ""


def test_windows_before_2004_is_told_the_overlay_is_a_black_box() -> None:
    result = cp.windows_exclude(FakeUser32(), HWND, build=18363)
    assert not result.hidden and "black box" in result.notice


def test_windows_falls_back_to_monitor_affinity_with_the_first_error_code() -> None:
    user32 = FakeUser32(affinity_ok=(False, True), errors=(87,))
    result = cp.windows_exclude(user32, HWND, build=22631)
    assert [args[1] for _, args in user32.calls] == [0x11, 0x01]
    assert "error 87" in result.how and "black box" in result.notice


def test_windows_refusal_is_told_with_its_error_code() -> None:
    user32 = FakeUser32(affinity_ok=(False, False), errors=(87, 5))
    result = cp.windows_exclude(user32, HWND, build=22631)
    assert not result.hidden and "error 5" in result.notice and "shared screen" in result.notice


@pytest.mark.parametrize(("major", "hidden"), [(14, True), (15, False), (26, False)])
def test_macos_sharing_type_is_set_but_not_promised_from_macos_15(major: int,
                                                                  hidden: bool) -> None:
    objc = FakeObjC()
    result = cp.mac_exclude(objc, VIEW, major)
    assert objc.to_window() == {"setSharingType:": (0,)}  # NSWindowSharingNone
    assert result.hidden is hidden
    assert ("may show in a shared screen" in result.notice) is not hidden


def test_linux_says_the_overlay_may_show() -> None:
    assert "may show in a shared screen" in cp.linux_capture().notice
    from overlay.platform_probes import macos_major

    assert macos_major("15.1.2") == 15 and macos_major("") == 0


def test_keeper_applies_on_show_through_the_injected_layers(qapp) -> None:  # type: ignore[no-untyped-def]
    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QWidget

    from overlay.ui.window_platform import OverlayKeeper

    widget = QWidget(None, Qt.WindowType.Tool)
    objc = FakeObjC()
    keeper = OverlayKeeper(widget, platform="darwin", objc=objc)
    assert widget.testAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
    first = keeper.apply()
    assert first.problem == "" and objc.to_window()["setLevel:"] == (25,)
    handle = widget.windowHandle()
    assert handle is not None and handle.property("_q_macAlwaysShowToolWindow") is True
    user32 = FakeUser32()
    win = OverlayKeeper(QWidget(), platform="win32", user32=user32)
    assert win.apply().problem == "" and "SetWindowPos" in user32.names()
    widget.deleteLater()
