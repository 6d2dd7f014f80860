"""Follow-ups, 转诊结果 and general visits on a Workspace (reached through `ws.care`).

Rows are append-only: a correction is a new row that supersedes the old one, and reads return
only rows nobody supersedes. Each save computes the rules' suggestion and stores it next to what
the doctor confirmed. Every write goes through the Tracker in one transaction and is audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.core import followup_rules as rules
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.followups import (
    KIND_CONDITION,
    KINDS,
    Drug,
    FollowUp,
    GeneralVisit,
    Referral,
    check_referral_result,
    validate_followup,
    validate_general_visit,
)
from app.core.identity import age_on
from app.core.ids import RecordId, uuid7
from app.core.people import Person
from app.storage import chains
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.rows import rid

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


def current(table: str, alias: str = "") -> str:
    """SQL condition: the current row of its chain (see app.storage.chains)."""
    return chains.current(table, alias)


# --- rows ----------------------------------------------------------------------------------

COLUMNS = ("person_id", "kind", "visit_date", "method", "doctor", "sbp", "dbp", "weight", "height",
           "heart_rate", "glucose", "complication", "adverse_reaction", "classification", "measure",
           "next_date", "suggested_class", "suggested_measure", "suggested_next",
           "suggested_referral", "suggested_urgent", "supersedes", "origin_id")
READ_ONLY = ("id", "referral_result", "referral_result_on")
BOOLS = ("complication", "adverse_reaction", "suggested_referral", "suggested_urgent")
DATES = ("visit_date", "next_date", "suggested_next", "hba1c_date")


def empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value is False


DETAIL_FIELDS = tuple(f.name for f in dataclasses.fields(FollowUp)
                      if f.name not in COLUMNS and f.name not in READ_ONLY)


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Referral):
        return dict(vars(value))
    if isinstance(value, list) and value and isinstance(value[0], Drug):
        return [dict(vars(d)) for d in value]
    return value


def _details(f: FollowUp) -> str:
    """The form fields without a column, as compact JSON; empty ones are left out."""
    data = {name: _plain(value) for name in DETAIL_FIELDS
            if not empty(value := getattr(f, name))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def followup_values(f: FollowUp) -> dict[str, Any]:
    """The column values of a follow-up (the Tracker turns dates to text, booleans to 0/1)."""
    values = {name: getattr(f, name) for name in COLUMNS}
    values["refers"] = f.refers
    values["details"] = _details(f)
    return values


def followup_from_row(row: sqlite3.Row | dict[str, Any], result: tuple[str, str] | None = None) -> FollowUp:
    data: dict[str, Any] = {name: row[name] for name in COLUMNS}
    data.update(json.loads(row["details"]))
    for name in DATES:
        if data.get(name):
            data[name] = dt.date.fromisoformat(data[name])
    for name in BOOLS:
        data[name] = bool(data[name])
    data["medications"] = [Drug(**d) for d in data.get("medications", [])]
    data["adjustments"] = [Drug(**d) for d in data.get("adjustments", [])]
    if data.get("referral"):
        data["referral"] = Referral(**data["referral"])
    known = {f.name for f in dataclasses.fields(FollowUp)}
    f = FollowUp(id=rid(row["id"]), **{k: v for k, v in data.items() if k in known})
    if result:
        f.referral_result, f.referral_result_on = result[0], dt.date.fromisoformat(result[1])
    return f


def referral_results_of(ws: Workspace, origin_ids: list[str], until: dt.date | None = None,
                        ) -> dict[str, tuple[str, str]]:
    """The current 转诊结果 (result, date) per follow-up origin: the end of the chain of results
    (each new one supersedes the current one), or its last step recorded by `until` if given."""
    found = chains.current_by_key(ws.conn, "referral_results", origin_ids, "result, checked_on",
                                  ("checked_on", until.isoformat()) if until else None)
    return {k: (r["result"], r["checked_on"]) for k, r in found.items()}


def _load(ws: Workspace, where: str, params: Sequence[object]) -> list[FollowUp]:
    rows = ws.conn.execute(
        f"SELECT * FROM follow_ups WHERE {where} ORDER BY visit_date, id", params).fetchall()
    results = referral_results_of(ws, list({r["origin_id"] for r in rows}))
    return [followup_from_row(r, results.get(r["origin_id"])) for r in rows]


# --- reading -------------------------------------------------------------------------------


def followup(ws: Workspace, followup_id: str) -> FollowUp:
    """A follow-up by id (any version, current or superseded)."""
    found = _load(ws, "id = ? AND deleted = 0", [followup_id])
    if not found:
        raise NotFoundError("找不到这条随访记录")
    return found[0]


def is_current(ws: Workspace, table: str, row_id: str) -> bool:
    return chains.is_current(ws.conn, table, row_id)


def followups(ws: Workspace, person_id: str, kind: str | None = None,
              year: int | None = None) -> list[FollowUp]:
    """A person's current follow-ups, oldest first, of one kind and calendar year if given."""
    where, params = f"person_id = ? AND {current('follow_ups')}", [person_id]
    if kind is not None:
        where += " AND kind = ?"
        params.append(kind)
    if year is not None:
        where += " AND visit_date >= ? AND visit_date <= ?"
        params += [f"{year:04d}-01-01", f"{year:04d}-12-31"]
    return _load(ws, where, params)


