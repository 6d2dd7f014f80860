"""Triggers that make the tracked write path the only way to write a synced table.

An update must carry a new version. A row stamped with this installation's instance id must have
a matching outbox entry for its version, written first in the same transaction; rows stamped by
other instances (applied by sync) pass. Setting `server_seq` alone is not a write.
Rows are never deleted: deletion is a tombstone.
"""

from __future__ import annotations

from app.storage.engine import sqlite3

SYNC_COLUMNS_SQL = """
    partition TEXT NOT NULL,
    version_instance TEXT NOT NULL,
    version_counter INTEGER NOT NULL,
    server_seq INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
"""


def install_tracking(conn: sqlite3.Connection, table: str) -> None:
    """(Re)create the guard triggers of a synced table from its current columns."""
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    tracked = ", ".join(c for c in cols if c != "server_seq")
    check = (
        "NEW.version_instance = (SELECT instance_id FROM local_instance) "
        f"AND NOT EXISTS (SELECT 1 FROM outbox WHERE table_name = '{table}' AND row_id = NEW.id "
        "AND version_instance = NEW.version_instance AND version_counter = NEW.version_counter)"
    )
    for name in (f"{table}_tracked_insert", f"{table}_tracked_update", f"{table}_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute(
        f"CREATE TRIGGER {table}_tracked_insert BEFORE INSERT ON {table} WHEN {check} "
        f"BEGIN SELECT RAISE(ABORT, 'untracked write to {table}'); END"
    )
    conn.execute(
        f"CREATE TRIGGER {table}_tracked_update BEFORE UPDATE OF {tracked} ON {table} "
        f"WHEN (NEW.version_instance = OLD.version_instance "
        f"AND NEW.version_counter = OLD.version_counter) OR ({check}) BEGIN SELECT RAISE(ABORT, 'untracked write to {table}'); END"
    )
    conn.execute(
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are tombstoned, never deleted'); END"
    )
