"""档案号 are provisional until the county confirms the station; its answer confirms or renumbers
this installation's numbers, and a former number still finds the person (DOMAIN rule 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from app.core.errors import AuthError, ConflictError
from app.core.households import Household
from app.core.ids import uuid7
from app.core.people import Person
from app.storage import numbers
from app.storage.backup import make_backup, restore_backup
from app.storage.changes import APPLY_ORDER
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.migrations import migrate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id


def _pc(path: Path, station: int = 1) -> Workspace:
    return Workspace.create(path, clinic_name="红旗村卫生室", division_code=VILLAGE,
                            division_name="红旗村", station=station)


def _people(ws: Workspace, n: int, *, first: int = 1) -> list[str]:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
    return [ws.people.add(Person(id=None, household_id=hid, name=f"居民{i}",
                                 id_no=make_id(f"19{60 + i}0101", f"{i * 2 + 101:03d}")))[0]
            for i in range(first, first + n)]


def _apply_all(source: Workspace, target: Workspace) -> None:
    """Every tracked row of one PC applied to another, as sync will (apply mode)."""
    rows = [(t, dict(r)) for t in APPLY_ORDER for r in source.conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
    with target.transaction(), target.tracker.applying():
        for table, row in rows:
            target.tracker.apply(table, row)


def _no(serial: int) -> str:
    return f"{VILLAGE}{serial:05d}"


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    """Two PCs of one village that both kept the default station 1, each with its own people."""
    a, b = _pc(tmp_path / "a.sqlite3"), _pc(tmp_path / "b.sqlite3")
    yield a, b
    a.close()
    b.close()


def test_a_new_installation_issues_provisional_numbers_under_its_instance(workspace: Workspace) -> None:
    [pid] = _people(workspace, 1)
    p = workspace.people.get(pid)
    assert (p.record_no, p.record_provisional, p.record_issuer) == (_no(1), True, workspace.instance_id)
    assert p.former_record_nos == []
    block = workspace.record_numbers.block()
    assert (block.station, block.first, block.last, block.confirmed) == (1, 1, 10_000, False)
    assert (block.issued, block.provisional) == (1, 1)


def test_a_number_typed_by_hand_is_the_countys_own_and_is_not_provisional(workspace: Workspace) -> None:
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE))
    pid, _ = workspace.people.add(Person(id=None, household_id=hid, name="王五", record_no=_no(777)))
    assert workspace.people.get(pid).record_provisional is False


def test_confirming_the_same_station_confirms_the_numbers_as_they_are(workspace: Workspace) -> None:
    ids = _people(workspace, 3)
    done = workspace.record_numbers.confirm(1, by="county")
    assert (done.kept, done.renumbered) == (3, [])
    people = [workspace.people.get(i) for i in ids]
    assert [(p.record_no, p.record_provisional, p.former_record_nos) for p in people] == [
        (_no(1), False, []), (_no(2), False, []), (_no(3), False, [])]
    block = workspace.record_numbers.block()
    assert (block.confirmed, block.confirmed_by, block.provisional, block.issued) == (True, "county", 0, 3)
    [new] = _people(workspace, 1, first=9)            # numbers issued from now on are confirmed
    assert workspace.people.get(new).record_provisional is False
    assert workspace.people.get(new).record_no == _no(4)


def test_another_station_renumbers_only_this_installations_provisional_numbers(
        two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    mine = _people(a, 3)
    hid = a.people.get(mine[0]).household_id
    typed, _ = a.people.add(Person(id=None, household_id=hid, name="老档案", record_no=_no(500)))
    theirs = _people(b, 2, first=5)                    # b also typed station 1: …00001, …00002
    _apply_all(b, a)                                   # a foreign provisional row repeating a number
    assert a.conn.execute("SELECT count(*) FROM people WHERE record_no = ?", (_no(1),)).fetchone()[0] == 2

    done = a.record_numbers.confirm(2, by="county")
    assert done.kept == 0
    assert [(old, new) for _, old, new in done.renumbered] == [
        (_no(1), _no(10_001)), (_no(2), _no(10_002)), (_no(3), _no(10_003))]
    for pid, serial in zip(mine, (1, 2, 3), strict=True):
        p = a.people.get(pid)
        assert (p.record_no, p.record_provisional, p.former_record_nos) == (
            _no(10_000 + serial), False, [_no(serial)])
    assert a.people.get(typed).record_no == _no(500)   # the county's own number stays
    for pid, serial in zip(theirs, (1, 2), strict=True):   # b's numbers are b's to settle
        p = a.people.get(pid)
        assert (p.record_no, p.record_provisional, p.former_record_nos) == (_no(serial), True, [])
    assert a.station == 2 and a.record_numbers.block().first == 10_001
    [later] = _people(a, 1, first=9)
    assert a.people.get(later).record_no == _no(10_004)
    renumbered = a.conn.execute("SELECT detail FROM audit_log WHERE action = 'renumber_records'").fetchall()
    assert [json.loads(d)["renumbered"] for d, in renumbered] == [
        [[_no(1), _no(10_001)], [_no(2), _no(10_002)], [_no(3), _no(10_003)]]]


def test_a_former_number_finds_the_person_by_search_lookup_and_reference(workspace: Workspace) -> None:
    [pid] = _people(workspace, 1)
    workspace.record_numbers.confirm(3, by="county")
    assert workspace.people.get(pid).record_no == _no(20_001)
    assert workspace.people.by_record_no(_no(1)).id == pid         # a printed QR code
    assert workspace.people.by_record_no(_no(20_001)).id == pid
    assert workspace.care.find_person(_no(1)).id == pid            # `cunyi person show 旧号`
    assert [h.id for h in workspace.people.search(_no(1))] == [pid]
    assert [h.id for h in workspace.people.search("201-00001")] == [pid]   # the short form
    assert [h.id for h in workspace.people.search(_no(20_001))] == [pid]


def test_a_former_number_is_not_handed_out_again_nor_typed(workspace: Workspace) -> None:
    ids = _people(workspace, 2)
    with workspace.transaction():                       # what a same-station clash leaves
        workspace.tracker.update("people", ids[1], {"record_no": _no(7), "former_record_nos": [_no(9)]})
    assert numbers.highest_record_serial(workspace.conn, VILLAGE, 1) == 9
    [new] = _people(workspace, 1, first=5)
    assert workspace.people.get(new).record_no == _no(10)
    p = workspace.people.get(new)
    p.record_no = _no(9)
    with pytest.raises(ConflictError, match="曾是另一位居民"):
        workspace.people.update(p)


def test_confirmed_numbers_are_unique_and_provisional_ones_from_another_pc_apply(
        two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    [ours] = _people(a, 1)
    a.record_numbers.confirm(1, by="county")
    _people(b, 1, first=5)                             # b's provisional …00001
    _apply_all(b, a)                                   # applies: provisional rows are not unique
    [theirs] = [r[0] for r in a.conn.execute(
        "SELECT id FROM people WHERE record_no = ? AND id != ?", (_no(1), ours))]
    assert a.people.by_record_no(_no(1)).id == ours    # the confirmed holder first
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), a.transaction():
        [other] = _people(a, 1, first=7)
        a.tracker.update("people", other, {"record_no": _no(1)})
    assert theirs


def test_a_confirmed_number_elsewhere_moves_a_provisional_one_of_the_same_station(
        two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    _people(b, 1, first=5)
    b.record_numbers.confirm(1, by="county")           # b holds …00001, confirmed
    ours, _ = _people(a, 2)
    _apply_all(b, a)
    done = a.record_numbers.confirm(1, by="county")    # the county's slip: a is station 1 too
    assert (done.kept, [(o, n) for _, o, n in done.renumbered]) == (1, [(_no(1), _no(3))])
    assert a.people.get(ours).former_record_nos == [_no(1)]


def test_confirming_twice_changes_nothing_and_another_station_is_refused(workspace: Workspace) -> None:
    _people(workspace, 2)
    workspace.record_numbers.confirm(2, by="county")

    def state() -> tuple[object, ...]:
        c = workspace.conn
        return (c.execute("SELECT max(seq) FROM audit_log").fetchone()[0],
                c.execute("SELECT count(*) FROM outbox").fetchone()[0],
                c.execute("SELECT counter FROM local_instance").fetchone()[0],
                c.execute("SELECT * FROM station_confirmation").fetchone()[:])

    before = state()
    again = workspace.record_numbers.confirm(2, by="someone else")
    assert (again.kept, again.renumbered, bool(again.changes)) == (0, [], False)
    assert state() == before
    with pytest.raises(ConflictError, match="已由县里确认为 2"):
        workspace.record_numbers.confirm(3, by="county")
    assert state() == before


def test_the_outbox_carries_each_renumbering_with_the_old_number(workspace: Workspace) -> None:
    [pid] = _people(workspace, 1)
    workspace.record_numbers.confirm(2, by="county")
    fields, prior = workspace.conn.execute(
        "SELECT fields, prior FROM outbox WHERE table_name = 'people' AND row_id = ?"
        " ORDER BY version_counter DESC LIMIT 1", (pid,)).fetchone()
    assert json.loads(fields) == {"record_no": _no(10_001), "record_provisional": 0,
                                  "former_record_nos": json.dumps([_no(1)])}
    assert json.loads(prior)["record_no"] == _no(1)
    assert json.loads(prior)["record_provisional"] == 1


def test_the_renumbering_is_one_transaction(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _people(workspace, 3)
    calls = 0
    update = workspace.tracker.update

    def failing(table: str, row_id: str, values: object) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("power cut")
        return update(table, row_id, values)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace.tracker, "update", failing)
    with pytest.raises(RuntimeError):
        workspace.record_numbers.confirm(2, by="county")
    monkeypatch.undo()
    assert workspace.record_numbers.block().confirmed is False
    assert {r[0] for r in workspace.conn.execute("SELECT record_no FROM people")} == {_no(1), _no(2), _no(3)}
    assert workspace.station == 1


def test_the_new_block_honours_the_floors_a_restore_carried(workspace: Workspace) -> None:
    _people(workspace, 2)
    with workspace.transaction():
        numbers.carry(workspace.conn, {("record", numbers.record_scope(VILLAGE, 2)): 10_005})
    done = workspace.record_numbers.confirm(2, by="county")
    assert [new for _, _, new in done.renumbered] == [_no(10_006), _no(10_007)]


def test_a_restore_keeps_the_countys_answer_and_what_was_issued(
        tmp_path: Path, db_path: Path, workspace: Workspace) -> None:
    ids = _people(workspace, 2)
    backup = make_backup(workspace, tmp_path / "backups")   # taken while still provisional
    workspace.record_numbers.confirm(2, by="county")
    workspace.close()
    restore_backup(db_path, backup, safety_folder=tmp_path / "safety")
    with Workspace.open(db_path) as ws:
        block = ws.record_numbers.block()
        assert (block.station, block.confirmed, block.provisional) == (2, True, 2)
        done = ws.record_numbers.confirm(2, by="county")     # settles the copy's provisional ones
        assert [new for _, _, new in done.renumbered] == [_no(10_003), _no(10_004)]
        assert ws.people.by_record_no(_no(1)).id == ids[0]


def test_a_doctor_may_not_record_the_countys_answer(workspace: Workspace) -> None:
    workspace.users.add_first("admin", "管理员", "township_admin", "Secret-pass-1")
    workspace.user = "admin"
    workspace.users.add("doc", "医生", "village_doctor", "Secret-pass-2")
    workspace.user = "doc"
    with pytest.raises(AuthError, match="不能确认机位号"):
        workspace.record_numbers.confirm(1, by="doc")
    workspace.user = "admin"
    assert workspace.record_numbers.confirm(1, by="admin").station == 1


def test_a_file_from_before_schema_14_keeps_its_numbers_and_its_station_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "v12.sqlite3"
    conn = connect(path)
    migrate(conn, target=12)
    old = Workspace(sqlite_utils.Database(conn), path)
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, ?, 0, 3, '2025-01-01')", (uuid7(),))
        conn.execute("INSERT INTO instance_history (instance_id, started_at, reason)"
                     " SELECT instance_id, created_at, 'created' FROM local_instance")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
        old.settings.add_division(VILLAGE, "红旗村")
    [pid] = _people(old, 1)
    old.close()
    with Workspace.open(path) as ws:
        p = ws.people.get(pid)
        assert (p.record_no, p.record_provisional, p.record_issuer) == (_no(20_001), False, "")
        block = ws.record_numbers.block()
        assert (block.station, block.confirmed, block.confirmed_by) == (3, True, "升级时沿用")
        assert ws.record_numbers.confirm(3, by="county").renumbered == []


def test_contracts_signed_under_the_guessed_station_take_the_countys(tmp_path) -> None:
    """Two PCs that both guessed station 1 issue the same contract numbers; the county's answer
    moves this PC's to its own station, and the old number still finds the contract."""
    import datetime as dt

    from app.core.contracts import Team, TeamMember
    from app.core.households import Household
    from app.core.people import Person
    from app.storage.workspace import Workspace
    from tests.conftest import VILLAGE, make_id

    ws = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    ws.users.add_first("admin", "管理员", "township_admin", "Secret-pass-1")
    team, _ = ws.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "王", "13900000000")]))
    hid, _ = ws.households.add(Household(None, VILLAGE))
    ws.people.add(Person(None, hid, "张三", id_no=make_id(), relation="户主"))
    cid, _ = ws.contracts.sign(hid, str(team), ["JC"], dt.date(2026, 3, 1))
    old = ws.contracts.get(str(cid)).contract_no
    assert old == f"{VILLAGE}-1-2026-0001"
    ws.record_numbers.confirm(3, by="county")
    assert ws.contracts.get(str(cid)).contract_no == f"{VILLAGE}-3-2026-0001"
    assert str(ws.contracts.get(old).id) == str(cid)
    ws.close()
