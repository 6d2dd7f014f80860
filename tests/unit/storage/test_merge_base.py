"""The merge base: the values the county last acknowledged stay recoverable for every synced row,
so sync can merge field by field; what is unsynced follows the outbox, not `server_seq`."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.households import Household
from app.core.merge import field_diff
from app.storage import versions
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE
from tests.unit.storage.history import VILLAGES, household, township

OTHER = "0190aaaa-0000-7000-8000-000000000001"
VERSION_FIELDS = frozenset({"version_instance", "version_counter", "updated_at", "server_seq"})


def new_household(ws: Workspace, **fields: str) -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                        phone="13900000000", **fields))
    return str(hid)


def edit(ws: Workspace, hid: str, **fields: object) -> tuple[str, int]:
    with ws.transaction():
        assert ws.tracker.update("households", hid, fields)
    return version(ws, hid)


def version(ws: Workspace, hid: str) -> tuple[str, int]:
    r = ws.conn.execute("SELECT version_instance, version_counter FROM households WHERE id = ?",
                        (hid,)).fetchone()
    return str(r[0]), int(r[1])


def ack(ws: Workspace, hid: str, at: tuple[str, int], seq: int) -> int:
    with ws.transaction():
        return versions.acknowledge(ws.conn, "households", hid, at, seq)


def row(ws: Workspace, hid: str) -> dict[str, object]:
    return dict(ws.conn.execute("SELECT * FROM households WHERE id = ?", (hid,)).fetchone())


def pending(ws: Workspace, hid: str) -> int:
    return int(ws.conn.execute("SELECT count(*) FROM outbox WHERE row_id = ? AND state != 'synced'",
                               (hid,)).fetchone()[0])


def test_an_insert_never_acknowledged_has_no_base(workspace: Workspace) -> None:
    hid = new_household(workspace)
    edit(workspace, hid, address="老街1号")
    assert versions.base(workspace.conn, "households", hid) is None
    assert pending(workspace, hid) == 2 and row(workspace, hid)["server_seq"] is None


def test_a_row_acknowledged_and_never_edited_is_its_own_base(workspace: Workspace) -> None:
    hid = new_household(workspace)
    before = workspace.unsynced_count()
    assert ack(workspace, hid, version(workspace, hid), 101) == 1
    assert ack(workspace, hid, version(workspace, hid), 101) == 0          # known already
    base = versions.base(workspace.conn, "households", hid)
    now = row(workspace, hid)
    assert base is not None and (base.server_seq, now["server_seq"]) == (101, 101)
    assert base.values == {k: v for k, v in now.items() if k != "server_seq"}
    assert base.version == version(workspace, hid)
    assert workspace.unsynced_count() == before - 1


def test_an_edit_after_the_acknowledgement_keeps_the_acknowledged_values(workspace: Workspace) -> None:
    hid = new_household(workspace)
    acked = row(workspace, hid)
    ack(workspace, hid, version(workspace, hid), 7)
    edit(workspace, hid, phone="13811112222", note="搬家")
    workspace.households.update(Household(**{**vars(workspace.households.get(hid)), "group_name": "二组"}))
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None and base.server_seq == 7
    assert base.values == {k: v for k, v in acked.items() if k != "server_seq"}
    assert row(workspace, hid)["phone"] == "13811112222" and row(workspace, hid)["server_seq"] == 7
    assert pending(workspace, hid) == 2           # still unsynced though server_seq is set


def test_two_edits_with_the_first_acknowledged(workspace: Workspace) -> None:
    hid = new_household(workspace)
    first = edit(workspace, hid, phone="13811112222")
    after_first = row(workspace, hid)
    edit(workspace, hid, phone="13933334444", address="新村3号")
    assert ack(workspace, hid, first, 12) == 2                 # the insert and the first edit
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None and base.version == first and base.server_seq == 12
    assert base.values == {k: v for k, v in after_first.items() if k != "server_seq"}
    assert pending(workspace, hid) == 1
    second = version(workspace, hid)
    ack(workspace, hid, second, 13)
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None and base.values["phone"] == "13933334444" and base.version == second


def test_a_move_after_the_acknowledgement_keeps_the_old_partition_in_the_base(tmp_path: Path) -> None:
    ws = township(tmp_path / "t.sqlite3")
    try:
        hid, pids = household(ws, VILLAGES[0])
        for table, row_id in (("households", hid), ("people", pids[0])):
            at = ws.conn.execute(f"SELECT version_instance, version_counter FROM {table} WHERE id = ?",
                                 (row_id,)).fetchone()
            with ws.transaction():
                versions.acknowledge(ws.conn, table, row_id, (at[0], at[1]), 3)
        ws.households.update(Household(**{**vars(ws.households.get(hid)), "village_code": VILLAGES[1]}))
        for table, row_id in (("households", hid), ("people", pids[0])):   # people: repartition
            base = versions.base(ws.conn, table, row_id)
            assert base is not None and base.values["partition"] == VILLAGES[0], table
            assert ws.conn.execute(f"SELECT partition FROM {table} WHERE id = ?",
                                   (row_id,)).fetchone()[0] == VILLAGES[1]
    finally:
        ws.close()


def test_an_applied_version_becomes_the_base_and_closes_local_changes(workspace: Workspace) -> None:
    hid = new_household(workspace)
    ack(workspace, hid, version(workspace, hid), 5)
    edit(workspace, hid, note="本地")
    incoming = {**row(workspace, hid), "note": "合并后", "version_instance": OTHER,
                "version_counter": 9, "server_seq": 6}
    before = workspace.unsynced_count()
    with workspace.transaction(), workspace.tracker.applying():
        assert workspace.tracker.apply("households", incoming)
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None and base.server_seq == 6 and base.values["note"] == "合并后"
    assert workspace.unsynced_count() == before - 1
    edit(workspace, hid, phone="13800000000")              # edits an applied row: base is kept
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None and base.version == (OTHER, 9) and base.values["phone"] == "13900000000"


def test_unsynced_follows_the_outbox_not_server_seq(workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.conn.execute("UPDATE outbox SET state = 'synced'")
    assert workspace.unsynced_count() == 0
    incoming = dict(workspace.conn.execute("SELECT * FROM divisions LIMIT 1").fetchone())
    incoming.update(id="remote", code="622923104299", version_instance=OTHER, version_counter=1,
                    server_seq=None)
    with workspace.transaction(), workspace.tracker.applying():
        workspace.tracker.apply("divisions", incoming)        # never acknowledged, yet not ours
    assert workspace.unsynced_count() == 0
    hid = new_household(workspace)
    ack(workspace, hid, version(workspace, hid), 1)
    edit(workspace, hid, note="改")                           # server_seq is set, yet unsynced
    assert row(workspace, hid)["server_seq"] == 1
    assert workspace.unsynced_count() == versions.unsynced_count(workspace.conn) == 1


def test_acknowledging_needs_a_version_of_this_pc(workspace: Workspace) -> None:
    hid = new_household(workspace)
    with workspace.transaction(), pytest.raises(KeyError):
        versions.acknowledge(workspace.conn, "households", hid, (OTHER, 1), 1)
    with pytest.raises(RuntimeError, match="transaction"):
        versions.acknowledge(workspace.conn, "households", hid, version(workspace, hid), 1)


def test_a_three_way_field_diff_over_base_local_and_incoming(workspace: Workspace) -> None:
    hid = new_household(workspace, address="老街1号")
    ack(workspace, hid, version(workspace, hid), 20)
    edit(workspace, hid, phone="13811112222", note="本地备注", water="自来水")
    base = versions.base(workspace.conn, "households", hid)
    assert base is not None
    local = row(workspace, hid)
    incoming = {**base.values, "address": "新街2号", "note": "县里备注", "water": "自来水",
                "version_instance": OTHER, "version_counter": 3}
    diff = field_diff(base.values, local, incoming, ignore=VERSION_FIELDS)
    assert diff.ours == {"phone"}
    assert diff.theirs == {"address"}
    assert diff.same == {"water"}
    assert diff.conflicts == {"note"}
    merged = diff.merged(local, incoming)
    assert (merged["phone"], merged["address"], merged["note"]) == ("13811112222", "新街2号", "本地备注")


def test_acknowledging_many_at_once_does_what_acknowledging_each_does(workspace: Workspace) -> None:
    one, two, three = (new_household(workspace) for _ in range(3))
    first = edit(workspace, one, address="老街1号")
    edit(workspace, one, address="老街2号")           # made after the version acknowledged below
    last = version(workspace, two)
    untouched = pending(workspace, three)
    with workspace.transaction():
        done = versions.acknowledge_many(workspace.conn, "households", [(one, first, 7), (two, last, 8)])
    assert done == 3                                   # one's insert and first edit, two's insert
    assert pending(workspace, one) == 1 and row(workspace, one)["server_seq"] == 7
    assert pending(workspace, two) == 0 and row(workspace, two)["server_seq"] == 8
    assert pending(workspace, three) == untouched and row(workspace, three)["server_seq"] is None
    base = versions.base(workspace.conn, "households", one)
    assert base is not None and base.values["address"] == "老街1号" and base.server_seq == 7


def test_acknowledging_many_with_an_unknown_version_writes_nothing(workspace: Workspace) -> None:
    one, two = new_household(workspace), new_household(workspace)
    with pytest.raises(KeyError), workspace.transaction():
        versions.acknowledge_many(workspace.conn, "households",
                                  [(one, version(workspace, one), 3), (two, (OTHER, 99), 4)])
    assert pending(workspace, one) == 1 and row(workspace, one)["server_seq"] is None
