"""Follow-ups, exams and the 工作台 from the command line, as a doctor's script would use them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.core.exams import HealthExam
from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE, make_id
from tests.e2e.test_cli import cunyi

D = dt.date


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE,
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    return h


def _person(ws: Workspace, hid: str, name: str, birth: str, seq: str, relation: str,
            condition: str = "", confirmed: dt.date | None = None) -> tuple[str, str]:
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name, relation=relation,
                                  id_no=make_id(birth, seq)))
    if condition:
        ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition=condition, confirmed_on=confirmed))
    return pid, ws.people.get(pid).record_no


def test_uncontrolled_twice_then_referral_with_override_recorded(home: Path) -> None:
    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
        pid, record = _person(ws, hid, "张三", "19600312", "001", "户主", "高血压", D(2020, 1, 1))
        ws.care.add_followup(FollowUp(id=None, person_id=pid, kind="高血压", visit_date=D(2025, 3, 1),
                                      sbp=128, dbp=80), today=D(2025, 3, 1))      # controlled last time

    r = cunyi(home, "followup", "add", record, "--kind", "高血压", "--date", "2025-06-01",
              "--sbp", "152", "--dbp", "96", "--drug", "氨氯地平片:1:5mg", "--today", "2025-06-01")
    assert r.returncode == 0, r.stderr
    assert "建议：控制不满意；第1次控制不满意2周随访；无需转诊；下次随访 2025-06-15" in r.stdout
    assert "下次随访 2025-06-15" in r.stdout.split("已保存")[1]
    assert "今年高血压面对面随访 2 次" in r.stdout

    r = cunyi(home, "followup", "add", make_id("19600312", "001"), "--kind", "高血压",
              "--date", "2025-06-15", "--sbp", "150", "--dbp", "94", "--today", "2025-06-15", "--json")
    assert r.returncode == 0, r.stderr
    saved = json.loads(r.stdout)["followup"]
    assert saved["suggested_referral"] is True and saved["measure"] == "两次控制不满意转诊随访"
    assert saved["next_date"] == "2025-06-29"

    r = cunyi(home, "followup", "add", record, "--kind", "高血压", "--date", "2025-06-29",
              "--sbp", "146", "--dbp", "88", "--class", "控制满意", "--next", "2025-09-01",
              "--today", "2025-06-29", "--json")
    assert r.returncode == 0, r.stderr
    saved = json.loads(r.stdout)["followup"]
    assert (saved["classification"], saved["suggested_class"]) == ("控制满意", "控制不满意")
    assert (saved["next_date"], saved["suggested_next"]) == ("2025-09-01", "2025-07-13")
    assert saved["overridden"] == ["classification", "next_date"]      # the measure was left to the rules

    r = cunyi(home, "followup", "list", record)
    assert r.returncode == 0, r.stderr
    assert "随访记录：4 次" in r.stdout and "（医生修改了建议）" in r.stdout

    r = cunyi(home, "followup", "add", record, "--kind", "高血压", "--date", "2025-07-01",
              "--sbp", "350", "--dbp", "96", "--today", "2025-07-01")
    assert r.returncode == 1 and "收缩压" in r.stderr and r.stdout == ""


def test_followup_and_exam_from_json_files(home: Path, tmp_path: Path) -> None:
    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="二组"))
        _, record = _person(ws, hid, "王五", "19750505", "003", "户主", "2型糖尿病", D(2024, 1, 1))
    visit = tmp_path / "visit.json"
    visit.write_text(json.dumps({
        "person": record, "kind": "糖尿病", "visit_date": "2025-06-01", "method": "家庭",
        "glucose": 17.2, "sbp": 132, "dbp": 80, "medications": [
            {"name": "二甲双胍片", "times_per_day": 3, "dose": 500}],
    }, ensure_ascii=False), encoding="utf-8")
    r = cunyi(home, "followup", "add", "--from", str(visit), "--today", "2025-06-02")
    assert r.returncode == 0, r.stderr
    assert "紧急转诊" in r.stdout and "建议转诊（紧急）" in r.stdout

    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"person": record, "exam_date": "2025-05-20", "height": 170,
                                "weight": 72.5, "sbp_left": 130, "dbp_left": 82, "hb": 140,
                                "urine_protein": "-", "conclusion": "一般疾病",
                                "abnormalities": "2型糖尿病"}, ensure_ascii=False), encoding="utf-8")
    r = cunyi(home, "exam", "add", "--from", str(exam), "--today", "2025-06-02", "--json")
    assert r.returncode == 0, r.stderr
    saved = json.loads(r.stdout)
    assert saved["bmi"] == 25.1 and saved["result_returned_on"] is None
    r = cunyi(home, "exam", "returned", saved["id"], "--date", "2025-06-01", "--today", "2025-06-02")
    assert r.returncode == 0, r.stderr
    r = cunyi(home, "exams", record, "--today", "2025-06-02")
    assert "年度体检对象（2型糖尿病）" in r.stdout and "已于 2025-06-01 反馈" in r.stdout


def test_tasks_on_a_small_village_match_the_hand_count(home: Path) -> None:
    with Workspace.open(unlocked(home / "cunyi.sqlite3")) as ws:
        one, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
        two, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="二组"))
        zhang, _ = _person(ws, one, "张三", "19600312", "001", "户主", "高血压", D(2020, 1, 1))
        _person(ws, one, "李四", "19900101", "002", "子")
        wang, _ = _person(ws, two, "王五", "19750505", "003", "户主", "2型糖尿病", D(2024, 1, 1))
        zhao, _ = _person(ws, two, "赵六", "19500101", "004", "父亲")
        # 张三: controlled on 03-01, booked for 05-30 (first of 4, 90 days at most); no exam yet.
        ws.care.add_followup(FollowUp(id=None, person_id=zhang, kind="高血压", visit_date=D(2025, 3, 1),
                                      sbp=128, dbp=80), today=D(2025, 3, 1))
        # 王五: never followed up; exam on 05-20 whose result was not given back.
        ws.care.add_exam(HealthExam(None, wang, D(2025, 5, 20)), today=D(2025, 5, 20))
        # 赵六: 75, examined and told.
        ws.care.add_exam(HealthExam(None, zhao, D(2025, 4, 1), result_returned_on=D(2025, 4, 10)),
                         today=D(2025, 4, 10))

    r = cunyi(home, "tasks", "--today", "2025-06-16", "--json")
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)
    assert t["total"] == 4
    assert t["by_group"] == {"一组": {"高血压随访": 1, "年度体检": 1},
                             "二组": {"糖尿病随访": 1, "体检结果反馈": 1}}
    lines = {(x["name"], x["kind"]): x for x in t["lines"]}
    assert lines[("张三", "高血压随访")]["days_overdue"] == 17
    assert lines[("王五", "糖尿病随访")]["due"] == "2024-01-01"
    assert lines[("王五", "体检结果反馈")]["days_overdue"] == 13
    assert lines[("张三", "年度体检")]["form"] == "exam"
    assert t["lines"][0]["name"] == "王五"                       # most overdue first

    r = cunyi(home, "tasks", "--today", "2025-06-16", "--group", "二组")
    assert r.returncode == 0, r.stderr
    assert "共 2 项，其中逾期 2 项" in r.stdout and "逾期532天  糖尿病随访  王五" in r.stdout
