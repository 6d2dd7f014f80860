"""Contracts from the command line: sign a poor family, renew a year later, dissolve, the lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import cunyi


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE,
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    with Workspace.open(unlocked(h / "cunyi.sqlite3")) as ws:
        serial = 0
        for no, status, group, n in (("0001", "poor", "一组", 4), ("0002", "general", "二组", 2)):
            hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group,
                                                household_no=VILLAGE + no, poverty_status=status),
                                      since=dt.date(2020, 1, 1))
            for i in range(n):
                serial += 1
                ws.people.add(Person(id=None, household_id=hid, name=f"{group}{i}号",
                                     id_no=make_id(f"19{70 + i}0505", f"{serial:03d}"),
                                     relation="户主" if i == 0 else "子"))
    return h


def contracts(home: Path, *args: str) -> list[dict]:
    r = cunyi(home, "contracts", "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_sign_renew_dissolve_and_the_lists(home):
    r = cunyi(home, "teams", "--add", "红旗村团队", "--leader", "王院长", "--phone", "13900000000",
              "--doctor", "李医生")
    assert r.returncode == 0, r.stderr
    assert "团队长王院长 13900000000" in cunyi(home, "teams").stdout

    r = cunyi(home, "sign", VILLAGE + "0001", "--team", "红旗村团队", "--package", "JC",
              "--package", "GXY", "--today", "2025-03-01")
    assert r.returncode == 0, r.stderr
    assert "4人" in r.stdout and "个人 0.00 元" in r.stdout and "2025-03-01 至 2026-02-28" in r.stdout
    assert "未签：一组0号 高血压包（档案中没有高血压诊断）" in r.stdout  # nobody has hypertension
    poor = contracts(home, "--today", "2025-03-01")[0]
    assert poor["fees"]["个人"] == "0.00" and poor["members"] == 4 and poor["status"] == "active"

    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        head_record = ws.households.members(ws.households.find(VILLAGE + "0002"))[0].record_no
    r = cunyi(home, "sign", head_record, "--team", "红旗村团队", "--package", "JC", "--today", "2025-03-10")
    assert r.returncode == 0, r.stderr
    other = contracts(home, "--today", "2025-03-10", "--group", "二组")[0]

    # Signing the same family again with the same team while covered is refused in one line.
    r = cunyi(home, "sign", VILLAGE + "0001", "--team", "红旗村团队", "--package", "JC", "--today", "2025-04-01")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "已与该团队签约" in r.stderr

    # 签而不约 from the 90th day; the expiring list on the 30th day ahead, not the 31st.
    assert [c["contract_no"] for c in contracts(home, "--unserved", "--today", "2025-05-29")] == []
    assert [c["contract_no"] for c in contracts(home, "--unserved", "--today", "2025-05-30")] == [poor["contract_no"]]
    assert contracts(home, "--expiring", "--today", "2026-01-28") == []
    assert [c["contract_no"] for c in contracts(home, "--expiring", "--today", "2026-01-29")] == [poor["contract_no"]]
    assert len(contracts(home, "--expiring", "40", "--today", "2026-01-29")) == 2

    r = cunyi(home, "dissolve", other["contract_no"], "--reason", "其他", "--today", "2025-06-01")
    assert r.returncode == 1 and "写明" in r.stderr
    r = cunyi(home, "dissolve", other["contract_no"], "--reason", "迁出", "--note", "迁往县城",
              "--today", "2025-06-01")
    assert r.returncode == 0, r.stderr
    assert [c["dissolution_reason"] for c in contracts(home, "--status", "dissolved")] == ["迁出"]

    # A year later the poor family's contract has expired and is renewed.
    assert [c["status"] for c in contracts(home, "--group", "一组", "--today", "2026-03-02")] == ["expired"]
    r = cunyi(home, "renew", poor["contract_no"], "--today", "2026-03-02")
    assert r.returncode == 0, r.stderr
    assert "2026-03-02 至 2027-03-01" in r.stdout and "个人 0.00 元" in r.stdout
    rows = contracts(home, "--group", "一组", "--today", "2026-03-02")
    assert [c["status"] for c in rows] == ["renewed", "active"]
    assert rows[1]["renewed_from"] == poor["id"]
    assert "履约中" in cunyi(home, "contracts", "--today", "2026-03-02").stdout


def test_unknown_household_and_bad_dates_are_one_line_errors(home):
    r = cunyi(home, "sign", "nothing", "--team", "x", "--package", "JC")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "找不到" in r.stderr
    r = cunyi(home, "renew", "999", "--today", "2026-13-01")
    assert r.returncode == 2
    r = cunyi(home, "dissolve", "999", "--reason", "迁出")
    assert r.returncode == 1 and "找不到协议" in r.stderr


def test_a_recorded_service_takes_the_household_off_the_unserved_list(home):
    assert cunyi(home, "teams", "--add", "红旗村团队", "--leader", "王院长").returncode == 0
    assert cunyi(home, "sign", VILLAGE + "0001", "--team", "红旗村团队", "--package", "JC",
                 "--today", "2025-03-01").returncode == 0
    poor = contracts(home, "--today", "2025-06-01", "--unserved")[0]
    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        record = ws.households.members(ws.households.find(VILLAGE + "0001"))[0].record_no
    r = cunyi(home, "record-service", poor["contract_no"], "--person", record, "--service", "血压测量",
              "--date", "2025-05-20", "--today", "2025-06-01")
    assert r.returncode == 1 and r.stderr.count("\n") == 1        # not in the signed package
    service = r.stderr
    r = cunyi(home, "record-service", poor["contract_no"], "--person", record, "--service", "年度健康体检",
              "--date", "2025-05-20", "--today", "2025-06-01")
    assert r.returncode == 0, r.stderr + service
    assert "已做 1 次" in r.stdout
    assert contracts(home, "--today", "2025-06-01", "--unserved") == []
    r = cunyi(home, "record-service", poor["contract_no"], "--person", "nobody", "--service", "年度健康体检")
    assert r.returncode == 1 and "找不到" in r.stderr


def test_sign_gives_each_member_only_the_packages_that_fit_and_says_who_was_left_out(home):
    assert cunyi(home, "teams", "--add", "红旗村团队", "--leader", "王院长").returncode == 0
    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="三组",
                                            household_no=VILLAGE + "0003"), since=dt.date(2020, 1, 1))
        adult, _ = ws.people.add(Person(id=None, household_id=hid, name="王建军",
                                        id_no=make_id("19700101", "101"), relation="户主"))
        ws.people.add_diagnosis(Diagnosis(None, adult, "高血压", dt.date(2021, 6, 1)))
        ws.people.add(Person(id=None, household_id=hid, name="王小宝", id_no=make_id("20180302", "112"),
                             relation="子"))
    r = cunyi(home, "sign", VILLAGE + "0003", "--team", "红旗村团队", "--package", "JC", "--package", "GXY",
              "--today", "2025-03-01")
    assert r.returncode == 0, r.stderr
    assert "王建军：基础包、高血压包" in r.stdout and "王小宝：基础包\n" in r.stdout
    assert "未签：王小宝 高血压包（档案中没有高血压诊断）" in r.stdout
    assert "费用合计 120.00 元" in r.stdout
    r = cunyi(home, "sign", VILLAGE + "0003", "--team", "红旗村团队", "--package", "LNR",
              "--today", "2026-03-02")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "都不适用" in r.stderr
