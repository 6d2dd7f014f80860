"""Merging a possible duplicate person in the clinic's file: reading what app.core.person_merge
decides on, writing it in one transaction through the tracked path, and following a merge made
on another PC when its tombstone arrives.

`merge` writes the survivor's filled fields, re-points every row of the other person (each an
ordinary versioned edit, pushed through the outbox), tombstones the other with `merged_into`,
carries the moved rows to the survivor's village, records the audit entry and resolves the
possible-duplicate conflicts naming the other file (their resolutions go to the county at the
next sync: "kept" when the conflict's first record survives, "lost" when its second does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core import person_merge as rule
from app.core.chains import DUPLICATE_PERSON
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.identity import SEX_NAMES
from app.core.scope import may_write
from app.storage import partitions
from app.storage.changes import FORMER_CODES_KEY, Changes, now_iso
from app.storage.engine import sqlite3
from app.storage.people import reindex_person

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


@dataclass(frozen=True)
class PersonSide:
    """One of the two files as the doctor compares them."""

    id: str
    name: str
    sex: str                # as people read it: 男, 女
    birth_date: str
    id_no: str
    record_no: str
    phone: str
    household: str          # the household as people know it: its head and number or address
    village_code: str
    counts: dict[str, int]  # live records per table (visits and exams counted once per chain)


def _person_row(conn: sqlite3.Connection, person_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFoundError("找不到这位居民的档案")
    return dict(row)


def refs(conn: sqlite3.Connection, person_ids: tuple[str, ...]) -> list[rule.Ref]:
    """Every row naming one of the persons, tombstones too."""
    marks = ", ".join("?" for _ in person_ids)
    out = []
    for table, column in rule.PERSON_REFERENCES.items():
        extra = (", (SELECT c.team_id FROM contracts c WHERE c.id = t.contract_id) AS contract_team,"
                 " (SELECT c.status FROM contracts c WHERE c.id = t.contract_id) AS contract_status,"
                 " (SELECT c.start_date FROM contracts c WHERE c.id = t.contract_id) AS contract_start,"
                 " (SELECT c.end_date FROM contracts c WHERE c.id = t.contract_id) AS contract_end"
                 if table == "contract_members" else "")
        for r in conn.execute(f"SELECT t.*{extra} FROM {table} t WHERE {column} IN ({marks})", person_ids):
            values = {k: r[k] for k in r.keys()}  # noqa: SIM118 (a Row)
            out.append(rule.Ref(table, str(r["id"]), str(r[column]), bool(r["deleted"]), values))
    return out


def _check_scope(ws: Workspace, person: dict[str, Any]) -> None:
    settings = ws.settings
    code = settings.division_code
    former = [c for c in settings.get(FORMER_CODES_KEY, "").split(",") if c]
    if not may_write(code, str(person["partition"]), former):
        raise ValidationError(f"{person['name']} 的档案属于村代码 {person['partition']}，不在本机管理的范围"
                              f"（{code}）内，不能在本机合并；请由管理该村的电脑合并")


def plan(ws: Workspace, survivor_id: str, other_id: str) -> rule.MergePlan:
    """What merging `other_id` into `survivor_id` would write (nothing is written)."""
    survivor, other = _person_row(ws.conn, survivor_id), _person_row(ws.conn, other_id)
    return rule.plan(survivor, other, refs(ws.conn, (survivor_id, other_id)))


def merge(ws: Workspace, survivor_id: str, other_id: str) -> tuple[rule.MergePlan, Changes]:
    """Merge `other_id` into `survivor_id` in one transaction (see the module doc)."""
    changes = Changes()
    with ws.transaction():
        survivor, other = _person_row(ws.conn, survivor_id), _person_row(ws.conn, other_id)
        for p in (survivor, other):
            _check_scope(ws, p)
        decided = rule.plan(survivor, other, refs(ws.conn, (survivor_id, other_id)))
        for edit in decided.edits:
            if ws.tracker.update(edit.table, edit.id, edit.values):
                changes.add(edit.table, edit.id)
        for table in partitions.carry_person(ws.tracker, survivor_id, str(survivor["partition"])):
            changes.tables.add(table)
        reindex_person(ws.conn, survivor_id)
        ws.conn.execute("DELETE FROM search_index WHERE person_id = ?", (other_id,))
        resolved = _resolve(ws, other_id)
        ws.audit("merge_person", table="people", row_id=survivor_id, detail=json.dumps(
            {"merged": other_id, "record_no": other["record_no"], "moved": decided.moved,
             "dropped": decided.dropped, "filled": list(decided.filled), "conflicts": resolved},
            ensure_ascii=False))
    changes.warnings += list(decided.warnings)
    return decided, changes


def _resolve(ws: Workspace, other_id: str) -> list[int]:
    """Resolve the open possible-duplicate conflicts that name the merged file: the county's (sent
    at the next sync) and this file's own; the ids of the county's."""
    ids = [int(r[0]) for r in ws.conn.execute(
        "SELECT id FROM sync_conflicts WHERE kind = ? AND resolution IS NULL"
        " AND (row_id = ? OR other_row_id = ?)", (DUPLICATE_PERSON, other_id, other_id))]
    ws.conn.execute(
        "UPDATE sync_conflicts SET resolution = CASE WHEN row_id = ? THEN 'lost' ELSE 'kept' END,"
        " resolved_by = ?, sent = 0 WHERE kind = ? AND resolution IS NULL"
        " AND (row_id = ? OR other_row_id = ?)",
        (other_id, ws.user, DUPLICATE_PERSON, other_id, other_id))
    ws.conn.execute(
        "UPDATE conflicts SET resolution = ?, resolved_at = ?, resolved_by = ? WHERE kind = ?"
        " AND resolution IS NULL AND (a_id = ? OR b_id = ?)",
        (f"merged {other_id}", now_iso(), ws.user, DUPLICATE_PERSON, other_id, other_id))
    return ids


def follow(ws: Workspace, other_id: str, survivor_id: str) -> Changes:
    """Re-point the rows here that still name a file merged on another PC (inside the caller's
    transaction): rows typed here before the merge arrived. Left alone when the kept file is not
    here or lies outside this PC's villages (the PC that holds it follows instead)."""
    changes = Changes()
    survivor = ws.conn.execute("SELECT household_id, partition FROM people WHERE id = ?",
                               (survivor_id,)).fetchone()
    settings = ws.settings
    former = [c for c in settings.get(FORMER_CODES_KEY, "").split(",") if c]
    if survivor is None or not may_write(settings.division_code, str(survivor["partition"]), former):
        return changes
    edits, _moved, _dropped, _warnings = rule.repoint(
        survivor_id, other_id, refs(ws.conn, (survivor_id, other_id)),
        survivor_household=str(survivor["household_id"]))
    for edit in edits:
        if not may_write(settings.division_code, _partition(ws.conn, edit.table, edit.id), former):
            continue
        if ws.tracker.update(edit.table, edit.id, edit.values):
            changes.add(edit.table, edit.id)
    if changes:
        partitions.carry_person(ws.tracker, survivor_id, str(survivor["partition"]))
    return changes


