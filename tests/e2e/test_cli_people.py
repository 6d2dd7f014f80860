"""`cunyi person …` and `cunyi household …`: what the dialogs do to people and households, from a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.households import Household
from app.core.people import Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import make_id
from tests.e2e.test_cli import cunyi
from tests.faults.cli import USER, VILLAGE, Result, digest, init, run

HEAD_ID = make_id("19650312", "011")


def ok(r: Result) -> str:
    assert r.code == 0, (r.code, r.out, r.err)
    return r.out


def one_line(r: Result, *words: str) -> None:
    assert r.code == 1, (r.code, r.out, r.err)
    assert r.out == "" and r.err.count("\n") == 1 and r.err.startswith("错误："), r.err
    for word in words:
        assert word in r.err, r.err


def workspace(home: Path) -> Workspace:
    return Workspace.open(unlocked(home / "cunyi.sqlite3", USER))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A village clinic with household H001 (张三, head; 李四, spouse) and an empty household H002."""
    h = tmp_path / "home"
    init(h)
    ok(run(h, "household", "add", "--village", VILLAGE, "--group", "一组", "--address", "红旗村一组1号",
           "--household-no", "H001", "--phone", "0931-1234567"))
    ok(run(h, "household", "add", "--village", "红旗村", "--household-no", "H002"))
    ok(run(h, "person", "add", "H001", "--name", "张三", "--id-no", HEAD_ID, "--phone", "13800000000",
           "--education", "初中", "--marital", "已婚"))
    ok(run(h, "person", "add", "H001", "--name", "李四", "--sex", "女", "--birth", "1968-01-02",
           "--relation", "配偶"))
    return h


def test_households_and_people_are_added_and_shown(home: Path) -> None:
    out = ok(run(home, "household", "show", "H001"))
    assert "H001" in out and "红旗村 一组 红旗村一组1号" in out and "成员 2 人" in out
    assert "张三（62292310420100001）男 1965-03-12 户主 在册" in out
    assert "李四（62292310420100002）女 1968-01-02 配偶 在册" in out
    data = json.loads(ok(run(home, "household", "show", "H001", "--json")))
    assert data["household_no"] == "H001" and data["village_code"] == VILLAGE
    assert [m["name"] for m in data["members"]] == ["张三", "李四"]
    assert data["head_id"] == data["members"][0]["id"]
    # a person by 档案号, by ID number or by id; the same record each time
    by_record = json.loads(ok(run(home, "person", "show", "62292310420100001", "--json")))
    assert by_record["birth_date"] == "1965-03-12" and by_record["sex"] == "1"   # from the ID, ISO
    assert by_record["household"]["household_no"] == "H001"
    assert json.loads(ok(run(home, "person", "show", HEAD_ID, "--json"))) == by_record
    assert json.loads(ok(run(home, "person", "show", by_record["id"], "--json"))) == by_record
    out = ok(run(home, "person", "show", "62292310420100002"))
    assert out.startswith("李四（62292310420100002）女 1968-01-02 配偶 在册\n")
    assert "户编号 H001" in out and "红旗村一组1号" in out


def test_edit_changes_only_the_fields_given(home: Path) -> None:
    with workspace(home) as ws:
        before = ws.care.find_person("62292310420100001")
        household_before = ws.households.get(str(before.household_id))
    out = ok(run(home, "person", "edit", "62292310420100001", "--phone", "139-1111-2222",
                 "--address", "红旗村二组8号"))
    assert out.startswith("已修改：张三（62292310420100001）")
    with workspace(home) as ws:
        after = ws.people.get(str(before.id))
        household_after = ws.households.get(str(before.household_id))
        who = ws.conn.execute("SELECT DISTINCT username FROM audit_log WHERE action = 'update'"
                              " AND row_id IN (?, ?)", (before.id, before.household_id)).fetchall()
        spouse = ws.care.find_person("62292310420100002")
    assert after.phone == "139-1111-2222" and household_after.address == "红旗村二组8号"
    assert after == Person(**{**before.__dict__, "phone": "139-1111-2222"})
    assert household_after == Household(**{**household_before.__dict__, "address": "红旗村二组8号"})
    assert spouse.phone == "" and spouse.relation == "配偶"
    assert [r[0] for r in who] == [USER[0]]          # the audit log names the signed-in user
    # the household's own edit: only its phone
    data = json.loads(ok(run(home, "household", "edit", "H001", "--phone", "13700000000", "--json")))
    assert data["phone"] == "13700000000" and data["address"] == "红旗村二组8号"
    assert data["group_name"] == "一组" and data["poverty_status"] == "general"


