"""The 工作台 on a hand-built village of seven residents, counted by hand for 2025-06-16."""

from __future__ import annotations

import datetime as dt

from app.core.exams import ExamSettings
from app.core.followup_rules import FollowUpSettings
from app.core.tasks import (
    ContractRow,
    ExamRow,
    LastFollowUp,
    PersonRow,
    TaskSettings,
    compute_tasks,
    patient_register,
)

D = dt.date
TODAY = D(2025, 6, 16)

PEOPLE = [
    PersonRow("A", "王一", "622923104201000001", "红旗村", "一组", D(1950, 5, 1), {"高血压": D(2020, 1, 1)}),
    PersonRow("B", "李二", "622923104201000002", "红旗村", "一组", D(1970, 5, 1), {"2型糖尿病": D(2025, 6, 10)}),
    PersonRow("C", "张三", "622923104201000003", "红旗村", "二组", D(1965, 5, 1),
              {"高血压": D(2019, 1, 1), "2型糖尿病": D(2021, 1, 1)}),
    PersonRow("D", "赵四", "622923104201000004", "红旗村", "二组", D(1980, 5, 1), {"高血压": D(2022, 1, 1)}),
    PersonRow("E", "钱五", "622923104201000005", "红旗村", "三组", D(1955, 5, 1), {}),
    PersonRow("F", "孙六", "622923104201000006", "红旗村", "三组", D(1990, 5, 1), {"高血压": D(2023, 1, 1)}),
    PersonRow("G", "周七", "622923104201000007", "红旗村", "三组", D(1985, 5, 1), {"高血压": D(2023, 1, 1)}),
]
FOLLOWUPS = [
    LastFollowUp("fA", "A", "高血压", D(2025, 3, 1), D(2025, 6, 1), False, face_to_face=2),
    LastFollowUp("fC1", "C", "高血压", D(2025, 6, 2), D(2025, 6, 16), True, face_to_face=3),
    LastFollowUp("fC2", "C", "糖尿病", D(2025, 5, 1), D(2025, 7, 30), False, face_to_face=2),
    LastFollowUp("fD", "D", "高血压", D(2025, 6, 10), D(2025, 6, 20), True, "到位", face_to_face=3),
    LastFollowUp("fF", "F", "高血压", D(2025, 6, 1), D(2025, 8, 30), False, face_to_face=2),
    LastFollowUp("fG", "G", "高血压", D(2025, 3, 1), None, False, face_to_face=1),
]
EXAMS = [
    ExamRow("eA", "A", D(2025, 4, 1), D(2025, 4, 10)),
    ExamRow("eC", "C", D(2025, 5, 20), None),
    ExamRow("eD", "D", D(2025, 2, 1), D(2025, 2, 3)),
    ExamRow("eF", "F", D(2025, 3, 1), D(2025, 3, 1)),
    ExamRow("eG", "G", D(2024, 12, 20), None),
]
CONTRACTS = [ContractRow("cA", "202510001", D(2025, 7, 1), "A", "王一", "622923104201000001", "红旗村", "一组")]


def tasks(**kw: object):  # type: ignore[no-untyped-def]
    settings = {"fs": FollowUpSettings(), "es": ExamSettings(), "ts": TaskSettings()}
    settings.update(kw)  # type: ignore[arg-type]
    return compute_tasks(TODAY, PEOPLE, FOLLOWUPS, EXAMS, CONTRACTS, **settings)  # type: ignore[arg-type]


def test_the_village_task_list_matches_the_hand_count() -> None:
    t = tasks()
    assert t.total == 12
    assert t.by_kind == {"高血压随访": 4, "糖尿病随访": 1, "转诊随访": 1, "年度体检": 3,
                         "体检结果反馈": 2, "签约到期": 1}
    assert t.overdue_by_kind == {"高血压随访": 2, "糖尿病随访": 1, "转诊随访": 0, "年度体检": 0,
                                 "体检结果反馈": 2, "签约到期": 0}
    assert t.by_group == {
        "一组": {"高血压随访": 1, "糖尿病随访": 1, "年度体检": 1, "签约到期": 1},
        "二组": {"高血压随访": 2, "转诊随访": 1, "体检结果反馈": 1},
        "三组": {"年度体检": 2, "高血压随访": 1, "体检结果反馈": 1},
    }


