"""Every write of a synced table goes through the tracked write path and lands in the outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.households import HelpPerson, Household
from app.core.people import Diagnosis, Person
from app.storage.engine import sqlite3
from app.storage.migrations.m0001_initial import SYNCED_TABLES
from tests.conftest import VILLAGE, make_id


def fill(ws):
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                        poverty_status="poor", poverty_causes=["因病"]))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id(),
                                  relation="户主"))
    qid, _ = ws.people.add(Person(id=None, household_id=hid, name="李四",
                                  id_no=make_id("19680101", "002"), relation="配偶"))
    ws.households.set_help_person(hid, HelpPerson(name="王干部", unit="县卫健委", phone="13900000000"))
    ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="高血压"))
    ws.households.set_poverty_status(hid, "exited", dt.date(2020, 12, 1), "脱贫出")
    h2, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="二组"))
    ws.people.move(qid, h2, "户主")
    ws.people.mark(pid, "死亡", dt.date(2025, 1, 2), "病故")
    return hid, pid, qid


def test_every_row_version_has_its_outbox_entry(workspace):
    fill(workspace)
    conn = workspace.conn
    total = 0
    for table in SYNCED_TABLES:
        rows = conn.execute(f"SELECT id, version_instance, version_counter FROM {table}").fetchall()
        for row in rows:
            total += 1
            hit = conn.execute(
                "SELECT 1 FROM outbox WHERE table_name = ? AND row_id = ? AND version_instance = ?"
                " AND version_counter = ?", (table, row[0], row[1], row[2])).fetchone()
            assert hit, f"{table}/{row[0]} has no outbox entry for its version"
    assert total >= 8
    counters = [r[0] for r in conn.execute("SELECT version_counter FROM outbox ORDER BY seq")]
    assert counters == list(range(1, len(counters) + 1))


@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_untracked_writes_are_refused(workspace, table):
    fill(workspace)
    conn = workspace.conn
    row = conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        conn.execute(f"UPDATE {table} SET updated_at = 'x' WHERE id = ?", (row["id"],))
    with pytest.raises(sqlite3.IntegrityError, match="tombstoned"):
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
    values = dict(row)
    values["id"] = "sneaky"
    values["version_counter"] = 10_000
    cols = ", ".join(values)
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})",
                     list(values.values()))


def test_rows_stamped_by_another_instance_can_be_applied(workspace):
    """Sync applies rows written elsewhere in apply mode: they keep their own version and need no
    outbox entry; outside apply mode the same row is refused."""
    fill(workspace)
    conn = workspace.conn
    row = dict(conn.execute("SELECT * FROM households LIMIT 1").fetchone())
    row.update(id="remote-1", version_instance="other-instance", version_counter=5, household_no="")
    insert = f"INSERT INTO households ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
    with pytest.raises(sqlite3.IntegrityError, match="outside apply mode"):
        conn.execute(insert, list(row.values()))
    with workspace.transaction(), workspace.tracker.applying():
        assert workspace.tracker.apply("households", row)
    conn.execute("UPDATE households SET server_seq = 9 WHERE id = 'remote-1'")


def test_an_edit_that_changes_nothing_writes_nothing(workspace):
    _, pid, _ = fill(workspace)
    before = workspace.unsynced_count()
    workspace.people.update(workspace.people.get(pid))
    assert workspace.unsynced_count() == before


def test_a_failed_write_leaves_nothing_behind(workspace):
    hid, _, _ = fill(workspace)
    before = workspace.unsynced_count()
    counter = workspace.conn.execute("SELECT counter FROM local_instance").fetchone()[0]
    with pytest.raises(Exception, match="身份证号"):
        workspace.people.add(Person(id=None, household_id=hid, name="重复", id_no=make_id()))
    assert workspace.unsynced_count() == before
    assert workspace.conn.execute("SELECT counter FROM local_instance").fetchone()[0] == counter
    assert workspace.people.search("重复") == []


def test_audit_log_is_append_only(workspace):
    fill(workspace)
    with pytest.raises(sqlite3.IntegrityError):
        workspace.conn.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.IntegrityError):
        workspace.conn.execute("UPDATE audit_log SET action = 'x'")