def test_a_person_moves_to_another_household_and_is_marked(home: Path) -> None:
    out = ok(run(home, "person", "move", "62292310420100002", "H002", "--relation", "户主"))
    assert "迁入户编号 H002" in out and "户主" in out
    data = json.loads(ok(run(home, "household", "show", "H002", "--json")))
    assert [m["name"] for m in data["members"]] == ["李四"] and data["head_id"] == data["members"][0]["id"]
    assert len(json.loads(ok(run(home, "household", "show", "H001", "--json")))["members"]) == 1
    one_line(run(home, "person", "status", "62292310420100001", "死亡"), "必须填写日期")
    data = json.loads(ok(run(home, "person", "status", "62292310420100001", "死亡", "--on", "2025-06-01",
                             "--note", "病故", "--json")))
    assert (data["living_status"], data["status_date"], data["status_note"]) == ("死亡", "2025-06-01", "病故")
    one_line(run(home, "person", "status", "62292310420100001", "死亡", "--on", "2025-06-01"), "已是“死亡”")
    out = ok(run(home, "person", "status", "62292310420100001", "在册"))
    assert out.startswith("已标记：张三（62292310420100001）") and "在册" in out
    with workspace(home) as ws:
        p = ws.care.find_person("62292310420100001")
    assert (p.living_status, p.status_date, p.status_note) == ("在册", None, "")


def test_a_village_clinic_cannot_move_a_household_to_another_village(home: Path) -> None:
    db = home / "cunyi.sqlite3"
    before = digest(db)
    one_line(run(home, "household", "move", "H001", "622923104202"), "只管本村")
    assert digest(db) == before


def test_a_township_moves_a_household_and_its_members_to_another_village(tmp_path: Path) -> None:
    home = tmp_path / "town"
    home.mkdir()
    with Workspace.create(home / "cunyi.sqlite3", clinic_name="红旗乡卫生院", division_code="622923104000",
                          division_name="红旗乡") as ws:
        ws.settings.add_division("622923104201", "红旗村")
        ws.settings.add_division("622923104202", "胜利村")
        ws.users.add_first(USER[0], "乡镇管理员", "township_admin", USER[1])
        hid, _ = ws.households.add(Household(id=None, village_code="622923104201", household_no="T1"))
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name="王五", relation="户主"))
    out = ok(run(home, "household", "move", "T1", "胜利村", "--group", "三组"))
    assert out.startswith("已迁到：户编号 T1") and "胜利村 三组" in out
    with workspace(home) as ws:
        h = ws.households.get(hid)
        partitions = {r[0] for r in ws.conn.execute(
            "SELECT partition FROM households WHERE id = ? UNION SELECT partition FROM people"
            " WHERE id = ?", (hid, pid))}
    assert (h.village_code, h.group_name) == ("622923104202", "三组")
    assert partitions == {"622923104202"}
    one_line(run(home, "household", "move", "T1", "622923105201"), "不在本卫生院所在乡镇")


BAD = [
    (("person", "show", "62292310420199999"), "找不到"),
    (("person", "edit", "nobody", "--phone", "1"), "找不到"),
    (("person", "edit", "62292310420100001"), "没有给出要改的字段"),
    (("person", "edit", "62292310420100001", "--phone", "电话"), "联系电话"),
    (("person", "edit", "62292310420100001", "--sex", "x"), "性别"),
    (("person", "edit", "62292310420100001", "--birth", "1965-13-01"), "YYYY-MM-DD"),
    (("person", "edit", "62292310420100001", "--birth", "2999-01-01"), "出生日期"),
    (("person", "edit", "62292310420100001", "--marital", "单身"), "婚姻状况"),
    (("person", "edit", "62292310420100001", "--relation", "邻居"), "与户主关系"),
    (("person", "edit", "62292310420100001", "--phone", "1", "--id-no", "123"), "身份证号"),
    # the person's phone is good, the household's address is not: neither is written
    (("person", "edit", "62292310420100001", "--phone", "1", "--address", "村" * 2000), "家庭住址"),
    (("person", "add", "H001", "--sex", "男"), "姓名"),
    (("person", "add", "H009", "--name", "赵六"), "找不到"),
    (("person", "move", "62292310420100001", "H001"), "已经是这户的成员"),
    (("person", "move", "62292310420100001", "H009"), "找不到"),
    (("person", "status", "62292310420100001", "出走"), "人员状态"),
    (("household", "show", "H009"), "找不到"),
    (("household", "edit", "H001", "--poverty-status", "富裕户"), "贫困户属性"),
    (("household", "edit", "H001", "--exit-year", "明年"), "年度"),
    (("household", "move", "H001", "邻村"), "不认识的村"),
    (("household", "add", "--village", "622923104201", "--household-no", "H001"), "已被本村另一户使用"),
]


def test_bad_references_and_values_are_one_line_and_write_nothing(home: Path) -> None:
    db = home / "cunyi.sqlite3"
    before = digest(db)
    for args, words in BAD:
        one_line(run(home, *args), words)
    assert digest(db) == before


def test_a_script_edits_a_phone_in_its_own_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
                 "--user", "doctor", "--password", "secret1").returncode == 0
    assert cunyi(home, "household", "add", "--village", VILLAGE, "--household-no", "H1").returncode == 0
    assert cunyi(home, "person", "add", "H1", "--name", "张三").returncode == 0
    r = cunyi(home, "person", "edit", "62292310420100001", "--phone", "13800000000", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["phone"] == "13800000000"
