"""`python -m overlay` is the `oncue` command."""

from overlay.cli import main

raise SystemExit(main())
