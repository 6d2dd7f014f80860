"""`cunyi numbers`: this installation's 档案号 block, and the county's answer entered by an admin."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_cli import cunyi

VILLAGE = "622923104201"
ADMIN = ("admin", "secret1")
DOCTOR = ("doc", "secret22")


def ok(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    return r.stdout


def one_line(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 1 and r.stdout == "", (r.returncode, r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("错误："), r.stderr
    for word in words:
        assert word in r.stderr, r.stderr


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clinic set up with the default station, an admin and a doctor, and two residents."""
    h = tmp_path_factory.mktemp("numbers") / "home"
    ok(cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
             "--user", ADMIN[0], "--password", ADMIN[1], "--role", "township_admin", user=None))
    ok(cunyi(h, "users", "add", DOCTOR[0], "--role", "village_doctor", "--password", DOCTOR[1], user=ADMIN))
    ok(cunyi(h, "household", "add", "--village", VILLAGE, "--household-no", "H001", user=ADMIN))
    for name in ("张三", "李四"):
        ok(cunyi(h, "person", "add", "H001", "--name", name, user=DOCTOR))
    return h


def test_numbers_show_confirm_and_the_old_number_still_finds_the_person(home: Path) -> None:
    shown = json.loads(ok(cunyi(home, "numbers", "show", "--json", user=DOCTOR)))
    assert shown == {"station": 1, "first": 1, "last": 10_000, "confirmed": False, "confirmed_by": "",
                     "confirmed_at": "", "issued": 2, "provisional": 2}
    text = ok(cunyi(home, "numbers", "show", user=DOCTOR))
    assert "机位号 1" in text and "未经县里确认" in text and "临时档案号" in text
    person = json.loads(ok(cunyi(home, "person", "show", f"{VILLAGE}00001", "--json", user=DOCTOR)))
    assert person["record_provisional"] is True and person["name"] == "张三"

    one_line(cunyi(home, "numbers", "confirm", "--station", "2", user=DOCTOR), "村医不能确认机位号")
    done = json.loads(ok(cunyi(home, "numbers", "confirm", "--station", "2", "--json", user=ADMIN)))
    assert done["station"] == 2 and done["kept"] == 0
    assert [(r["from"], r["to"]) for r in done["renumbered"]] == [
        (f"{VILLAGE}00001", f"{VILLAGE}10001"), (f"{VILLAGE}00002", f"{VILLAGE}10002")]
    assert done["block"]["confirmed"] is True and done["block"]["confirmed_by"] == ADMIN[0]

    person = json.loads(ok(cunyi(home, "person", "show", f"{VILLAGE}00001", "--json", user=DOCTOR)))
    assert (person["name"], person["record_no"], person["former_record_nos"], person["record_provisional"]) \
        == ("张三", f"{VILLAGE}10001", [f"{VILLAGE}00001"], False)
    hits = json.loads(ok(cunyi(home, "search", f"{VILLAGE}00002", "--json", user=DOCTOR)))
    assert [h["name"] for h in hits] == ["李四"]

    again = ok(cunyi(home, "numbers", "confirm", "--station", "2", user=ADMIN))
    assert "机位号为 2" in again and "0 个改号" in again
    one_line(cunyi(home, "numbers", "confirm", "--station", "3", user=ADMIN), "已由县里确认为 2")
    text = ok(cunyi(home, "numbers", "show", user=ADMIN))
    assert "机位号 2：档案号序号 10001–20000，县里已确认（admin" in text
    assert "其中临时的 0 个" in text


def test_numbers_without_an_action_or_with_a_station_out_of_range_is_refused(home: Path) -> None:
    one_line(cunyi(home, "numbers", user=ADMIN), "cunyi numbers show|confirm")
    r = cunyi(home, "numbers", "confirm", "--station", "10", user=ADMIN)
    assert r.returncode == 2 and "1 到 9" in r.stderr
    assert "numbers" in ok(cunyi(home, "--help", user=None))
