"""Clinic PCs sync with the county's store on a real PostgreSQL (in process, no HTTP yet).

The same behaviour the in-memory county shows (tests/unit/sync), now with the county's merge in
PostgreSQL transactions: rows as they arrive in the county's tables, conflicts in its table, and
a pull that never skips a chunk that committed late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.server import db
from app.server.store import Store
from app.storage.changes import APPLY_ORDER
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.enrol import enrol
from app.sync.merge import META
from app.sync.protocol import Change, Hello, Pull, Push, Version
from tests.e2e.test_two_pcs_one_village import HOUSEHOLDS, _pc


@pytest.fixture
def store(county_url: str) -> Iterator[Store]:
    conn = db.connect(county_url, autocommit=True)
    yield Store(conn)
    conn.close()


@pytest.fixture
def village(tmp_path: Path, store: Store) -> Iterator[tuple[Workspace, Workspace, Store]]:
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    b = _pc(tmp_path, "b", 2, range(HOUSEHOLDS // 2, HOUSEHOLDS))
    for ws in (a, b):
        enrol(ws, store, store.issue_code(ws.settings.division_code, ws.station))
    yield a, b, store
    a.close()
    b.close()


def _local(ws: Workspace) -> dict[tuple[str, str], tuple[dict[str, Any], tuple[str, int], int]]:
    return {(t, r["id"]): ({k: r[k] for k in r.keys() if k not in META},  # noqa: SIM118 (a Row)
                           (r["version_instance"], r["version_counter"]), r["server_seq"])
            for t in APPLY_ORDER for r in ws.conn.execute(f"SELECT * FROM {t}")}


def _county(store: Store) -> dict[tuple[str, str], tuple[dict[str, Any], tuple[str, int], int]]:
    out = {}
    for t in APPLY_ORDER:
        cols = store.columns(t)
        for got in store.conn.execute(f"SELECT {', '.join(cols)} FROM {t}"):
            r = dict(zip(cols, got, strict=True))
            out[(t, r["id"])] = ({k: v for k, v in r.items() if k not in META and k != "txid"},
                                 (r["version_instance"], r["version_counter"]), r["server_seq"])
    return out


def test_two_pcs_of_one_village_sync_through_postgresql_and_hold_the_same_rows(village) -> None:
    a, b, store = village
    results = [session.sync(ws, store, chunk=60) for ws in (a, b, a)]
    assert all(not r.refused for r in results)
    assert a.sync.unsynced() == b.sync.unsynced() == 0
    county = _county(store)
    assert _local(a) == _local(b) == county          # every row once, as the county holds it
    versions = store.conn.execute("SELECT count(*) FROM row_versions").fetchone()[0]
    assert versions >= len(county)
    again = [session.sync(ws, store) for ws in (a, b)]
    assert [(r.pushed, r.pulled) for r in again] == [(0, 0), (0, 0)]


def test_one_person_edited_on_two_pcs_keeps_both_edits_and_the_conflict_is_in_the_county(village) -> None:
    a, b, store = village
    for ws in (a, b, a):
        session.sync(ws, store)
    pid = a.conn.execute("SELECT id FROM people WHERE name = '居民000'").fetchone()[0]
    on_a, on_b = a.people.get(pid), b.people.get(pid)
    on_a.phone = "13911111111"
    a.people.update(on_a)
    on_b.phone = "13922222222"
    on_b.note = "三组12号"
    b.people.update(on_b)
    assert session.sync(a, store).conflicts == 0
    assert session.sync(b, store).conflicts == 1
    session.sync(a, store)
    for ws in (a, b):
        p = ws.people.get(pid)
        assert (p.phone, p.note) == ("13911111111", "三组12号")
    [c] = store.conn.execute(
        "SELECT table_name, row_id, field, a_value, b_value, a_instance, b_instance, partition"
        " FROM conflicts WHERE kind = 'field'").fetchall()
    assert c == ("people", pid, "phone", "13911111111", "13922222222", a.instance_id, b.instance_id,
                 a.settings.division_code)


def test_a_chunk_pushed_twice_is_applied_once(village) -> None:
    a, _b, store = village
    welcome = session.open_session(a, store)
    batch = a.sync.outgoing(limit=30)
    message = Push(session=welcome.session, chunk=0, changes=[session.change_of(o) for o in batch])
    store.push(message)
    before = store.conn.execute("SELECT count(*), max(server_seq) FROM row_versions").fetchone()
    again = store.push(message)
    assert {x.outcome for x in again.acks} == {"known"}
    assert store.conn.execute("SELECT count(*), max(server_seq) FROM row_versions").fetchone() == before


def test_a_device_cannot_write_outside_its_village(village, tmp_path: Path) -> None:
    a, _b, store = village
    welcome = session.open_session(a, store)
    [o] = [o for o in a.sync.outgoing(limit=200) if o.table == "households"][:1]
    values = {**o.values, "partition": "622923104202"}
    reply = store.push(Push(session=welcome.session, chunk=0, changes=[Change(
        table="households", id=o.id, version=Version(instance=o.version[0], counter=o.version[1]),
        values=values)]))
    [ack] = reply.acks
    assert ack.outcome == "refused" and "不在本机的范围" in ack.reason
    assert store.conn.execute("SELECT count(*) FROM households").fetchone()[0] == 0


def test_a_pull_never_skips_a_chunk_that_commits_late(village, county_url: str) -> None:
    a, b, store = village
    for ws in (a, b, a):
        session.sync(ws, store)
    first, second = [r[0] for r in a.conn.execute(
        "SELECT id FROM people WHERE name IN ('居民000', '居民010') ORDER BY name")]
    # a's change is merged and numbered in a transaction that stays open...
    p = a.people.get(first)
    p.note = "慢"
    a.people.update(p)
    slow = Store(db.connect(county_url, autocommit=True))
    change = session.change_of(a.sync.outgoing()[0])
    with slow.conn.transaction():
        [ack] = slow._merge_chunk(slow.device(a.instance_id), [change])
        assert ack.outcome == "applied"
        # ...while b's change to another resident commits with a higher number.
        q = b.people.get(second)
        q.phone = "13944444444"
        b.people.update(q)
        session.sync(b, store)
        late = store.conn.execute("SELECT server_seq FROM people WHERE id = %s", (second,)).fetchone()[0]
        assert late > ack.server_seq
        # a pulls now: it must not get b's change yet, or its cursor would pass a's own.
        s = session.open_session(a, store).session
        reply = store.pull(Pull(session=s, cursor=a.sync.pull_cursor()))
        assert second not in {r.id for r in reply.rows}
    # Once the slow chunk commits, both arrive, on every PC.
    for ws in (a, b):
        session.sync(ws, store)
    for ws in (a, b):
        assert (ws.people.get(first).note, ws.people.get(second).phone) == ("慢", "13944444444")
    slow.conn.close()


def test_unknown_revoked_and_copied_devices_are_refused(tmp_path: Path, store: Store) -> None:
    from app.server.store import Refused
    from app.storage.workspace import Workspace
    from app.sync.enrol import enrol
    from app.sync.identity import hello_payload, sign
    from app.sync.protocol import Knock
    from tests.conftest import VILLAGE

    with pytest.raises(Refused, match="尚未在县里登记"):
        store.knock(Knock(instance="nobody"))
    ws = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    code = store.issue_code(VILLAGE)
    enrol(ws, store, code)
    assert ws.record_numbers.block().confirmed and ws.station == 1
    # The code is spent; a second database cannot enrol with it.
    other = Workspace.create(tmp_path / "d.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                             division_name="红旗村")
    with pytest.raises(Refused, match="已经用过"):
        enrol(other, store, code)
    # A hello signed with another key is refused.
    challenge = store.knock(Knock(instance=ws.instance_id))
    forged = sign(bytes(32), hello_payload(ws.instance_id, challenge.session, challenge.nonce))
    with pytest.raises(Refused, match="签名不对"):
        store.hello(Hello(instance=ws.instance_id, session=challenge.session, signature=forged.hex(),
                          schema_version=1, app_version="t"))
    session.sync(ws, store)
    assert store.revoke(ws.instance_id)
    with pytest.raises(Refused, match="停用"):
        session.sync(ws, store)
    ws.close()
    other.close()


def test_a_code_for_another_village_is_refused(tmp_path: Path, store: Store) -> None:
    from app.server.store import Refused
    from app.storage.workspace import Workspace
    from app.sync.enrol import enrol
    from tests.conftest import VILLAGE

    ws = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村")
    with pytest.raises(Refused, match="是给 622923104202 的"):
        enrol(ws, store, store.issue_code("622923104202"))
    assert ws.sync.identity() is None
    ws.close()


def test_a_clinic_whose_clock_is_a_year_wrong_merges_as_any_other(village, monkeypatch) -> None:
    """Wall clocks decide nothing: the PC whose clock runs a year ahead edits last by its clock
    but syncs first, and the county keeps its value as it would anyone's that arrived first."""
    import datetime as dt

    from app.storage import changes

    a, b, store = village
    for ws in (a, b, a):
        session.sync(ws, store)
    pid = a.conn.execute("SELECT id FROM people WHERE name = '居民000'").fetchone()[0]
    p = b.people.get(pid)
    p.phone = "13955555555"
    b.people.update(p)
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(days=366)).isoformat(timespec="seconds")
    monkeypatch.setattr(changes, "now_iso", lambda: ahead)
    q = a.people.get(pid)
    q.phone = "13966666666"
    a.people.update(q)                     # "a year later", by a's clock
    monkeypatch.undo()
    assert session.sync(b, store).conflicts == 0
    assert session.sync(a, store).conflicts == 1
    session.sync(b, store)
    assert a.people.get(pid).phone == b.people.get(pid).phone == "13955555555"


