"""People on a Workspace: the repo reached as `workspace.people`, and the queries under it
(search by token prefix or digit run, a household's members, record numbers)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import Household
from app.core.identity import health_record_no, next_serial
from app.core.ids import RecordId
from app.core.people import Diagnosis, Person, check_diagnosis, check_person
from app.core.person_merge import MergePlan
from app.core.search import Rank, digit_run, normalize_query, search_tokens
from app.storage import numbers, partitions
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.rows import diagnosis_from_row, person_from_row, rid, to_values

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

_TOP = "\U0010ffff"
# Person fields only the storage writes (the number's issuer, provisional flag, former numbers).
NUMBER_BOOKKEEPING = ("record_issuer", "record_provisional", "former_record_nos")


@dataclass(frozen=True)
class PersonHit:
    """A search result: enough to show a line and open the file."""

    id: str
    household_id: str
    name: str
    sex: str
    birth_date: str
    id_no: str
    record_no: str
    phone: str
    relation: str
    living_status: str
    group_name: str
    village_code: str


def match_sql(query: str) -> tuple[str, list[object]]:
    """SQL selecting the ids of people matching the query: a token's start (a B-tree range scan),
    or, for a run of 4+ digits, anywhere inside an ID or phone number (the same scan on tails)."""
    q = normalize_query(query)
    sql = "SELECT person_id FROM search_index WHERE token >= ? AND token < ?"
    params: list[object] = [q, q + _TOP]
    run = digit_run(query)
    if run:
        sql += " UNION SELECT person_id FROM search_digits WHERE run >= ? AND run < ?"
        params += [run, run + _TOP]
    return sql, params


def search(conn: sqlite3.Connection, query: str, *, limit: int = 50) -> list[PersonHit]:
    """People matching a typed query: name, pinyin, initials, ID, record number or phone, and
    any run of 4+ digits of an ID or phone; best matches first (see app.core.search.Rank)."""
    q = normalize_query(query)
    if not q:
        return []
    run = digit_run(query)
    # Each index gives at most `limit` people, read in key order: a whole token (or a number's
    # last digits) equals the query, the smallest key of the range, so it is read first. A
    # two-letter query matching hundreds of people thus reads only the rows it shows.
    candidates = ("SELECT person_id FROM (SELECT DISTINCT person_id FROM search_index"
                  " WHERE token >= :q AND token < :q_end LIMIT :limit)")
    exact = "EXISTS (SELECT 1 FROM search_index e WHERE e.token = :q AND e.person_id = p.id)"
    rank = f"CASE WHEN {exact} THEN {Rank.EXACT:d} ELSE {Rank.PREFIX:d} END"
    if run:
        candidates += (" UNION SELECT person_id FROM (SELECT DISTINCT person_id FROM search_digits"
                       " WHERE run >= :run AND run < :run_end LIMIT :limit)")
        # Rank.EXACT (0) when a token equals the query, Rank.PREFIX (1) when one starts with it,
        # else NULL: one range on the person's own tokens; then one lookup for a number's tail.
        token = ("(SELECT min(e.token != :q) FROM search_index e WHERE e.person_id = p.id"
                 " AND e.token >= :q AND e.token < :q_end)")
        tail = f"(SELECT {Rank.TAIL:d} FROM search_digits d WHERE d.run = :run AND d.person_id = p.id)"
        rank = f"coalesce({token}, {tail}, {Rank.INSIDE:d})"
    sql = f"""
        SELECT p.id, p.household_id, p.name, p.sex, coalesce(p.birth_date, '') AS birth_date,
               p.id_no, p.record_no, p.phone, p.relation, p.living_status,
               h.group_name, h.village_code, {rank} AS rank
        FROM people p JOIN households h ON h.id = p.household_id
        WHERE p.id IN ({candidates}) AND p.deleted = 0
        ORDER BY rank, p.living_status != '在册', p.name, p.record_no
        LIMIT :limit
    """
    params = {"q": q, "q_end": q + _TOP, "run": run or "", "run_end": (run or "") + _TOP,
              "limit": limit}
    return [PersonHit(*r[:-1]) for r in conn.execute(sql, params)]


def reindex(conn: sqlite3.Connection, person_id: str, *, name: str, id_no: str, record_no: str,
            phone: str, extra: tuple[str, ...] = ()) -> None:
    """Replace a person's search tokens (the index is local and derived, never synced)."""
    conn.execute("DELETE FROM search_index WHERE person_id = ?", (person_id,))
    tokens = search_tokens(name=name, id_no=id_no, record_no=record_no, phone=phone, extra=extra)
    conn.executemany(
        "INSERT OR IGNORE INTO search_index (token, person_id) VALUES (?, ?)",
        [(t, person_id) for t in tokens],
    )


