"""Versions sync can trust, for all 16 synced tables: only tracked writes, foreign stamps only in
apply mode, versions and county numbers never go backwards, every write described in the outbox,
and guard triggers that cover every column, also after a migration adds one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.households import Household
from app.storage import migrations
from app.storage.changes import APPLY_ORDER, SYNCED_TABLES
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.guards import trigger_problems
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.migrations.tracking import tracking_is_current
from app.storage.workspace import Workspace
from tests.unit.storage.history import TOWNSHIP, VILLAGES, history, household, township

TABLES = sorted(SYNCED_TABLES)
# A field of each table a tracked edit may change freely (contract_members has only its links).
FREE_FIELD = {
    "divisions": "name", "households": "note", "people": "note", "poverty_events": "note",
    "help_persons": "unit", "diagnoses": "note", "teams": "note", "contracts": "dissolution_note",
    "contract_members": "deleted", "service_deliveries": "note", "follow_ups": "doctor",
    "referral_results": "note", "general_visits": "note", "health_exams": "conclusion",
    "exam_returns": "note", "claims": "note",
}
OTHER = "0190aaaa-0000-7000-8000-000000000001"   # an instance id that is not this PC's


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A township file with rows in every synced table (two years of one household's history)."""
    path = tmp_path_factory.mktemp("filled") / "township.sqlite3"
    ws = township(path)
    hid, pids = household(ws, VILLAGES[0])
    history(ws, hid, pids, range(2024, 2026))
    for table in TABLES:
        assert ws.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    ws.close()
    return path


@pytest.fixture
def ws(filled_file: Path, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "copy.sqlite3"
    shutil.copy(filled_file, path)
    opened = Workspace.open(path)
    yield opened
    opened.close()


def a_row(ws: Workspace, table: str) -> dict[str, object]:
    return dict(ws.conn.execute(f"SELECT * FROM {table} ORDER BY id LIMIT 1").fetchone())


def new_value(row: dict[str, object], field: str) -> object:
    return 1 if field == "deleted" else f"{row[field] or ''}改"


def outbox(ws: Workspace, table: str, row_id: object) -> list[dict[str, object]]:
    return [dict(r) for r in ws.conn.execute(
        "SELECT * FROM outbox WHERE table_name = ? AND row_id = ? ORDER BY seq", (table, row_id))]


@pytest.mark.parametrize("table", TABLES)
def test_untracked_writes_are_refused(ws: Workspace, table: str) -> None:
    row, field = a_row(ws, table), FREE_FIELD[table]
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        ws.conn.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", (new_value(row, field), row["id"]))
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):   # a version with no outbox entry
        ws.conn.execute(f"UPDATE {table} SET {field} = ?, version_counter = version_counter + 1000"
                        " WHERE id = ?", (new_value(row, field), row["id"]))
    with pytest.raises(sqlite3.IntegrityError, match="tombstoned"):
        ws.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
    copy = {**row, "id": "sneaky", "version_counter": 10_000}
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        ws.conn.execute(f"INSERT INTO {table} ({', '.join(copy)}) VALUES ({', '.join('?' * len(copy))})",
                        list(copy.values()))
    assert a_row(ws, table) == row


@pytest.mark.parametrize("table", TABLES)
def test_a_forged_stamp_is_refused_outside_apply_mode(ws: Workspace, table: str) -> None:
    row, field = a_row(ws, table), FREE_FIELD[table]
    with pytest.raises(sqlite3.IntegrityError, match="another instance outside apply mode"):
        ws.conn.execute(f"UPDATE {table} SET {field} = ?, version_instance = ?, version_counter = 1"
                        " WHERE id = ?", (new_value(row, field), OTHER, row["id"]))
    copy = {**row, "id": "forged", "version_instance": OTHER, "version_counter": 1}
    with pytest.raises(sqlite3.IntegrityError, match="another instance outside apply mode"):
        ws.conn.execute(f"INSERT INTO {table} ({', '.join(copy)}) VALUES ({', '.join('?' * len(copy))})",
                        list(copy.values()))
    with ws.transaction(), pytest.raises(RuntimeError, match="applying"):
        ws.tracker.apply(table, {**row, "version_instance": OTHER})     # apply() needs apply mode
    with pytest.raises(RuntimeError, match="inside a transaction"), ws.tracker.applying():
        pass
    assert a_row(ws, table) == row


