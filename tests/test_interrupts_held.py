"""A signal during a native load waits for the load, then takes effect as usual."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from overlay.interrupts_held import interrupts_held


def test_ctrl_c_during_the_block_is_raised_after_it() -> None:
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            finished.append("load")  # not cut short by the signal
    assert finished == ["load"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_held_signal_goes_to_the_handler_it_was_meant_for() -> None:
    seen: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGTERM)
            assert seen == []
        assert seen == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_without_a_signal_nothing_happens_and_handlers_are_back() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    with interrupts_held():
        pass
    assert {s: signal.getsignal(s) for s in before} == before


def test_off_the_main_thread_it_leaves_signals_alone() -> None:
    errors: list[BaseException] = []

    def load() -> None:
        try:
            with interrupts_held():
                pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    worker = threading.Thread(target=load)
    worker.start()
    worker.join()
    assert errors == []
