from detectors.steady import SteadyValue


def test_reports_a_value_once_it_has_held() -> None:
    s: SteadyValue[str] = SteadyValue(hold_s=2.0)
    assert s.update("ok", 0.0) is None
    assert s.update("ok", 1.9) is None
    assert s.update("ok", 2.0) == "ok"
    assert s.update("ok", 3.0) is None


def test_flicker_never_changes_the_steady_value() -> None:
    s: SteadyValue[str] = SteadyValue(hold_s=1.0)
    s.update("ok", 0.0)
    s.update("ok", 1.0)
    for i in range(20):
        assert s.update("backlit" if i % 2 else "ok", 1.0 + 0.1 * i) is None
    assert s.value == "ok"
