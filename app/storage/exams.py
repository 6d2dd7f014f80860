"""Health exams and their result feedback on a Workspace (reached through `ws.care`).

Exams are append-only like follow-ups. Giving the result back is its own fact (`exam_returns`,
attached to the exam's first version); each entry supersedes the current one, and the chain's
current entry (app.storage.chains) is the one shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.core import exams as core
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.exams import HealthExam
from app.core.ids import RecordId, uuid7
from app.storage import chains
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.followups import current, empty, is_current
from app.storage.rows import rid

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

COLUMNS = ("person_id", "exam_date", "doctor", "height", "weight", "glucose", "conclusion",
           "supersedes", "origin_id")
READ_ONLY = ("id", "result_returned_on")
DETAIL_FIELDS = tuple(f.name for f in dataclasses.fields(HealthExam)
                      if f.name not in COLUMNS and f.name not in READ_ONLY)


def exam_values(e: HealthExam) -> dict[str, Any]:
    """Column values: the queried fields as columns (blood pressure of the left arm, else the
    right), the rest in `details`."""
    values: dict[str, Any] = {name: getattr(e, name) for name in COLUMNS}
    values["sbp"] = e.sbp_left if e.sbp_left is not None else e.sbp_right
    values["dbp"] = e.dbp_left if e.dbp_left is not None else e.dbp_right
    details = {name: value for name in DETAIL_FIELDS if not empty(value := getattr(e, name))}
    values["details"] = json.dumps(details, ensure_ascii=False, separators=(",", ":"))
    return values


def exam_from_row(row: sqlite3.Row, returned_on: str | None = None) -> HealthExam:
    data: dict[str, Any] = {name: row[name] for name in COLUMNS}
    data.update(json.loads(row["details"]))
    data["exam_date"] = dt.date.fromisoformat(data["exam_date"])
    known = {f.name for f in dataclasses.fields(HealthExam)}
    e = HealthExam(id=rid(row["id"]), **{k: v for k, v in data.items() if k in known})
    e.result_returned_on = dt.date.fromisoformat(returned_on) if returned_on else None
    return e


def _returns(ws: Workspace, origin_ids: list[str]) -> dict[str, str]:
    found = chains.current_by_key(ws.conn, "exam_returns", origin_ids, "returned_on")
    return {k: r["returned_on"] for k, r in found.items()}


def _load(ws: Workspace, where: str, params: Sequence[object]) -> list[HealthExam]:
    rows = ws.conn.execute(
        f"SELECT * FROM health_exams WHERE {where} ORDER BY exam_date, id", params).fetchall()
    returned = _returns(ws, list({r["origin_id"] for r in rows}))
    return [exam_from_row(r, returned.get(r["origin_id"])) for r in rows]


def exam(ws: Workspace, exam_id: str) -> HealthExam:
    """An exam by id (any version)."""
    found = _load(ws, "id = ? AND deleted = 0", [exam_id])
    if not found:
        raise NotFoundError("找不到这份体检记录")
    return found[0]


def exams(ws: Workspace, person_id: str, year: int | None = None) -> list[HealthExam]:
    """A person's current exams, oldest first (of one calendar year if given)."""
    where, params = f"person_id = ? AND {current('health_exams')}", [person_id]
    if year is not None:
        where += " AND exam_date >= ? AND exam_date <= ?"
        params += [f"{year:04d}-01-01", f"{year:04d}-12-31"]
    return _load(ws, where, params)


def settings(ws: Workspace) -> core.ExamSettings:
    return core.exam_settings(ws.settings.all())


def _village(ws: Workspace, person_id: str) -> str:
    return ws.households.get(str(ws.people.get(person_id).household_id)).village_code


def _write(ws: Workspace, e: HealthExam, *, today: dt.date, old: HealthExam | None,
           ) -> tuple[RecordId, Changes]:
    p = ws.people.get(e.person_id)
    e = core.validate_exam(dataclasses.replace(e), today=today, birth_date=p.birth_date)
    e.doctor = e.doctor or ws.users.signer
    new_id = uuid7()
    e.supersedes = str(old.id) if old else None
    e.origin_id = old.origin_id if old else new_id
    village = _village(ws, e.person_id)
    changes = Changes()
    with ws.transaction():
        values = exam_values(e)
        values["id"] = new_id
        eid = rid(ws.tracker.insert("health_exams", values, partition=village))
        changes.add("health_exams", eid)
        ws.audit("correct" if old else "create", table="health_exams", row_id=eid,
                 detail=f"{e.exam_date} {e.conclusion}" + (f"（更正 {old.id}）" if old else ""))
        was = old.result_returned_on if old else None
        if e.result_returned_on is not None and e.result_returned_on != was:
            changes.merge(_returned(ws, e, e.result_returned_on, village))
    return eid, changes


def add_exam(ws: Workspace, e: HealthExam, *, today: dt.date) -> tuple[RecordId, Changes]:
    """Save a yearly exam (with the day the result was given back, if it already was)."""
    return _write(ws, dataclasses.replace(e, supersedes=None), today=today, old=None)


def correct_exam(ws: Workspace, old_id: str, new: HealthExam, *,
                 today: dt.date) -> tuple[RecordId, Changes]:
    """Save a corrected version of an exam; the old row stays and is no longer current."""
    old = exam(ws, old_id)
    if not is_current(ws, "health_exams", old_id):
        raise ConflictError("这份体检记录已被更正过，请更正最新的版本")
    if new.person_id != old.person_id:
        raise ValidationError("更正体检不能改变居民", field="person_id")
    return _write(ws, new, today=today, old=old)


def _returned(ws: Workspace, e: HealthExam, on: dt.date, village: str) -> Changes:
    row_id = ws.tracker.insert("exam_returns", {
        "exam_id": e.origin_id, "returned_on": on, "doctor": ws.user,
        "supersedes": chains.current_id(ws.conn, "exam_returns", str(e.origin_id))}, partition=village)
    ws.audit("exam_returned", table="exam_returns", row_id=row_id, detail=f"{e.origin_id} {on}")
    changes = Changes()
    changes.add("exam_returns", row_id)
    return changes


def mark_exam_returned(ws: Workspace, exam_id: str, on: dt.date, *, today: dt.date) -> Changes:
    """Record the day the exam's result was given back to the person."""
    e = exam(ws, exam_id)
    core.check_returned(e, on, today=today)
    village = _village(ws, e.person_id)
    with ws.transaction():
        return _returned(ws, e, on, village)
