"""The demo village's care history: five years of plausible follow-ups and exams, as the rules
would have produced them, written through the tracked path."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from app import demo
from app.core.exams import ExamSettings
from app.core.followup_rules import FollowUpSettings, suggest
from app.core.tasks import ExamRow, LastFollowUp, PersonRow, TaskSettings, compute_tasks
from app.storage.workspace import Workspace

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo_care") / "village.db"
    summary = demo.generate(path, size="village", seed=7, today=TODAY)
    assert summary.followups > 4_000 and summary.exams > 1_000
    return path


def test_patients_are_followed_about_four_times_a_year(village: Path) -> None:
    with Workspace.open(village) as ws:
        patients = ws.conn.execute(
            "SELECT count(DISTINCT person_id) FROM diagnoses WHERE condition IN ('高血压', '2型糖尿病')"
        ).fetchone()[0]
        followed = ws.conn.execute("SELECT count(DISTINCT person_id) FROM follow_ups").fetchone()[0]
        assert followed >= 0.95 * patients
        per_year = [r[0] for r in ws.conn.execute(
            "SELECT sum(method != '电话') FROM follow_ups WHERE visit_date BETWEEN '2024-01-01' AND"
            " '2024-12-31' GROUP BY person_id, kind")]
        # 规范管理 (≥ 4 face-to-face) for most; the rest were diagnosed late in the year, died,
        # moved, came irregularly or stopped coming.
        assert 0.7 * len(per_year) <= sum(n >= 4 for n in per_year) < len(per_year)
        assert min(ws.conn.execute("SELECT min(visit_date) FROM follow_ups").fetchone()) < "2021-04-01"
        methods = dict(ws.conn.execute("SELECT method, count(*) FROM follow_ups GROUP BY method").fetchall())
        assert 0.02 <= methods["电话"] / sum(methods.values()) <= 0.12


def test_history_has_uncontrolled_visits_referrals_and_overdue_patients(village: Path) -> None:
    with Workspace.open(village) as ws:
        classes = collections.Counter(r[0] for r in ws.conn.execute("SELECT classification FROM follow_ups"))
        assert 0.1 <= classes["控制不满意"] / sum(classes.values()) <= 0.35
        referred = ws.conn.execute("SELECT count(*) FROM follow_ups WHERE refers = 1").fetchone()[0]
        results = ws.conn.execute("SELECT count(*) FROM referral_results").fetchone()[0]
        assert referred > 20 and 0.8 * referred <= results <= referred
        assert ws.conn.execute("SELECT count(*) FROM follow_ups WHERE supersedes IS NOT NULL").fetchone()[0] > 0
        t = ws.care.tasks(TODAY)
        assert 0 < t.overdue_by_kind["高血压随访"] < 0.3 * t.total
        assert t.by_kind["体检结果反馈"] > 0 and t.by_kind["年度体检"] > 0


def test_stored_suggestions_are_what_the_rules_say(village: Path) -> None:
    with Workspace.open(village) as ws:
        pid = ws.conn.execute("SELECT person_id FROM follow_ups WHERE kind = '高血压' AND measure ="
                              " '两次控制不满意转诊随访' LIMIT 1").fetchone()[0]
        visits = ws.care.followups(pid, "高血压")
        for i, f in enumerate(visits):
            s = suggest(f, visits[:i], FollowUpSettings())
            assert (s.classification, s.measure) == (f.suggested_class, f.suggested_measure)
            assert s.next_date == f.suggested_next


def test_one_exam_a_year_and_most_results_given_back(village: Path) -> None:
    with Workspace.open(village) as ws:
        twice = ws.conn.execute(
            "SELECT count(*) FROM (SELECT person_id FROM health_exams GROUP BY person_id,"
            " substr(exam_date, 1, 4) HAVING count(*) > 1)").fetchone()[0]
        assert twice == 0
        exams, returned = ws.conn.execute(
            "SELECT count(*), count(r.id) FROM health_exams e LEFT JOIN exam_returns r"
            " ON r.exam_id = e.origin_id").fetchone()
        assert 0.9 * exams <= returned < exams
        elderly = ws.conn.execute(
            "SELECT id FROM people WHERE birth_date < '1950-01-01' AND living_status = '在册'"
            " LIMIT 1").fetchone()[0]
        assert 3 <= len(ws.care.exams(elderly)) <= 5


def test_the_stored_task_list_equals_the_rules_on_every_row(village: Path) -> None:
    """The storage feeds the 工作台 only the rows it needs; the rules on every row agree."""
    today = dt.date(2025, 3, 20)
    with Workspace.open(village) as ws:
        people, last, exams = [], [], []
        for r in ws.conn.execute("SELECT p.*, h.group_name FROM people p JOIN households h"
                                 " ON h.id = p.household_id WHERE p.living_status = '在册'"):
            conditions = {d.condition: d.confirmed_on for d in ws.people.diagnoses(r["id"])}
            people.append(PersonRow(r["id"], r["name"], r["record_no"], "红旗村", r["group_name"],
                                    dt.date.fromisoformat(r["birth_date"]), conditions))
            for kind in ("高血压", "糖尿病"):
                visits = [f for f in ws.care.followups(r["id"], kind) if f.visit_date <= today]
                if visits:
                    f = visits[-1]
                    last.append(LastFollowUp(str(f.id), r["id"], kind, f.visit_date, f.next_date,
                                             f.refers, f.referral_result if f.referral_result_on and
                                             f.referral_result_on <= today else "",
                                             sum(v.face_to_face and v.visit_date.year == today.year
                                                 for v in visits)))
            exams += [ExamRow(str(e.id), r["id"], e.exam_date,
                              e.result_returned_on if e.result_returned_on and e.result_returned_on <= today
                              else None)
                      for e in ws.care.exams(r["id"]) if e.exam_date <= today]
        everything = compute_tasks(today, people, last, exams, [], fs=FollowUpSettings(),
                                   es=ExamSettings(), ts=TaskSettings())
        stored = ws.care.tasks(today)
    assert stored.total > 100
    assert stored.by_group == everything.by_group
    assert [dataclasses.astuple(x) for x in stored.lines] == [dataclasses.astuple(x) for x in everything.lines]
