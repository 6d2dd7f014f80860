"""Schema 16: a resident's file merged into another keeps a pointer to it.

- `people.merged_into`: set on the tombstone of a file merged into another (a possible duplicate
  person, app.core.person_merge), naming the file kept. Synced, so every PC of the village knows
  where the merged file went; a PC that still holds a row naming the merged file (typed before it
  pulled the merge) re-points that row to the kept file when the tombstone arrives. Plain text,
  not a foreign key: the kept file may arrive after the tombstone and is never waited for.
"""

from __future__ import annotations

from app.storage.engine import sqlite3


def up(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE people ADD COLUMN merged_into TEXT")
    conn.execute("CREATE INDEX people_merged_into ON people (merged_into) WHERE merged_into IS NOT NULL")
