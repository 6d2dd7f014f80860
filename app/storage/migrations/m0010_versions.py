"""Schema 10: versions that sync can trust.

- `local_instance.applying`: the apply-mode flag; while it is 0 the guard triggers refuse rows
  stamped by another instance (see migrations/tracking.py and `Tracker.applying`).
- The outbox records what each write did: `fields` (JSON: the new values of the fields it
  changed), `prior` (JSON: their values before, with the old version and `updated_at`; NULL for an
  insert), `username` (who signed in; NULL for the system's own writes) and `acked_seq` (the
  county's sequence number once it acknowledged the version). Entries written before schema 10
  have none of these.
- The partial indexes `<table>_unsynced ON (server_seq) WHERE server_seq IS NULL` are dropped:
  what is unsynced is read from the outbox, and `server_seq` is the county's number of the row's
  acknowledged version, not a "synced" flag.
- Every synced table's guard triggers are rebuilt for apply mode and forward-only versions.
"""

from __future__ import annotations

from app.storage.changes import SYNCED_TABLES
from app.storage.engine import sqlite3
from app.storage.migrations.tracking import install_tracking


def up(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE local_instance ADD COLUMN applying INTEGER NOT NULL DEFAULT 0"
                 " CHECK (applying IN (0, 1))")
    for column in ("fields TEXT", "prior TEXT", "username TEXT", "acked_seq INTEGER"):
        conn.execute(f"ALTER TABLE outbox ADD COLUMN {column}")
    for table in sorted(SYNCED_TABLES):
        conn.execute(f"DROP INDEX IF EXISTS {table}_unsynced")
        install_tracking(conn, table)
