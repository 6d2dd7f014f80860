"""Correcting the clinic's division code: administrators only, nothing renumbered, audited."""

from __future__ import annotations

import pytest

from app.core.errors import AuthError, ValidationError
from app.core.households import Household
from app.core.people import Person
from app.demo import COUNTY_CODE, COUNTY_TOWNSHIPS
from app.storage.clinic_division import check_new_clinic_code, known_divisions
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE

NEW = "622923105203"


def _admin(ws: Workspace) -> None:
    ws.users.add_first("admin", "乡镇管理员", "township_admin", "secret1")
    ws.users.authenticate("admin", "secret1")


def test_the_shipped_list_knows_the_demo_county_and_its_townships():
    known = known_divisions()
    assert known.counties[COUNTY_CODE] == "永靖县"
    for code, name in COUNTY_TOWNSHIPS:
        assert known.townships[COUNTY_CODE + code] == name
    assert {"411330", "500233", "522630", "341122"} <= set(known.counties)
    assert check_new_clinic_code(VILLAGE).known
    assert not check_new_clinic_code("123456789012").known


def test_an_administrator_corrects_the_code_and_existing_numbers_are_kept(workspace):
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE, address="一组"))
    old_pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="张三"))
    old_no = workspace.people.get(old_pid).record_no
    _admin(workspace)

    plan = workspace.settings.plan_division_change(NEW, "石门村")
    assert (plan.old_code, plan.new_code, plan.households_kept, plan.people_kept) == (VILLAGE, NEW, 1, 1)
    workspace.settings.change_division_code(NEW, "石门村")

    assert workspace.settings.division_code == NEW and workspace.settings.get("division_name") == "石门村"
    assert workspace.settings.division_name(NEW) == "石门村"
    assert workspace.settings.division_name(VILLAGE) == "红旗村"          # still used by the old household
    assert workspace.people.get(old_pid).record_no == old_no == VILLAGE + "00001"
    assert workspace.households.get(hid).village_code == VILLAGE
    audit = workspace.conn.execute(
        "SELECT username, detail FROM audit_log WHERE action = 'change_division_code'").fetchall()
    assert [(a["username"], VILLAGE in a["detail"] and NEW in a["detail"]) for a in audit] == [("admin", True)]

    new_hid, _ = workspace.households.add(Household(id=None, village_code=NEW, address="二组"))
    new_pid, _ = workspace.people.add(Person(id=None, household_id=new_hid, name="李四"))
    assert workspace.people.get(new_pid).record_no == NEW + "00001"
    old = workspace.households.get(hid)
    old.address = "一组改"
    workspace.households.update(old)                          # the old household stays editable
    assert workspace.households.get(hid).address == "一组改"


def test_an_unused_old_village_is_retired_with_the_correction(workspace):
    _admin(workspace)
    workspace.settings.change_division_code(NEW, "石门村")
    assert [code for code, _ in workspace.settings.villages()] == [NEW]


def test_a_village_doctor_cannot_change_the_code(workspace):
    workspace.users.add_first("doc", "李医生", "village_doctor", "secret1")
    workspace.users.authenticate("doc", "secret1")
    with pytest.raises(AuthError):
        workspace.settings.change_division_code(NEW, "石门村")
    workspace.user = "system"                                  # the command line: nobody signed in
    with pytest.raises(AuthError):
        workspace.settings.change_division_code(NEW, "石门村")
    assert workspace.settings.division_code == VILLAGE
    with pytest.raises(ValidationError):
        workspace.settings.update(division_code=NEW)


def test_a_correction_to_an_impossible_or_the_same_code_is_refused(workspace):
    _admin(workspace)
    for code in ("622923105000", "992923105203", VILLAGE):
        with pytest.raises(ValidationError):
            workspace.settings.change_division_code(code, "石门村")
    assert workspace.settings.division_code == VILLAGE


def test_a_database_is_never_created_for_a_province_that_does_not_exist(tmp_path):
    with pytest.raises(ValidationError, match="前两位 99"):
        Workspace.create(tmp_path / "x.sqlite3", clinic_name="x", division_code="992923104201",
                         division_name="x")
    assert not (tmp_path / "x.sqlite3").exists()
