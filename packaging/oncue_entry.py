"""The bundle's entry point: the same `oncue` command as `python -m overlay`."""

from overlay.cli import main

raise SystemExit(main())
