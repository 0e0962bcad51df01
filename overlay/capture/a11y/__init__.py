"""The meeting app's mute state from its own accessibility tree (see reader.py)."""
