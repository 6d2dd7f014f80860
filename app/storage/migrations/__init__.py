"""Numbered, forward-only schema migrations. `PRAGMA user_version` is the number last applied."""

from __future__ import annotations

from collections.abc import Callable

from app.storage.changes import SYNCED_TABLES
from app.storage.engine import sqlite3
from app.storage.migrations import (
    m0001_initial,
    m0002_contracts,
    m0003_care,
    m0004_claims,
    m0005_search_digits,
    m0006_audit_chain,
    m0007_sign_in,
    m0008_partitions,
    m0009_numbers,
    m0010_versions,
    m0011_chains,
    m0012_duplicates,
    m0013_device,
    m0014_provisional,
    m0015_sync_identity,
    m0016_merged_into,
    m0017_county_config,
)
from app.storage.migrations.tracking import install_tracking, tracking_is_current

Migration = Callable[[sqlite3.Connection], None]

# Append only. Never edit a migration that has shipped: add the next number instead.
MIGRATIONS: list[tuple[int, Migration]] = [
    (1, m0001_initial.up),
    (2, m0002_contracts.up),
    (3, m0003_care.up),
    (4, m0004_claims.up),
    (5, m0005_search_digits.up),
    (6, m0006_audit_chain.up),
    (7, m0007_sign_in.up),
    (8, m0008_partitions.up),
    (9, m0009_numbers.up),
    (10, m0010_versions.up),
    (11, m0011_chains.up),
    (12, m0012_duplicates.up),
    (13, m0013_device.up),
    (14, m0014_provisional.up),
    (15, m0015_sync_identity.up),
    (16, m0016_merged_into.up),
    (17, m0017_county_config.up),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def migrate(conn: sqlite3.Connection, *, target: int = LATEST_VERSION) -> int:
    """Apply every migration above the file's version, each in its own transaction.

    After each, the guard triggers of every synced table are rebuilt if they no longer match the
    table's columns, so a column a migration adds is tracked like the others.
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for number, up in MIGRATIONS:
        if current < number <= target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                up(conn)
                retrack(conn)
                conn.execute(f"PRAGMA user_version = {number}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            current = number
    return current


def retrack(conn: sqlite3.Connection) -> list[str]:
    """Reinstall the guard triggers of each synced table whose triggers do not match its columns."""
    present = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    stale = sorted(t for t in SYNCED_TABLES & present if not tracking_is_current(conn, t))
    for table in stale:
        install_tracking(conn, table)
    return stale
