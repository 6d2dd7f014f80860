"""Schema 15: what a clinic needs to sync with its county, local and never synced.

- `sync_identity`: one row once the installation has enrolled: the instance it enrolled as, the
  county server's address, the scope and station the county gave, this installation's Ed25519 key
  pair (the private key lives only here, inside the encrypted database), the certificate the county
  signed for it and the county's public key. A copy of the file on another PC takes a new instance
  id (schema 13), so the row no longer matches and the copy must enrol again.
- `sync_parked`: county rows pulled before their parent arrived, kept until it does.
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
"""


def up(conn: sqlite3.Connection) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
