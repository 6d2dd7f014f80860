"""Finding people by a run of 4+ digits of their ID or phone, on real SQLite files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils

from app.core.households import Household
from app.core.people import Person
from app.core.search import number_runs
from app.storage.backup import make_backup, restore_backup
from app.storage.changes import SYNCED_TABLES, Tracker
from app.storage.db import connect
from app.storage.households import HouseholdFilter
from app.storage.importer import export_workbook, import_workbook
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

TODAY = dt.date(2025, 6, 1)


def id_ending_in_x() -> str:
    for seq in range(100, 999):
        candidate = make_id("19850312", f"{seq:03d}")
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no ID ending in X")


def household(ws: Workspace, group: str = "一组", phone: str = "") -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        phone=phone))
    return str(hid)


def add(ws: Workspace, name: str, id_no: str = "", phone: str = "", hid: str | None = None) -> str:
    pid, _ = ws.people.add(Person(id=None, household_id=hid or household(ws), name=name,
                                  id_no=id_no, phone=phone, relation="户主"))
    return str(pid)


def found(ws: Workspace, query: str) -> list[str]:
    return [h.name for h in ws.people.search(query)]


def test_any_run_of_four_digits_finds_the_person(workspace: Workspace) -> None:
    xid = id_ending_in_x()
    add(workspace, "王建国", id_no=xid, phone="13907341234")
    add(workspace, "李梅", phone="0734-8765432")
    assert found(workspace, xid[6:10]) == ["王建国"]         # the birth year, mid-ID
    assert found(workspace, xid[-6:]) == ["王建国"]          # last six, X included
    assert found(workspace, xid[-4:].lower()) == ["王建国"]
    assert found(workspace, "1234") == ["王建国"]            # last four of the mobile
    assert found(workspace, "5432") == ["李梅"]              # last four of the landline
    assert found(workspace, "48765") == ["李梅"]             # across the landline's dash
    assert found(workspace, "234") == []                     # three digits are not enough


def test_exact_and_prefix_matches_come_before_runs_inside(workspace: Workspace) -> None:
    add(workspace, "甲", phone="13900001985")                # 1985 at the end
    add(workspace, "乙", id_no=make_id("19850101", "011"))   # 1985 inside the ID
    add(workspace, "丙", phone="19850000000")                # 1985 at the start
    assert found(workspace, "1985") == ["丙", "甲", "乙"]
    assert found(workspace, "19850000000") == ["丙"]


def test_editing_the_phone_reindexes_it_and_survives_reopening(db_path: Path,
                                                              workspace: Workspace) -> None:
    pid = add(workspace, "张三", id_no=make_id(), phone="13800005678")
    p = workspace.people.get(pid)
    p.phone = "13912344321"
    workspace.people.update(p)
    assert found(workspace, "5678") == []
    workspace.close()
    with Workspace.open(db_path) as ws:
        assert found(ws, "4321") == ["张三"]
        assert found(ws, "1234432") == ["张三"]
        assert found(ws, "5678") == []
        stored = {r[0] for r in ws.conn.execute(
            "SELECT run FROM search_digits WHERE person_id = ?", (pid,))}
        assert stored == number_runs(make_id()) | number_runs("13912344321")


def test_a_moved_person_is_found_in_the_new_household(workspace: Workspace) -> None:
    pid = add(workspace, "张三", phone="13800005678")
    other = household(workspace, "二组")
    workspace.people.move(pid, other, "之子")
    hits = workspace.people.search("5678")
    assert [(h.id, h.group_name) for h in hits] == [(pid, "二组")]


def test_the_household_list_filters_by_a_run_of_a_member_or_of_the_household_phone(
        workspace: Workspace) -> None:
    a = household(workspace, "一组")
    add(workspace, "张三", phone="13800005678", hid=a)
    b = household(workspace, "二组", phone="0734-8123456")
    assert workspace.households.ids(HouseholdFilter(query="5678")) == [a]
    assert workspace.households.ids(HouseholdFilter(query="3456")) == [b]
    assert workspace.households.ids(HouseholdFilter(query="678")) == []


def test_the_index_is_local_never_in_the_outbox(workspace: Workspace) -> None:
    pid = add(workspace, "张三", phone="13800005678")
    p = workspace.people.get(pid)
    p.phone = "13900001111"
    workspace.people.update(p)
    tables = {r[0] for r in workspace.conn.execute("SELECT DISTINCT table_name FROM outbox")}
    assert "search_digits" not in tables and "search_digits" not in SYNCED_TABLES
    cols = {r[1] for r in workspace.conn.execute("PRAGMA table_info(search_digits)")}
    assert cols == {"run", "person_id"}
    with workspace.transaction(), pytest.raises(ValueError):
        Tracker(workspace.conn).insert("search_digits", {"run": "1111"}, partition=VILLAGE)


def test_triggers_agree_with_the_core_rule(workspace: Workspace) -> None:
    numbers = [(id_ending_in_x(), "0734-8123456"), (make_id("20000101", "031"), "1234"),
               ("", "123"), ("622923580214031", "13800000000-13900000000")]
    for i, (id_no, phone) in enumerate(numbers):
        add(workspace, f"张{i}", id_no=id_no, phone=phone)
    rows = workspace.conn.execute("SELECT id, id_no, phone FROM people").fetchall()
    expected = {(r, pid) for pid, id_no, phone in rows
                for r in number_runs(id_no) | number_runs(phone)}
    assert set(map(tuple, workspace.conn.execute("SELECT run, person_id FROM search_digits"))) \
        == expected


def test_a_schema_4_database_gets_its_runs_on_open(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=4) == 4
    old = Workspace(sqlite_utils.Database(conn), path)  # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, 'instance-1', 0, 1, '2025-01-01')")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
    add(old, "张三", id_no=make_id(), phone="13800005678")
    outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    old.close()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 5
        assert found(ws, "5678") == ["张三"] and found(ws, make_id()[-6:]) == ["张三"]
        assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox


def test_restore_brings_back_the_runs_of_the_restored_data(tmp_path: Path, db_path: Path,
                                                           workspace: Workspace) -> None:
    pid = add(workspace, "张三", phone="13800005678")
    backup = make_backup(workspace, tmp_path / "backups")
    p = workspace.people.get(pid)
    p.phone = "13900001111"
    workspace.people.update(p)
    workspace.close()
    restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    with Workspace.open(db_path) as ws:
        assert found(ws, "5678") == ["张三"] and found(ws, "1111") == []


def test_imported_and_reimported_people_are_found_by_their_runs(tmp_path: Path,
                                                                workspace: Workspace) -> None:
    pid = add(workspace, "张三", id_no=make_id(), phone="13800005678")
    sheet = tmp_path / "list.xlsx"
    export_workbook(workspace, sheet)
    with Workspace.create(tmp_path / "other.sqlite3", clinic_name="红旗村卫生室",
                          division_code=VILLAGE, division_name="红旗村") as other:
        assert import_workbook(other, sheet, today=TODAY).people_created == 1
        assert found(other, "5678") == ["张三"]
        p = workspace.people.get(pid)
        p.phone = "13900001111"
        workspace.people.update(p)
        export_workbook(workspace, sheet)
        assert import_workbook(other, sheet, today=TODAY).people_updated == 1
        assert found(other, "1111") == ["张三"] and found(other, "5678") == []