def last_followup(ws: Workspace, person_id: str, kind: str) -> FollowUp | None:
    found = followups(ws, person_id, kind)
    return found[-1] if found else None


def face_to_face_count(ws: Workspace, person_id: str, kind: str, year: int) -> int:
    """Current 门诊 and 家庭 follow-ups of the kind in the calendar year (phone ones do not count)."""
    return int(ws.conn.execute(
        f"SELECT count(*) FROM follow_ups WHERE person_id = ? AND kind = ? AND method != '电话'"
        f" AND visit_date >= ? AND visit_date <= ? AND {current('follow_ups')}",
        (person_id, kind, f"{year:04d}-01-01", f"{year:04d}-12-31")).fetchone()[0])


def known_height(ws: Workspace, person_id: str) -> float | None:
    """The height on the person's latest exam, else on their latest follow-up."""
    for table, date in (("health_exams", "exam_date"), ("follow_ups", "visit_date")):
        row = ws.conn.execute(
            f"SELECT height FROM {table} WHERE person_id = ? AND height IS NOT NULL AND"
            f" {current(table)} ORDER BY {date} DESC, id DESC LIMIT 1", (person_id,)).fetchone()
        if row:
            return float(row[0])
    return None


# --- the rules with the database's history ----------------------------------------------------


def _history(ws: Workspace, f: FollowUp, exclude: str | None) -> list[FollowUp]:
    return [p for p in followups(ws, f.person_id, f.kind)
            if p.id != exclude and p.id != f.id]


def _age(p: Person, day: dt.date) -> int | None:
    return age_on(p.birth_date, day) if p.birth_date else None


def suggest_for(ws: Workspace, person_id: str, draft: FollowUp, today: dt.date) -> rules.Suggestion:
    """The suggestion for a draft follow-up, against the saved history; nothing is written."""
    if draft.kind not in KINDS:
        raise ValidationError(f"随访类别应为 {' 或 '.join(KINDS)}", field="kind")
    if draft.visit_date > today:
        raise ValidationError("随访日期不能在今天之后", field="visit_date")
    p = ws.people.get(person_id)
    f = dataclasses.replace(draft, person_id=person_id)
    if f.height is None:
        f.height = known_height(ws, person_id)
    return rules.suggest(f, _history(ws, f, draft.supersedes), settings(ws),
                         age=_age(p, f.visit_date))


def settings(ws: Workspace) -> rules.FollowUpSettings:
    return rules.followup_settings(ws.settings.all())


def _check_patient(ws: Workspace, p: Person, f: FollowUp) -> None:
    condition = KIND_CONDITION[f.kind]
    if not ws.conn.execute("SELECT 1 FROM diagnoses WHERE person_id = ? AND condition = ? AND"
                           " deleted = 0", (p.id, condition)).fetchone():
        raise ValidationError(f"{p.name}的档案中没有“{condition}”诊断，请先登记诊断", field="kind")
    if p.living_status in ("死亡", "迁出") and p.status_date and f.visit_date > p.status_date:
        raise ValidationError(f"{p.name}已于 {p.status_date} {p.living_status}，不能登记之后的随访",
                              field="visit_date")


def _prepare(ws: Workspace, f: FollowUp, today: dt.date, exclude: str | None) -> tuple[FollowUp, str]:
    """Validate, fill the height, compute and apply the suggestion; return it and the partition."""
    f = dataclasses.replace(f)
    if f.kind not in KINDS:
        raise ValidationError(f"随访类别应为 {' 或 '.join(KINDS)}", field="kind")
    p = ws.people.get(f.person_id)
    _check_patient(ws, p, f)
    validate_followup(f, today=today, birth_date=p.birth_date)
    if f.height is None:
        f.height = known_height(ws, f.person_id)
    suggestion = rules.suggest(f, _history(ws, f, exclude), settings(ws), age=_age(p, f.visit_date))
    rules.apply_suggestion(f, suggestion)
    f.doctor = f.doctor or ws.users.signer
    return f, ws.households.get(str(p.household_id)).village_code


def _audit_detail(f: FollowUp) -> str:
    text = f"{f.kind} {f.visit_date} {f.classification} {f.measure} 下次 {f.next_date}"
    if f.overridden:
        text += (f"（医生修改了建议：建议 {f.suggested_class} {f.suggested_measure}"
                 f" 下次 {f.suggested_next}）")
    return text


def add_followup(ws: Workspace, f: FollowUp, *, today: dt.date) -> tuple[RecordId, Changes]:
    """Save a new follow-up with the rules' suggestion and the doctor's confirmed values."""
    f, village = _prepare(ws, dataclasses.replace(f, supersedes=None), today, None)
    new_id = uuid7()
    f.origin_id = new_id
    changes = Changes()
    with ws.transaction():
        values = followup_values(f)
        values["id"] = new_id
        fid = rid(ws.tracker.insert("follow_ups", values, partition=village))
        changes.add("follow_ups", fid)
        ws.audit("create", table="follow_ups", row_id=fid, detail=_audit_detail(f))
    return fid, changes


