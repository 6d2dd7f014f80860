"""Clinic PCs sync through a county that keeps its rows in memory and decides with the real merge.

The county server on PostgreSQL is checked against the same behaviour; here the clinic's side is
what is tested: what it sends from its outbox, how it lands acknowledgements and county rows, and
that nothing typed on either PC is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.storage.changes import APPLY_ORDER
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.enrol import enrol
from app.sync.protocol import Push
from tests.e2e.test_two_pcs_one_village import HOUSEHOLDS, _pc
from tests.unit.sync.memory_county import MemoryCounty

TODAY = dt.date(2026, 3, 20)


def _rows(ws: Workspace) -> dict[str, dict[str, dict[str, Any]]]:
    return {t: {r["id"]: dict(r) for r in ws.conn.execute(f"SELECT * FROM {t}")} for t in APPLY_ORDER}


@pytest.fixture
def village(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, MemoryCounty]]:
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    b = _pc(tmp_path, "b", 2, range(HOUSEHOLDS // 2, HOUSEHOLDS))
    county = MemoryCounty()
    for ws in (a, b):
        enrol(ws, county, county.issue_code(ws.settings.division_code, ws.station))
    yield a, b, county
    a.close()
    b.close()


def _round(county: MemoryCounty, *pcs: Workspace) -> list[session.Result]:
    return [session.sync(ws, county, chunk=50) for ws in pcs]


def test_two_pcs_of_one_village_end_with_the_same_rows_and_nothing_unsynced(village) -> None:
    a, b, county = village
    sent = a.sync.unsynced() + b.sync.unsynced()
    first = _round(county, a, b, a)
    assert first[0].pushed >= 100 and first[1].pulled >= 99 and first[2].pulled >= 99
    assert a.sync.unsynced() == b.sync.unsynced() == 0
    assert _rows(a) == _rows(b)
    # Every row is at the county once; the village's division, made on both, is one row.
    assert len(county.rows) == sum(len(v) for v in _rows(a).values())
    assert sent >= len(county.rows)
    assert not county.conflicts
    # A second round moves nothing.
    again = _round(county, a, b)
    assert [(r.pushed, r.pulled) for r in again] == [(0, 0), (0, 0)]


def test_the_same_person_edited_on_two_pcs_keeps_both_edits_and_one_conflict(village) -> None:
    a, b, county = village
    _round(county, a, b, a)
    pid = a.conn.execute("SELECT id FROM people WHERE name = '居民000'").fetchone()[0]
    on_a, on_b = a.people.get(pid), b.people.get(pid)
    on_a.phone = "13911111111"
    a.people.update(on_a)
    on_b.phone = "13922222222"
    on_b.note = "三组12号"
    b.people.update(on_b)
    results = _round(county, a, b, a)
    assert results[1].conflicts == 1
    for ws in (a, b):
        p = ws.people.get(pid)
        assert (p.phone, p.note) == ("13911111111", "三组12号")
        assert ws.sync.unsynced() == 0
    [c] = county.conflicts
    assert (c.table, c.id, c.field, c.kept, c.lost) == ("people", pid, "phone", "13911111111",
                                                         "13922222222")
    assert _rows(a) == _rows(b)


def test_a_chunk_sent_twice_changes_nothing_the_second_time(village) -> None:
    a, _b, county = village
    batch = a.sync.outgoing(limit=40)
    message = Push(session=session.open_session(a, county).session, chunk=0,
                   changes=[session.change_of(o) for o in batch])
    first = county.push(message)
    stored = dict(county.rows)
    second = county.push(message)            # the reply was lost; the clinic sends it again
    assert county.rows == stored
    assert {x.outcome for x in second.acks} == {"known"}
    with a.transaction():
        for ack in second.acks:
            session.land_ack(a, ack)
    assert len(first.acks) == 40
    session.sync(a, county)
    assert a.sync.unsynced() == 0


def test_a_row_that_arrives_before_its_parent_waits_for_it(village, tmp_path: Path) -> None:
    a, _b, county = village
    session.sync(a, county)
    hid = a.households.ids()[0]
    h = a.households.get(hid)
    h.address = "红旗村一组1号新址"
    a.households.update(h)                  # the household's county version is now newer than its people
    session.sync(a, county)
    c = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=a.settings.division_code,
                         division_name="红旗村", station=3)
    enrol(c, county, county.issue_code(c.settings.division_code, 3))
    result = session.sync(c, county, chunk=7)
    assert result.parked == 0
    assert _rows(c)["people"].keys() == _rows(a)["people"].keys()
    assert c.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert c.households.get(hid).address == "红旗村一组1号新址"
    c.close()


def test_an_edit_made_after_the_push_is_rebased_and_sent_next_time(village) -> None:
    a, b, county = village
    _round(county, a, b, a)
    pid = a.conn.execute("SELECT id FROM people WHERE name = '居民000'").fetchone()[0]
    p = b.people.get(pid)
    p.note = "二组"
    b.people.update(p)
    session.sync(b, county)
    mine = a.people.get(pid)
    mine.phone = "13933333333"
    a.people.update(mine)                    # made on a before it pulled b's address
    s = session.open_session(a, county).session
    session.pull(a, county, s, session.Result())
    got = a.people.get(pid)
    assert (got.note, got.phone) == ("二组", "13933333333")
    assert a.sync.pending_fields("people", pid) == ["phone"]
    _round(county, a, b)
    assert b.people.get(pid).phone == "13933333333" and not county.conflicts
