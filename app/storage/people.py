"""People queries: search by token prefix or digit run, a household's members, record numbers."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.search import Rank, digit_run, normalize_query, search_tokens
from app.storage.engine import sqlite3

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


def members(conn: sqlite3.Connection, household_id: str) -> list[sqlite3.Row]:
    return list(conn.execute(
        "SELECT * FROM people WHERE household_id = ? AND deleted = 0 "
        "ORDER BY CASE relation WHEN '户主' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END,"
        " living_status != '在册', birth_date, id",
        (household_id,),
    ))
