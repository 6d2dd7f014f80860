"""Follow-ups, health exams and the 工作台 task list on a Workspace.

Reached as `workspace.care`. Every write goes through the Workspace's Tracker inside one
transaction and is audited. Follow-ups, exams and general visits are append-only: `correct_*`
writes a new version that supersedes the old one, and reads return current versions only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.core import exams as exam_rules
from app.core import followup_rules
from app.core import tasks as task_rules
from app.core.errors import NotFoundError
from app.core.exams import ExamSettings, HealthExam
from app.core.followup_rules import FollowUpSettings, Suggestion
from app.core.followups import FollowUp, GeneralVisit
from app.core.ids import RecordId
from app.core.people import Person
from app.core.tasks import PatientLine, TaskList, TaskSettings
from app.core.text import compact
from app.storage import exams as exams_repo
from app.storage import followups as followups_repo
from app.storage import people as people_repo
from app.storage import tasks as tasks_repo
from app.storage.changes import Changes
from app.storage.rows import person_from_row

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class CareRepo:
    """Follow-ups (高血压/糖尿病 and general visits), yearly exams, and the 工作台."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- people ------------------------------------------------------------------------------

    def find_person(self, ref: str) -> Person:
        """A resident by health-record number, resident ID number or record id."""
        text = compact(ref).upper()
        row = self.ws.conn.execute(
            "SELECT * FROM people WHERE deleted = 0 AND (record_no = ? OR id = ? OR"
            " (id_no = ? AND id_no != ''))", (text, ref.strip(), text)).fetchone()
        if row is None and (pid := people_repo.former_holder(self.ws.conn, text)):
            return self.ws.people.get(pid)       # a number a renumbering took away (QR codes)
        if row is None:
            raise NotFoundError(f"找不到健康档案编号或身份证号为 {ref} 的居民")
        return person_from_row(row)

    # --- follow-ups --------------------------------------------------------------------------

    def add_followup(self, f: FollowUp, *, today: dt.date) -> tuple[RecordId, Changes]:
        """Save a follow-up: the suggestion is computed and kept next to the confirmed values."""
        return followups_repo.add_followup(self.ws, f, today=today)

    def correct_followup(self, old_id: str, new: FollowUp, *,
                         today: dt.date) -> tuple[RecordId, Changes]:
        """Save a corrected version; the old row stays and is no longer current."""
        return followups_repo.correct_followup(self.ws, old_id, new, today=today)

    def followup(self, followup_id: str) -> FollowUp:
        return followups_repo.followup(self.ws, followup_id)

    def followups(self, person_id: str, kind: str | None = None,
                  year: int | None = None) -> list[FollowUp]:
        """Current follow-ups of a person, oldest first."""
        return followups_repo.followups(self.ws, person_id, kind, year)

    def last_followup(self, person_id: str, kind: str) -> FollowUp | None:
        return followups_repo.last_followup(self.ws, person_id, kind)

    def face_to_face_count(self, person_id: str, kind: str, year: int) -> int:
        return followups_repo.face_to_face_count(self.ws, person_id, kind, year)

    def known_height(self, person_id: str) -> float | None:
        """The height used for BMI: latest exam, else latest follow-up."""
        return followups_repo.known_height(self.ws, person_id)

    def suggest_for(self, person_id: str, draft: FollowUp, today: dt.date) -> Suggestion:
        """Preview the suggestion for a follow-up being typed; writes nothing. A draft that
        corrects a saved visit names it in `supersedes`, so that visit is left out of history."""
        return followups_repo.suggest_for(self.ws, person_id, draft, today)

    def record_referral_result(self, followup_id: str, result: str, on: dt.date, *,
                               today: dt.date, note: str = "") -> tuple[RecordId, Changes]:
        """转诊结果 (到位/不到位) of a visit that referred; the latest record counts."""
        return followups_repo.record_referral_result(self.ws, followup_id, result, on,
                                                     today=today, note=note)

    # --- general visits ------------------------------------------------------------------------

    def add_general_visit(self, v: GeneralVisit, *, today: dt.date) -> tuple[RecordId, Changes]:
        return followups_repo.add_general_visit(self.ws, v, today=today)

    def correct_general_visit(self, old_id: str, new: GeneralVisit, *,
                              today: dt.date) -> tuple[RecordId, Changes]:
        return followups_repo.correct_general_visit(self.ws, old_id, new, today=today)

    def general_visits(self, person_id: str) -> list[GeneralVisit]:
        return followups_repo.general_visits(self.ws, person_id)

    # --- exams -----------------------------------------------------------------------------------

    def add_exam(self, e: HealthExam, *, today: dt.date) -> tuple[RecordId, Changes]:
        return exams_repo.add_exam(self.ws, e, today=today)

    def correct_exam(self, old_id: str, new: HealthExam, *,
                     today: dt.date) -> tuple[RecordId, Changes]:
        return exams_repo.correct_exam(self.ws, old_id, new, today=today)

    def exam(self, exam_id: str) -> HealthExam:
        return exams_repo.exam(self.ws, exam_id)

    def exams(self, person_id: str, year: int | None = None) -> list[HealthExam]:
        """Current exams of a person, oldest first."""
        return exams_repo.exams(self.ws, person_id, year)

    def mark_exam_returned(self, exam_id: str, on: dt.date, *, today: dt.date) -> Changes:
        """Record the day the result was given back to the person."""
        return exams_repo.mark_exam_returned(self.ws, exam_id, on, today=today)

    def exam_reasons(self, person_id: str, year: int) -> list[str]:
        """Why the person needs a yearly exam in `year` ([] when they do not)."""
        p = self.ws.people.get(person_id)
        conditions = [d.condition for d in self.ws.people.diagnoses(person_id)]
        return exam_rules.exam_reasons(p.birth_date, conditions, year, self.exam_settings())

    # --- the 工作台 --------------------------------------------------------------------------------

    def tasks(self, today: dt.date, group: str | None = None) -> TaskList:
        """Due and overdue follow-ups, referral checks, exams, results to give back, contracts."""
        return tasks_repo.task_list(self.ws, today, group)

    def patients(self, today: dt.date, kind: str | None = None,
                 group: str | None = None) -> list[PatientLine]:
        """Every living 高血压/糖尿病 patient (of one kind, one village group) with the last visit,
        the next due date and status, this year's face-to-face count and a pending referral."""
        return tasks_repo.patient_register(self.ws, today, kind, group)

    # --- settings --------------------------------------------------------------------------------

    def followup_settings(self) -> FollowUpSettings:
        return followup_rules.followup_settings(self.ws.settings.all())

    def set_followup_settings(self, s: FollowUpSettings) -> Changes:
        return self.ws.settings.update(**followup_rules.settings_values(s))

    def exam_settings(self) -> ExamSettings:
        return exam_rules.exam_settings(self.ws.settings.all())

    def set_exam_settings(self, s: ExamSettings) -> Changes:
        values = exam_rules.exam_settings_values(s)
        exam_rules.exam_settings(values)
        return self.ws.settings.update(**values)

    def task_settings(self) -> TaskSettings:
        return task_rules.task_settings(self.ws.settings.all())

    def set_task_settings(self, s: TaskSettings) -> Changes:
        values = task_rules.task_settings_values(s)
        task_rules.task_settings(values)
        return self.ws.settings.update(**values)
