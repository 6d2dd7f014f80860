"""Contracts on a real clinic database: signing, renewal, dissolution, 履约, lists, migration."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal

import pytest
import sqlite_utils

from app.core.contracts import ServiceDelivery, Team, TeamMember
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.migrations.m0002_contracts import SYNCED_TABLES
from app.storage.packages import DEFAULT_FILE, load_packages, parse_packages
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

D = dt.date
_serials = itertools.count(1)
SIGNED = D(2025, 3, 1)


def household(ws: Workspace, *, poor: bool, n: int, group: str = "一组", no: str = "",
              hypertensive: bool = False) -> str:
    """A household of n adults; `hypertensive` gives each a 高血压 diagnosis (the 高血压包 fits)."""
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                        household_no=no, poverty_status="poor" if poor else "general"),
                              since=D(2020, 1, 1))
    for i in range(n):
        pid, _ = ws.people.add(Person(id=None, household_id=hid, name=f"{group}成员{i}",
                                      id_no=make_id(f"19{60 + i}0101", f"{next(_serials):03d}"),
                                      relation="户主" if i == 0 else "子"), today=D(2025, 1, 1))
        if hypertensive:
            ws.people.add_diagnosis(Diagnosis(None, pid, "高血压", D(2020, 1, 1)))
    return hid


@pytest.fixture
def team(workspace: Workspace) -> str:
    tid, _ = workspace.contracts.add_team(Team(None, "红旗村团队", "", [
        TeamMember("团队长", "王院长", "13900000000"), TeamMember("乡村医生", "李医生", "13800000000")]))
    return tid


def test_teams_are_added_and_listed_with_their_members(workspace, team):
    [t] = workspace.contracts.teams()
    assert t.id == team and t.township_code == VILLAGE[:9] + "000"
    assert t.leader == TeamMember("团队长", "王院长", "13900000000")
    assert workspace.contracts.team("红旗村团队").id == team
    with pytest.raises(ConflictError, match="已有名为"):
        workspace.contracts.add_team(Team(None, "红旗村团队", "", [TeamMember("团队长", "赵")]))


def test_signing_a_poor_household_covers_every_living_member_and_charges_nothing_personally(workspace, team):
    hid = household(workspace, poor=True, n=4, hypertensive=True)
    cid, changes = workspace.contracts.sign(hid, team, ["JC", "GXY"], SIGNED)
    c = workspace.contracts.get(cid)
    assert len(c.member_ids) == 4 and c.status == "active"
    assert (c.start, c.end) == (SIGNED, D(2026, 2, 28))
    assert c.fees["个人"] == Decimal("0.00")
    assert c.fee_total == Decimal("360.00")
    assert c.contract_no == f"{VILLAGE}-1-2025-0001"
    assert workspace.contracts.get(c.contract_no).id == cid
    assert {"contracts", "contract_members"} <= changes.tables


def test_a_general_household_pays_its_personal_share(workspace, team):
    hid = household(workspace, poor=False, n=2, hypertensive=True)
    c = workspace.contracts.get(workspace.contracts.sign(hid, team, ["JC", "GXY"], SIGNED)[0])
    assert c.fees["个人"] == Decimal("40.00")


def test_dead_members_are_left_out_and_cannot_be_chosen(workspace, team):
    hid = household(workspace, poor=False, n=3)
    dead = workspace.households.members(hid)[2]
    workspace.people.mark(str(dead.id), "死亡", D(2024, 12, 1))
    c = workspace.contracts.get(workspace.contracts.sign(hid, team, ["JC"], SIGNED)[0])
    assert len(c.member_ids) == 2 and str(dead.id) not in c.member_ids
    with pytest.raises(ValidationError, match="死亡"):
        workspace.contracts.sign(hid, team, ["JC"], SIGNED, members=[str(dead.id)], level="person")


def test_a_person_cannot_sign_twice_with_the_same_team_while_covered(workspace, team):
    hid = household(workspace, poor=False, n=2, hypertensive=True)
    workspace.contracts.sign(hid, team, ["JC"], SIGNED)
    before = workspace.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(ConflictError, match="已与该团队签约"):
        workspace.contracts.sign(hid, team, ["GXY"], D(2025, 6, 1))
    assert workspace.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == before
    workspace.contracts.sign(hid, team, ["JC"], D(2026, 3, 1))  # the old term is over


def test_unknown_package_and_team_are_clear_errors(workspace, team):
    hid = household(workspace, poor=False, n=1)
    with pytest.raises(ValidationError, match="没有代码为“XYZ”"):
        workspace.contracts.sign(hid, team, ["XYZ"], SIGNED)
    with pytest.raises(NotFoundError, match="找不到团队"):
        workspace.contracts.sign(hid, "没有的团队", ["JC"], SIGNED)


def test_renewal_links_the_new_contract_and_marks_the_old_renewed(workspace, team):
    hid = household(workspace, poor=True, n=2)
    old, _ = workspace.contracts.sign(hid, team, ["JC"], SIGNED)
    new, _ = workspace.contracts.renew(old, D(2026, 2, 10))
    n = workspace.contracts.get(new)
    assert workspace.contracts.get(old).status == "renewed"
    assert n.renewed_from == old and n.status == "signed"
    assert (n.start, n.end) == (D(2026, 3, 1), D(2027, 2, 28))
    with pytest.raises(ConflictError, match="已续约的协议不能改为已续约"):
        workspace.contracts.renew(old, D(2026, 2, 11))
    late, _ = workspace.contracts.renew(new, D(2027, 4, 1))  # renewed after it expired
    assert workspace.contracts.get(late).start == D(2027, 4, 1)
    assert workspace.contracts.get(late).status == "active"


def test_dissolving_needs_a_reason_and_is_final(workspace, team):
    hid = household(workspace, poor=False, n=1)
    cid, _ = workspace.contracts.sign(hid, team, ["JC"], SIGNED)
    with pytest.raises(ValidationError, match="解约须选择原因"):
        workspace.contracts.dissolve(cid, "", D(2025, 6, 1))
    with pytest.raises(ValidationError, match="写明"):
        workspace.contracts.dissolve(cid, "其他", D(2025, 6, 1))
    workspace.contracts.dissolve(cid, "迁出", D(2025, 6, 1), "迁往县城")
    c = workspace.contracts.get(cid)
    assert (c.status, c.dissolution_reason, c.dissolved_on) == ("dissolved", "迁出", D(2025, 6, 1))
    with pytest.raises(ConflictError, match="已解约的协议不能改为已续约"):
        workspace.contracts.renew(cid, D(2025, 7, 1))
    workspace.contracts.sign(hid, team, ["JC"], D(2025, 7, 1))  # free to sign again


def test_expired_contracts_are_not_dissolved(workspace, team):
    cid, _ = workspace.contracts.sign(household(workspace, poor=False, n=1), team, ["JC"], SIGNED)
    with pytest.raises(ConflictError, match="到期"):
        workspace.contracts.dissolve(cid, "本人解约", D(2026, 3, 1))


def test_lists_by_status_expiry_group_and_unserved(workspace, team):
    a = household(workspace, poor=False, n=1, group="一组")
    b = household(workspace, poor=False, n=1, group="二组")
    ca, _ = workspace.contracts.sign(a, team, ["JC"], SIGNED)                # ends 2026-02-28
    cb, _ = workspace.contracts.sign(b, team, ["JC"], D(2025, 3, 2))         # ends 2026-03-01
    today = D(2026, 1, 29)
    assert [x.contract.id for x in workspace.contracts.list(today=today, expiring=30)] == [ca]
    assert [x.contract.id for x in workspace.contracts.list(today=today, expiring=31)] == [ca, cb]
    assert [x.contract.id for x in workspace.contracts.list(today=today, group="二组")] == [cb]
    assert [x.status for x in workspace.contracts.list(today=D(2026, 3, 1))] == ["expired", "active"]
    assert [x.contract.id for x in workspace.contracts.list(today=D(2026, 3, 1), status="expired")] == [ca]
    assert [x.contract.id for x in workspace.contracts.unserved(D(2025, 5, 30))] == [ca]          # day 90 vs 89
    pid = workspace.contracts.get(ca).member_ids[0]
    workspace.contracts.record_service(ServiceDelivery(None, ca, pid, "慢病随访", D(2025, 4, 1), "李医生"),
                             today=D(2025, 4, 1))
    assert [x.contract.id for x in workspace.contracts.unserved(D(2025, 6, 1))] == [cb]
    line = workspace.contracts.list(today=today, group="一组")[0]
    assert (line.head_name, line.group_name, line.served, line.days_left) == ("一组成员0", "一组", 1, 30)
    with pytest.raises(ValidationError, match="不认识的状态"):
        workspace.contracts.list(today=today, status="bogus")


def test_unserved_days_is_a_setting(workspace, team):
    workspace.contracts.sign(household(workspace, poor=False, n=1), team, ["JC"], SIGNED)
    workspace.settings.update(contract_unserved_days=30)
    assert len(workspace.contracts.unserved(D(2025, 3, 31))) == 1


def test_progress_counts_what_was_promised_and_done(workspace, team):
    hid = household(workspace, poor=True, n=2)
    cid, _ = workspace.contracts.sign(hid, team, ["JC"], SIGNED)
    p0, p1 = workspace.contracts.get(cid).member_ids
    for pid, day in ((p0, D(2025, 4, 1)), (p1, D(2025, 4, 2)), (p0, D(2025, 7, 1))):
        workspace.contracts.record_service(ServiceDelivery(None, cid, pid, "慢病随访", day), today=D(2025, 8, 1))
    got = {p.service: (p.promised, p.done) for p in workspace.contracts.progress(cid)}
    assert got["慢病随访"] == (8, 3) and got["年度健康体检"] == (2, 0)
    assert len(workspace.contracts.deliveries(cid)) == 3


def test_household_found_by_household_no_or_record_no(workspace):
    hid = household(workspace, poor=False, n=1, no="6229231042010001")
    assert workspace.households.find("6229231042010001") == hid
    assert workspace.households.find(workspace.households.members(hid)[0].record_no) == hid
    with pytest.raises(NotFoundError):
        workspace.households.find("nothing")


def test_contract_rows_are_tracked_and_untracked_writes_refused(workspace, team):
    cid, _ = workspace.contracts.sign(household(workspace, poor=False, n=2), team, ["JC"], SIGNED)
    pid = workspace.contracts.get(cid).member_ids[0]
    workspace.contracts.record_service(ServiceDelivery(None, cid, pid, "慢病随访", D(2025, 4, 1)), today=D(2025, 4, 1))
    workspace.contracts.renew(cid, D(2026, 2, 1))
    conn = workspace.conn
    for table in SYNCED_TABLES:
        rows = conn.execute(f"SELECT id, version_instance, version_counter FROM {table}").fetchall()
        assert rows, table
        for r in rows:
            assert conn.execute(
                "SELECT 1 FROM outbox WHERE table_name = ? AND row_id = ? AND version_instance = ?"
                " AND version_counter = ?", (table, r[0], r[1], r[2])).fetchone(), table
        with pytest.raises(sqlite3.IntegrityError, match="untracked"):
            conn.execute(f"UPDATE {table} SET updated_at = 'x' WHERE id = ?", (rows[0][0],))
        with pytest.raises(sqlite3.IntegrityError, match="tombstoned"):
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (rows[0][0],))


def test_a_schema_1_database_upgrades_to_2_with_its_data_intact(tmp_path):
    path = tmp_path / "v1.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=1) == 1
    old = Workspace(sqlite_utils.Database(conn), path)  # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, 'instance-1', 0, 1, '2025-01-01')")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
    hid, _ = old.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                         poverty_status="poor"), since=D(2020, 1, 1))
    old.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id(), relation="户主"))
    outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION  # through 2 and every later schema
        assert [p.name for p in ws.households.members(hid)] == ["张三"]
        assert ws.households.get(hid).poverty_status == "poor"
        assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox
        tid, _ = ws.contracts.add_team(Team(None, "团队", "", [TeamMember("团队长", "王")]))
        c = ws.contracts.get(ws.contracts.sign(hid, tid, ["JC"], SIGNED)[0])
        assert c.fees["个人"] == Decimal("0.00") and len(c.member_ids) == 1


def test_the_default_package_file_loads_with_a_free_basic_package():
    pkgs = {p.code: p for p in load_packages(DEFAULT_FILE)}
    assert pkgs["JC"].tier == "基础包" and pkgs["JC"].share("个人") == Decimal("0.00")
    assert {s.name for s in pkgs["JC"].services} == {"健康档案管理", "年度健康体检", "慢病随访", "健康教育", "用药指导"}
    assert {"GXY", "TNB", "LNR"} <= set(pkgs)


def test_package_file_errors_name_the_file_and_field():
    with pytest.raises(ValidationError, match=re.escape("县.toml：服务包“A”缺少字段 price")):
        parse_packages('[[package]]\ncode = "A"\nname = "a"\ntier = "基础包"\nservices = []\n', source="县.toml")
    with pytest.raises(ValidationError, match=re.escape("县.toml 不是有效的TOML")):
        parse_packages("[[package", source="县.toml")
    bad_split = ('[[package]]\ncode = "A"\nname = "a"\ntier = "基础包"\nprice = "10.00"\n'
                 'services = [{ name = "x", per_year = 1 }]\nsplit = { "个人" = "9.00" }\n')
    with pytest.raises(ValidationError, match=re.escape("县.toml：服务包“A”的各付费方合计 9.00")):
        parse_packages(bad_split, source="县.toml")


def test_an_edited_package_list_in_settings_replaces_the_default(workspace):
    text = ('[[package]]\ncode = "MF"\nname = "免费包"\ntier = "基础包"\nprice = "0.00"\n'
            'services = ["健康档案管理"]\n')
    workspace.contracts.set_packages(text)
    assert [p.code for p in workspace.contracts.packages()] == ["MF"]
    with pytest.raises(ValidationError):
        workspace.contracts.set_packages("[[package]]\ncode = 1\n")


def _family(ws: Workspace) -> tuple[str, str, str]:
    """A household of a hypertensive adult and a child who is 6 on the signing day."""
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                        poverty_status="general"), since=D(2020, 1, 1))
    adult, _ = ws.people.add(Person(id=None, household_id=hid, name="王建军",
                                    id_no=make_id("19700101", f"{next(_serials):03d}"), relation="户主"),
                             today=D(2025, 1, 1))
    ws.people.add_diagnosis(Diagnosis(None, adult, "高血压", D(2021, 6, 1)))
    child, _ = ws.people.add(Person(id=None, household_id=hid, name="王小宝",
                                    id_no=make_id("20180302", f"{next(_serials):03d}"), relation="子"),
                             today=D(2025, 1, 1))
    return hid, str(adult), str(child)


def test_a_package_is_signed_only_for_the_members_it_fits(workspace, team):
    hid, adult, child = _family(workspace)
    plan = workspace.contracts.signing_plan(hid, ["JC", "GXY", "ET"], SIGNED)
    assert [(s.name, s.code, s.reason) for s in plan.skipped] == [
        ("王建军", "ET", "55岁，本包限6岁及以下"), ("王小宝", "GXY", "档案中没有高血压诊断")]
    cid, _ = workspace.contracts.sign(hid, team, ["JC", "GXY"], SIGNED)
    stored = {r["person_id"] for r in workspace.conn.execute(
        "SELECT person_id FROM contract_members WHERE contract_id = ?", (cid,))}
    assert stored == {adult, child}
    packages = json.loads(workspace.conn.execute(
        "SELECT packages FROM contracts WHERE id = ?", (cid,)).fetchone()[0])
    assert {p["code"]: p["members"] for p in packages} == {"JC": [adult, child], "GXY": [adult]}
    c = workspace.contracts.get(cid)
    assert c.member_packages == {adult: ["JC", "GXY"], child: ["JC"]}
    assert c.fee_total == Decimal("120.00")  # 30 + 60 for the adult, 30 for the child
    assert c.fees["个人"] == Decimal("20.00")
    with pytest.raises(ValidationError, match="该居民签约的服务包中没有“血压测量”"):
        workspace.contracts.record_service(ServiceDelivery(None, cid, child, "血压测量", D(2025, 4, 1)),
                                 today=D(2025, 4, 1))


def test_a_chosen_package_that_does_not_fit_needs_the_doctors_override(workspace, team):
    hid, adult, child = _family(workspace)
    with pytest.raises(ValidationError, match="王小宝不适合签高血压包：档案中没有高血压诊断"):
        workspace.contracts.sign(hid, team, [], SIGNED, choice={adult: ["JC"], child: ["JC", "GXY"]})
    cid, _ = workspace.contracts.sign(hid, team, [], SIGNED, choice={adult: ["JC"], child: ["JC", "GXY"]},
                                      overrides=[(child, "GXY")])
    assert workspace.contracts.get(cid).member_packages[child] == ["JC", "GXY"]
    audit = workspace.conn.execute("SELECT detail FROM audit_log WHERE action = 'sign'").fetchone()[0]
    assert "医生确认不符合规则" in audit and "王小宝:GXY" in audit


def test_a_package_nobody_fits_is_refused_with_the_reasons(workspace, team):
    hid, _adult, _child = _family(workspace)
    with pytest.raises(ValidationError, match=r"都不适用.*老年人包（55岁，本包限65岁及以上）"):
        workspace.contracts.sign(hid, team, ["LNR"], SIGNED)


def test_renewal_drops_a_package_the_member_has_outgrown(workspace, team):
    hid, adult, child = _family(workspace)
    old, _ = workspace.contracts.sign(hid, team, ["JC", "ET"], SIGNED)
    assert workspace.contracts.get(old).member_packages == {adult: ["JC"], child: ["JC", "ET"]}
    new, _ = workspace.contracts.renew(old, D(2026, 2, 20))  # the child is 7 when the new term starts
    assert workspace.contracts.get(new).member_packages == {adult: ["JC"], child: ["JC"]}


def test_the_current_status_comes_from_the_history(workspace):
    hid = household(workspace, poor=True, n=1)
    workspace.households.set_poverty_status(hid, "exited", D(2021, 12, 1), "脱贫出")
    assert workspace.households.poverty_status_on(hid, D(2025, 1, 1)) == "exited"
    assert workspace.households.poverty_status_on(hid, D(2021, 1, 1)) == "poor"
