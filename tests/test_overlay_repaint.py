"""The overlay's widgets repaint only when what they show changes (the GUI polls at 30 Hz)."""

from __future__ import annotations

import pytest

pytest.importorskip("PyQt6")


def counting(widget):  # type: ignore[no-untyped-def]
    calls = []
    widget.update = lambda *a: calls.append(a)  # type: ignore[method-assign]
    return calls


def test_answer_ring_repaints_once_a_second_and_never_while_hidden(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.ui.answer_ring import AnswerRing, TimerStages

    ring = AnswerRing(TimerStages())
    qtbot.addWidget(ring)
    calls = counting(ring)
    for i in range(30 * 50):  # 50 s of an answer polled at 30 Hz: hidden below a minute
        ring.set_elapsed(i / 30)
    assert calls == []
    for i in range(30 * 3):  # 61.0 .. 63.97 s: shown, the digits change three times
        ring.set_elapsed(61 + i / 30)
    assert len(calls) == 3
    ring.set_elapsed(None)
    assert ring.stage is None


def test_nudge_chip_and_cue_panel_ignore_repeats(qtbot) -> None:  # type: ignore[no-untyped-def]
    from overlay.cuesheet import CueView
    from overlay.ui.cue_panel import CuePanel
    from overlay.ui.nudge_chip import NudgeChip

    chip, panel = NudgeChip(), CuePanel()
    qtbot.addWidget(chip)
    qtbot.addWidget(panel)
    chip_calls, panel_calls = counting(chip), counting(panel)
    for _ in range(60):
        chip.show_nudge(None)
    assert chip_calls == []
    view = CueView("Sheet", "Why us", ("one", "two"), 1, 3, 1, 1, 1, 1)
    for _ in range(60):
        panel.show_view(view)
        panel.show_view(CueView("Sheet", "Why us", ("one", "two"), 1, 3, 1, 1, 1, 1))
    assert len(panel_calls) == 1
    panel.show_view(view, "moved")
    assert len(panel_calls) == 2
    chip.set_opacity(0.0)
    assert chip_calls == []  # already transparent: nothing to repaint
    chip.set_opacity(0.5)
    assert len(chip_calls) == 1
