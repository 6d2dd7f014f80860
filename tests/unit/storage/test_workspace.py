from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import AuthError, ConflictError, ValidationError
from app.core.households import HelpPerson, Household
from app.core.people import Person
from app.storage.households import HouseholdFilter
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id


def household(ws, group="一组", status="general", causes=()):
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        poverty_status=status, poverty_causes=list(causes)))
    return hid


def test_first_member_becomes_head_and_record_numbers_are_sequential(workspace):
    hid = household(workspace)
    a, _ = workspace.people.add(Person(id=None, household_id=hid, name="张三", relation="户主"))
    b, _ = workspace.people.add(Person(id=None, household_id=hid, name="李梅", relation="配偶"))
    assert workspace.households.get(hid).head_id == a
    assert workspace.people.get(a).record_no == VILLAGE + "00001"
    assert workspace.people.get(b).record_no == VILLAGE + "00002"


def test_second_station_numbers_from_its_own_block(tmp_path):
    ws = Workspace.create(tmp_path / "pc2.sqlite3", clinic_name="卫生室", division_code=VILLAGE,
                          division_name="红旗村", station=2)
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name="张三"))
    assert ws.people.get(pid).record_no == VILLAGE + "10001"


def test_same_id_cannot_have_two_files(workspace):
    hid = household(workspace)
    workspace.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id()))
    with pytest.raises(ConflictError, match="同一人"):
        workspace.people.add(Person(id=None, household_id=household(workspace), name="张三",
                                    id_no=make_id()))


def test_household_outside_the_township_is_refused(workspace):
    with pytest.raises(ValidationError, match="乡镇"):
        workspace.households.add(Household(id=None, village_code="622923105201"))


def test_search_by_initials_full_pinyin_id_record_number_and_phone(workspace):
    hid = household(workspace)
    pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="曾国藩", id_no=make_id(),
                                         phone="13909401234", relation="户主"))
    record = workspace.people.get(pid).record_no
    for q in ("zgf", "ZG", "zengguofan", "曾国", "国藩", make_id()[:10], record, "201-00001",
              "1390940"):
        assert [h.id for h in workspace.people.search(q)] == [pid], q


def test_household_filters(workspace):
    poor = household(workspace, "一组", "poor", ["因病"])
    household(workspace, "二组")
    workspace.people.add(Person(id=None, household_id=poor, name="单雄信", relation="户主"))
    ids = workspace.households.ids
    assert ids(HouseholdFilter(poverty_status="poor")) == [poor]
    assert ids(HouseholdFilter(cause="因病")) == [poor]
    assert ids(HouseholdFilter(group_name="二组")) != [poor]
    assert ids(HouseholdFilter(query="sxx")) == [poor]
    assert workspace.households.rows([poor])[poor].head_name == "单雄信"
    assert workspace.households.group_names() == ["一组", "二组"]


def test_move_member_to_another_household(workspace):
    a = household(workspace)
    b = household(workspace, "二组")
    head, _ = workspace.people.add(Person(id=None, household_id=a, name="张三", relation="户主"))
    child, _ = workspace.people.add(Person(id=None, household_id=a, name="张小军", relation="子"))
    workspace.people.move(child, b, "户主")
    assert workspace.people.get(child).household_id == b
    assert workspace.households.get(b).head_id == child
    assert [p.id for p in workspace.households.members(a)] == [head]


def test_mark_dead_with_date_keeps_the_file(workspace):
    hid = household(workspace)
    pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="张三"))
    workspace.people.mark(pid, "死亡", dt.date(2025, 3, 1), "病故")
    p = workspace.people.get(pid)
    assert (p.living_status, p.status_date, p.status_note) == ("死亡", dt.date(2025, 3, 1), "病故")
    assert workspace.households.rows([hid])[hid].member_count == 0
    with pytest.raises(ValidationError, match="日期"):
        workspace.people.mark(pid, "迁出", None)


def test_poverty_status_history_and_help_person_history(workspace):
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE, poverty_status="poor"),
                                     since=dt.date(2016, 5, 1))
    workspace.households.set_poverty_status(hid, "exited", dt.date(2020, 12, 31), "脱贫出")
    assert [r["status"] for r in workspace.households.poverty_history(hid)] == ["poor", "exited"]
    workspace.households.set_help_person(hid, HelpPerson(name="王干部", unit="县卫健委", since=dt.date(2019, 1, 1)))
    workspace.households.set_help_person(hid, HelpPerson(name="赵干部", unit="乡政府", since=dt.date(2022, 1, 1)))
    helpers = workspace.households.help_persons(hid)
    assert [(h.name, h.until) for h in helpers] == [("王干部", dt.date(2022, 1, 1)), ("赵干部", None)]
    assert workspace.households.current_help_person(hid).name == "赵干部"


def test_users_sign_in_with_hashed_passwords(workspace):
    workspace.users.add_first("doctor", "李医生", "village_doctor", "secret1")
    row = workspace.conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert "secret1" not in row and row.startswith("$argon2")
    assert workspace.users.authenticate("doctor", "secret1").display_name == "李医生"
    with pytest.raises(AuthError):
        workspace.users.authenticate("doctor", "wrong")
    with pytest.raises(ValidationError, match="密码"):
        workspace.users.add("nurse", "", "village_doctor", "123")


def test_edit_survives_reopening(db_path, workspace):
    hid = household(workspace)
    pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="张三"))
    p = workspace.people.get(pid)
    p.phone = "13800000000"
    workspace.people.update(p)
    workspace.close()
    with Workspace.open(db_path) as ws:
        assert ws.people.get(pid).phone == "13800000000"
        assert [h.id for h in ws.people.search("1380000")] == [pid]