def test_idle_sessions_are_reclaimed(village) -> None:
    a, _b, store = village
    session.sync(a, store)
    store.conn.execute("UPDATE sync_sessions SET updated_at = now() - interval '2 days'")
    before = store.conn.execute("SELECT count(*) FROM sync_sessions").fetchone()[0]
    assert before >= 1
    session.sync(a, store)                  # its knock reclaims the old ones
    assert store.conn.execute("SELECT count(*) FROM sync_sessions").fetchone()[0] == 1


def test_a_resident_on_two_pcs_and_a_visit_corrected_on_both_are_conflicts_both_pcs_see(village) -> None:
    from app.core import chains as rule
    from tests.e2e.test_two_pcs_one_village import SHARED

    a, b, store = village
    for ws in (a, b, a):
        session.sync(ws, store)
    shared = {r[0] for r in a.conn.execute("SELECT id FROM people WHERE id_no = ?", (SHARED,))}
    assert len(shared) == 2
    head = a.conn.execute("SELECT id FROM people WHERE name = '居民000'").fetchone()[0]
    [visit] = a.care.followups(head)
    for ws, sbp in ((a, 121), (b, 135)):             # the same visit corrected on both PCs
        v = ws.care.followup(str(visit.id))
        v.sbp = sbp
        ws.care.correct_followup(str(visit.id), v, today=dt.date(2026, 3, 20))
    for ws in (a, b, a, b):
        session.sync(ws, store)
    for ws in (a, b):
        kinds = {(c.kind, c.table, frozenset((c.row_id, c.other_row_id))) for c in ws.sync.conflicts()}
        assert (rule.DUPLICATE_PERSON, "people", frozenset(shared)) in kinds
        assert any(kind == rule.FORK and table == "follow_ups" for kind, table, _ in kinds)
        [current] = ws.care.followups(head)             # one current row, the same on both PCs
        assert current.sbp == a.care.followups(head)[0].sbp
    assert store.conn.execute("SELECT count(*) FROM conflicts WHERE kind = 'fork'").fetchone()[0] == 1
