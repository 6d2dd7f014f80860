"""Households on a Workspace: the repo reached as `workspace.households`, and the filtered,
sorted list behind the 家庭档案 page with one household's rows."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.households import (
    POVERTY_STATUSES,
    HelpPerson,
    Household,
    check_help_person,
    validate_household,
)
from app.core.identity import parse_division_code
from app.core.ids import RecordId
from app.core.people import Person
from app.core.search import digit_run
from app.storage import chains, partitions, signing
from app.storage import contracts as contracts_repo
from app.storage import people as people_repo
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.rows import household_from_row, person_from_row, rid, to_values

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


@dataclass(frozen=True)
class HouseholdFilter:
    """What the household list is narrowed to. Empty fields do not filter."""

    query: str = ""
    village_code: str = ""
    group_name: str = ""
    poverty_status: str = ""
    cause: str = ""
    poor_only: bool = False


@dataclass(frozen=True)
class HouseholdRow:
    """One line of the household list."""

    id: str
    village_code: str
    group_name: str
    household_no: str
    head_name: str
    head_record_no: str
    head_id_no: str
    poverty_status: str
    poverty_causes: list[str]
    member_count: int
    phone: str
    address: str
    head_record_provisional: bool = False   # the head's 档案号 awaits the county's confirmation


def _where(f: HouseholdFilter) -> tuple[str, list[object]]:
    clauses = ["h.deleted = 0"]
    params: list[object] = []
    if f.village_code:
        clauses.append("h.village_code = ?")
        params.append(f.village_code)
    if f.group_name:
        clauses.append("h.group_name = ?")
        params.append(f.group_name)
    if f.poverty_status:
        clauses.append("h.poverty_status = ?")
        params.append(f.poverty_status)
    elif f.poor_only:
        clauses.append("h.poverty_status != 'general'")
    if f.cause:
        clauses.append("EXISTS (SELECT 1 FROM json_each(h.poverty_causes) WHERE value = ?)")
        params.append(f.cause)
    if f.query:
        sub, sub_params = people_repo.match_sql(f.query)
        run = digit_run(f.query)
        inside = " OR instr(replace(h.phone, '-', ''), ?)" if run else ""
        clauses.append(
            f"(h.id IN (SELECT p.household_id FROM people p WHERE p.id IN ({sub}))"
            f" OR h.household_no = ? OR h.phone LIKE ?{inside})"
        )
        params += [*sub_params, f.query, f.query + "%", *([run] if run else [])]
    return " AND ".join(clauses), params


def ids(conn: sqlite3.Connection, f: HouseholdFilter) -> list[str]:
    """Ids of the households that pass the filter, in list order (village, group, 户编号 — those
    without one last — then creation)."""
    where, params = _where(f)
    sql = (
        f"SELECT h.id FROM households h WHERE {where} "
        "ORDER BY h.village_code, h.group_name, h.household_no = '', h.household_no, h.id"
    )
    return [r[0] for r in conn.execute(sql, params)]


def count(conn: sqlite3.Connection, f: HouseholdFilter) -> int:
    where, params = _where(f)
    return int(conn.execute(f"SELECT count(*) FROM households h WHERE {where}", params).fetchone()[0])


def rows(conn: sqlite3.Connection, household_ids: list[str]) -> dict[str, HouseholdRow]:
    """The list lines of some households (for a table model's row cache)."""
    if not household_ids:
        return {}
    marks = ",".join("?" * len(household_ids))
    sql = f"""
        SELECT h.id, h.village_code, h.group_name, h.household_no, h.poverty_status,
               h.poverty_causes, h.phone, h.address,
               coalesce(p.name, '') AS head_name, coalesce(p.record_no, '') AS head_record_no,
               coalesce(p.id_no, '') AS head_id_no,
               coalesce(p.record_provisional, 0) AS head_record_provisional,
               (SELECT count(*) FROM people m WHERE m.household_id = h.id AND m.deleted = 0
                  AND m.living_status = '在册') AS member_count
        FROM households h LEFT JOIN people p ON p.id = h.head_id
        WHERE h.id IN ({marks})
    """
    out = {}
    for r in conn.execute(sql, household_ids):
        out[r["id"]] = HouseholdRow(
            id=r["id"], village_code=r["village_code"], group_name=r["group_name"],
            household_no=r["household_no"], head_name=r["head_name"],
            head_record_no=r["head_record_no"], head_id_no=r["head_id_no"],
            poverty_status=r["poverty_status"], poverty_causes=json.loads(r["poverty_causes"]),
            member_count=r["member_count"], phone=r["phone"], address=r["address"],
            head_record_provisional=bool(r["head_record_provisional"]),
        )
    return out


def group_names(conn: sqlite3.Connection, village_code: str = "") -> list[str]:
    sql = "SELECT DISTINCT group_name FROM households WHERE deleted = 0 AND group_name != ''"
    params: list[object] = []
    if village_code:
        sql += " AND village_code = ?"
        params.append(village_code)
    names = [r[0] for r in conn.execute(sql, params)]
    return sorted(names, key=_group_sort_key)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _group_sort_key(name: str) -> tuple[int, str]:
    """一组, 二组, ..., 十二组 sort by number, not by character."""
    digits = "".join(ch for ch in name if ch.isdigit())
    if digits:
        return int(digits), name
    core = name.removeprefix("第").split("组")[0].split("社")[0]
    value = 0
    if core and all(c in _CN_DIGITS or c == "十" for c in core):
        if "十" in core:
            tens, _, ones = core.partition("十")
            value = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        else:
            value = _CN_DIGITS[core[0]]
        return value, name
    return 10_000, name


class HouseholdsRepo:
    """Household files, their members, poverty status and help persons: `workspace.households`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def _check_village(self, code: str) -> None:
        """A household's village must be the clinic's own village, or lie in its township for a
        township clinic (app.core.scope); checked again by the tracked write path."""
        parse_division_code(code, level="village")
        self.ws.tracker.check_scope("households", code)

    def add(self, household: Household, *, since: dt.date | None = None) -> tuple[RecordId, Changes]:
        """Create a household file (members are added with `ws.people.add`)."""
        h = validate_household(replace(household))
        self._check_village(h.village_code)
        changes = Changes()
        with self.ws.transaction():
            self._check_household_no(h)
            values = to_values(h)
            values["head_id"] = None
            hid = rid(self.ws.tracker.insert("households", values, partition=h.village_code))
            changes.add("households", hid)
            if h.poverty_status != "general":
                changes.merge(self._poverty_event(hid, h.village_code, h.poverty_status,
                                                  since or dt.date.today(), "建档"))
            self.ws.audit("create", table="households", row_id=hid)
        return hid, changes

    def _check_household_no(self, h: Household, *, own_id: str | None = None) -> None:
        if not h.household_no:
            return
        row = self.ws.conn.execute(
            "SELECT id FROM households WHERE village_code = ? AND household_no = ? AND household_no != ''"
            " AND deleted = 0",
            (h.village_code, h.household_no),
        ).fetchone()
        if row and row[0] != own_id:
            raise ConflictError(f"户编号 {h.household_no} 已被本村另一户使用", field="household_no")

    def update(self, household: Household) -> Changes:
        if household.id is None:
            raise ValidationError("缺少家庭档案编号")
        current = self.get(household.id)
        h = validate_household(replace(household))
        if h.village_code != current.village_code:
            # A household kept under the clinic's old code (after a correction) stays editable.
            self._check_village(h.village_code)
        changes = Changes()
        with self.ws.transaction():
            self._check_household_no(h, own_id=h.id)
            values = to_values(h, exclude=("id", "head_id", "poverty_status"))
            values["partition"] = h.village_code
            if self.ws.tracker.update("households", str(h.id), values):
                changes.add("households", str(h.id))
                self.ws.audit("update", table="households", row_id=h.id)
            if h.poverty_status != current.poverty_status:
                changes.merge(self.set_poverty_status(str(h.id), h.poverty_status, dt.date.today()))
            if h.village_code != current.village_code:
                moved = partitions.carry_household(self.ws.tracker, str(h.id), h.village_code)
                changes.tables |= set(moved)
                self.ws.audit("move", table="households", row_id=h.id,
                              detail=f"{current.village_code} -> {h.village_code}；"
                                     + "、".join(f"{t} {n}" for t, n in moved.items()))
        return changes

    def get(self, household_id: str) -> Household:
        row = self.ws.conn.execute(
            "SELECT * FROM households WHERE id = ? AND deleted = 0", (household_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("找不到这户家庭档案")
        return household_from_row(row)

    def ids(self, f: HouseholdFilter | None = None) -> list[str]:
        return ids(self.ws.conn, f or HouseholdFilter())

    def rows(self, ids: list[str]) -> dict[str, HouseholdRow]:
        return rows(self.ws.conn, ids)

    def count(self, f: HouseholdFilter | None = None) -> int:
        return count(self.ws.conn, f or HouseholdFilter())

    def group_names(self, village_code: str = "") -> list[str]:
        return group_names(self.ws.conn, village_code)

    def members(self, household_id: str) -> list[Person]:
        return [person_from_row(r) for r in people_repo.members(self.ws.conn, household_id)]

    def set_poverty_status(self, household_id: str, status: str, since: dt.date,
                           note: str = "") -> Changes:
        """Record a change of poverty status (脱贫出, 返贫进, ...) and keep its history."""
        if status not in POVERTY_STATUSES:
            raise ValidationError("不认识的贫困户属性", field="poverty_status")
        if since > dt.date.today():
            raise ValidationError("状态变更日期不能在今天之后", field="since")
        h = self.get(household_id)
        changes = Changes()
        with self.ws.transaction():
            if self.ws.tracker.update("households", household_id, {"poverty_status": status}):
                changes.add("households", household_id)
            changes.merge(self._poverty_event(household_id, h.village_code, status, since, note))
        return changes

    def _poverty_event(self, household_id: str, village: str, status: str, since: dt.date,
                       note: str) -> Changes:
        eid = self.ws.tracker.insert(
            "poverty_events",
            {"household_id": household_id, "status": status, "since": since, "note": note},
            partition=village,
        )
        changes = Changes()
        changes.add("poverty_events", eid)
        return changes

    def poverty_history(self, household_id: str) -> list[sqlite3.Row]:
        return list(self.ws.conn.execute(
            "SELECT status, since, note FROM poverty_events WHERE household_id = ? AND deleted = 0"
            " ORDER BY since, id", (household_id,),
        ))

    def set_help_person(self, household_id: str, helper: HelpPerson) -> Changes:
        """Make someone the household's help person (帮扶责任人); the previous one is ended."""
        helper = check_help_person(helper)
        h = self.get(household_id)
        since = helper.since or dt.date.today()
        changes = Changes()
        with self.ws.transaction():
            for row in self.ws.conn.execute(
                "SELECT id, name, unit, phone FROM help_persons"
                " WHERE household_id = ? AND until IS NULL AND deleted = 0", (household_id,),
            ).fetchall():
                if (row["name"], row["unit"], row["phone"]) == (helper.name.strip(), helper.unit, helper.phone):
                    return changes
                self.ws.tracker.update("help_persons", row["id"], {"until": since})
                changes.add("help_persons", row["id"])
            hp = self.ws.tracker.insert(
                "help_persons",
                {"household_id": household_id, "name": helper.name.strip(), "unit": helper.unit.strip(),
                 "phone": helper.phone.strip(), "since": since, "until": helper.until},
                partition=h.village_code,
            )
            changes.add("help_persons", hp)
        return changes

    def help_persons(self, household_id: str) -> list[HelpPerson]:
        out = []
        for r in self.ws.conn.execute(
            "SELECT * FROM help_persons WHERE household_id = ? AND deleted = 0 ORDER BY since, id",
            (household_id,),
        ):
            out.append(HelpPerson(
                name=r["name"], unit=r["unit"], phone=r["phone"],
                since=dt.date.fromisoformat(r["since"]) if r["since"] else None,
                until=dt.date.fromisoformat(r["until"]) if r["until"] else None,
            ))
        return out

    def current_help_person(self, household_id: str) -> HelpPerson | None:
        """The open help person the chain rule picks (two PCs may each have named one)."""
        return chains.current_help_person(self.ws.conn, household_id)

    def set_head(self, household_id: str, person_id: str) -> Changes:
        """Make a member the head of the household (户主)."""
        h = self.get(household_id)
        p = self.ws.people.get(person_id)
        if p.household_id != household_id:
            raise ValidationError("户主必须是本户成员")
        with self.ws.transaction():
            changes = self.ws.people.make_head(h, person_id, "户主")
            if self.ws.tracker.update("people", person_id, {"relation": "户主"}):
                changes.add("people", person_id)
        return changes

    def poverty_status_on(self, household_id: str, on: dt.date) -> str:
        """The household's poverty status in force on a day, from its status history."""
        return signing.current_status(self.ws, household_id, on)

    def find(self, ref: str) -> str:
        """A household id from a 户编号, the head's (or any member's) record number, or the id."""
        return contracts_repo.find_household(self.ws, ref)
