"""The pre-flight check: items and their fixes, machine rules, `oncue check` on replays."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detectors.mic_check import MicReading
from overlay.commands.check_practice import check_command
from overlay.preflight.items import camera_items, light_items, microphone_items
from overlay.preflight.machine import GB, MachineState, machine_items
from tests.clips import make_clip

KEYS = {"id", "group", "status", "detail", "fix"}


def make_silent_clip(path: Path, seconds: float = 2.0, fps: int = 15) -> Path:
    """A small clip whose sound track is digital silence (a muted microphone)."""
    return make_clip(path, fps=fps, sound=np.zeros(int(seconds * 16_000), np.float32))


def _by_id(items):  # type: ignore[no-untyped-def]
    return {i.id: i for i in items}


# -- items ---------------------------------------------------------------------------------------
def test_each_light_verdict_fails_its_own_item_with_its_fix() -> None:
    items = _by_id(light_items({"lighting": {"verdicts": ["too_dark", "backlit"],
                                             "shares": {"too_dark": 0.9}}}))
    assert items["light.dark"].status == "fail"
    assert "face a light source" in items["light.dark"].fix
    assert "90%" in items["light.dark"].detail
    assert "face a window or a lamp" in items["light.backlight"].fix
    assert {items[k].status for k in ("light.overexposed", "light.uneven",
                                      "light.overhead")} == {"pass"}


def test_light_and_framing_are_skipped_when_no_face_was_judged() -> None:
    report = {"lighting": {"verdicts": []}, "framing": None}
    assert {i.status for i in light_items(report)} == {"skip"}
    cam = _by_id(camera_items(report, frames=40, faces=0))
    assert cam["camera.face"].status == "fail"
    assert cam["camera.framing"].status == cam["camera.height"].status == "skip"


def test_camera_height_and_framing_fixes_come_from_the_framing_result() -> None:
    report = {"framing": {"verdicts": ["camera_low", "too_close"],
                          "fixes": ["raise the camera to eye level", "move back a little"]},
              "lighting": {"verdicts": ["ok"]}}
    cam = _by_id(camera_items(report, frames=100, faces=97))
    assert cam["camera.face"].status == "pass"
    assert cam["camera.height"].fix == "raise the camera to eye level"
    assert cam["camera.framing"].fix == "move back a little"


def test_a_face_lost_in_the_dark_is_sent_to_the_light() -> None:
    report = {"lighting": {"verdicts": ["too_dark"]}, "framing": None}
    face = _by_id(camera_items(report, frames=50, faces=3))["camera.face"]
    assert face.status == "fail" and "light source" in face.fix


def test_microphone_items_for_dead_quiet_and_good_inputs() -> None:
    dead = MicReading(4.0, True, True, -120.0, False, None, None, None, 0.0)
    items = _by_id(microphone_items(dead))
    assert items["microphone.input"].status == "fail" and "unmute" in items[
        "microphone.input"].fix
    assert items["microphone.echo"].status == "skip" and "headset" in items["microphone.echo"].fix
    assert _by_id(microphone_items(None))["microphone.input"].status == "fail"
    quiet = MicReading(20.0, False, False, -40.0, True, -48.0, -70.0, 22.0, 0.0)
    assert _by_id(microphone_items(quiet))["microphone.level"].status == "fail"
    good = MicReading(20.0, False, False, -3.0, True, -18.0, -60.0, 42.0, 0.0)
    assert {i.status for i in microphone_items(good) if i.id != "microphone.echo"} == {"pass"}


def test_machine_rules() -> None:
    def state(**kw):  # type: ignore[no-untyped-def]
        base = dict(cpu_busy=30.0, own_cpu=12.0, cores=4, on_battery=False,
                    battery_percent=90.0, disk_free_bytes=50 * GB, disk_path="/")
        return MachineState(**{**base, **kw})

    assert {i.status for i in machine_items(state())} == {"pass"}
    items = _by_id(machine_items(state(cpu_busy=92.0, on_battery=True, battery_percent=20.0,
                                       disk_free_bytes=GB // 2)))
    assert items["machine.cpu"].status == "fail" and "close other apps" in items[
        "machine.cpu"].fix
    assert items["machine.power"].status == "fail" and "plug in" in items["machine.power"].fix
    assert "running low" in items["machine.power"].detail
    assert items["machine.disk"].status == "fail"
    desktop = _by_id(machine_items(state(on_battery=None, cpu_busy=None)))
    assert desktop["machine.power"].status == desktop["machine.cpu"].status == "skip"


# -- the command ---------------------------------------------------------------------------------
def test_help_and_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        check_command(["--help"])
    assert exc.value.code == 0 and "--replay" in capsys.readouterr().out
    assert check_command(["--replay", str(tmp_path / "nope.mp4"), "--no-window"]) == 2


def test_a_silent_replay_fails_the_microphone_check(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    clip = make_silent_clip(tmp_path / "silent.mp4")
    out = tmp_path / "check.json"
    code = check_command(["--replay", str(clip), "--no-window", "--json", str(out)])
    assert code == 1
    doc = json.loads(out.read_text())
    assert all(set(item) == KEYS for item in doc["items"])
    items = {i["id"]: i for i in doc["items"]}
    assert items["microphone.input"]["status"] == "fail"
    assert "digital silence" in items["microphone.input"]["detail"]
    assert items["camera.face"]["status"] == "fail"  # a grey picture has no face
    printed = capsys.readouterr().out
    assert "[FIX] the input is muted or dead" in printed and "fix: unmute" in printed

    # The items were logged as `check` events, so the summary and history can show them.
    from overlay.preflight.runner import last_check
    from overlay.session.eventlog import open_log

    with open_log() as event_log:
        found = last_check(event_log)
    assert found is not None and found[0].mode == "check" and found[0].id == doc["session_id"]
    assert [i.to_json() for i in found[1]] == doc["items"]


@pytest.mark.realdata
def test_a_dim_profile_recording_gives_no_light_verdict_without_a_face(
        shared_data: Path, tmp_path: Path) -> None:
    """3ddfa_pavan__Side: a face in a few frames only. The light and the framing are unknown,
    and the check says why, instead of advice from a handful of frames (issue 16)."""
    out = tmp_path / "side.json"
    code = check_command(["--replay", str(shared_data / "video" / "3ddfa_pavan__Side.mp4"),
                          "--no-window", "--json", str(out)])
    items = {i["id"]: i for i in json.loads(out.read_text())["items"]}
    assert code == 1
    assert items["camera.face"]["status"] == "fail"
    for item_id in ("light.dark", "light.backlight", "camera.framing", "camera.height"):
        assert items[item_id]["status"] == "skip", items[item_id]
    assert "not enough to judge the light" in items["light.backlight"]["detail"]
    assert "not enough to judge the framing" in items["camera.framing"]["detail"]


@pytest.mark.realdata
def test_the_same_recording_gives_the_same_check(shared_data: Path, tmp_path: Path) -> None:
    """A replay checked without a window analyses every frame in order: no wall clock."""
    runs = []
    for n in (1, 2):
        out = tmp_path / f"run{n}.json"
        check_command(["--replay", str(shared_data / "video" / "3ddfa_pavan__Side.mp4"),
                       "--no-window", "--seconds", "8", "--json", str(out)])
        runs.append([(i["id"], i["status"], i["detail"]) for i in json.loads(out.read_text())
                     ["items"] if i["group"] in ("camera", "light")])
    assert runs[0] == runs[1]


@pytest.mark.realdata
def test_a_studio_recording_passes_camera_and_light(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "obama.json"
    check_command(["--replay", str(shared_data / "video" / "lia__obama.mov"), "--no-window",
                   "--seconds", "12", "--json", str(out)])
    items = json.loads(out.read_text())["items"]
    statuses = {i["id"]: i["status"] for i in items if i["group"] in ("camera", "light")}
    assert set(statuses.values()) == {"pass"}, statuses
    mic = {i["id"]: i["status"] for i in items if i["group"] == "microphone"}
    assert mic["microphone.input"] == mic["microphone.level"] == "pass"
