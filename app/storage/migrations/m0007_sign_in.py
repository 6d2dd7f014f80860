"""Schema 7: wrong-password counts per user, kept in the file so restarting does not reset them.

Local to this PC (not synced): a lock is about who is at this keyboard.
"""

from __future__ import annotations

from app.storage.engine import sqlite3


def up(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE sign_in_failures (
            user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            failures INTEGER NOT NULL DEFAULT 0,
            last_failed_at TEXT NOT NULL
        )
        """
    )
