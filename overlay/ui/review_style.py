"""The report's visual language for OnCue's ordinary windows (welcome, summary, follow-up).

The HTML report (overlay/review/report_html.py) sets the look: a pale page, white sections with a
hairline border and rounded corners, dark ink, muted grey captions, large figures in cards. The
same colours as a Qt style sheet, and the few building blocks the windows share, so a window and
the report read as one product. Drawing only.
"""

from __future__ import annotations

import logging

from PyQt6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

INK, MUTED, LINE, PAGE = "#1f2933", "#616e7c", "#e4e7eb", "#f5f7fa"
GOOD, WARN, BAD, BLUE = "#2f9e6e", "#b7791f", "#d64545", "#2f6fb0"

STYLE = f"""
QWidget#page {{ background: {PAGE}; }}
QWidget#page QLabel {{ color: {INK}; font-size: 14px; }}
QFrame#section {{ background: #ffffff; border: 1px solid {LINE}; border-radius: 10px; }}
QFrame#card {{ background: #ffffff; border: 1px solid {LINE}; border-radius: 10px; }}
QWidget#page QLabel#h1 {{ font-size: 24px; font-weight: 700; }}
QWidget#page QLabel#h2 {{ font-size: 16px; font-weight: 700; }}
QWidget#page QLabel#muted {{ color: {MUTED}; font-size: 13px; }}
QWidget#page QLabel#figure {{ font-size: 22px; font-weight: 700; }}
QWidget#page QLabel#key {{ background: {PAGE}; border: 1px solid {LINE}; border-radius: 5px;
  padding: 2px 8px; font-family: monospace; font-size: 13px; }}
QPushButton {{ padding: 5px 14px; }}
QPushButton#primary {{ background: {BLUE}; color: white; border: none; border-radius: 6px;
  padding: 6px 16px; font-weight: 600; }}
QPushButton#primary:hover {{ background: #255d96; }}
"""


def label(text: str, role: str = "", wrap: bool = True) -> QLabel:
    """A QLabel with one of the style sheet's roles (h1, h2, muted, figure, key)."""
    widget = QLabel(text)
    if role:
        widget.setObjectName(role)
    widget.setWordWrap(wrap)
    return widget


class Section(QFrame):
    """A white box with a title, like a report `<section>`; add rows to `body`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("section")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 16)
        self.body.setSpacing(8)
        self.title = label(title, "h2")
        self.body.addWidget(self.title)


class FigureCard(QFrame):
    """One key figure: the value large, what it is below (the report's `.card`)."""

    def __init__(self, value: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(2)
        self.value = label(value, "figure", wrap=False)
        self.what = label(what, "muted")
        box.addWidget(self.value)
        box.addWidget(self.what)

    def text(self) -> str:
        return f"{self.value.text()} {self.what.text()}"
