"""A resident registered on both PCs of a village, merged on one of them, through the county on a
real PostgreSQL: the county reports the possible duplicate to both PCs, one PC merges, and after
syncing both PCs (and the county) hold one live file with every record, the conflict resolved
everywhere, and a visit the other PC typed for the merged file before it heard of the merge
following it to the kept file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import chains
from app.core.followups import FollowUp
from app.core.people import Diagnosis
from app.core.person_merge import PERSON_REFERENCES
from app.server import db
from app.server.store import Store
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.enrol import enrol
from tests.e2e.test_two_pcs_one_village import HOUSEHOLDS, SHARED, TODAY, _pc


@pytest.fixture
def village(tmp_path: Path, county_url: str) -> Iterator[tuple[Workspace, Workspace, Store]]:
    conn = db.connect(county_url, autocommit=True)
    store = Store(conn)
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    b = _pc(tmp_path, "b", 2, range(HOUSEHOLDS // 2, HOUSEHOLDS))
    for ws in (a, b):
        enrol(ws, store, store.issue_code(ws.settings.division_code, ws.station))
    yield a, b, store
    a.close()
    b.close()
    conn.close()


def _naming(ws: Workspace, person_id: str, *, live: bool = False) -> list[tuple[str, str]]:
    alive = " AND deleted = 0" if live else ""
    return [(t, str(r[0])) for t, column in PERSON_REFERENCES.items()
            for r in ws.conn.execute(f"SELECT id FROM {t} WHERE {column} = ?{alive}", (person_id,))]


def _visit(ws: Workspace, person_id: str, days_ago: int) -> str:
    fid, _ = ws.care.add_followup(FollowUp(id=None, person_id=person_id, kind="高血压",
                                           visit_date=TODAY - dt.timedelta(days=days_ago), sbp=126, dbp=82),
                                  today=TODAY)
    return str(fid)


def test_a_duplicate_merged_on_one_pc_is_one_file_with_every_record_on_both(village) -> None:
    a, b, store = village
    mine = a.conn.execute("SELECT id FROM people WHERE id_no = ? AND version_instance = ?",
                          (SHARED, a.instance_id)).fetchone()[0]
    theirs = b.conn.execute("SELECT id FROM people WHERE id_no = ?", (SHARED,)).fetchone()[0]
    b.people.add_diagnosis(Diagnosis(id=None, person_id=theirs, condition="高血压"))
    early = _visit(b, theirs, 20)                          # b's file has a visit a will pull
    for ws in (a, b, a):
        session.sync(ws, store)
    [c] = [c for c in a.sync.conflicts() if c.kind == chains.DUPLICATE_PERSON]
    assert {c.row_id, c.other_row_id} == {mine, theirs}
    assert [x.id for x in b.sync.conflicts() if x.kind == chains.DUPLICATE_PERSON] == [c.id]
    moving = _naming(a, theirs)

    a.user = "doctor_a"
    a.people.merge(mine, theirs)                            # a keeps its own file
    late = _visit(b, theirs, 1)                             # typed on b before it hears of it
    for ws in (a, b, b, a):
        session.sync(ws, store)

    for ws in (a, b):
        live = ws.conn.execute("SELECT id FROM people WHERE id_no = ? AND deleted = 0", (SHARED,)).fetchall()
        assert [r[0] for r in live] == [mine]
        assert ws.conn.execute("SELECT merged_into FROM people WHERE id = ?", (theirs,)).fetchone()[0] == mine
        assert _naming(ws, theirs) == []
        assert set(moving) <= set(_naming(ws, mine))
        assert {early, late} <= {str(f.id) for f in ws.care.followups(mine)}
        assert ws.sync.unsynced() == 0
        assert ws.sync.conflict(c.id).resolution == ("kept" if c.row_id == mine else "lost")
        assert not [x for x in ws.sync.conflicts() if x.kind == chains.DUPLICATE_PERSON]
    county = store.conn.execute("SELECT resolution FROM conflicts WHERE id = %s", (c.id,)).fetchone()
    assert county[0] == ("kept" if c.row_id == mine else "lost")
    assert store.conn.execute("SELECT count(*) FROM people WHERE id_no = %s AND deleted = 0",
                              (SHARED,)).fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM follow_ups WHERE person_id = %s",
                              (theirs,)).fetchone()[0] == 0
