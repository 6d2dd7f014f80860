"""Schema 13: the PC a database's instance belongs to (`instance_device`), local and not synced.

One row: the instance id it was bound for, the device id of the PC (from the device key kept in
the user's folder, outside the database; see app.storage.device) and when. A file opened for
writing on a PC whose device id differs is a copy: it takes a new instance id before it writes.
The row is filled the first time the file is opened for writing after this migration.
"""

from __future__ import annotations

from app.storage.engine import sqlite3

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS instance_device (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    instance_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    bound_at TEXT NOT NULL
)"""


def up(conn: sqlite3.Connection) -> None:
    conn.execute(TABLE_SQL)
