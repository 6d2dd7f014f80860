"""Feeding the 工作台 (app.core.tasks) from the database with a handful of set-wise queries.

Only the rows the rules need are read: living residents of an exam or follow-up group (with the
date of this year's exam), each patient's latest current follow-up per kind, the exams of this and last
year whose result was never given back, and the contracts due for the reminder. This year's
face-to-face counts are read afterwards, only for the follow-up lines that show them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
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
    """Living residents with a follow-up or exam condition, or old enough for the yearly exam,
    with the date of this year's exam if they had one."""
    marks = ", ".join("?" for _ in TASK_CONDITIONS)
    conditions: dict[str, dict[str, dt.date | None]] = {}
    for pid, condition, confirmed in ws.conn.execute(
            f"SELECT person_id, condition, confirmed_on FROM diagnoses WHERE deleted = 0"
            f" AND condition IN ({marks})", TASK_CONDITIONS):
        conditions.setdefault(pid, {})[condition] = _date(confirmed)
    villages = _village_names(ws)
    places = {hid: (villages.get(code, code), group) for hid, code, group in ws.conn.execute(
        "SELECT id, village_code, group_name FROM households WHERE deleted = 0")}
    examined = dict(ws.conn.execute(
        "SELECT e.person_id, max(e.exam_date) FROM health_exams e WHERE e.exam_date >= ?"
        f" AND e.exam_date <= ? AND {current('health_exams', 'e')} GROUP BY e.person_id",
        (f"{today.year:04d}-01-01", today.isoformat())).fetchall())
    rows = ws.conn.execute(
        "SELECT p.id, p.name, p.record_no, p.birth_date, p.household_id FROM people p"
        " WHERE p.deleted = 0 AND p.living_status = '在册' AND p.rowid IN"
        " (SELECT rowid FROM people WHERE birth_date <= ? UNION SELECT p2.rowid FROM diagnoses d"
        f" JOIN people p2 ON p2.id = d.person_id WHERE d.deleted = 0 AND d.condition IN ({marks}))",
        (f"{today.year - es.elderly_age:04d}-12-31", *TASK_CONDITIONS))
    none: dict[str, dt.date | None] = {}
    out = []
    for pid, name, record_no, birth, hid in rows:
        village, group = places.get(hid, ("", ""))
        out.append(core.PersonRow(pid, name, record_no, village, group, _date(birth),
                                  conditions.get(pid, none), _date(examined.get(pid))))
    return out


# Per patient and kind, the latest current visit up to today: the covering index walked
# backwards from today, then that visit's row by rowid. (Duplicate diagnoses collapse later.)
_LAST_FOLLOWUPS = f"""
SELECT f.id, f.person_id, f.kind, f.visit_date, f.next_date, f.refers, f.origin_id, f.classification
FROM (
    SELECT (SELECT f.rowid FROM follow_ups f WHERE f.person_id = d.person_id AND f.kind = d.kind
            AND f.visit_date <= :today AND {current("follow_ups", "f")}
            ORDER BY f.visit_date DESC LIMIT 1) AS last
    FROM (SELECT person_id, CASE condition WHEN '高血压' THEN '高血压' ELSE '糖尿病' END AS kind
          FROM diagnoses WHERE deleted = 0 AND condition IN ('高血压', '2型糖尿病')) d
) pk JOIN follow_ups f ON f.rowid = pk.last
"""


def last_followups(ws: Workspace, today: dt.date) -> list[core.LastFollowUp]:
    """Each patient's latest current follow-up per kind (face-to-face counts come later, for
    the lines that show them)."""
    rows = ws.conn.execute(_LAST_FOLLOWUPS, {"today": today.isoformat()}).fetchall()
    results = referral_results_of(ws, [r[6] for r in rows if r[5]], today)
    return [core.LastFollowUp(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), _date(r[4]),
                              bool(r[5]), results.get(r[6], ("", ""))[0], None, r[7]) for r in rows]


