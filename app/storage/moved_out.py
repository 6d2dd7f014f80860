"""Households that moved to a village outside this PC's scope, as the county told it.

When a household's village changes (a township PC moves it), the county records a notice in the
old village's partition: a row of its conflicts of kind `household_moved`, resolved from the start
(nothing to choose), whose `kept` value is the new village's code and `lost` its name where the
county knows it. The old village's PCs pull it like any conflict note. From then on the county
no longer sends them the household's rows and refuses their changes to them; the rows stay here,
readable, and are listed as moved out, with this PC's changes to them that the county has not
taken (they stay in the outbox: nothing typed is dropped). A later county version of the
household landed here (it moved back) ends the notice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.core.scope import sees
from app.storage.engine import sqlite3
from app.storage.partitions import HOUSEHOLD_TABLES, under

MOVED_KIND = "household_moved"


@dataclass(frozen=True)
class MovedOut:
    """A household this PC holds that the county says now belongs to another village."""

    household_id: str
    village: str          # the new village's code
    village_name: str     # its name where known, else ""
    head: str             # the head of household's name here ("" when none)
    noticed_at: str       # when the county recorded the move (for display only)
    pending: int          # this PC's changes to the household's rows the county has not taken

    @property
    def place(self) -> str:
        """The new village as people say it: its name, else its code."""
        return self.village_name or self.village


def _text(raw: object) -> str:
    if raw is None:
        return ""
    try:
        value = json.loads(str(raw))
    except ValueError:
        return str(raw)
    return "" if value is None else str(value)


def moved_out(conn: sqlite3.Connection, scope: str, household_id: str | None = None) -> list[MovedOut]:
    """The households moved out of `scope` (one household's notice when `household_id` is given)."""
    sql = ("SELECT c.row_id, c.kept, c.lost, c.created_at, c.server_seq, h.server_seq,"
           " (SELECT p.name FROM people p WHERE p.id = h.head_id)"
           " FROM sync_conflicts c JOIN households h ON h.id = c.row_id"
           " WHERE c.kind = ? AND c.table_name = 'households'"
           " AND c.server_seq = (SELECT max(d.server_seq) FROM sync_conflicts d"
           "                     WHERE d.kind = c.kind AND d.row_id = c.row_id)")
    params: list[object] = [MOVED_KIND]
    if household_id is not None:
        sql += " AND c.row_id = ?"
        params.append(household_id)
    out = []
    for row_id, kept, lost, created, notice_seq, held_seq, head in conn.execute(sql + " ORDER BY c.server_seq",
                                                                               params):
        village = _text(kept)
        if held_seq is not None and int(held_seq) > int(notice_seq):
            continue        # the county sent the household again since: it is back in scope
        if not village or (scope and sees(scope, village)):
            continue        # moved within this PC's township: still this PC's
        name = _text(lost)
        if not name:
            got = conn.execute("SELECT name FROM divisions WHERE code = ?", (village,)).fetchone()
            name = str(got[0]) if got else ""
        out.append(MovedOut(str(row_id), village, name, str(head or ""), str(created),
                            pending(conn, str(row_id))))
    return out


def pending(conn: sqlite3.Connection, household_id: str) -> int:
    """Rows of a household (the household row and every row under it) with changes made here
    that the county has not acknowledged."""
    total = 0
    for table in HOUSEHOLD_TABLES:
        condition = under(table, "households")
        assert condition is not None
        total += int(conn.execute(
            "SELECT count(DISTINCT o.row_id) FROM outbox o WHERE o.table_name = :table"
            f" AND o.state != 'synced' AND o.row_id IN (SELECT {table}.id FROM {table} WHERE {condition})",
            {"table": table, "root": household_id}).fetchone()[0])
    return total
