"""Household queries: the filtered, sorted list behind the 家庭档案 page, and one household's rows."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.core.search import digit_run
from app.storage import people as people_repo
from app.storage.engine import sqlite3


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
