"""Two clinic PCs in one test: rows of one file put into the other as sync will apply them.

Every foreign row goes through `put_foreign_row`, the one place that writes another PC's row
with its own stamp (instance, counter), in the storage's apply mode, as sync applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.storage.workspace import Workspace

# Synced tables, parents before children (foreign keys).
ORDER = ("divisions", "households", "poverty_events", "help_persons", "people", "diagnoses",
         "teams", "contracts", "contract_members", "service_deliveries",
         "follow_ups", "referral_results", "general_visits", "health_exams", "exam_returns",
         "claims")


def put_foreign_row(ws: Workspace, table: str, row: Mapping[str, Any]) -> None:
    """Write a row made on another PC, with that PC's stamp, in apply mode as sync will."""
    with ws.transaction(), ws.tracker.applying():
        ws.tracker.apply(table, row)


def rows_of(ws: Workspace, table: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: dict(r) for r in ws.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")}


def copy_new_rows(source: Workspace, target: Workspace) -> int:
    """Put every row of `source` that `target` lacks (by id) into `target`; return how many.
    Rows both files hold are left as they are (merging two versions of a row is not this)."""
    n = 0
    for table in ORDER:
        have = set(rows_of(target, table))
        for row_id, row in rows_of(source, table).items():
            if row_id not in have:
                put_foreign_row(target, table, row)
                n += 1
    return n


def exchange(a: Workspace, b: Workspace) -> None:
    """Both PCs receive the rows the other made."""
    to_b = {t: rows_of(a, t) for t in ORDER}
    copy_new_rows(b, a)
    for table in ORDER:
        have = set(rows_of(b, table))
        for row_id, row in to_b[table].items():
            if row_id not in have:
                put_foreign_row(b, table, row)
