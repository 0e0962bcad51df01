from __future__ import annotations

from pathlib import Path

import pytest

from overlay.settings import SettingsError, env_name, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    return path


def test_defaults_document_every_setting() -> None:
    """Each setting in defaults.toml has a comment right above it (or above its group)."""
    from overlay.paths import bundled_config_dir

    lines = (bundled_config_dir() / "defaults.toml").read_text().splitlines()
    section, undocumented, commented = "", [], False
    for line in lines:
        if line.startswith("["):
            section, commented = line.strip("[]"), False
        elif line.startswith("#"):
            commented = True
        elif "=" in line:
            if not commented:
                undocumented.append(f"{section}.{line.split('=')[0].strip()}")
        elif not line.strip():
            commented = False
    assert not undocumented, undocumented


def test_user_file_overrides_defaults_and_env_overrides_both(tmp_path: Path) -> None:
    user = write(tmp_path, "[answer]\nwrap_up_s = 150\n[overlay]\nfont_px = 26\n")
    s = load_settings(user_file=user, environ={"ONCUE_OVERLAY_FONT_PX": "30"})
    assert s["answer.wrap_up_s"] == 150.0 and isinstance(s["answer.wrap_up_s"], float)
    assert s["overlay.font_px"] == 30
    assert s.sources["overlay.font_px"] == "ONCUE_OVERLAY_FONT_PX"
    assert s.sources["answer.wrap_up_s"] == str(user)


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    user = write(tmp_path, "[answer]\nwrapup_s = 150\n")
    with pytest.raises(SettingsError) as err:
        load_settings(user_file=user, environ={})
    assert str(user) in str(err.value) and "answer.wrapup_s" in str(err.value)


@pytest.mark.parametrize("text, expected", [
    ('[answer]\nwrap_up_s = "two minutes"\n', "number"),
    ("[overlay]\nfont_px = 22.5\n", "integer"),
    ("[screen]\nwatch_meeting = 1\n", "true/false"),
    ("[camera]\ndevice = 0\n", "string"),
])
def test_wrong_type_names_expected_type(tmp_path: Path, text: str, expected: str) -> None:
    user = write(tmp_path, text)
    with pytest.raises(SettingsError) as err:
        load_settings(user_file=user, environ={})
    assert str(user) in str(err.value) and expected in str(err.value)


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    user = write(tmp_path, "[answer\nwrap_up_s = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(user_file=user, environ={})


def test_bad_environment_value(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ONCUE_ANSWER_GAP_S"):
        load_settings(user_file=Path("/nonexistent"), environ={"ONCUE_ANSWER_GAP_S": "soon"})


def test_env_names() -> None:
    assert env_name("answer.wrap_up_s") == "ONCUE_ANSWER_WRAP_UP_S"