def face_to_face_counts(ws: Workspace, today: dt.date, pairs: set[tuple[str, str]],
                        ) -> dict[tuple[str, str], int]:
    """This year's current 门诊/家庭 follow-ups up to today for some (person, kind) pairs."""
    counts: dict[tuple[str, str], int] = {}
    people = sorted({pid for pid, _ in pairs})
    for start in range(0, len(people), 500):
        part = people[start:start + 500]
        for pid, kind, n in ws.conn.execute(
                f"SELECT f.person_id, f.kind, count(*) FROM follow_ups f WHERE f.person_id IN"
                f" ({', '.join('?' for _ in part)}) AND f.visit_date >= ? AND f.visit_date <= ?"
                f" AND f.method != '电话' AND {current('follow_ups', 'f')} GROUP BY 1, 2",
                (*part, f"{today.year:04d}-01-01", today.isoformat())):
            counts[(pid, kind)] = n
    return counts


def exam_rows(ws: Workspace, today: dt.date) -> list[core.ExamRow]:
    """Current exams of this and last calendar year whose result was not given back by today."""
    rows = ws.conn.execute(
        "SELECT e.id, e.person_id, e.exam_date FROM health_exams e"
        f" WHERE e.exam_date >= ? AND e.exam_date <= ? AND {current('health_exams', 'e')}"
        " AND NOT EXISTS (SELECT 1 FROM exam_returns r WHERE r.exam_id = e.origin_id"
        f" AND r.returned_on <= ? AND {current('exam_returns', 'r')})",
        (f"{today.year - core.RETURN_YEARS + 1:04d}-01-01", today.isoformat(), today.isoformat()))
    return [core.ExamRow(r[0], r[1], dt.date.fromisoformat(r[2]), None) for r in rows]


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


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold the cycle collector while the rows are built: tens of thousands of short-lived,
    acyclic tuples would otherwise set off collections of the whole heap (a fifth of the time
    on a township), which find nothing to free. Reference counting frees the rows as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def task_list(ws: Workspace, today: dt.date, group: str | None = None) -> core.TaskList:
    """The 工作台 of the whole clinic (or one village group) as of `today`."""
    values = ws.settings.all()
    es = exam_settings(values)
    with _no_cycle_collection():
        tasks = core.compute_tasks(
            today, people_rows(ws, today, es), last_followups(ws, today), exam_rows(ws, today),
            contract_rows(ws, today), fs=followup_settings(values), es=es,
            ts=core.task_settings(values), group=group)
        return _with_face_to_face(ws, tasks)


def _with_face_to_face(ws: Workspace, tasks: core.TaskList) -> core.TaskList:
    """Fill this year's face-to-face count into the follow-up lines that lack it."""
    kinds = {f"followup:{kind}": kind for kind in KIND_CONDITION}
    pairs = {(x.person_id, kinds[x.form]) for x in tasks.lines
             if x.face_to_face is None and x.form in kinds}
    if not pairs:
        return tasks
    counts = face_to_face_counts(ws, tasks.today, pairs)
    for x in tasks.lines:
        if x.face_to_face is None and x.form in kinds:
            x.face_to_face = counts.get((x.person_id, kinds[x.form]), 0)
    return tasks


def patient_register(ws: Workspace, today: dt.date, kind: str | None = None,
                     group: str | None = None) -> list[core.PatientLine]:
    """Every living 高血压/糖尿病 patient with their follow-up state as of `today`."""
    values = ws.settings.all()
    with _no_cycle_collection():
        people = [p for p in people_rows(ws, today, exam_settings(values))
                  if any(c in p.conditions for c in KIND_CONDITION.values())]
        last = last_followups(ws, today)
        counts = face_to_face_counts(ws, today, {(f.person_id, f.kind) for f in last})
        last = [f._replace(face_to_face=counts.get((f.person_id, f.kind), 0)) for f in last]
        return core.patient_register(today, people, last, fs=followup_settings(values),
                                     ts=core.task_settings(values), kind=kind, group=group)