def _partition(conn: sqlite3.Connection, table: str, row_id: str) -> str:
    return str(conn.execute(f"SELECT partition FROM {table} WHERE id = ?", (row_id,)).fetchone()[0])


def merged_into(conn: sqlite3.Connection, person_id: str) -> str | None:
    """The file a merged file was merged into, None for a file not merged."""
    row = conn.execute("SELECT merged_into FROM people WHERE id = ? AND merged_into IS NOT NULL",
                       (person_id,)).fetchone()
    return str(row[0]) if row else None


COUNTS = {
    "follow_ups": "SELECT count(DISTINCT origin_id) FROM follow_ups WHERE person_id = ? AND deleted = 0",
    "general_visits": "SELECT count(DISTINCT origin_id) FROM general_visits WHERE person_id = ?"
                      " AND deleted = 0",
    "health_exams": "SELECT count(DISTINCT origin_id) FROM health_exams WHERE person_id = ? AND deleted = 0",
    "claims": "SELECT count(*) FROM claims WHERE person_id = ? AND deleted = 0 AND reverses IS NULL",
    "contract_members": "SELECT count(*) FROM contract_members WHERE person_id = ? AND deleted = 0",
    "diagnoses": "SELECT count(*) FROM diagnoses WHERE person_id = ? AND deleted = 0",
}


def side(ws: Workspace, person_id: str) -> PersonSide:
    """One file as the doctor compares it with its possible duplicate (tombstones too)."""
    p = _person_row(ws.conn, person_id)
    h = ws.conn.execute(
        "SELECT h.household_no, h.address, h.village_code, coalesce(head.name, '') FROM households h"
        " LEFT JOIN people head ON head.id = h.head_id WHERE h.id = ?", (p["household_id"],)).fetchone()
    head = f"户主 {h[3]}" if h and h[3] else "无户主"
    household = "，".join(filter(None, (head, f"户编号 {h[0]}" if h and h[0] else "", h[1] if h else "")))
    return PersonSide(str(p["id"]), str(p["name"]), SEX_NAMES.get(str(p["sex"]), str(p["sex"])),
                      str(p["birth_date"] or ""),
                      str(p["id_no"]), str(p["record_no"]), str(p["phone"]), household,
                      str(h[2]) if h else "",
                      {t: int(ws.conn.execute(sql, (person_id,)).fetchone()[0]) for t, sql in COUNTS.items()})


def conflict_pair(ws: Workspace, conflict_id: int) -> tuple[str, str]:
    """The two files of an open possible-duplicate conflict from the county, in its order."""
    c = ws.sync.conflict(conflict_id)
    if c.kind != DUPLICATE_PERSON or not c.other_row_id:
        raise ValidationError(f"冲突 {conflict_id} 不是疑似重复居民，不能合并；"
                              "请用 cunyi conflicts resolve 处理")
    if c.resolution is not None:
        raise ConflictError(f"冲突 {conflict_id} 已经处理过了（{c.resolution}）")
    return c.row_id, c.other_row_id


def pick(ws: Workspace, conflict_id: int, keep: str) -> tuple[str, str]:
    """(kept, other) of a conflict's two files, the kept one named by its id or its 档案号."""
    pair = conflict_pair(ws, conflict_id)
    for i, pid in enumerate(pair):
        row = ws.conn.execute("SELECT record_no FROM people WHERE id = ?", (pid,)).fetchone()
        if keep.strip() in (pid, str(row[0]) if row else None):
            return pid, pair[1 - i]
    raise ValidationError(f"{keep} 不是冲突 {conflict_id} 中的两份档案之一：请写其中一份的档案号或编号")


def merge_conflict(ws: Workspace, conflict_id: int, survivor_id: str) -> tuple[rule.MergePlan, Changes]:
    """Settle a possible-duplicate conflict by merging its other file into `survivor_id`."""
    pair = conflict_pair(ws, conflict_id)
    if survivor_id not in pair:
        raise ValidationError(f"要留下的档案不是冲突 {conflict_id} 中的两份档案之一")
    return merge(ws, survivor_id, pair[1] if survivor_id == pair[0] else pair[0])
