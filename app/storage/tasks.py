"""Feeding the 工作台 (app.core.tasks) from the database with a handful of set-wise queries.

Only the rows the rules need are read: living residents of an exam or follow-up group, each
patient's latest current follow-up per kind (with this year's face-to-face count), this year's
exams and those whose result was never given back, and the contracts due for the reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.core import tasks as core
from app.core.exams import EXAM_CONDITIONS, ExamSettings, exam_settings
from app.core.followup_rules import followup_settings
from app.core.followups import KIND_CONDITION
from app.storage import contracts as contracts_repo
from app.storage.followups import current, referral_results_of

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

TASK_CONDITIONS = tuple(dict.fromkeys((*KIND_CONDITION.values(), *EXAM_CONDITIONS)))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _village_names(ws: Workspace) -> dict[str, str]:
    return {r[0]: r[1] for r in ws.conn.execute(
        "SELECT code, name FROM divisions WHERE level = 'village' AND deleted = 0")}


def people_rows(ws: Workspace, today: dt.date, es: ExamSettings) -> list[core.PersonRow]:
    """Living residents with a follow-up or exam condition, or old enough for the yearly exam."""
    marks = ", ".join("?" for _ in TASK_CONDITIONS)
    conditions: dict[str, dict[str, dt.date | None]] = {}
    for pid, condition, confirmed in ws.conn.execute(
            f"SELECT person_id, condition, confirmed_on FROM diagnoses WHERE deleted = 0"
            f" AND condition IN ({marks})", TASK_CONDITIONS):
        conditions.setdefault(pid, {})[condition] = _date(confirmed)
    born_by = f"{today.year - es.elderly_age:04d}-12-31"
    villages = _village_names(ws)
    rows = ws.conn.execute(
        "SELECT p.id, p.name, p.record_no, p.birth_date, h.village_code, h.group_name"
        " FROM people p JOIN households h ON h.id = p.household_id"
        " WHERE p.deleted = 0 AND p.living_status = '在册' AND (p.birth_date <= ? OR p.id IN"
        f" (SELECT person_id FROM diagnoses WHERE deleted = 0 AND condition IN ({marks})))",
        (born_by, *TASK_CONDITIONS))
    return [core.PersonRow(pid, name, record_no, villages.get(village, village), group,
                           _date(birth), conditions.get(pid, {}))
            for pid, name, record_no, birth, village, group in rows]


def last_followups(ws: Workspace, today: dt.date) -> list[core.LastFollowUp]:
    """Each patient's latest current follow-up per kind, with this year's face-to-face count."""
    year_start = f"{today.year:04d}-01-01"
    rows = ws.conn.execute(
        "SELECT id, person_id, kind, max(visit_date), next_date, refers, origin_id,"
        " sum(method != '电话' AND visit_date >= ? AND visit_date <= ?)"
        f" FROM follow_ups WHERE {current('follow_ups')} AND visit_date <= ? GROUP BY person_id, kind",
        (year_start, today.isoformat(), today.isoformat())).fetchall()
    referred = [r[6] for r in rows if r[5]]
    results = referral_results_of(ws, referred)
    return [core.LastFollowUp(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), _date(r[4]),
                              bool(r[5]), results.get(r[6], ("", ""))[0], int(r[7] or 0))
            for r in rows]


def exam_rows(ws: Workspace, today: dt.date) -> list[core.ExamRow]:
    """This year's current exams, and every current exam whose result was never given back."""
    rows = ws.conn.execute(
        "SELECT e.id, e.person_id, e.exam_date, (SELECT r.returned_on FROM exam_returns r"
        " WHERE r.exam_id = e.origin_id AND r.deleted = 0 ORDER BY r.id DESC LIMIT 1)"
        f" FROM health_exams e WHERE {current('health_exams', 'e')} AND e.exam_date <= ? AND"
        " (e.exam_date >= ? OR e.origin_id NOT IN (SELECT exam_id FROM exam_returns WHERE deleted = 0))",
        (today.isoformat(), f"{today.year:04d}-01-01"))
    return [core.ExamRow(r[0], r[1], dt.date.fromisoformat(r[2]), _date(r[3])) for r in rows]


def contract_rows(ws: Workspace, today: dt.date) -> Iterator[core.ContractRow]:
    """Contracts due for the expiry reminder (the contracts' own rule and setting)."""
    lines = contracts_repo.contracts(ws, today=today, expiring=contracts_repo.remind_days(ws))
    if not lines:
        return
    villages = _village_names(ws)
    ids = list({line.contract.household_id for line in lines})
    marks = ", ".join("?" for _ in ids)
    heads = {r[0]: r[1:] for r in ws.conn.execute(
        "SELECT h.id, h.head_id, p.name, p.record_no, h.village_code, h.group_name FROM households h"
        f" LEFT JOIN people p ON p.id = h.head_id WHERE h.id IN ({marks})", ids)}
    for line in lines:
        c = line.contract
        head_id, name, record_no, village, group = heads[c.household_id]
        yield core.ContractRow(str(c.id), c.contract_no, c.end, head_id or "", name or "",
                               record_no or "", villages.get(village, village), group)


def task_list(ws: Workspace, today: dt.date, group: str | None = None) -> core.TaskList:
    """The 工作台 of the whole clinic (or one village group) as of `today`."""
    values = ws.settings()
    es = exam_settings(values)
    return core.compute_tasks(
        today, people_rows(ws, today, es), last_followups(ws, today), exam_rows(ws, today),
        contract_rows(ws, today), fs=followup_settings(values), es=es,
        ts=core.task_settings(values), group=group)