def test_lines_carry_due_dates_days_overdue_and_the_form_to_open() -> None:
    lines = {(x.person_id, x.kind): x for x in tasks().lines}
    a = lines[("A", "高血压随访")]
    assert (a.due, a.status, a.days_overdue, a.form, a.ref_id) == (D(2025, 6, 1), "overdue", 15, "followup:高血压", "fA")
    b = lines[("B", "糖尿病随访")]
    assert (b.due, b.days_overdue, b.ref_id, b.form) == (D(2025, 6, 10), 6, None, "followup:糖尿病")
    c = lines[("C", "转诊随访")]
    assert (c.due, c.status, c.form, c.ref_id) == (D(2025, 6, 16), "today", "referral-check", "fC1")
    assert lines[("C", "高血压随访")].status == "today"
    d = lines[("D", "高血压随访")]
    assert (d.status, d.days_overdue) == ("upcoming", 0)
    g = lines[("G", "高血压随访")]
    assert (g.due, g.days_overdue) == (D(2025, 5, 30), 17)      # no next date: 90 days after the visit
    assert lines[("G", "体检结果反馈")].days_overdue == 164
    assert lines[("E", "年度体检")].due == D(2025, 12, 31)
    contract = lines[("A", "签约到期")]
    assert (contract.form, contract.ref_id, contract.status) == ("contract", "cA", "upcoming")
    assert ("D", "转诊随访") not in lines            # the referral has its result
    assert not any(x.person_id == "F" for x in tasks().lines)


def test_most_overdue_first_and_village_group_filter() -> None:
    t = tasks()
    assert [x.due for x in t.lines] == sorted(x.due for x in t.lines)
    assert (t.lines[0].person_id, t.lines[0].kind) == ("G", "体检结果反馈")
    two = tasks(group="二组")
    assert two.total == 4 and {x.person_id for x in two.lines} == {"C", "D"}
    assert tasks(group="红旗村三组").total == 4


def test_window_setting_decides_what_is_upcoming() -> None:
    assert tasks(ts=TaskSettings(window_days=0)).total == 11           # D's visit on 06-20 drops
    assert tasks(ts=TaskSettings(window_days=60)).by_kind["糖尿病随访"] == 2   # C's on 07-30 joins


def test_the_patient_register_lists_every_patient_with_their_state() -> None:
    fs, ts = FollowUpSettings(), TaskSettings()
    reg = patient_register(TODAY, PEOPLE, FOLLOWUPS, fs=fs, ts=ts)
    assert [(x.person_id, x.kind, x.status) for x in reg] == [
        ("G", "高血压", "overdue"), ("A", "高血压", "overdue"), ("B", "糖尿病", "overdue"),
        ("C", "高血压", "today"), ("D", "高血压", "upcoming"), ("C", "糖尿病", "scheduled"),
        ("F", "高血压", "scheduled"),
    ]
    a = reg[1]
    assert (a.last_visit, a.days_overdue, a.face_to_face, a.needed, a.followup_id) == (
        D(2025, 3, 1), 15, 2, 2, "fA")
    b = reg[2]
    assert (b.last_visit, b.followup_id, b.due, b.needed) == (None, None, D(2025, 6, 10), 4)
    assert reg[3].referral_pending and not reg[4].referral_pending
    assert [x.person_id for x in patient_register(TODAY, PEOPLE, FOLLOWUPS, fs=fs, ts=ts, kind="糖尿病")] == ["B", "C"]
    assert {x.person_id for x in patient_register(TODAY, PEOPLE, FOLLOWUPS, fs=fs, ts=ts, group="三组")} == {"F", "G"}
