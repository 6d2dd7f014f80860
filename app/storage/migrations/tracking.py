"""Triggers that make the tracked write path the only way to write a synced table.

A row stamped with this installation's instance id must have a matching outbox entry for its
version, written first in the same transaction. A row stamped by another instance is accepted
only in apply mode (`local_instance.applying = 1`, set by `Tracker.applying()` inside sync's own
transaction). An update must carry a newer version: the same instance with a counter not greater
than the old one is refused, and so is `server_seq` going down. Setting `server_seq` alone is not
a write. Rows are never deleted: deletion is a tombstone.

Files before schema 10 have no apply mode: their triggers (`_legacy_sql`) let foreign stamps pass,
exactly as those migrations made them. The migration runner reinstalls a synced table's triggers
whenever they differ from what its current columns call for (`tracking_is_current`).
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
TRIGGER_KINDS = ("tracked_insert", "tracked_update", "no_delete", "seq_forward")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def has_apply_mode(conn: sqlite3.Connection) -> bool:
    """Whether the file has the apply-mode flag (schema 10 and later)."""
    return "applying" in _columns(conn, "local_instance")


def _legacy_sql(table: str, tracked: str) -> dict[str, str]:
    check = (
        "NEW.version_instance = (SELECT instance_id FROM local_instance) "
        f"AND NOT EXISTS (SELECT 1 FROM outbox WHERE table_name = '{table}' AND row_id = NEW.id "
        "AND version_instance = NEW.version_instance AND version_counter = NEW.version_counter)"
    )
    return {
        f"{table}_tracked_insert":
            f"CREATE TRIGGER {table}_tracked_insert BEFORE INSERT ON {table} WHEN {check} "
            f"BEGIN SELECT RAISE(ABORT, 'untracked write to {table}'); END",
        f"{table}_tracked_update":
            f"CREATE TRIGGER {table}_tracked_update BEFORE UPDATE OF {tracked} ON {table} "
            f"WHEN (NEW.version_instance = OLD.version_instance "
            f"AND NEW.version_counter = OLD.version_counter) OR ({check}) BEGIN SELECT RAISE(ABORT, 'untracked write to {table}'); END",
    }


def _sql(table: str, tracked: str) -> dict[str, str]:
    ours = (
        f"(SELECT instance_id FROM local_instance) AND NOT EXISTS (SELECT 1 FROM outbox WHERE "
        f"table_name = '{table}' AND row_id = NEW.id AND version_instance = NEW.version_instance "
        "AND version_counter = NEW.version_counter)"
    )
    foreign = "(SELECT instance_id FROM local_instance) AND (SELECT applying FROM local_instance) = 0"
    stamp = (
        f"BEGIN SELECT CASE WHEN NEW.version_instance = {ours} "
        f"THEN RAISE(ABORT, 'untracked write to {table}') "
        f"WHEN NEW.version_instance != {foreign} "
        f"THEN RAISE(ABORT, 'row of {table} stamped by another instance outside apply mode') END; END"
    )
    return {
        f"{table}_tracked_insert":
            f"CREATE TRIGGER {table}_tracked_insert BEFORE INSERT ON {table} {stamp}",
        f"{table}_tracked_update":
            f"CREATE TRIGGER {table}_tracked_update BEFORE UPDATE OF {tracked} ON {table} "
            "BEGIN SELECT CASE WHEN NEW.version_instance = OLD.version_instance "
            "AND NEW.version_counter = OLD.version_counter "
            f"THEN RAISE(ABORT, 'untracked write to {table}') "
            "WHEN NEW.version_instance = OLD.version_instance "
            "AND NEW.version_counter < OLD.version_counter "
            f"THEN RAISE(ABORT, 'version of {table} row goes backwards') END; "
            f"{stamp.removeprefix('BEGIN ')}",
        f"{table}_seq_forward":
            f"CREATE TRIGGER {table}_seq_forward BEFORE UPDATE OF server_seq ON {table} "
            "WHEN OLD.server_seq IS NOT NULL AND (NEW.server_seq IS NULL OR NEW.server_seq < OLD.server_seq) "
            f"BEGIN SELECT RAISE(ABORT, 'server_seq of {table} row goes backwards'); END",
    }


def tracking_sql(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Name → SQL of the guard triggers a synced table's current columns call for."""
    tracked = ", ".join(c for c in _columns(conn, table) if c != "server_seq")
    made = _sql(table, tracked) if has_apply_mode(conn) else _legacy_sql(table, tracked)
    made[f"{table}_no_delete"] = (
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are tombstoned, never deleted'); END"
    )
    return made


def tracking_is_current(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the table's guard triggers are exactly those its current columns call for."""
    found = {str(r[0]): str(r[1]) for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))}
    wanted = tracking_sql(conn, table)
    return all(found.get(name) == sql for name, sql in wanted.items())


def install_tracking(conn: sqlite3.Connection, table: str) -> None:
    """(Re)create the guard triggers of a synced table from its current columns."""
    for kind in TRIGGER_KINDS:
        conn.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}")
    for sql in tracking_sql(conn, table).values():
        conn.execute(sql)
