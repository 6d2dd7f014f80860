"""Schema 8: division rows get ids from their code; every row goes to its household's village.

- `divisions.id` becomes uuid5 of the project namespace and the division code (app.core.ids), so
  two installs of one village make the same row. Nothing references a division by id except the
  outbox, which is rewritten with it (no file has synced yet); the audit log keeps the old ids.
- Rows left in a household's old village by earlier moves are moved to its current village
  through the tracked path (each with a new version and outbox entry).
- The codes a clinic had before a correction are recorded, so their households stay writable.
"""

from __future__ import annotations

import re

from app.core.ids import division_id
from app.storage.changes import FORMER_CODES_KEY, Tracker
from app.storage.engine import sqlite3
from app.storage.migrations.tracking import install_tracking
from app.storage.partitions import repartition_all

_CORRECTION = re.compile(r"^(\d{12}) → ")


def _natural_division_ids(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT id, code FROM divisions").fetchall()
    renamed = [(division_id(code), old) for old, code in rows if division_id(code) != old]
    if not renamed:
        return
    for trigger in ("tracked_insert", "tracked_update", "no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS divisions_{trigger}")
    conn.executemany("UPDATE divisions SET id = ? WHERE id = ?", renamed)
    conn.executemany(
        "UPDATE outbox SET row_id = ? WHERE table_name = 'divisions' AND row_id = ?", renamed)
    install_tracking(conn, "divisions")


def _former_codes(conn: sqlite3.Connection) -> None:
    codes: list[str] = []
    for (detail,) in conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'change_division_code' ORDER BY seq"):
        found = _CORRECTION.match(detail or "")
        if found and found.group(1) not in codes:
            codes.append(found.group(1))
    row = conn.execute("SELECT value FROM settings WHERE key = 'division_code'").fetchone()
    current = row[0] if row else ""
    codes = [c for c in codes if c != current and conn.execute(
        "SELECT 1 FROM households WHERE village_code = ? AND deleted = 0", (c,)).fetchone()]
    if codes:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                     (FORMER_CODES_KEY, ",".join(codes)))


def up(conn: sqlite3.Connection) -> None:
    _natural_division_ids(conn)
    _former_codes(conn)
    repartition_all(Tracker(conn))
