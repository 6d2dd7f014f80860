"""Finding forks and breaches in the file and keeping one local record of each (`conflicts`).

`detect` looks for every kind in app.core.chains (two corrections of one row, two successors,
a claim reversed twice, one slip entered twice, two live contracts of one person with one team,
one resident ID on two people, one 户编号 on two households of a village) and records each pair once: the pair is stored in id order, so
running it again, or after the county's numbers change which side wins, adds nothing. The rows
themselves are never changed here; which side is current follows from app.storage.chains.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.core.chains import (
    DOUBLE_REVERSAL,
    DUPLICATE_HOUSEHOLD,
    DUPLICATE_PERSON,
    FORK,
    SECOND_SUCCESSOR,
    SLIP_TWICE,
    TWO_LIVE_CONTRACTS,
    Conflict,
    Link,
    winner,
)
from app.core.errors import NotFoundError
from app.storage.chains import CHAINS
from app.storage.changes import now_iso
from app.storage.db import transaction
from app.storage.engine import sqlite3

# The column naming who wrote a row, where the row has one; otherwise the audit log is asked.
USER_COLUMNS = {"follow_ups": "doctor", "general_visits": "doctor", "health_exams": "doctor",
                "referral_results": "doctor", "exam_returns": "doctor", "claims": "entered_by"}

_LIVE = "('signed', 'active')"


def _pairs(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str, str]]:
    """(kind, table, a_id, b_id) of every fork and breach in the file, a_id < b_id."""
    for table, key in CHAINS.items():
        for a, b in conn.execute(
                f"SELECT s.id, w.id FROM {table} s JOIN {table} w ON w.supersedes = s.supersedes"
                f" AND s.id < w.id WHERE s.supersedes IN (SELECT supersedes FROM {table} WHERE"
                f" supersedes IS NOT NULL GROUP BY supersedes HAVING count(*) > 1)"
                f" AND s.deleted = 0 AND w.deleted = 0"):
            yield FORK, table, a, b
        if key is not None:
            for a, b in conn.execute(
                    f"SELECT s.id, w.id FROM {table} s JOIN {table} w ON w.{key} = s.{key} AND s.id < w.id"
                    f" WHERE s.supersedes IS NULL AND w.supersedes IS NULL AND s.deleted = 0"
                    f" AND w.deleted = 0"):
                yield FORK, table, a, b
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM contracts s JOIN contracts w ON w.renewed_from = s.renewed_from"
            " AND s.id < w.id WHERE s.deleted = 0 AND w.deleted = 0"):
        yield SECOND_SUCCESSOR, "contracts", a, b
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM contracts s JOIN contracts w ON w.household_id = s.household_id"
            f" AND w.team_id = s.team_id AND s.id < w.id WHERE s.household_id IN (SELECT household_id"
            f" FROM contracts WHERE status IN {_LIVE} AND deleted = 0 GROUP BY household_id, team_id"
            f" HAVING count(*) > 1) AND s.status IN {_LIVE} AND w.status IN {_LIVE}"
            " AND s.deleted = 0 AND w.deleted = 0"
            " AND (s.renewed_from IS NULL OR s.renewed_from IS NOT w.renewed_from)"
            " AND s.start_date <= w.end_date AND w.start_date <= s.end_date"
            " AND EXISTS (SELECT 1 FROM contract_members ms JOIN contract_members mw"
            " ON mw.person_id = ms.person_id WHERE ms.contract_id = s.id AND mw.contract_id = w.id"
            " AND ms.deleted = 0 AND mw.deleted = 0)"):
        yield TWO_LIVE_CONTRACTS, "contracts", a, b
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM help_persons s JOIN help_persons w ON w.household_id = s.household_id"
            " AND s.id < w.id WHERE s.until IS NULL AND w.until IS NULL AND s.deleted = 0 AND w.deleted = 0"):
        yield SECOND_SUCCESSOR, "help_persons", a, b
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM claims s JOIN claims w ON w.reverses = s.reverses AND s.id < w.id"
            " WHERE s.deleted = 0 AND w.deleted = 0"):
        yield DOUBLE_REVERSAL, "claims", a, b
    unreversed = ("NOT EXISTS (SELECT 1 FROM claims r WHERE r.reverses = {0}.id AND r.deleted = 0)")
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM claims s JOIN claims w ON w.settlement_no = s.settlement_no"
            " AND w.person_id = s.person_id AND s.id < w.id WHERE s.settlement_no != ''"
            " AND s.source = '结算单' AND w.source = '结算单' AND s.reverses IS NULL AND w.reverses IS NULL"
            f" AND s.deleted = 0 AND w.deleted = 0 AND {unreversed.format('s')} AND {unreversed.format('w')}"):
        yield SLIP_TWICE, "claims", a, b
    for a, b in conn.execute(
            "WITH twice AS (SELECT upper(id_no) AS k FROM people WHERE id_no != '' AND deleted = 0"
            " GROUP BY k HAVING count(*) > 1), p AS (SELECT id, upper(id_no) AS k FROM people"
            " WHERE id_no != '' AND deleted = 0 AND upper(id_no) IN (SELECT k FROM twice))"
            " SELECT s.id, w.id FROM p s JOIN p w ON w.k = s.k AND s.id < w.id"):
        yield DUPLICATE_PERSON, "people", a, b
    for a, b in conn.execute(
            "SELECT s.id, w.id FROM households s JOIN households w ON w.village_code = s.village_code"
            " AND w.household_no = s.household_no AND s.id < w.id WHERE s.household_no != ''"
            " AND s.deleted = 0 AND w.deleted = 0"):
        yield DUPLICATE_HOUSEHOLD, "households", a, b


def _who(conn: sqlite3.Connection, table: str, row: sqlite3.Row) -> str:
    column = USER_COLUMNS.get(table)
    if column and row[column]:
        return str(row[column])
    found = conn.execute("SELECT username FROM audit_log WHERE table_name = ? AND row_id = ?"
                         " ORDER BY seq LIMIT 1", (table, row["id"])).fetchone()
    return str(found[0]) if found else ""


def _record(conn: sqlite3.Connection, kind: str, table: str, a: sqlite3.Row | dict[str, object],
            b: sqlite3.Row | dict[str, object], b_user: str | None = None) -> bool:
    """Insert one conflict unless that pair of that kind is already recorded."""
    a_user = _who(conn, table, a) if isinstance(a, sqlite3.Row) else ""
    if b_user is None:
        b_user = _who(conn, table, b) if isinstance(b, sqlite3.Row) else ""
    cur = conn.execute(
        "INSERT OR IGNORE INTO conflicts (kind, table_name, a_id, b_id, a_instance, a_counter,"
        " b_instance, b_counter, a_user, b_user, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, table, a["id"], b["id"], a["version_instance"], a["version_counter"],
         b["version_instance"], b["version_counter"], a_user, b_user, now_iso()))
    return cur.rowcount > 0


def detect(conn: sqlite3.Connection) -> int:
    """Record every fork and breach in the file not recorded yet; return how many were new."""
    new = 0
    with transaction(conn):
        for kind, table, a_id, b_id in list(_pairs(conn)):
            a = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (a_id,)).fetchone()
            b = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (b_id,)).fetchone()
            new += _record(conn, kind, table, a, b)
    return new


def conflicts(conn: sqlite3.Connection, *, open_only: bool = True) -> list[Conflict]:
    """The recorded conflicts, oldest found first (only the unresolved ones by default)."""
    where = "WHERE resolution IS NULL" if open_only else ""
    out = []
    for r in conn.execute(f"SELECT * FROM conflicts {where} ORDER BY id").fetchall():
        out.append(Conflict(
            id=r["id"], kind=r["kind"], table=r["table_name"], a_id=r["a_id"], b_id=r["b_id"],
            a_version=(r["a_instance"], r["a_counter"]), b_version=(r["b_instance"], r["b_counter"]),
            a_user=r["a_user"], b_user=r["b_user"], found_at=r["found_at"],
            resolution=r["resolution"], current_id=_current_side(conn, r)))
    return out


def _current_side(conn: sqlite3.Connection, r: sqlite3.Row) -> str:
    if r["kind"] in (DUPLICATE_PERSON, DUPLICATE_HOUSEHOLD):     # no winner: a person merges them
        return str(r["a_id"])
    seqs = dict(conn.execute(f"SELECT id, server_seq FROM {r['table_name']} WHERE id IN (?, ?)",
                             (r["a_id"], r["b_id"])).fetchall())
    return winner(Link(i, None, seqs.get(i)) for i in (r["a_id"], r["b_id"])).id


def accept_current(conn: sqlite3.Connection, conflict_id: int, username: str) -> Conflict:
    """Resolve a conflict by keeping the side the rule made current (the other stays stored)."""
    found = [c for c in conflicts(conn, open_only=False) if c.id == conflict_id]
    if not found:
        raise NotFoundError(f"找不到冲突记录 {conflict_id}")
    with transaction(conn):
        conn.execute("UPDATE conflicts SET resolution = ?, resolved_at = ?, resolved_by = ?"
                     " WHERE id = ? AND resolution IS NULL",
                     (f"kept {found[0].current_id}", now_iso(), username, conflict_id))
    return next(c for c in conflicts(conn, open_only=False) if c.id == conflict_id)