@pytest.mark.parametrize("table", TABLES)
def test_a_forged_stamp_is_accepted_in_apply_mode(ws: Workspace, table: str) -> None:
    row, field = a_row(ws, table), FREE_FIELD[table]
    incoming = {**row, field: new_value(row, field), "version_instance": OTHER, "version_counter": 7,
                "server_seq": 40}
    with ws.transaction(), ws.tracker.applying():
        assert ws.tracker.apply(table, incoming) is True
        assert ws.tracker.apply(table, incoming) is False                        # already held
        assert ws.tracker.apply(table, {**incoming, field: row[field], "version_counter": 6}) is False
    assert a_row(ws, table) == incoming
    assert ws.conn.execute("SELECT applying FROM local_instance").fetchone()[0] == 0
    assert all(e["state"] == "synced" for e in outbox(ws, table, row["id"]))  # superseded here
    with pytest.raises(sqlite3.IntegrityError, match="another instance outside apply mode"):
        ws.conn.execute(f"UPDATE {table} SET version_counter = 8 WHERE id = ?", (row["id"],))


@pytest.mark.parametrize("table", TABLES)
def test_a_version_never_goes_backwards(ws: Workspace, table: str) -> None:
    row = a_row(ws, table)
    with pytest.raises(sqlite3.IntegrityError, match="goes backwards"):
        ws.conn.execute(f"UPDATE {table} SET version_counter = version_counter - 1 WHERE id = ?",
                        (row["id"],))
    with ws.transaction(), ws.tracker.applying():
        ws.tracker.apply(table, {**row, "version_instance": OTHER, "version_counter": 5})
        with pytest.raises(sqlite3.IntegrityError, match="goes backwards"):
            ws.conn.execute(f"UPDATE {table} SET version_counter = 4 WHERE id = ?", (row["id"],))
        with pytest.raises(sqlite3.IntegrityError, match="untracked"):
            ws.conn.execute(f"UPDATE {table} SET deleted = 1 WHERE id = ?", (row["id"],))
    ws.conn.execute(f"UPDATE {table} SET server_seq = 9 WHERE id = ?", (row["id"],))   # not a write
    for lower in (8, None):
        with pytest.raises(sqlite3.IntegrityError, match=r"server_seq .* goes backwards"):
            ws.conn.execute(f"UPDATE {table} SET server_seq = ? WHERE id = ?", (lower, row["id"]))
    assert a_row(ws, table)["server_seq"] == 9


@pytest.mark.parametrize("table", TABLES)
def test_a_tracked_write_leaves_one_outbox_entry_naming_fields_and_user(ws: Workspace, table: str) -> None:
    ws.users.add_first("wangyi", "王医生", "township_admin", "Secret-pass-1")
    row, field = a_row(ws, table), FREE_FIELD[table]
    before = ws.conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    with ws.transaction():
        assert ws.tracker.update(table, str(row["id"]), {field: new_value(row, field)})
    entries = [dict(r) for r in ws.conn.execute("SELECT * FROM outbox WHERE seq > ?", (before,))]
    assert len(entries) == 1
    entry, now = entries[0], a_row(ws, table)
    assert (entry["table_name"], entry["row_id"], entry["username"], entry["state"]) == \
        (table, row["id"], "wangyi", "pending")
    assert entry["op"] == ("delete" if field == "deleted" else "update")
    assert (entry["version_instance"], entry["version_counter"]) == \
        (ws.instance_id, now["version_counter"]) and now["version_instance"] == ws.instance_id
    assert json.loads(str(entry["fields"])) == {field: new_value(row, field)}
    assert json.loads(str(entry["prior"])) == {
        field: row[field], "version_instance": row["version_instance"],
        "version_counter": row["version_counter"], "updated_at": row["updated_at"]}


