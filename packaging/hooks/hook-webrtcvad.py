"""Replaces pyinstaller-hooks-contrib's hook for `webrtcvad`, which copies the metadata of the
`webrtcvad` distribution and fails when the module comes from `webrtcvad-wheels` (OnCue's
dependency, with wheels for every platform); webrtcvad.py reads that distribution's version."""

from PyInstaller.utils.hooks import copy_metadata

datas = copy_metadata("webrtcvad-wheels")
