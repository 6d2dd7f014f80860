"""People queries: search by token prefix, members of a household, record-number allocation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.core.identity import station_serial_range
from app.core.search import normalize_query, search_tokens

_TOP = "\U0010ffff"


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
    """SQL selecting the ids of people whose tokens start with the query (a B-tree range scan)."""
    q = normalize_query(query)
    return (
        "SELECT DISTINCT person_id FROM search_index WHERE token >= ? AND token < ?",
        [q, q + _TOP],
    )


def search(conn: sqlite3.Connection, query: str, *, limit: int = 50) -> list[PersonHit]:
    """People matching a typed query: name, pinyin, initials, ID, record number or phone."""
    q = normalize_query(query)
    if not q:
        return []
    sub, params = match_sql(q)
    # The id list is cut to `limit` first, so a two-letter query matching hundreds of people
    # reads only the rows it shows.
    sql = f"""
        SELECT p.id, p.household_id, p.name, p.sex, coalesce(p.birth_date, '') AS birth_date,
               p.id_no, p.record_no, p.phone, p.relation, p.living_status,
               h.group_name, h.village_code
        FROM people p JOIN households h ON h.id = p.household_id
        WHERE p.id IN ({sub} LIMIT ?) AND p.deleted = 0
        ORDER BY p.living_status != '在册', p.name, p.record_no
        LIMIT ?
    """
    return [PersonHit(*r) for r in conn.execute(sql, [*params, limit, limit])]


def reindex(conn: sqlite3.Connection, person_id: str, *, name: str, id_no: str, record_no: str,
            phone: str, extra: tuple[str, ...] = ()) -> None:
    """Replace a person's search tokens (the index is local and derived, never synced)."""
    conn.execute("DELETE FROM search_index WHERE person_id = ?", (person_id,))
    tokens = search_tokens(name=name, id_no=id_no, record_no=record_no, phone=phone, extra=extra)
    conn.executemany(
        "INSERT OR IGNORE INTO search_index (token, person_id) VALUES (?, ?)",
        [(t, person_id) for t in tokens],
    )


def highest_serial(conn: sqlite3.Connection, village_code: str, station: int) -> int | None:
    """The highest serial this station has handed out in a village, or None."""
    low, high = station_serial_range(station)
    row = conn.execute(
        "SELECT max(record_no) FROM people WHERE record_no BETWEEN ? AND ?",
        (f"{village_code}{low:05d}", f"{village_code}{high:05d}"),
    ).fetchone()
    return int(row[0][12:]) if row and row[0] else None


def members(conn: sqlite3.Connection, household_id: str) -> list[sqlite3.Row]:
    return list(conn.execute(
        "SELECT * FROM people WHERE household_id = ? AND deleted = 0 "
        "ORDER BY CASE relation WHEN '户主' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END,"
        " living_status != '在册', birth_date, id",
        (household_id,),
    ))
