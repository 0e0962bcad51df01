"""The command-line handlers that start windows: the top layer, above overlay.ui."""
