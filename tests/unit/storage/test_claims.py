"""Claims on a real clinic database: entry, year to date, reversal, lists, packs, migration."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
import sqlite_utils

from app.core.claims import Claim
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import Household
from app.core.people import Person
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.migrations.m0004_claims import SYNCED_TABLES
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

D = dt.date
TODAY = D(2025, 1, 15)
WORKED = "算例县"


def person(ws: Workspace, *, status: str = "poor", name: str = "马福贵", group: str = "一组",
           birth: str = "19570312", seq: str = "013", **extra: object) -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        poverty_status=status), since=D(2020, 1, 1))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name, id_no=make_id(birth, seq),
                                  relation="户主", insurance_no="62292319570312", **extra),  # type: ignore[arg-type]
                           today=TODAY)
    return pid


def stay(pid: str, **changes: object) -> Claim:
    c = Claim(person_id=pid, episode="住院", hospital="永靖县人民医院", level="二级", scope="县域内",
              admitted=D(2024, 3, 1), discharged=D(2024, 3, 10), total=Decimal("50000.00"),
              out_of_catalogue=Decimal("3000.00"), diagnosis="胃恶性肿瘤", disease="C16.9")
    return replace(c, **changes)  # type: ignore[arg-type]


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.settings.update(policy_county=WORKED)
    return workspace


def amounts(s: object) -> list[str]:
    return [str(x.amount) for x in s.layers]  # type: ignore[attr-defined]


def test_the_worked_example_is_stored_and_read_back_to_the_fen(ws):
    pid = person(ws)
    paid = {"基本医保": Decimal("37400.00"), "大病保险": Decimal("2990.00"), "医疗救助": Decimal("4627.00")}
    cid, changes = ws.claims.add_claim(stay(pid, paid=paid, self_pay=Decimal("4983.00"),
                                            settlement_no="ZY2024-0311"), today=TODAY)
    assert changes.tables == {"claims"} and cid in changes.ids
    c = ws.claims.claim(cid)
    assert (c.total, c.out_of_catalogue, dict(c.paid), c.self_pay) == (
        Decimal("50000.00"), Decimal("3000.00"), paid, Decimal("4983.00"))
    assert c.categories == ("建档立卡",) and c.county == WORKED and c.entered_by == "system"
    s = ws.claims.settlement(cid)
    assert amounts(s) == ["37400.00", "2990.00", "4627.00"]
    assert (s.self_pay, s.ratio_actual, s.target_met) == (Decimal("4983.00"), Decimal("90.03"), True)
    assert not any(k.flagged for k in ws.claims.comparison(cid))
    assert ws.claims.claim("ZY2024-0311").id == cid
    [line] = ws.claims.claims(year=2024)
    assert (line.person_name, line.group_name, line.reimbursed, line.ratio_actual) == (
        "马福贵", "一组", Decimal("45017.00"), Decimal("90.03"))
    audit = ws.conn.execute("SELECT action FROM audit_log WHERE table_name = 'claims'").fetchall()
    assert [a[0] for a in audit] == ["create"]


def test_estimate_writes_nothing(ws):
    pid = person(ws)
    before = ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    s = ws.claims.estimate(stay(pid, source="预估", hospital=""))
    assert amounts(s) == ["37400.00", "2990.00", "4627.00"]
    assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == before
    assert ws.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_a_second_stay_uses_what_the_first_left_of_the_yearly_deductible(ws):
    pid = person(ws)
    first, _ = ws.claims.add_claim(stay(pid), today=TODAY)
    second, _ = ws.claims.add_claim(stay(pid, admitted=D(2024, 6, 1), discharged=D(2024, 6, 5)), today=TODAY)
    # 大病保险's 5,000 yearly deductible was used by the first stay: the second pays 9,600 × 65%;
    # 医疗救助 (9,600 − 6,240) × 70% = 2,352; self-pay 3,360 − 2,352 + 3,000 = 4,008.
    assert amounts(ws.claims.settlement(second)) == ["37400.00", "6240.00", "2352.00"]
    assert amounts(ws.claims.settlement(first)) == ["37400.00", "2990.00", "4627.00"]
    y = ws.claims.person_year(pid, 2024)
    assert (y.claims, y.inpatient_stays, y.total) == (2, 2, Decimal("100000.00"))
    assert y.layer("医疗救助").paid == Decimal("6979.00")
    assert y.self_pay == Decimal("8991.00")
    # A draft after both sees the same year; one before the second stay sees only the first.
    draft = stay(pid, source="预估", admitted=D(2024, 5, 1), discharged=D(2024, 5, 2))
    assert ws.claims.estimate(draft).year_to_date.claims == 2


def test_the_medical_aid_cap_carries_over_the_year(ws):
    pid = person(ws)
    big = {"total": Decimal("200000.00"), "out_of_catalogue": Decimal("0.00")}
    first, _ = ws.claims.add_claim(stay(pid, **big), today=TODAY)
    second, _ = ws.claims.add_claim(stay(pid, admitted=D(2024, 8, 1), discharged=D(2024, 8, 9), **big),
                                    today=TODAY)
    aid_first = ws.claims.settlement(first).layer("医疗救助").amount
    aid_second = ws.claims.settlement(second).layer("医疗救助").amount
    assert aid_first + aid_second == Decimal("30000.00")


def test_reversal_is_a_new_row_and_takes_the_claim_out_of_the_year(ws):
    pid = person(ws)
    first, _ = ws.claims.add_claim(stay(pid), today=TODAY)
    second, _ = ws.claims.add_claim(stay(pid, admitted=D(2024, 6, 1), discharged=D(2024, 6, 5)), today=TODAY)
    rows_before = ws.conn.execute("SELECT * FROM claims WHERE id = ?", (first,)).fetchone()
    rev, changes = ws.claims.reverse_claim(first, "医院重新结算", today=TODAY)
    assert changes.tables == {"claims"} and rev != first
    assert tuple(ws.conn.execute("SELECT * FROM claims WHERE id = ?", (first,)).fetchone()) == tuple(rows_before)
    r = ws.claims.claim(rev)
    assert (r.reverses, r.reason, r.total) == (first, "医院重新结算", Decimal("50000.00"))
    assert ws.claims.reversed_by(first) == rev
    # The second stay now pays the 大病 deductible itself.
    assert amounts(ws.claims.settlement(second)) == ["37400.00", "2990.00", "4627.00"]
    assert ws.claims.person_year(pid, 2024).claims == 1
    assert [x.claim.id for x in ws.claims.claims()] == [second]
    assert len(ws.claims.claims(include_reversed=True)) == 3
    with pytest.raises(ConflictError, match="已经冲账"):
        ws.claims.reverse_claim(first, "再来一次", today=TODAY)
    with pytest.raises(ConflictError, match="冲账记录"):
        ws.claims.reverse_claim(rev, "冲冲账", today=TODAY)
    with pytest.raises(ValidationError) as err:
        ws.claims.reverse_claim(second, "  ", today=TODAY)
    assert err.value.field == "reason"


def test_claims_rows_cannot_be_changed_or_deleted_outside_the_tracker(ws):
    cid, _ = ws.claims.add_claim(stay(person(ws)), today=TODAY)
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        ws.conn.execute("UPDATE claims SET total = '1.00' WHERE id = ?", (cid,))
    with pytest.raises(sqlite3.IntegrityError, match="tombstoned"):
        ws.conn.execute("DELETE FROM claims WHERE id = ?", (cid,))
    row = ws.conn.execute("SELECT version_instance, version_counter FROM claims WHERE id = ?", (cid,)).fetchone()
    assert ws.conn.execute("SELECT 1 FROM outbox WHERE table_name = 'claims' AND row_id = ? AND "
                           "version_instance = ? AND version_counter = ?", (cid, *row)).fetchone()


def test_a_bad_claim_is_refused_naming_the_field_and_nothing_is_written(ws):
    pid = person(ws)
    for change, field in (
        ({"discharged": D(2024, 2, 1)}, "discharged"),
        ({"total": Decimal("100.005")}, "total"),
        ({"out_of_catalogue": Decimal("60000")}, "out_of_catalogue"),
        ({"fees": {"床位费": Decimal("60000")}}, "fees"),
        ({"paid": {"基本医保": Decimal("50001")}}, "paid"),
        ({"hospital": " "}, "hospital"),
        ({"discharged": D(2025, 2, 1)}, "discharged"),
        ({"episode": "急诊"}, "episode"),
    ):
        with pytest.raises(ValidationError) as err:
            ws.claims.add_claim(stay(pid, **change), today=TODAY)
        assert err.value.field == field, change
    assert ws.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_the_same_settlement_number_twice_is_refused_until_reversed(ws):
    pid = person(ws)
    cid, _ = ws.claims.add_claim(stay(pid, settlement_no="ZY1"), today=TODAY)
    with pytest.raises(ConflictError, match="已经录入过"):
        ws.claims.add_claim(stay(pid, settlement_no="ZY1"), today=TODAY)
    ws.claims.reverse_claim(cid, "金额录错", today=TODAY)
    ws.claims.add_claim(stay(pid, settlement_no="ZY1", total=Decimal("48000.00")), today=TODAY)


def test_categories_come_from_the_household_history_and_the_person(ws):
    poor = person(ws)
    general = person(ws, status="general", name="张三", birth="19700101", seq="031")
    dibao = person(ws, status="dibao", name="李四", birth="19700202", seq="051", assistance=["低保"])
    assert ws.claims.categories(poor) == ("建档立卡",)
    assert ws.claims.categories(poor, D(2019, 6, 1)) == ("普通",)
    assert ws.claims.categories(general) == ("普通",)
    assert ws.claims.categories(dibao) == ("低保",)
    severe = person(ws, status="general", name="王五", birth="19700303", seq="071",
                    assistance=["残疾"], disabilities=["肢体残疾"], disability_grade="一级")
    assert ws.claims.categories(severe) == ("重度残疾",)
    assert ws.claims.categories(severe, known=("普通",)) == ("普通",)


def test_a_general_person_gets_no_medical_aid(ws):
    pid = person(ws, status="general")
    cid, _ = ws.claims.add_claim(stay(pid), today=TODAY)
    s = ws.claims.settlement(cid)
    # (47,000 − 500) × 75% = 34,875; (12,125 − 10,000) × 60% = 1,275; 医疗救助 does not apply.
    assert amounts(s) == ["34875.00", "1275.00", "0.00"]
    assert not s.layers[2].applies


def test_a_slip_that_differs_is_flagged_beyond_the_tolerance(ws):
    pid = person(ws)
    paid = {"基本医保": Decimal("37400.00"), "大病保险": Decimal("2990.00"), "医疗救助": Decimal("4600.00")}
    cid, _ = ws.claims.add_claim(stay(pid, paid=paid), today=TODAY)
    checks = {k.name: k for k in ws.claims.comparison(cid)}
    assert checks["医疗救助"].difference == Decimal("-27.00") and checks["医疗救助"].flagged
    assert not checks["基本医保"].flagged
    line = ws.claims.line(cid)
    assert line.flagged and line.from_slip and line.reimbursed == Decimal("44990.00")
    assert line.self_pay == Decimal("5010.00") and line.ratio_actual == Decimal("89.98")
    assert line.target_met is False
    ws.settings.update(claim_tolerance="30")
    assert not ws.claims.line(cid).flagged


def test_lists_filter_by_year_group_and_person_and_put_those_below_target_first(ws):
    a = person(ws)
    # A 监测户: the county's target is for them (an ordinary resident's stay would not be judged).
    b = person(ws, status="monitored", name="张三", group="二组", birth="19700101", seq="031")
    ws.claims.add_claim(stay(a), today=TODAY)
    low, _ = ws.claims.add_claim(stay(b, admitted=D(2024, 2, 1), discharged=D(2024, 2, 3)), today=TODAY)
    ws.claims.add_claim(stay(a, admitted=D(2024, 9, 1), discharged=D(2024, 9, 3),
                             total=Decimal("8000.00"), out_of_catalogue=Decimal("0.00")), today=TODAY)
    lines = ws.claims.claims(year=2024)
    assert lines[0].claim.id == low and lines[0].target_met is False
    assert [x.claim.discharged for x in ws.claims.claims(above_target_first=False)] == [
        D(2024, 9, 3), D(2024, 3, 10), D(2024, 2, 3)]
    assert [x.person_name for x in ws.claims.claims(group="二组")] == ["张三"]
    assert len(ws.claims.claims(person_id=a)) == 2
    assert ws.claims.claims(year=2023) == []
    assert len(ws.claims.recompute_year(2024)) == 3


def test_a_missing_claim_or_pack_is_reported(ws):
    with pytest.raises(NotFoundError):
        ws.claims.claim("nothing")
    pid = person(ws)
    with pytest.raises(ValidationError, match="没有覆盖 2023-03-10"):
        ws.claims.add_claim(stay(pid, admitted=D(2023, 3, 1), discharged=D(2023, 3, 10)), today=TODAY)


def test_packs_choose_the_county_folder_first_and_the_worked_example_last(workspace, tmp_path):
    pid = person(workspace)
    with pytest.raises(ValidationError, match="policy_county") as err:
        workspace.claims.estimate(stay(pid))
    assert err.value.field == "policy_county"
    assert workspace.claims.pack_for(D(2024, 5, 1), "算例县").county == "算例县"
    folder = workspace.claims.policy_dir()
    assert folder == workspace.path.parent / "policies"
    folder.mkdir()
    from app.storage.policies import shipped_dir
    text = (shipped_dir() / "worked-example.toml").read_text(encoding="utf-8")
    (folder / "本县2024.toml").write_text(text.replace('county = "算例县"', 'county = "本县"'), encoding="utf-8")
    (folder / "坏.toml").write_text("[pack]\nname = 1\n", encoding="utf-8")
    assert workspace.claims.pack_for(D(2024, 5, 1)).county == "本县"
    assert workspace.claims.shelf().problems and "坏.toml" in workspace.claims.shelf().problems[0]
    only_worked = text.replace("2024-", "2019-")
    (folder / "本县2024.toml").unlink()
    (shipped := folder / "x.toml").write_text(only_worked.replace('county = "算例县"', 'county = "甲"'),
                                               encoding="utf-8")
    assert workspace.claims.pack_for(D(2019, 5, 1)).county == "甲"
    shipped.unlink()
    # Only the worked example covers 2024 besides the three examples; it is never the default.
    workspace.settings.update(policy_county="示例县丙（甘肃式）")
    assert workspace.claims.pack_for(D(2024, 5, 1)).county == "示例县丙（甘肃式）"


def test_a_schema_2_database_upgrades_with_its_data_intact(tmp_path):
    path = tmp_path / "v2.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=2) == 2
    old = Workspace(sqlite_utils.Database(conn), path)  # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, 'instance-1', 0, 1, '2025-01-01')")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村",
                          policy_county=WORKED)
    pid = person(old)
    outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims'").fetchone()
    old.close()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert ws.people.get(pid).name == "马福贵"
        assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox
        cols = {r[1] for r in ws.conn.execute("PRAGMA table_info(claims)")}
        assert {"id", "partition", "version_instance", "version_counter", "server_seq", "deleted",
                "updated_at"} <= cols
        cid, _ = ws.claims.add_claim(stay(pid), today=TODAY)
        assert amounts(ws.claims.settlement(cid)) == ["37400.00", "2990.00", "4627.00"]
    assert SYNCED_TABLES == ("claims",)