def test_bulk_inserts_and_moves_name_their_fields_and_user(ws: Workspace) -> None:
    ws.users.add_first("wangyi", "王医生", "township_admin", "Secret-pass-1")
    with ws.transaction():
        ids = ws.tracker.bulk_insert("households", [
            {"village_code": VILLAGES[1], "group_name": f"{n}组"} for n in range(3)],
            partition=VILLAGES[1])
    for n, hid in enumerate(ids):
        (entry,) = outbox(ws, "households", hid)
        assert (entry["op"], entry["username"], entry["prior"]) == ("insert", "wangyi", None)
        assert json.loads(str(entry["fields"])) == {
            "village_code": VILLAGES[1], "group_name": f"{n}组", "partition": VILLAGES[1], "deleted": 0}
    mover = ws.conn.execute("SELECT id FROM households WHERE village_code = ?", (VILLAGES[0],)).fetchone()[0]
    member = ws.conn.execute("SELECT id, version_counter FROM people WHERE household_id = ?",
                             (mover,)).fetchone()
    ws.households.update(Household(**{**vars(ws.households.get(mover)), "village_code": VILLAGES[2]}))
    moved = outbox(ws, "people", member[0])[-1]           # written by Tracker.repartition
    assert (moved["op"], moved["username"]) == ("update", "wangyi")
    assert json.loads(str(moved["fields"])) == {"partition": VILLAGES[2]}
    assert json.loads(str(moved["prior"]))["partition"] == VILLAGES[0]
    assert json.loads(str(moved["prior"]))["version_counter"] == member[1]


def test_system_writes_name_no_user(tmp_path: Path) -> None:
    """Creating a database (and migrations, demo data) write before anyone signs in: no user."""
    ws = township(tmp_path / "t.sqlite3")
    users = {r[0] for r in ws.conn.execute("SELECT DISTINCT username FROM outbox")}
    ws.close()
    assert users == {None}


def test_every_synced_table_can_be_applied_to_another_pc_in_apply_order(
        ws: Workspace, tmp_path: Path) -> None:
    """Every row of one PC, applied to a fresh PC of the same township, parents first."""
    target = Workspace.create(tmp_path / "other.sqlite3", clinic_name="红旗乡卫生院",
                              division_code=TOWNSHIP, division_name="红旗乡")
    try:
        with target.transaction(), target.tracker.applying():
            for table in APPLY_ORDER:
                for r in ws.conn.execute(   # within a table, in the order the rows were made
                        f"SELECT t.* FROM {table} t JOIN outbox o ON o.table_name = ? AND"
                        " o.row_id = t.id AND o.op = 'insert' ORDER BY o.seq", (table,)):
                    target.tracker.apply(table, dict(r))
        for table in APPLY_ORDER:
            mine = [dict(r) for r in ws.conn.execute(f"SELECT * FROM {table} ORDER BY id")]
            theirs = [dict(r) for r in target.conn.execute(f"SELECT * FROM {table} ORDER BY id")]
            assert theirs == mine, table
        assert target.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        target.close()


def test_apply_order_puts_parents_first() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    assert sorted(APPLY_ORDER) == TABLES
    for n, table in enumerate(APPLY_ORDER):
        for fk in conn.execute(f"PRAGMA foreign_key_list({table})"):
            assert fk[2] in SYNCED_TABLES and APPLY_ORDER.index(fk[2]) <= n, (table, fk[2])


def test_every_update_trigger_covers_every_column_but_server_seq() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    for table in TABLES:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                           (f"{table}_tracked_update",)).fetchone()[0]
        covered = sql.split("BEFORE UPDATE OF ", 1)[1].split(f" ON {table} ", 1)[0].split(", ")
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        assert set(covered) == set(columns) - {"server_seq"}, table
        assert tracking_is_current(conn, table)


def test_a_column_added_by_a_migration_is_tracked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later migration that adds a column gets its triggers rebuilt by the runner."""
    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE divisions ADD COLUMN nickname TEXT NOT NULL DEFAULT ''")

    Workspace.create(db_path, clinic_name="c", division_code=VILLAGES[0], division_name="红旗村").close()
    conn = connect(db_path)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (LATEST_VERSION + 1, add_column)])
    assert migrate(conn, target=LATEST_VERSION + 1) == LATEST_VERSION + 1
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        conn.execute("UPDATE divisions SET nickname = 'x'")
    assert tracking_is_current(conn, "divisions")
    conn.close()


def test_a_column_added_without_rebuilding_the_triggers_is_detected(db_path: Path) -> None:
    Workspace.create(db_path, clinic_name="c", division_code=VILLAGES[0], division_name="红旗村").close()
    conn = connect(db_path)
    conn.execute("ALTER TABLE divisions ADD COLUMN nickname TEXT")
    conn.execute("UPDATE divisions SET nickname = 'x'")        # what the old triggers let through
    assert not tracking_is_current(conn, "divisions")
    assert migrations.retrack(conn) == ["divisions"]
    assert tracking_is_current(conn, "divisions") and trigger_problems(conn) != []
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        conn.execute("UPDATE divisions SET nickname = 'y'")
    conn.close()
