"""Finding forks and breaches in the file and keeping one local record of each (`conflicts`).

`detect` looks for every kind in app.core.chains (two corrections of one row, two successors,
a claim reversed twice, one slip entered twice, two live contracts of one person with one team,
one resident ID on two people, one 户编号 on two households of a village) and records each pair once: the pair is stored in id order, so
running it again, or after the county's numbers change which side wins, adds nothing. The rows
themselves are never changed here; which side is current follows from app.storage.chains.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.core import breaches
from app.core.chains import (
    DUPLICATE_HOUSEHOLD,
    DUPLICATE_PERSON,
    Conflict,
    Link,
    winner,
)
from app.core.errors import NotFoundError
from app.storage.changes import now_iso
from app.storage.db import transaction
from app.storage.engine import sqlite3

# The column naming who wrote a row, where the row has one; otherwise the audit log is asked.
USER_COLUMNS = {"follow_ups": "doctor", "general_visits": "doctor", "health_exams": "doctor",
                "referral_results": "doctor", "exam_returns": "doctor", "claims": "entered_by"}

def _pairs(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str, str]]:
    """(kind, table, a_id, b_id) of every fork and breach in the file, a_id < b_id."""
    for kind, table, sql in breaches.queries():
        for a, b in conn.execute(sql):
            yield kind, table, a, b


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

