"""Numbers people see: contract numbers per village and station, unique, kept past a restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from app.core.households import Household
from app.core.ids import uuid7
from app.core.people import Person
from app.storage.backup import make_backup, restore_backup
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE
from tests.unit.storage.test_contracts import SIGNED, household

PREFIX = f"{VILLAGE}-1-2025-"


def _team(ws: Workspace) -> str:
    from app.core.contracts import Team, TeamMember

    tid, _ = ws.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "王院长")]))
    return tid


def _sign(ws: Workspace, team: str, group: str) -> str:
    cid, _ = ws.contracts.sign(household(ws, poor=True, n=1, group=group), team, ["JC"], SIGNED)
    return ws.contracts.get(cid).contract_no


def test_two_stations_of_one_village_number_contracts_apart(tmp_path: Path) -> None:
    numbers = []
    for station in (1, 2):
        with Workspace.create(tmp_path / f"pc{station}.sqlite3", clinic_name="红旗村卫生室",
                              division_code=VILLAGE, division_name="红旗村", station=station) as ws:
            team = _team(ws)
            numbers.append([_sign(ws, team, "一组"), _sign(ws, team, "二组")])
    assert numbers == [[f"{PREFIX}0001", f"{PREFIX}0002"],
                       [f"{VILLAGE}-2-2025-0001", f"{VILLAGE}-2-2025-0002"]]


def test_the_serial_widens_past_9999_and_a_number_cannot_be_given_twice(workspace: Workspace) -> None:
    team = _team(workspace)
    first = _sign(workspace, team, "一组")
    cid = workspace.contracts.get(first).id
    with workspace.transaction():
        workspace.tracker.update("contracts", cid, {"contract_no": f"{PREFIX}9999"})
    assert [_sign(workspace, team, g) for g in ("二组", "三组")] == [f"{PREFIX}10000", f"{PREFIX}10001"]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), workspace.transaction():
        workspace.tracker.update("contracts", cid, {"contract_no": f"{PREFIX}10000"})


def test_a_schema_8_file_with_repeated_numbers_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v8.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=8) == 8
    old = Workspace(sqlite_utils.Database(conn), path)   # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, ?, 0, 1, '2025-01-01')", (uuid7(),))
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
    team = _team(old)
    signed = [old.contracts.get(_sign(old, team, g)).id for g in ("一组", "二组", "三组", "四组")]
    # what schema 8 could leave: a serial that started again after 9999 repeats old numbers
    with old.transaction():
        for cid in signed[:3]:
            old.tracker.update("contracts", cid, {"contract_no": "202510001"})
        old.tracker.update("contracts", signed[3], {"contract_no": "202510001-2"})
        old.tracker.tombstone("contracts", signed[2])
    old.close()

    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        numbers = dict(ws.conn.execute("SELECT id, contract_no FROM contracts"))
        assert numbers == {signed[0]: "202510001", signed[1]: "202510001-3",
                           signed[2]: "202510001-4", signed[3]: "202510001-2"}
        renamed = ws.conn.execute("SELECT row_id, detail FROM audit_log WHERE action = 'renumber_contract'"
                                  " ORDER BY seq").fetchall()
        assert [(r, json.loads(d)["to"]) for r, d in renamed] == [
            (signed[1], "202510001-3"), (signed[2], "202510001-4")]
        assert ws.conn.execute("SELECT count(*) FROM outbox WHERE table_name = 'contracts' AND row_id = ?"
                               " AND op = 'update'", (signed[1],)).fetchone()[0] == 2
        assert _sign(ws, team, "五组") == f"{PREFIX}0001"     # old-shape numbers never meet these
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), ws.transaction():
            ws.tracker.update("contracts", signed[1], {"contract_no": "202510001"})


def _record_nos(ws: Workspace) -> set[str]:
    return {r[0] for r in ws.conn.execute("SELECT record_no FROM people")}


def test_a_restored_file_never_hands_out_a_number_the_replaced_file_had_issued(
        tmp_path: Path, db_path: Path, workspace: Workspace) -> None:
    team = _team(workspace)
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE))
    workspace.people.add(Person(id=None, household_id=hid, name="张一"))
    _sign(workspace, team, "一组")                         # a household of one, and its contract
    backup = make_backup(workspace, tmp_path / "backups")
    workspace.people.add(Person(id=None, household_id=hid, name="张二"))
    _sign(workspace, team, "二组")
    _sign(workspace, team, "三组")
    records = _record_nos(workspace)
    contracts = {r[0] for r in workspace.conn.execute("SELECT contract_no FROM contracts")}
    assert max(records) == f"{VILLAGE}00005" and max(contracts) == f"{PREFIX}0003"
    workspace.close()

    restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    with Workspace.open(db_path) as ws:
        assert len(_record_nos(ws)) == 2                # the backup's people only
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name="李三"))
        assert ws.people.get(pid).record_no == f"{VILLAGE}00006"
        assert _sign(ws, team, "四组") == f"{PREFIX}0004"   # its member took 00007
    # and again: a second restore of the same backup keeps what the first one carried
    restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    with Workspace.open(db_path) as ws:
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name="李四"))
        assert ws.people.get(pid).record_no == f"{VILLAGE}00008"
        assert _sign(ws, team, "五组") == f"{PREFIX}0005"