def correct_followup(ws: Workspace, old_id: str, new: FollowUp, *,
                     today: dt.date) -> tuple[RecordId, Changes]:
    """Save a corrected version of a follow-up; the old row stays and is no longer current."""
    old = followup(ws, old_id)
    if not is_current(ws, "follow_ups", old_id):
        raise ConflictError("这条随访记录已被更正过，请更正最新的版本")
    if new.person_id != old.person_id or new.kind != old.kind:
        raise ValidationError("更正随访不能改变居民或随访类别", field="kind")
    f, village = _prepare(ws, dataclasses.replace(new, id=None, supersedes=old_id), today, old_id)
    f.origin_id = old.origin_id
    changes = Changes()
    with ws.transaction():
        fid = rid(ws.tracker.insert("follow_ups", followup_values(f), partition=village))
        changes.add("follow_ups", fid)
        ws.audit("correct", table="follow_ups", row_id=fid, detail=f"更正 {old_id}：{_audit_detail(f)}")
    return fid, changes


def record_referral_result(ws: Workspace, followup_id: str, result: str, on: dt.date, *,
                           today: dt.date, note: str = "") -> tuple[RecordId, Changes]:
    """Record whether a referral took place (到位/不到位); it supersedes the current record."""
    f = followup(ws, followup_id)
    check_referral_result(result, on, f, today=today)
    village = ws.households.get(str(ws.people.get(f.person_id).household_id)).village_code
    changes = Changes()
    with ws.transaction():
        row_id = rid(ws.tracker.insert("referral_results", {
            "followup_id": f.origin_id, "result": result, "checked_on": on, "doctor": ws.user,
            "note": note.strip(),
            "supersedes": chains.current_id(ws.conn, "referral_results", str(f.origin_id))},
            partition=village))
        changes.add("referral_results", row_id)
        ws.audit("referral_result", table="referral_results", row_id=row_id,
                 detail=f"{f.origin_id} {result} {on}")
    return row_id, changes


# --- general visits ----------------------------------------------------------------------------


def _visit_from_row(row: sqlite3.Row) -> GeneralVisit:
    return GeneralVisit(
        id=rid(row["id"]), person_id=row["person_id"],
        visit_date=dt.date.fromisoformat(row["visit_date"]), method=row["method"],
        content=row["content"], doctor=row["doctor"],
        next_date=dt.date.fromisoformat(row["next_date"]) if row["next_date"] else None,
        note=row["note"], supersedes=row["supersedes"], origin_id=row["origin_id"])


def _write_visit(ws: Workspace, v: GeneralVisit, *, today: dt.date, old: GeneralVisit | None,
                 ) -> tuple[RecordId, Changes]:
    v = validate_general_visit(dataclasses.replace(v), today=today)
    p = ws.people.get(v.person_id)
    village = ws.households.get(str(p.household_id)).village_code
    new_id = uuid7()
    changes = Changes()
    with ws.transaction():
        values = {name: getattr(v, name) for name in
                  ("person_id", "visit_date", "method", "content", "next_date", "note")}
        values.update(id=new_id, doctor=v.doctor or ws.users.signer,
                      supersedes=old.id if old else None,
                      origin_id=old.origin_id if old else new_id)
        vid = rid(ws.tracker.insert("general_visits", values, partition=village))
        changes.add("general_visits", vid)
        ws.audit("correct" if old else "create", table="general_visits", row_id=vid,
                 detail=f"{v.visit_date} {v.method}")
    return vid, changes


def add_general_visit(ws: Workspace, v: GeneralVisit, *, today: dt.date) -> tuple[RecordId, Changes]:
    """Save a general visit (入户随访) of any household member."""
    return _write_visit(ws, v, today=today, old=None)


def correct_general_visit(ws: Workspace, old_id: str, new: GeneralVisit, *,
                          today: dt.date) -> tuple[RecordId, Changes]:
    row = ws.conn.execute("SELECT * FROM general_visits WHERE id = ? AND deleted = 0",
                          (old_id,)).fetchone()
    if row is None:
        raise NotFoundError("找不到这条入户随访记录")
    if not is_current(ws, "general_visits", old_id):
        raise ConflictError("这条入户随访记录已被更正过，请更正最新的版本")
    old = _visit_from_row(row)
    if new.person_id != old.person_id:
        raise ValidationError("更正随访不能改变居民", field="person_id")
    return _write_visit(ws, new, today=today, old=old)


def general_visits(ws: Workspace, person_id: str) -> list[GeneralVisit]:
    return [_visit_from_row(r) for r in ws.conn.execute(
        f"SELECT * FROM general_visits WHERE person_id = ? AND {current('general_visits')}"
        " ORDER BY visit_date, id", (person_id,))]
