"""Merging a possible duplicate person in the clinic's file: one transaction of tracked edits after
which every record of the merged file names the kept one and the merged file is a tombstone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from app.core import chains
from app.core import person_merge as rule
from app.core.claims import Claim
from app.core.contracts import Team, TeamMember
from app.core.errors import ValidationError
from app.core.exams import HealthExam
from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage import conflicts, person_merge
from app.storage.guards import trigger_problems
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

D = dt.date
TODAY = D(2025, 6, 16)
SHARED = make_id("19900909", "998")


@dataclasses.dataclass
class Files:
    survivor: str
    other: str
    h1: str
    h2: str
    team: str


def _twice(ws: Workspace, *, same_household: bool = False) -> Files:
    """The same resident on file twice (as two PCs' registrations arrive), each with records."""
    ws.users.add_first("doctor", "李医生", "township_admin", "Secret-pass-1")
    ws.settings.update(policy_county="算例县")
    team, _ = ws.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "李医生", "139")]))
    h1, _ = ws.households.add(Household(None, VILLAGE, household_no="6229230001"))
    ws.people.add(Person(None, h1, "李大山", relation="户主", id_no=make_id("19600101", "011")))
    survivor, _ = ws.people.add(Person(None, h1, "李小红", relation="女", id_no=SHARED, phone="13900000001"),
                                today=TODAY)
    h2 = h1
    if not same_household:
        h2, _ = ws.households.add(Household(None, VILLAGE, household_no="6229230002"))
    other, _ = ws.people.add(Person(None, h2, "李小红", relation="户主" if not same_household else "其他",
                                    note="婚后迁入", allergies="青霉素"), today=TODAY)
    if not same_household:
        ws.people.add(Person(None, h2, "王强", relation="配偶", id_no=make_id("19880101", "031")))
    with ws.transaction():       # as another PC's registration of the same resident arrives
        ws.tracker.update("people", other, {"id_no": SHARED})
    ws.people.add_diagnosis(Diagnosis(None, survivor, "高血压"))
    ws.people.add_diagnosis(Diagnosis(None, other, "高血压", confirmed_on=D(2019, 5, 1), hospital="县医院"))
    ws.people.add_diagnosis(Diagnosis(None, other, "2型糖尿病", confirmed_on=D(2020, 1, 1)))
    for hid in dict.fromkeys((h1, h2)):
        ws.contracts.sign(hid, str(team), ["JC"], TODAY - dt.timedelta(days=30))
    ws.care.add_followup(FollowUp(None, survivor, "高血压", TODAY - dt.timedelta(days=60), sbp=130, dbp=80),
                         today=TODAY)
    f0, _ = ws.care.add_followup(FollowUp(None, other, "高血压", TODAY - dt.timedelta(days=30), sbp=150,
                                          dbp=95), today=TODAY)
    ws.care.correct_followup(f0, FollowUp(None, other, "高血压", TODAY - dt.timedelta(days=30), sbp=145,
                                          dbp=95), today=TODAY)
    ws.care.add_exam(HealthExam(None, other, TODAY - dt.timedelta(days=10)), today=TODAY)
    ws.claims.add_claim(Claim(person_id=other, episode="住院", hospital="永靖县人民医院", level="二级",
                              scope="县域内", admitted=D(2024, 3, 1), discharged=D(2024, 3, 10),
                              total=Decimal("8000.00")), today=TODAY)
    return Files(str(survivor), str(other), str(h1), str(h2), str(team))


def _naming(ws: Workspace, person_id: str) -> list[tuple[str, str]]:
    return [(t, str(r[0])) for t, column in rule.PERSON_REFERENCES.items()
            for r in ws.conn.execute(f"SELECT id FROM {t} WHERE {column} = ?", (person_id,))]


