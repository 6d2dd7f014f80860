"""Schema 6: chain the audit log, so a deleted, changed or reordered entry can be seen.

Each entry gets `prev_hash` (the hash of the entry before) and `hash` (app.core.audit_chain,
encoding v1, frozen). The entries already in the file are chained here, once, in their order.
A new trigger refuses an entry that does not follow the last one, so the chain cannot fork.
"""

from __future__ import annotations

from app.core.audit_chain import GENESIS, entry_hash
from app.storage.engine import sqlite3

NO_UPDATE = """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""

CHAINED = f"""CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
WHEN NEW.hash IS NULL OR length(NEW.hash) != 64 OR NEW.prev_hash IS NOT
    coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '{GENESIS}')
BEGIN SELECT RAISE(ABORT, 'audit entries are chained: write them through the workspace'); END"""


def up(conn: sqlite3.Connection) -> None:
    """Add the chain columns, chain the existing entries and guard new ones."""
    conn.execute("ALTER TABLE audit_log ADD COLUMN prev_hash TEXT")
    conn.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    prev = GENESIS
    rows = conn.execute(
        "SELECT seq, at, username, action, table_name, row_id, detail FROM audit_log ORDER BY seq"
    ).fetchall()
    for seq, at, username, action, table_name, row_id, detail in rows:
        digest = entry_hash(prev, at, username, action, table_name, row_id, detail)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest
    conn.execute(NO_UPDATE)
    conn.execute(CHAINED)
