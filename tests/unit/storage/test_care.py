"""Follow-ups and exams in a real clinic file: append-only versions, stored suggestions and
overrides, tracked writes, the task list, and the upgrade from schema 2."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.exams import HealthExam
from app.core.followup_rules import FollowUpSettings
from app.core.followups import Drug, FollowUp, GeneralVisit, Referral
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.migrations.m0003_care import SYNCED_TABLES
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

D = dt.date
TODAY = D(2025, 6, 16)


@pytest.fixture
def clinic(workspace: Workspace) -> tuple[Workspace, str, str]:
    ws = workspace
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name="张三", relation="户主",
                                  id_no=make_id("19600312", "001")))
    ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="高血压", confirmed_on=D(2020, 1, 1)))
    ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="2型糖尿病", confirmed_on=D(2021, 1, 1)))
    qid, _ = ws.people.add(Person(id=None, household_id=hid, name="李四", relation="配偶",
                                  id_no=make_id("19900101", "002")))
    return ws, pid, qid


def visit(pid: str, day: dt.date, sbp: int = 130, dbp: int = 80, **kw: object) -> FollowUp:
    return FollowUp(id=None, person_id=pid, kind="高血压", visit_date=day, sbp=sbp, dbp=dbp, **kw)  # type: ignore[arg-type]


def outbox(ws: Workspace) -> int:
    return int(ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def test_a_followup_round_trips_with_its_suggestion(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    f = visit(pid, D(2025, 6, 1), 152, 96, weight=70.0, height=165.0, symptoms=["头痛头晕"],
              smoking=5, smoking_target=0, salt="重", salt_target="轻", adherence="间断",
              medications=[Drug("氨氯地平", 1, 5.0)], adjustments=[Drug("缬沙坦", 1, 80.0)],
              doctor="王医生", note="嘱低盐饮食")
    fid, changes = ws.care.add_followup(f, today=TODAY)
    assert changes.tables == {"follow_ups"}
    got = ws.care.followup(fid)
    assert (got.classification, got.measure, got.next_date) == ("控制不满意", "第1次控制不满意2周随访", D(2025, 6, 15))
    assert got.suggested_class == "控制不满意" and got.suggested_next == D(2025, 6, 15)
    assert got.suggested_reasons and got.overridden == []
    assert got.medications == [Drug("氨氯地平", 1, 5.0)] and got.adjustments[0].name == "缬沙坦"
    assert (got.bmi, got.salt_target, got.symptoms, got.note) == (25.7, "轻", ["头痛头晕"], "嘱低盐饮食")
    assert got.origin_id == fid and got.supersedes is None
    assert ws.care.last_followup(pid, "高血压") == got


def test_the_doctors_override_is_stored_next_to_the_suggestion(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1), 152, 96, classification="控制满意",
                                        measure="常规随访", next_date=D(2025, 8, 1)), today=TODAY)
    f = ws.care.followup(fid)
    assert (f.classification, f.measure, f.next_date) == ("控制满意", "常规随访", D(2025, 8, 1))
    assert (f.suggested_class, f.suggested_measure) == ("控制不满意", "第1次控制不满意2周随访")
    assert f.overridden == ["classification", "measure", "next_date"]
    detail = ws.conn.execute("SELECT detail FROM audit_log WHERE row_id = ?", (fid,)).fetchone()[0]
    assert "医生修改了建议" in detail


def test_second_uncontrolled_visit_suggests_referral_from_the_stored_history(
    clinic: tuple[Workspace, str, str],
) -> None:
    ws, pid, _ = clinic
    ws.care.add_followup(visit(pid, D(2025, 5, 20), 150, 95), today=TODAY)
    draft = visit(pid, D(2025, 6, 3), 148, 92)
    before = outbox(ws)
    s = ws.care.suggest_for(pid, draft, TODAY)
    assert s.referral and s.measure == "两次控制不满意转诊随访" and outbox(ws) == before
    with pytest.raises(ValidationError) as err:
        ws.care.suggest_for(pid, visit(pid, D(2025, 6, 17)), TODAY)
    assert err.value.field == "visit_date"
    fid, _ = ws.care.add_followup(draft, today=TODAY)
    assert ws.care.followup(fid).refers


def test_a_correction_supersedes_and_the_old_row_stays(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1), 152, 96), today=TODAY)
    fixed = dataclasses.replace(ws.care.followup(fid), sbp=132, dbp=84, classification="",
                                measure="", next_date=None)
    new_id, _ = ws.care.correct_followup(fid, fixed, today=TODAY)
    assert [f.id for f in ws.care.followups(pid)] == [new_id]
    new = ws.care.followup(new_id)
    assert (new.supersedes, new.origin_id, new.classification) == (fid, fid, "控制满意")
    assert ws.care.followup(fid).sbp == 152                        # the old version is kept
    assert ws.conn.execute("SELECT count(*) FROM follow_ups").fetchone()[0] == 2
    with pytest.raises(ConflictError):
        ws.care.correct_followup(fid, fixed, today=TODAY)
    with pytest.raises(ValidationError):
        ws.care.correct_followup(new_id, dataclasses.replace(fixed, kind="糖尿病"), today=TODAY)


def test_phone_visits_do_not_count_and_years_are_separate(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    for day, method in ((D(2024, 12, 20), "门诊"), (D(2025, 1, 10), "家庭"), (D(2025, 2, 10), "电话"),
                        (D(2025, 4, 10), "门诊")):
        ws.care.add_followup(visit(pid, day, method=method), today=TODAY)
    assert ws.care.face_to_face_count(pid, "高血压", 2025) == 2
    assert ws.care.face_to_face_count(pid, "高血压", 2024) == 1
    assert len(ws.care.followups(pid, "高血压", 2025)) == 3


def test_writes_land_in_the_outbox_and_bad_input_writes_nothing(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, qid = clinic
    before = outbox(ws)
    counter = ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        ws.care.add_followup(visit(pid, D(2025, 6, 1), 350, 96), today=TODAY)
    assert err.value.field == "sbp"
    with pytest.raises(ValidationError) as err:
        ws.care.add_followup(visit(qid, D(2025, 6, 1)), today=TODAY)     # no 高血压 diagnosis
    assert err.value.field == "kind" and "没有“高血压”诊断" in err.value.message
    with pytest.raises(NotFoundError):
        ws.care.add_followup(visit("nobody", D(2025, 6, 1)), today=TODAY)
    assert outbox(ws) == before
    assert ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0] == counter
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1)), today=TODAY)
    row = ws.conn.execute("SELECT version_instance, version_counter FROM follow_ups WHERE id = ?",
                          (fid,)).fetchone()
    assert ws.conn.execute(
        "SELECT op FROM outbox WHERE table_name = 'follow_ups' AND row_id = ? AND version_instance = ?"
        " AND version_counter = ?", (fid, row[0], row[1])).fetchone()[0] == "insert"


@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_untracked_writes_to_care_tables_are_refused(clinic: tuple[Workspace, str, str], table: str) -> None:
    ws, pid, _ = clinic
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1), 185, 100,
                                        referral=Referral("血压危急", "县医院心内科")), today=TODAY)
    ws.care.record_referral_result(fid, "到位", D(2025, 6, 5), today=TODAY)
    ws.care.add_general_visit(GeneralVisit(None, pid, D(2025, 6, 2), content="入户健康指导"), today=TODAY)
    ws.care.add_exam(HealthExam(None, pid, D(2025, 6, 3), result_returned_on=D(2025, 6, 10)), today=TODAY)
    row = ws.conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        ws.conn.execute(f"UPDATE {table} SET updated_at = 'x' WHERE id = ?", (row["id"],))
    with pytest.raises(sqlite3.IntegrityError, match="tombstoned"):
        ws.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
    values = dict(row)
    values.update(id="sneaky", version_counter=10_000)
    with pytest.raises(sqlite3.IntegrityError, match="untracked"):
        ws.conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                        list(values.values()))


def test_referral_result_follows_the_visit_through_corrections(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 2), 185, 100), today=TODAY)
    assert [x.kind for x in ws.care.tasks(TODAY).lines if x.form == "referral-check"] == ["转诊随访"]
    with pytest.raises(ValidationError):
        ws.care.record_referral_result(fid, "完成", D(2025, 6, 5), today=TODAY)
    ws.care.record_referral_result(fid, "到位", D(2025, 6, 5), today=TODAY)
    new_id, _ = ws.care.correct_followup(fid, dataclasses.replace(ws.care.followup(fid), note="补记"),
                                         today=TODAY)
    assert ws.care.followup(new_id).referral_result == "到位"
    assert not [x for x in ws.care.tasks(TODAY).lines if x.form == "referral-check"]
    plain, _ = ws.care.add_followup(visit(pid, D(2025, 6, 10)), today=TODAY)
    with pytest.raises(ValidationError, match="没有转诊"):
        ws.care.record_referral_result(plain, "到位", D(2025, 6, 12), today=TODAY)


def test_exams_supersede_and_results_given_back(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    eid, _ = ws.care.add_exam(HealthExam(None, pid, D(2025, 5, 20), height=165.0, weight=70.0,
                                         sbp_left=138, dbp_left=86, conclusion="一般疾病",
                                         abnormalities="血压偏高", guidance=["建议复查"]), today=TODAY)
    assert ws.care.known_height(pid) == 165.0
    lines = ws.care.tasks(TODAY).lines
    assert [(x.kind, x.ref_id) for x in lines if x.person_id == pid and x.form == "exam"] == [("体检结果反馈", eid)]
    fixed, _ = ws.care.correct_exam(eid, dataclasses.replace(ws.care.exam(eid), weight=68.0), today=TODAY)
    assert [e.id for e in ws.care.exams(pid)] == [fixed] and ws.care.exam(eid).weight == 70.0
    with pytest.raises(ValidationError) as err:
        ws.care.mark_exam_returned(fixed, D(2025, 5, 1), today=TODAY)
    assert err.value.field == "result_returned_on"
    ws.care.mark_exam_returned(fixed, D(2025, 6, 12), today=TODAY)
    assert ws.care.exams(pid)[0].result_returned_on == D(2025, 6, 12)
    assert ws.care.exam(eid).result_returned_on == D(2025, 6, 12)          # same exam, first version
    assert not [x for x in ws.care.tasks(TODAY).lines if x.person_id == pid and x.form == "exam"]
    fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1), weight=72.0), today=TODAY)
    assert ws.care.followup(fid).bmi == 26.4                                # height from the exam


def test_general_visits_are_kept_and_corrected(clinic: tuple[Workspace, str, str]) -> None:
    ws, _, qid = clinic
    vid, _ = ws.care.add_general_visit(GeneralVisit(None, qid, D(2025, 6, 1), content="入户宣教"), today=TODAY)
    new, _ = ws.care.correct_general_visit(vid, GeneralVisit(None, qid, D(2025, 6, 1), content="入户宣教：控烟"),
                                           today=TODAY)
    assert [(v.id, v.content, v.origin_id) for v in ws.care.general_visits(qid)] == [(new, "入户宣教：控烟", vid)]
    with pytest.raises(ValidationError) as err:
        ws.care.add_general_visit(GeneralVisit(None, qid, D(2025, 6, 1)), today=TODAY)
    assert err.value.field == "content"


def test_thresholds_are_settings(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, _ = clinic
    assert ws.care.followup_settings() == FollowUpSettings()
    ws.care.set_followup_settings(FollowUpSettings(sbp_uncontrolled=135))
    assert ws.settings.get("followup_sbp_uncontrolled") == "135"
    assert ws.care.suggest_for(pid, visit(pid, D(2025, 6, 1), 136, 80), TODAY).classification == "控制不满意"
    with pytest.raises(ValidationError):
        ws.care.set_followup_settings(FollowUpSettings(sbp_uncontrolled=200))
    assert ws.care.exam_settings().return_days == 14 and ws.care.task_settings().window_days == 7


def test_the_task_list_of_a_small_clinic(clinic: tuple[Workspace, str, str]) -> None:
    ws, pid, qid = clinic
    ws.care.add_followup(visit(pid, D(2025, 3, 1)), today=TODAY)          # next 05-30: overdue 17
    t = ws.care.tasks(TODAY)
    kinds = sorted((x.kind, x.status) for x in t.lines)
    # 张三: 高血压 overdue, 糖尿病 never visited (due from 2021-01-01), no exam this year (65+).
    assert kinds == [("年度体检", "upcoming"), ("糖尿病随访", "overdue"), ("高血压随访", "overdue")]
    assert t.by_group == {"一组": {"高血压随访": 1, "糖尿病随访": 1, "年度体检": 1}}
    patients = ws.care.patients(TODAY)
    assert [(x.kind, x.status, x.face_to_face, x.needed) for x in patients] == [
        ("糖尿病", "overdue", 0, 4), ("高血压", "overdue", 1, 3)]
    assert [x.kind for x in ws.care.patients(TODAY, kind="高血压", group="一组")] == ["高血压"]
    ws.people.mark(pid, "迁出", D(2025, 6, 1), "外出")
    assert ws.care.tasks(TODAY).total == 0 and ws.care.patients(TODAY) == []
    assert ws.care.find_person(make_id("19900101", "002")).id == qid


def test_a_schema_2_database_upgrades_to_3_with_its_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=2) == 2
    old = Workspace(sqlite_utils.Database(conn), path)  # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, 'instance-1', 0, 1, '2025-01-01')")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
    hid, _ = old.households.add(Household(id=None, village_code=VILLAGE, group_name="一组"))
    pid, _ = old.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id(), relation="户主"))
    old.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition="高血压", confirmed_on=D(2020, 1, 1)))
    rows = outbox(old)
    old.close()
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert [p.name for p in ws.households.members(hid)] == ["张三"]
        assert [d.condition for d in ws.people.diagnoses(pid)] == ["高血压"]
        assert outbox(ws) == rows
        fid, _ = ws.care.add_followup(visit(pid, D(2025, 6, 1), 152, 96), today=TODAY)
        assert ws.care.followup(fid).measure == "第1次控制不满意2周随访"
