"""Windows: the meeting apps' mute buttons through Microsoft UI Automation (comtypes).

As Microsoft's "How to Find UI Elements" (learn.microsoft.com, windows/win32/winauto/
uiauto-howto-find-ui-elements) shows: `IUIAutomation::GetRootElement` is the desktop; its
children (`FindAll(TreeScope_Children, CreateTrueCondition())`) are the top-level windows; a
meeting window's buttons come from `FindAll(TreeScope_Descendants,
CreatePropertyCondition(UIA_ControlTypePropertyId, UIA_ButtonControlTypeId))` (searching from
the app window, never from the root, as the .NET guidance warns); each button's
`CurrentName` is what the app calls it ("Mute", "Unmute (Ctrl+Shift+M)", "Turn off microphone").
A button that went away raises UIA_E_ELEMENTNOTAVAILABLE (a COMError) when read again.

comtypes generates the typed interfaces from UIAutomationCore.dll's type library
(`comtypes.client.GetModule`), so no vtable offsets are written by hand; it is the one extra
dependency, for Windows only. COM is initialised on the thread that opens the backend (the
watcher's), which is the only thread that uses it.
"""

from __future__ import annotations

import logging
from typing import Any

from overlay.capture.a11y.labels import app_of_page, app_of_process
from overlay.capture.a11y.reader import A11yUnavailable, Control

log = logging.getLogger(__name__)

# Values from UIAutomationClient.h / UIAutomationCoreApi.h (documented on learn.microsoft.com).
TREE_SCOPE_CHILDREN = 2
TREE_SCOPE_DESCENDANTS = 4
UIA_CONTROL_TYPE_PROPERTY_ID = 30003
UIA_BUTTON_CONTROL_TYPE_ID = 50000


def app_of_window(title: str) -> str | None:
    """A top-level window's meeting app from its title: "Zoom Meeting", "... | Microsoft
    Teams", "Meet - abc-defg-hij - Google Chrome", "Webex"."""
    return app_of_page(title) or app_of_process(title)


class UiaBackend:
    name = "uia"

    def __init__(self, automation: Any, com_error: type[BaseException] = OSError,
                 uninitialise: Any = None) -> None:
        self.automation = automation
        self.com_error = com_error
        self._uninitialise = uninitialise

    @classmethod
    def open(cls) -> UiaBackend:
        try:
            import comtypes
            import comtypes.client
        except ImportError as exc:
            raise A11yUnavailable(f"comtypes is not installed ({exc})") from exc
        try:
            comtypes.CoInitialize()  # this thread's apartment (the import did it only for its own)
            comtypes.client.GetModule("UIAutomationCore.dll")
            from comtypes.gen.UIAutomationClient import (  # type: ignore[import-not-found]
                CUIAutomation,
                IUIAutomation,
            )
            automation = comtypes.client.CreateObject(CUIAutomation, interface=IUIAutomation)
        except Exception as exc:  # noqa: BLE001 - any COM failure means "not here"
            raise A11yUnavailable(f"UI Automation cannot be used: {exc}") from exc
        return cls(automation, comtypes.COMError, comtypes.CoUninitialize)

    def controls(self) -> list[Control]:
        a = self.automation
        found: list[Control] = []
        windows = a.GetRootElement().FindAll(TREE_SCOPE_CHILDREN, a.CreateTrueCondition())
        buttons = a.CreatePropertyCondition(UIA_CONTROL_TYPE_PROPERTY_ID,
                                            UIA_BUTTON_CONTROL_TYPE_ID)
        for i in range(windows.Length):
            window = windows.GetElement(i)
            try:
                app = app_of_window(str(window.CurrentName or ""))
                if app is None:
                    continue  # not a meeting window: its buttons are not worth the calls
                found_here = window.FindAll(TREE_SCOPE_DESCENDANTS, buttons)
                for j in range(found_here.Length):
                    button = found_here.GetElement(j)
                    label = str(button.CurrentName or "")
                    if label:
                        found.append(Control(app, "button", label, button))
            except self.com_error as exc:
                log.debug("window %d skipped: %s", i, exc)  # closed while we looked
        return found

    def relabel(self, control: Control) -> str | None:
        try:
            return str(control.handle.CurrentName or "")  # type: ignore[attr-defined]
        except self.com_error:
            return None

    def close(self) -> None:
        self.automation = None
        if self._uninitialise is not None:
            self._uninitialise()
