"""Schema 15: what a clinic needs to sync with its county, local and never synced.

- `sync_identity`: one row once the installation has enrolled: the instance it enrolled as, the
  county server's address, the scope and station the county gave, this installation's Ed25519 key
  pair (the private key lives only here, inside the encrypted database), the certificate the county
  signed for it and the county's public key. A copy of the file on another PC takes a new instance
  id (schema 13), so the row no longer matches and the copy must enrol again.
- `sync_parked`: county rows pulled before their parent arrived, kept until it does.
- `sync_conflicts`: the county's conflicts of this PC's village as pulled (`id` is the county's
  number), with how they were resolved; `sent` is 0 while a resolution made here has not yet
  reached the county.
"""

from __future__ import annotations

from app.storage.engine import sqlite3

SQL = """
CREATE TABLE IF NOT EXISTS sync_identity (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    instance_id TEXT NOT NULL,
    server_url TEXT NOT NULL,
    scope TEXT NOT NULL,
    station INTEGER NOT NULL,
    private_key BLOB NOT NULL,
    public_key BLOB NOT NULL,
    certificate BLOB NOT NULL,
    county_key BLOB NOT NULL,
    enrolled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_parked (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    server_seq INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
);
CREATE TABLE IF NOT EXISTS sync_conflicts (
    id INTEGER PRIMARY KEY,
    server_seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    other_row_id TEXT,
    field TEXT,
    partition TEXT NOT NULL,
    kept TEXT,
    lost TEXT,
    kept_instance TEXT NOT NULL DEFAULT '',
    kept_counter INTEGER,
    lost_instance TEXT NOT NULL DEFAULT '',
    lost_counter INTEGER,
    kept_user TEXT NOT NULL DEFAULT '',
    lost_user TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    resolution TEXT,
    resolved_by TEXT NOT NULL DEFAULT '',
    sent INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS sync_conflicts_open ON sync_conflicts (resolution) WHERE resolution IS NULL;
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
