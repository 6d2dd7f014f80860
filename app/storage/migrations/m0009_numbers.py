"""Schema 9: contract numbers are unique; the highest numbers issued survive a restore.

- A contract number that more than one contract carries (a serial that started again after 9999
  under the old numbering) is kept by the earliest-signed of them; each later one gets the number
  with `-2`, `-3`, ... appended, through the tracked path, and the change is noted in the audit log.
  Deleted rows count too: a number once handed out stays taken.
- `contracts_no` becomes a unique index; `issued_numbers` is created (see app.storage.numbers).
"""

from __future__ import annotations

import json

from app.storage.changes import Tracker, now_iso
from app.storage.engine import sqlite3
from app.storage.numbers import TABLE_SQL


class _RepairTracker(Tracker):
    """A tracker that may renumber a contract of any village: this repairs the file's own rows."""

    def check_scope(self, table: str, partition: str) -> None:
        return None


def _renumber_duplicates(conn: sqlite3.Connection) -> None:
    from app.storage import audit  # here: app.storage.audit imports db, which imports migrations

    tracker = _RepairTracker(conn)
    taken = {no for (no,) in conn.execute("SELECT DISTINCT contract_no FROM contracts")}
    dups = conn.execute(
        "SELECT contract_no FROM contracts WHERE contract_no != ''"
        " GROUP BY contract_no HAVING count(*) > 1").fetchall()
    for (number,) in dups:
        rows = conn.execute(
            "SELECT id FROM contracts WHERE contract_no = ? ORDER BY deleted, signed_on, id",
            (number,)).fetchall()
        suffix = 1
        for (row_id,) in rows[1:]:
            suffix += 1
            while f"{number}-{suffix}" in taken:
                suffix += 1
            renamed = f"{number}-{suffix}"
            taken.add(renamed)
            tracker.update("contracts", row_id, {"contract_no": renamed})
            audit.append(conn, at=now_iso(), username="", action="renumber_contract",
                         table="contracts", row_id=row_id,
                         detail=json.dumps({"from": number, "to": renamed}, ensure_ascii=False))


def up(conn: sqlite3.Connection) -> None:
    _renumber_duplicates(conn)
    conn.execute("DROP INDEX IF EXISTS contracts_no")
    conn.execute("CREATE UNIQUE INDEX contracts_no ON contracts (contract_no) WHERE contract_no != ''")
    conn.execute(TABLE_SQL)