def reindex_person(conn: sqlite3.Connection, person_id: str) -> None:
    """Rebuild one person's search tokens from the row: its former numbers are found too."""
    r = conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
    former = json.loads(r["former_record_nos"] or "[]") if "former_record_nos" in r.keys() else []  # noqa: SIM118 (a Row)
    reindex(conn, person_id, name=r["name"], id_no=r["id_no"], record_no=r["record_no"],
            phone=r["phone"], extra=tuple(filter(None, (r["person_no"], *former,
                                                         *(f[9:] for f in former)))))


def former_holder(conn: sqlite3.Connection, record_no: str) -> str | None:
    """The id of the person who had `record_no` before a renumbering, or None."""
    row = conn.execute(
        "SELECT id FROM people WHERE former_record_nos != '[]' AND deleted = 0"
        " AND instr(former_record_nos, ?) > 0 ORDER BY record_provisional, id LIMIT 1",
        (json.dumps(record_no),)).fetchone()
    return str(row[0]) if row else None


def id_by_record_no(conn: sqlite3.Connection, record_no: str) -> str | None:
    """Who a 档案号 stands for: its holder (a confirmed holder before a provisional one, which
    another PC may have issued too), else the person who had it before a renumbering."""
    row = conn.execute(
        "SELECT id FROM people WHERE record_no = ? AND deleted = 0 ORDER BY record_provisional, id"
        " LIMIT 1", (record_no,)).fetchone()
    return str(row[0]) if row else former_holder(conn, record_no)


def members(conn: sqlite3.Connection, household_id: str) -> list[sqlite3.Row]:
    return list(conn.execute(
        "SELECT * FROM people WHERE household_id = ? AND deleted = 0 "
        "ORDER BY CASE relation WHEN '户主' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END,"
        " living_status != '在册', birth_date, id",
        (household_id,),
    ))