def test_the_reference_list_names_every_foreign_key_to_people(workspace: Workspace) -> None:
    tables = [r[0] for r in workspace.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    keys = {(t, str(fk[3])) for t in tables
            for fk in workspace.conn.execute(f"PRAGMA foreign_key_list({t})") if fk[2] == "people"}
    assert keys == {(t, c) for t, c in rule.PERSON_REFERENCES.items() if t != "households"}


def test_after_a_merge_every_record_of_the_other_names_the_survivor(workspace: Workspace) -> None:
    ws = workspace
    f = _twice(ws)
    before = _naming(ws, f.other)
    counts = person_merge.side(ws, f.other).counts
    assert counts["follow_ups"] == 1 and counts["claims"] == 1 and counts["health_exams"] == 1
    unsynced = ws.unsynced_count()

    done, changes = ws.people.merge(f.survivor, f.other)

    assert _naming(ws, f.other) == []
    assert {(t, i) for t, i in before if t != "households"} <= set(_naming(ws, f.survivor))
    gone = ws.conn.execute("SELECT deleted, merged_into FROM people WHERE id = ?", (f.other,)).fetchone()
    assert tuple(gone) == (1, f.survivor)
    kept = ws.people.get(f.survivor)
    assert (kept.phone, kept.note, kept.allergies) == ("13900000001", "婚后迁入", "青霉素")
    other_no = ws.conn.execute("SELECT record_no FROM people WHERE id = ?", (f.other,)).fetchone()[0]
    assert kept.former_record_nos == [other_no]
    assert ws.people.by_record_no(other_no).id == f.survivor      # a printed QR code still finds her
    assert [h.id for h in ws.people.search(SHARED)] == [f.survivor]
    # One diagnosis per condition, the kept one completed; the other household has no head now.
    diagnoses = {d.condition: d for d in ws.people.diagnoses(f.survivor)}
    assert set(diagnoses) == {"高血压", "2型糖尿病"}
    assert diagnoses["高血压"].confirmed_on == D(2019, 5, 1)
    assert ws.households.get(f.h2).head_id is None
    assert any("没有户主" in w for w in changes.warnings)
    assert person_merge.side(ws, f.survivor).counts["follow_ups"] == 2
    assert [x.sbp for x in ws.care.followups(f.survivor) if x.sbp != 130] == [145]
    # Ordinary tracked edits, each in the outbox; the audit log says what happened.
    assert ws.unsynced_count() > unsynced
    assert trigger_problems(ws.conn) == [] and ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    [entry] = ws.conn.execute("SELECT detail FROM audit_log WHERE action = 'merge_person'").fetchall()
    assert json.loads(entry[0])["merged"] == f.other
    assert done.moved["follow_ups"] == 2 and done.moved["claims"] == 1
    # Both households' contracts with one team now have her: the doctor is told to dissolve one.
    assert any("两份有效签约协议" in w for w in changes.warnings)


def test_in_one_household_the_second_membership_is_dropped_and_one_contract_remains(workspace) -> None:
    ws = workspace
    f = _twice(ws, same_household=True)
    [contract] = ws.conn.execute("SELECT id FROM contracts WHERE deleted = 0").fetchall()
    done, _ = ws.people.merge(f.survivor, f.other)
    live = ws.conn.execute("SELECT person_id FROM contract_members WHERE contract_id = ? AND deleted = 0",
                           (contract[0],)).fetchall()
    assert sorted(r[0] for r in live).count(f.survivor) == 1
    assert done.dropped == {"contract_members": 1, "diagnoses": 1}


def test_the_conflicts_naming_the_merged_file_are_resolved_and_sent_next_time(workspace) -> None:
    ws = workspace
    f = _twice(ws)
    note = {"id": 41, "server_seq": 9, "kind": chains.DUPLICATE_PERSON, "table": "people",
            "row_id": min(f.survivor, f.other), "other_row_id": max(f.survivor, f.other), "field": None,
            "partition": VILLAGE, "kept": None, "lost": None, "created_at": "2026-01-01T00:00:00Z"}
    with ws.transaction():
        ws.sync.put_conflict(note)
    conflicts.detect(ws.conn)
    ws.people.merge(f.survivor, f.other)
    c = ws.sync.conflict(41)
    assert c.resolution == ("kept" if c.row_id == f.survivor else "lost")
    assert ws.sync.unsent_resolutions() == [(41, c.resolution, "doctor")]
    assert not [x for x in conflicts.conflicts(ws.conn) if x.kind == chains.DUPLICATE_PERSON]


def test_a_refused_merge_writes_nothing(workspace: Workspace) -> None:
    ws = workspace
    f = _twice(ws)
    outbox = ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    with ws.transaction():    # the other file now lies in another village, outside this PC's
        ws.conn.execute("UPDATE settings SET value = '622923104202' WHERE key = 'division_code'")
    with pytest.raises(ValidationError, match="不在本机管理的范围"):
        ws.people.merge(f.survivor, f.other)
    assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox
    assert ws.conn.execute("SELECT deleted FROM people WHERE id = ?", (f.other,)).fetchone()[0] == 0


def test_a_failure_half_way_leaves_the_file_as_it_was(workspace: Workspace, monkeypatch) -> None:
    ws = workspace
    f = _twice(ws)
    outbox = ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    monkeypatch.setattr(person_merge.partitions, "carry_person",
                        lambda *a: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        ws.people.merge(f.survivor, f.other)
    assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox
    assert _naming(ws, f.survivor) and len(_naming(ws, f.other)) > 3


def test_a_row_typed_for_the_merged_file_later_follows_the_merge(workspace: Workspace) -> None:
    ws = workspace
    f = _twice(ws)
    ws.people.merge(f.survivor, f.other)
    fid = ws.conn.execute("SELECT id FROM follow_ups WHERE person_id = ? LIMIT 1", (f.survivor,)).fetchone()[0]
    with ws.transaction():   # a visit typed on another PC before it pulled the merge
        ws.conn.execute("PRAGMA defer_foreign_keys = ON")
        ws.tracker.update("follow_ups", fid, {"person_id": f.other})
        changes = person_merge.follow(ws, f.other, f.survivor)
    assert changes.ids == {fid}
    assert _naming(ws, f.other) == []


def test_a_schema_15_file_gains_the_merged_into_column_with_its_triggers(tmp_path) -> None:
    import sqlite_utils

    from app.storage.db import connect
    from app.storage.migrations import migrate

    path = tmp_path / "v15.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=15) == 15
    conn.close()
    ws = Workspace(sqlite_utils.Database(connect(path)), path)
    with ws:
        assert migrate(ws.conn, target=16) == 16
        assert "merged_into" in {r[1] for r in ws.conn.execute("PRAGMA table_info(people)")}
        assert trigger_problems(ws.conn) == []
