"""Errors the user can act on, shared by the command line and the windows it starts.

`overlay/cli.py` prints them as one line; `overlay/ui/app.py` raises them before Qt starts (no
display). Both import them from here, so neither imports the other.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class CliError(Exception):
    """A failure the user can act on; printed as one line."""