class PeopleRepo:
    """Residents' files, their diagnoses and the search over them: `workspace.people`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._bookkeeping: bool | None = None

    def add(self, person: Person, *, today: dt.date | None = None) -> tuple[RecordId, Changes]:
        """Add a member to a household; the health-record number is allocated when empty."""
        if person.household_id is None:
            raise ValidationError("请先选择家庭", field="household_id")
        check = check_person(replace(person, assistance=list(person.assistance),
                                     disabilities=list(person.disabilities)), today=today)
        p = check.person
        h = self.ws.households.get(person.household_id)
        changes = Changes(warnings=list(check.warnings))
        with self.ws.transaction():
            self._check_unique_id(p)
            p.record_issuer, p.former_record_nos = self.ws.instance_id, []
            if not p.record_no:
                p.record_no = self._allocate_record_no(h.village_code)
                p.record_provisional = not self.ws.record_numbers.confirmed()
            else:                       # typed or imported: the county's own number, kept
                self._check_record_no(p.record_no)
                p.record_provisional = False
            values = to_values(p)
            if not self._numbers_kept():
                values = {k: v for k, v in values.items() if k not in NUMBER_BOOKKEEPING}
            pid = rid(self.ws.tracker.insert("people", values, partition=h.village_code))
            changes.add("people", pid)
            if p.relation == "户主" or h.head_id is None:
                changes.merge(self.make_head(h, pid, p.relation))
            self._reindex(pid)
            self.ws.audit("create", table="people", row_id=pid)
        return pid, changes

    def _numbers_kept(self) -> bool:
        """Whether the file keeps the numbers' bookkeeping (schema 14; tests write older files)."""
        if self._bookkeeping is None:
            self._bookkeeping = "record_issuer" in {
                str(r[1]) for r in self.ws.conn.execute("PRAGMA table_info(people)")}
        return self._bookkeeping

    def _allocate_record_no(self, village_code: str) -> str:
        station = self.ws.station
        serial = next_serial(station, numbers.highest_record_serial(self.ws.conn, village_code, station))
        return health_record_no(village_code, serial)

    def _check_record_no(self, record_no: str, own_id: str | None = None) -> None:
        from app.core.identity import parse_record_no

        parse_record_no(record_no)
        row = self.ws.conn.execute("SELECT id FROM people WHERE record_no = ?", (record_no,)).fetchone()
        if row and row[0] != own_id:
            raise ConflictError(f"健康档案编号 {record_no} 已被使用", field="record_no")
        held = former_holder(self.ws.conn, record_no)
        if held and held != own_id:
            raise ConflictError(f"健康档案编号 {record_no} 曾是另一位居民的档案号，仍可用它查到该居民，"
                                "不能再用", field="record_no")

    def _check_unique_id(self, p: Person) -> None:
        if not p.id_no:
            return
        row = self.ws.conn.execute(
            "SELECT p.id, p.name, p.household_id FROM people p"
            " WHERE p.id_type = ? AND p.id_no = ? AND p.id_no != '' AND p.deleted = 0",
            (p.id_type, p.id_no),
        ).fetchone()
        if row and row["id"] != p.id:
            raise ConflictError(
                f"身份证号 {p.id_no} 已登记在 {row['name']} 的档案中，同一人不能建两份档案",
                field="id_no",
            )

    def make_head(self, h: Household, pid: str, relation: str) -> Changes:
        """Make `pid` the household's head when its relation says so or the household has none."""
        changes = Changes()
        if h.head_id and h.head_id != pid and relation == "户主":
            old = self.ws.conn.execute("SELECT relation FROM people WHERE id = ?", (h.head_id,)).fetchone()
            if old and old[0] == "户主":
                self.ws.tracker.update("people", h.head_id, {"relation": "其他"})
                changes.add("people", h.head_id)
        if h.head_id != pid and (relation == "户主" or h.head_id is None):
            self.ws.tracker.update("households", str(h.id), {"head_id": pid})
            changes.add("households", str(h.id))
        return changes

    def update(self, person: Person, *, today: dt.date | None = None) -> Changes:
        if person.id is None:
            raise ValidationError("缺少居民档案编号")
        current = self.get(person.id)
        check = check_person(replace(person, assistance=list(person.assistance),
                                     disabilities=list(person.disabilities)), today=today)
        p = check.person
        if p.household_id != current.household_id:
            raise ValidationError("更换家庭请使用“迁到其他户”")
        changes = Changes(warnings=list(check.warnings))
        values = to_values(p, exclude=("id", *NUMBER_BOOKKEEPING))
        with self.ws.transaction():
            self._check_unique_id(p)
            if p.record_no != current.record_no:     # typed by hand: the county's own number
                self._check_record_no(p.record_no, own_id=p.id)
                values.update(record_issuer=self.ws.instance_id, record_provisional=False)
            if self.ws.tracker.update("people", str(p.id), values):
                changes.add("people", str(p.id))
                self.ws.audit("update", table="people", row_id=p.id)
            if p.relation == "户主" and current.relation != "户主":
                changes.merge(self.make_head(self.ws.households.get(str(p.household_id)), str(p.id), "户主"))
            self._reindex(str(p.id))
        return changes

    def merge(self, survivor_id: str, other_id: str) -> tuple[MergePlan, Changes]:
        """Merge a possible duplicate into the file kept (app.storage.person_merge)."""
        from app.storage import person_merge

        return person_merge.merge(self.ws, survivor_id, other_id)

    def merge_plan(self, survivor_id: str, other_id: str) -> MergePlan:
        """What merging `other_id` into `survivor_id` would do; nothing is written."""
        from app.storage import person_merge

        return person_merge.plan(self.ws, survivor_id, other_id)

    def get(self, person_id: str) -> Person:
        row = self.ws.conn.execute(
            "SELECT * FROM people WHERE id = ? AND deleted = 0", (person_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("找不到这位居民的档案")
        return person_from_row(row)

    def by_record_no(self, record_no: str) -> Person:
        """The person a 档案号 (typed, or read from a printed QR code) stands for: the one who
        holds it now, else the one who had it before a renumbering."""
        pid = id_by_record_no(self.ws.conn, record_no)
        if pid is None:
            raise NotFoundError(f"找不到健康档案编号 {record_no}")
        return self.get(pid)

    def move(self, person_id: str, to_household_id: str, relation: str) -> Changes:
        """Move a member to another household (marriage, split of a household, ...)."""
        p = self.get(person_id)
        if p.household_id == to_household_id:
            raise ValidationError("已经是这户的成员")
        target = self.ws.households.get(to_household_id)
        source = self.ws.households.get(str(p.household_id))
        p.relation = relation
        check_person(replace(p), today=dt.date.today())
        changes = Changes()
        with self.ws.transaction():
            self.ws.tracker.update("people", person_id, {
                "household_id": to_household_id, "relation": relation, "partition": target.village_code,
            })
            changes.add("people", person_id)
            changes.tables |= set(partitions.carry_person(self.ws.tracker, person_id, target.village_code))
            if source.head_id == person_id:
                self.ws.tracker.update("households", str(source.id), {"head_id": None})
                changes.add("households", str(source.id))
            changes.merge(self.make_head(self.ws.households.get(to_household_id), person_id, relation))
            self.ws.audit("move", table="people", row_id=person_id,
                          detail=f"{source.id} -> {to_household_id}")
        return changes

    def mark(self, person_id: str, status: str, on: dt.date | None, note: str = "") -> Changes:
        """Mark a resident 迁出 / 死亡 / 失访 with a date, or back to 在册."""
        p = self.get(person_id)
        p.living_status = status
        p.status_date = on if status != "在册" else None
        p.status_note = note if status != "在册" else ""
        return self.update(p)

    def _reindex(self, person_id: str) -> None:
        reindex_person(self.ws.conn, person_id)

    def search(self, query: str, *, limit: int = 50) -> list[PersonHit]:
        return search(self.ws.conn, query, limit=limit)

    def count(self, *, living_only: bool = True) -> int:
        sql = "SELECT count(*) FROM people WHERE deleted = 0"
        if living_only:
            sql += " AND living_status = '在册'"
        return int(self.ws.conn.execute(sql).fetchone()[0])

    def add_diagnosis(self, diagnosis: Diagnosis, *,
                      today: dt.date | None = None) -> tuple[RecordId, Changes]:
        d = check_diagnosis(replace(diagnosis), today=today)
        p = self.get(d.person_id)
        h = self.ws.households.get(str(p.household_id))
        changes = Changes()
        with self.ws.transaction():
            exists = self.ws.conn.execute(
                "SELECT id FROM diagnoses WHERE person_id = ? AND condition = ? AND deleted = 0",
                (d.person_id, d.condition),
            ).fetchone()
            if exists:
                raise ConflictError(f"{p.name} 的档案中已有“{d.condition}”")
            did = rid(self.ws.tracker.insert("diagnoses", to_values(d), partition=h.village_code))
            changes.add("diagnoses", did)
        return did, changes

    def remove_diagnosis(self, diagnosis_id: str) -> Changes:
        changes = Changes()
        with self.ws.transaction():
            if self.ws.tracker.tombstone("diagnoses", diagnosis_id):
                changes.add("diagnoses", diagnosis_id)
        return changes

    def end_diagnosis(self, person_id: str, condition: str, on: dt.date, *,
                      today: dt.date | None = None) -> Changes:
        """Take a condition off a person's file from a date (cured, misdiagnosed): the row is
        kept as a tombstone whose note carries the date, so follow-ups stop and history stays."""
        d = next((x for x in self.diagnoses(person_id) if x.condition == condition), None)
        p = self.get(person_id)
        if d is None or d.id is None:
            raise NotFoundError(f"{p.name} 的档案中没有“{condition}”")
        if on > (today or dt.date.today()):
            raise ValidationError("结束日期不能在今天之后", field="ended_on")
        if d.confirmed_on is not None and on < d.confirmed_on:
            raise ValidationError(f"结束日期不能早于确诊日期 {d.confirmed_on}", field="ended_on")
        note = "；".join(filter(None, (d.note, f"{on.isoformat()} 结束")))
        changes = Changes()
        with self.ws.transaction():
            if self.ws.tracker.update("diagnoses", str(d.id), {"note": note, "deleted": 1}):
                changes.add("diagnoses", str(d.id))
            self.ws.audit("end_diagnosis", table="diagnoses", row_id=str(d.id),
                          detail=f"{p.name} {condition} {on.isoformat()} 结束")
        return changes

    def diagnoses(self, person_id: str) -> list[Diagnosis]:
        return [diagnosis_from_row(r) for r in self.ws.conn.execute(
            "SELECT * FROM diagnoses WHERE person_id = ? AND deleted = 0 ORDER BY confirmed_on, id",
            (person_id,),
        )]
