"""Schema 11: one current row per chain, and a local record of forks (see app.core.chains).

- `referral_results` and `exam_returns` get `supersedes`: a new result names the current one, so
  "the latest" follows the chain, not the time inside the ids. The rows already there (all made
  by this installation, before any sync) are linked in the order they were shown so far (by id),
  through the tracked path; their triggers are rebuilt to cover the new column.
- `conflicts` (local, never synced): one row per fork or breach found in the file, with both
  sides' ids, versions and users; `resolution` stays NULL until someone resolves it.
"""

from __future__ import annotations

from app.storage.changes import Tracker
from app.storage.engine import sqlite3
from app.storage.migrations.tracking import install_tracking

CONFLICTS_SQL = """
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    table_name TEXT NOT NULL,
    a_id TEXT NOT NULL,
    b_id TEXT NOT NULL,
    a_instance TEXT NOT NULL DEFAULT '',
    a_counter INTEGER,
    b_instance TEXT NOT NULL DEFAULT '',
    b_counter INTEGER,
    a_user TEXT NOT NULL DEFAULT '',
    b_user TEXT NOT NULL DEFAULT '',
    found_at TEXT NOT NULL,
    resolution TEXT,
    resolved_at TEXT,
    resolved_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX conflicts_pair ON conflicts (kind, table_name, a_id, b_id);
CREATE INDEX conflicts_open ON conflicts (resolution) WHERE resolution IS NULL
"""


class _RepairTracker(Tracker):
    """A tracker that may link rows of any village: this repairs the file's own rows."""

    def check_scope(self, table: str, partition: str) -> None:
        return None


def _link(conn: sqlite3.Connection, table: str, key: str) -> None:
    tracker = _RepairTracker(conn)
    previous: dict[str, str] = {}
    for row_id, chain in conn.execute(
            f"SELECT id, {key} FROM {table} WHERE deleted = 0 AND {key} IN (SELECT {key} FROM {table}"
            f" WHERE deleted = 0 GROUP BY {key} HAVING count(*) > 1) ORDER BY {key}, id").fetchall():
        if chain in previous:
            tracker.update(table, row_id, {"supersedes": previous[chain]})
        previous[chain] = row_id


def up(conn: sqlite3.Connection) -> None:
    for table, key in (("referral_results", "followup_id"), ("exam_returns", "exam_id")):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN supersedes TEXT REFERENCES {table} (id)")
        conn.execute(f"CREATE INDEX {table}_supersedes ON {table} (supersedes) WHERE supersedes IS NOT NULL")
        install_tracking(conn, table)
        _link(conn, table, key)
    for statement in CONFLICTS_SQL.split(";\n"):
        conn.execute(statement)
