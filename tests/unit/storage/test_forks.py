"""Forks made the way sync will make them: two PCs of one village each correct the same row
offline, then each receives the other's rows with their own stamps. Every chain keeps one current
row, the same on both PCs, the other side stays stored, and the fork is recorded once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from app.core import breaches
from app.core import chains as rule
from app.core.claims import Claim
from app.core.contracts import Team, TeamMember
from app.core.errors import ConflictError
from app.core.exams import HealthExam
from app.core.followups import FollowUp, GeneralVisit, Referral
from app.core.households import HelpPerson, Household
from app.core.ids import uuid7
from app.core.people import Diagnosis, Person
from app.printdata.claim_sources import settlement_form
from app.storage import chains, conflicts
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.guards import trigger_problems
from app.storage.migrations import migrate
from app.storage.tasks import last_followups
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.replica import copy_new_rows, exchange, put_foreign_row, rows_of

D = dt.date
TODAY = D(2025, 6, 16)


@dataclasses.dataclass
class Pcs:
    a: Workspace
    b: Workspace
    hid: str
    pid: str

    @property
    def both(self) -> tuple[Workspace, Workspace]:
        return self.a, self.b

    def share(self) -> None:
        """What A has made so far reaches B (before either corrects anything)."""
        copy_new_rows(self.a, self.b)


@pytest.fixture
def pcs(tmp_path: Path) -> Iterator[Pcs]:
    made = [Workspace.create(tmp_path / f"{name}.sqlite3", clinic_name="红旗村卫生室",
                             division_code=VILLAGE, division_name="红旗村", station=station)
            for name, station in (("a", 1), ("b", 2))]
    a, b = made
    for ws in made:
        ws.settings.update(policy_county="算例县")
    hid, _ = a.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                       poverty_status="poor"), since=D(2020, 1, 1))
    pid, _ = a.people.add(Person(id=None, household_id=hid, name="张三", relation="户主",
                                 id_no=make_id("19600312", "001")), today=TODAY)
    a.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="高血压", confirmed_on=D(2020, 1, 1)))
    yield Pcs(a, b, str(hid), str(pid))
    for ws in made:
        ws.close()


def visit(pid: str, day: dt.date, sbp: int = 130, **kw: object) -> FollowUp:
    return FollowUp(id=None, person_id=pid, kind="高血压", visit_date=day, sbp=sbp, dbp=80, **kw)  # type: ignore[arg-type]


def found(ws: Workspace) -> list[tuple[str, str, str, str]]:
    return sorted((c.kind, c.table, c.a_id, c.b_id) for c in conflicts.conflicts(ws.conn))


def assert_one_conflict(p: Pcs, kind: str, table: str, ids: set[str]) -> None:
    for ws in p.both:
        assert conflicts.detect(ws.conn) == 1
        assert conflicts.detect(ws.conn) == 0          # idempotent
        assert found(ws) == [(kind, table, *sorted(ids))]
        assert_found_from_either_row(ws, kind, table, ids)
    assert found(p.a) == found(p.b)


def assert_found_from_either_row(ws: Workspace, kind: str, table: str, ids: set[str]) -> None:
    """The county checks only the rows a chunk wrote (breaches.queries(touched=…)): whichever of
    the two rows arrives last, touching it alone must find the pair."""
    pair = tuple(sorted(ids))
    for row_id in ids:
        got = {(k, t, *map(str, r)) for k, t, sql in breaches.queries(touched=f"SELECT '{row_id}'")
               for r in ws.conn.execute(sql)}
        assert (kind, table, *pair) in got, f"{kind} not found from {row_id}"


def sequence(p: Pcs, table: str, row_id: str, seq: int) -> None:
    """The county has numbered a row: both PCs learn its server_seq (not a write of the row)."""
    for ws in p.both:
        ws.conn.execute(f"UPDATE {table} SET server_seq = ? WHERE id = ?", (seq, row_id))


# --- the rule itself --------------------------------------------------------------------------


def test_the_rule_never_reads_the_time_inside_an_id() -> None:
    early = "00000000-0000-7000-bfff-ffffffffffff"    # earlier time, larger random part
    late = "ffffffff-ffff-7fff-8000-000000000000"
    assert rule.winner([rule.Link(early, "x", None), rule.Link(late, "x", None)]).id == late
    assert rule.winner([rule.Link(early, "x", 7), rule.Link(late, "x", None)]).id == early
    assert rule.winner([rule.Link(early, "x", 7), rule.Link(late, "x", 3)]).id == late


def test_a_correction_of_the_losing_branch_stays_on_it() -> None:
    links = [rule.Link("r", None, 1), rule.Link("w", "r", 2), rule.Link("l", "r", None),
             rule.Link("l2", "l", 3)]
    assert rule.current(links) == links[1]
    assert [(x.id, w.id) for x, w in rule.losers(links)] == [("l", "w")]


def test_a_renewal_of_a_losing_renewal_loses_too() -> None:
    def c(i: str, parent: str | None, seq: int | None, live: bool = True, team: str = "t") -> rule.ContractLink:
        return rule.ContractLink(i, parent, team, live, "2025-01-01", "2025-12-31", frozenset({"p"}), seq)

    items = [c("old", None, 1, live=False), c("w", "old", 2, live=False), c("l", "old", None, live=False),
             c("l2", "l", None), c("w2", "w", None), c("other-team", None, None, team="u")]
    assert rule.contract_losers(items) == {"l", "l2"}


# --- care chains ------------------------------------------------------------------------------


def test_two_corrections_of_one_visit_leave_one_current_row_on_both_pcs(pcs: Pcs) -> None:
    p = pcs
    f0, _ = p.a.care.add_followup(visit(p.pid, D(2025, 6, 1)), today=TODAY)
    p.share()
    ca, _ = p.a.care.correct_followup(f0, visit(p.pid, D(2025, 6, 1), 140), today=TODAY)
    cb, _ = p.b.care.correct_followup(f0, visit(p.pid, D(2025, 6, 1), 150), today=TODAY)
    cb2, _ = p.b.care.correct_followup(cb, visit(p.pid, D(2025, 6, 1), 155), today=TODAY)
    exchange(p.a, p.b)
    expected = rule.current([rule.Link(f0, None, None), rule.Link(ca, f0, None),
                             rule.Link(cb, f0, None), rule.Link(cb2, cb, None)])
    assert expected is not None
    for ws in p.both:
        assert [f.id for f in ws.care.followups(p.pid)] == [expected.id]
        assert ws.care.last_followup(p.pid, "高血压") == ws.care.followup(expected.id)
        assert {ws.care.followup(x).sbp for x in (ca, cb, cb2)} == {140, 150, 155}   # all kept
    assert_one_conflict(p, rule.FORK, "follow_ups", {ca, cb})
    # The county numbers A's correction first: it wins on both PCs, B's branch (cb, cb2) loses.
    sequence(p, "follow_ups", ca, 11)
    for ws in p.both:
        assert [f.id for f in ws.care.followups(p.pid)] == [ca]
        assert ws.care.face_to_face_count(p.pid, "高血压", 2025) == 1
        assert [x.id for x in last_followups(ws, TODAY)] == [ca]          # the 工作台 agrees
        with pytest.raises(ConflictError):
            ws.care.correct_followup(cb2, visit(p.pid, D(2025, 6, 1), 160), today=TODAY)
        ws.care.suggest_for(p.pid, visit(p.pid, D(2025, 6, 10)), TODAY)
    assert conflicts.detect(p.a.conn) == 0                # the winner changed; the pair is the same


def test_two_corrections_of_a_general_visit_and_of_an_exam(pcs: Pcs) -> None:
    p = pcs
    v0, _ = p.a.care.add_general_visit(GeneralVisit(None, p.pid, D(2025, 6, 2), content="指导"), today=TODAY)
    e0, _ = p.a.care.add_exam(HealthExam(id=None, person_id=p.pid, exam_date=D(2025, 5, 1)), today=TODAY)
    p.share()
    va, _ = p.a.care.correct_general_visit(v0, GeneralVisit(None, p.pid, D(2025, 6, 2), content="甲"), today=TODAY)
    vb, _ = p.b.care.correct_general_visit(v0, GeneralVisit(None, p.pid, D(2025, 6, 2), content="乙"), today=TODAY)
    ea, _ = p.a.care.correct_exam(e0, HealthExam(id=None, person_id=p.pid, exam_date=D(2025, 5, 2)), today=TODAY)
    eb, _ = p.b.care.correct_exam(e0, HealthExam(id=None, person_id=p.pid, exam_date=D(2025, 5, 3)), today=TODAY)
    exchange(p.a, p.b)
    visits = {ws.care.general_visits(p.pid)[0].id for ws in p.both}
    exams = {ws.care.exams(p.pid)[0].id for ws in p.both}
    assert all(len(ws.care.general_visits(p.pid)) == 1 and len(ws.care.exams(p.pid)) == 1 for ws in p.both)
    assert len(visits) == 1 and visits <= {va, vb}
    assert len(exams) == 1 and exams <= {ea, eb}
    for ws in p.both:
        assert conflicts.detect(ws.conn) == 2
        assert found(ws) == sorted([(rule.FORK, "general_visits", *sorted((va, vb))),
                                    (rule.FORK, "health_exams", *sorted((ea, eb)))])


def test_an_exam_result_given_back_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    e0, _ = p.a.care.add_exam(HealthExam(id=None, person_id=p.pid, exam_date=D(2025, 5, 1)), today=TODAY)
    p.share()
    p.a.care.mark_exam_returned(e0, D(2025, 5, 10), today=TODAY)
    p.a.care.mark_exam_returned(e0, D(2025, 5, 12), today=TODAY)     # A corrects its own entry
    p.b.care.mark_exam_returned(e0, D(2025, 5, 20), today=TODAY)
    assert p.a.care.exam(e0).result_returned_on == D(2025, 5, 12)     # the chain, not the id order
    exchange(p.a, p.b)
    shown = {ws.care.exam(e0).result_returned_on for ws in p.both}
    assert len(shown) == 1
    firsts = [r for r in rows_of(p.a, "exam_returns").values() if r["supersedes"] is None]
    assert len(firsts) == 2
    assert_one_conflict(p, rule.FORK, "exam_returns", {r["id"] for r in firsts})
    b_first = next(r["id"] for r in firsts if r["returned_on"] == "2025-05-20")
    sequence(p, "exam_returns", b_first, 3)
    assert {ws.care.exam(e0).result_returned_on for ws in p.both} == {D(2025, 5, 20)}


def test_a_referral_result_recorded_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    f0, _ = p.a.care.add_followup(visit(p.pid, D(2025, 6, 1), 185, referral=Referral("血压危急", "县医院")),
                                  today=TODAY)
    p.share()
    p.a.care.record_referral_result(f0, "不到位", D(2025, 6, 3), today=TODAY)
    p.a.care.record_referral_result(f0, "到位", D(2025, 6, 3), today=TODAY)  # same day, corrected
    assert p.a.care.followup(f0).referral_result == "到位"
    p.b.care.record_referral_result(f0, "不到位", D(2025, 6, 4), today=TODAY)
    exchange(p.a, p.b)
    assert len({ws.care.followup(f0).referral_result for ws in p.both}) == 1
    firsts = {r["id"] for r in rows_of(p.b, "referral_results").values() if r["supersedes"] is None}
    assert_one_conflict(p, rule.FORK, "referral_results", firsts)


# --- claims -----------------------------------------------------------------------------------


def stay(pid: str, **changes: object) -> Claim:
    c = Claim(person_id=pid, episode="住院", hospital="永靖县人民医院", level="二级", scope="县域内",
              admitted=D(2024, 3, 1), discharged=D(2024, 3, 10), total=Decimal("50000.00"),
              out_of_catalogue=Decimal("3000.00"), diagnosis="胃恶性肿瘤", disease="C16.9")
    return dataclasses.replace(c, **changes)  # type: ignore[arg-type]


def test_a_claim_reversed_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    cid, _ = p.a.claims.add_claim(stay(p.pid), today=TODAY)
    p.share()
    ra, _ = p.a.claims.reverse_claim(cid, "金额录错", today=TODAY)
    rb, _ = p.b.claims.reverse_claim(cid, "重复录入", today=TODAY)
    exchange(p.a, p.b)
    standing = {ws.claims.reversed_by(cid) for ws in p.both}
    assert len(standing) == 1 and standing <= {ra, rb}
    for ws in p.both:
        assert ws.claims.line(cid).reversed_by in standing
        assert ws.claims.claims(2024) == []
        assert ws.claims.person_year(p.pid, 2024).total == 0
    assert_one_conflict(p, rule.DOUBLE_REVERSAL, "claims", {ra, rb})
    sequence(p, "claims", max(ra, rb), 5)
    assert {ws.claims.reversed_by(cid) for ws in p.both} == {max(ra, rb)}


def test_one_settlement_slip_entered_on_two_pcs_counts_once(pcs: Pcs) -> None:
    p = pcs
    p.share()
    ca, _ = p.a.claims.add_claim(stay(p.pid, settlement_no="ZY2024-0311"), today=TODAY)
    cb, _ = p.b.claims.add_claim(stay(p.pid, settlement_no="ZY2024-0311"), today=TODAY)
    alone = p.a.claims.person_year(p.pid, 2024)
    exchange(p.a, p.b)
    listed = {tuple(str(x.claim.id) for x in ws.claims.claims(2024)) for ws in p.both}
    assert len(listed) == 1 and len(next(iter(listed))) == 1
    for ws in p.both:
        assert ws.claims.person_year(p.pid, 2024) == alone
        later, _ = ws.claims.add_claim(stay(p.pid, admitted=D(2024, 6, 1), discharged=D(2024, 6, 5)),
                                       today=TODAY)
        assert ws.claims.line(later).year_to_date.total == alone.total + Decimal("50000.00")
        loser = ({ca, cb} - {next(iter(listed))[0]}).pop()
        assert ws.claims.line(loser).duplicate_of == next(iter(listed))[0]
        assert "不计入本年度累计" in settlement_form(ws, loser).reversed_note     # the printed slip says so
        assert settlement_form(ws, next(iter(listed))[0]).reversed_note == ""
    assert_one_conflict(p, rule.SLIP_TWICE, "claims", {ca, cb})


# --- contracts and help persons -------------------------------------------------------------


def add_team(ws: Workspace) -> str:
    tid, _ = ws.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "王院长", "13900000000")]))
    return str(tid)


def test_a_contract_renewed_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    tid = add_team(p.a)
    old, _ = p.a.contracts.sign(p.hid, tid, ["JC"], D(2025, 3, 1))
    p.share()
    na, _ = p.a.contracts.renew(old, D(2026, 2, 10))
    nb, _ = p.b.contracts.renew(old, D(2026, 2, 12))
    exchange(p.a, p.b)
    live = {tuple(str(c.id) for c in ws.contracts.of_household(p.hid) if c.status != "renewed") for ws in p.both}
    assert len(live) == 1 and len(next(iter(live))) == 1 and set(next(iter(live))) <= {na, nb}
    for ws in p.both:
        lines = ws.contracts.list(today=D(2026, 3, 1), status="active")
        assert [str(x.contract.id) for x in lines] == list(next(iter(live)))
        assert {str(ws.contracts.get(x).id) for x in (na, nb)} == {na, nb}         # both kept
        many = [p.hid, *(f"other-{i}" for i in range(60))]       # the set-wise path of a long list
        assert chains.contract_losers(ws.conn, many) == chains.contract_losers(ws.conn, [p.hid]) \
            == {na, nb} - set(next(iter(live)))
    assert_one_conflict(p, rule.SECOND_SUCCESSOR, "contracts", {na, nb})


def test_one_household_signed_with_one_team_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    tid = add_team(p.a)
    p.share()
    ca, _ = p.a.contracts.sign(p.hid, tid, ["JC"], D(2025, 3, 1))
    cb, _ = p.b.contracts.sign(p.hid, tid, ["JC"], D(2025, 3, 2))
    exchange(p.a, p.b)
    shown = {tuple(str(x.contract.id) for x in ws.contracts.list(today=D(2025, 4, 1))) for ws in p.both}
    assert len(shown) == 1 and len(next(iter(shown))) == 1
    assert_one_conflict(p, rule.TWO_LIVE_CONTRACTS, "contracts", {ca, cb})


def test_help_persons_set_on_two_pcs(pcs: Pcs) -> None:
    p = pcs
    p.a.households.set_help_person(p.hid, HelpPerson(name="王干部", unit="县卫健委", since=D(2019, 1, 1)))
    p.share()
    p.a.households.set_help_person(p.hid, HelpPerson(name="赵干部", unit="乡政府", since=D(2022, 1, 1)))
    p.b.households.set_help_person(p.hid, HelpPerson(name="钱干部", unit="乡政府", since=D(2022, 1, 1)))
    exchange(p.a, p.b)
    names = {ws.households.current_help_person(p.hid).name for ws in p.both}  # type: ignore[union-attr]
    assert len(names) == 1 and names <= {"赵干部", "钱干部"}
    opened = {r["id"] for r in rows_of(p.a, "help_persons").values() if r["until"] is None}
    assert_one_conflict(p, rule.SECOND_SUCCESSOR, "help_persons", opened)


# --- people ---------------------------------------------------------------------------------


def test_a_second_person_with_the_same_resident_id_is_kept_and_reported(pcs: Pcs) -> None:
    p = pcs
    p.share()
    # B registered the same resident on its own before it received A's row.
    row = dict(rows_of(p.a, "people")[p.pid])
    row.update(id="01890000-0000-7000-8000-00000000b0b0", record_no="B-REC-1",
               version_instance="pc-b", version_counter=9)
    put_foreign_row(p.a, "people", row)           # applied: no unique index decides between them
    assert {p.pid, row["id"]} <= set(rows_of(p.a, "people"))
    assert conflicts.detect(p.a.conn) == 1
    assert conflicts.detect(p.a.conn) == 0        # noted once
    [c] = conflicts.conflicts(p.a.conn)
    assert (c.kind, c.table, {c.a_id, c.b_id}) == (rule.DUPLICATE_PERSON, "people", {p.pid, row["id"]})
    assert ("pc-b", 9) in (c.a_version, c.b_version)
    # On one PC, entering the same resident again is still refused.
    with pytest.raises(ConflictError):
        p.a.people.add(Person(**{**vars(p.a.people.get(p.pid)), "id": None, "record_no": ""}))


def test_one_household_number_registered_on_two_pcs_is_kept_and_reported(pcs: Pcs) -> None:
    p = pcs
    p.a.households.update(Household(**{**vars(p.a.households.get(p.hid)), "household_no": "6229230001"}))
    row = dict(rows_of(p.a, "households")[p.hid])
    row.update(id="01890000-0000-7000-8000-00000000d0d0", head_id=None,
               version_instance="pc-b", version_counter=3)
    put_foreign_row(p.a, "households", row)
    assert conflicts.detect(p.a.conn) == 1
    [c] = conflicts.conflicts(p.a.conn)
    assert (c.kind, {c.a_id, c.b_id}) == (rule.DUPLICATE_HOUSEHOLD, {p.hid, row["id"]})
    with pytest.raises(ConflictError):
        p.a.households.add(Household(id=None, village_code=VILLAGE, household_no="6229230001"))


def test_the_same_number_under_another_id_type_is_a_possible_duplicate(pcs: Pcs) -> None:
    p = pcs
    row = dict(rows_of(p.a, "people")[p.pid])
    row.update(id="01890000-0000-7000-8000-00000000c0c0", record_no="B-REC-2", id_type="other",
               version_instance="pc-b", version_counter=4)
    put_foreign_row(p.a, "people", row)
    assert conflicts.detect(p.a.conn) == 1
    assert conflicts.detect(p.a.conn) == 0
    [c] = conflicts.conflicts(p.a.conn)
    assert (c.kind, {c.a_id, c.b_id}) == (rule.DUPLICATE_PERSON, {p.pid, row["id"]})
    done = conflicts.accept_current(p.a.conn, c.id, "doctor")
    assert done.resolution and conflicts.conflicts(p.a.conn) == []
    assert conflicts.detect(p.a.conn) == 0                          # a resolved pair stays resolved


def test_results_already_in_a_file_are_linked_in_the_order_they_were_shown(tmp_path: Path) -> None:
    path = tmp_path / "v9.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=9) == 9
    old = Workspace(sqlite_utils.Database(conn), path)   # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, ?, 0, 1, '2025-01-01')", (uuid7(),))
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
        made = [old.tracker.insert("exam_returns", {"exam_id": "exam-1", "returned_on": day},
                                   partition=VILLAGE) for day in ("2025-05-20", "2025-05-10", "2025-05-12")]
        old.tracker.insert("referral_results", {"followup_id": "visit-1", "result": "到位",
                                                "checked_on": "2025-06-03"}, partition=VILLAGE)
    old.close()
    with Workspace.open(path) as ws:
        links = {r["id"]: r["supersedes"] for r in ws.conn.execute("SELECT * FROM exam_returns")}
        assert links == {made[0]: None, made[1]: made[0], made[2]: made[1]}
        assert chains.current_id(ws.conn, "exam_returns", "exam-1") == made[2]   # as shown before
        assert ws.conn.execute("SELECT count(*) FROM outbox WHERE table_name = 'exam_returns'"
                               " AND op = 'update'").fetchone()[0] == 2
        assert trigger_problems(ws.conn) == []
        with pytest.raises(sqlite3.IntegrityError, match="untracked"):
            ws.conn.execute("UPDATE exam_returns SET supersedes = NULL")
        assert conflicts.detect(ws.conn) == 0
