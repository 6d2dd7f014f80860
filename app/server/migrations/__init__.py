"""The county database's own numbered, forward-only migrations.

`schema_version` holds one row per migration applied (number, when, by which release); the
schema's version is the highest. Each migration runs in its own transaction under an advisory
lock, so two `cunyi-county init` at once apply it once, and a failed one leaves the database as it
was (PostgreSQL's DDL is transactional). A database from a newer release is refused, never
changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import __version__
from app.server.db import Connection, CountyDatabaseError
from app.server.migrations import m0001_county, m0002_merge_keys, m0003_merged_into, m0004_config

# Append only. Never edit a migration that has shipped: add the next number instead.
MIGRATIONS: list[tuple[int, str]] = [
    (1, m0001_county.SQL),
    (2, m0002_merge_keys.SQL),
    (3, m0003_merged_into.SQL),
    (4, m0004_config.SQL),
]
LATEST_VERSION = MIGRATIONS[-1][0]
LOCK_KEY = 0x63756E7969_01          # pg_advisory_xact_lock key of the migrations ("cunyi", 1)

BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    release TEXT NOT NULL
)
"""


class SchemaTooNewError(CountyDatabaseError):
    """The database was migrated by a newer release than this one."""


class NotInitialisedError(CountyDatabaseError):
    """The database has no county schema yet."""


@dataclass(frozen=True)
class Migrated:
    before: int     # 0: the database had no county schema
    after: int

    @property
    def changed(self) -> bool:
        return self.after != self.before


def schema_version(conn: Connection) -> int:
    """The schema's version; 0 when the database has no county schema."""
    present = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not present or not present[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def too_new(version: int) -> SchemaTooNewError:
    return SchemaTooNewError(f"县级数据库的结构版本为 {version}，高于本程序支持的 {LATEST_VERSION}："
                             "它由更新版本的 cunyi-county 建立，请升级本程序；数据库未作任何改动")


def check_current(conn: Connection) -> int:
    """The schema's version, refused unless it is this release's: not initialised, or too new."""
    version = schema_version(conn)
    if version == 0:
        raise NotInitialisedError("县级数据库尚未初始化：先运行 cunyi-county init --database …")
    if version > LATEST_VERSION:
        raise too_new(version)
    if version < LATEST_VERSION:
        raise CountyDatabaseError(f"县级数据库的结构版本为 {version}，本程序需要 {LATEST_VERSION}："
                                  "请先运行 cunyi-county init --database … 升级数据库")
    return version


def migrate(conn: Connection, *, target: int | None = None) -> Migrated:
    """Bring the database up to `target` (the latest), one migration per transaction; idempotent.

    `conn` must be in autocommit mode: each migration is its own explicit transaction.
    """
    target = LATEST_VERSION if target is None else target
    if not conn.autocommit:
        raise ValueError("migrate needs an autocommit connection")
    before: int | None = None
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            conn.execute(BOOTSTRAP)
            current = schema_version(conn)
            if before is None:
                before = current
            if current > LATEST_VERSION:
                raise too_new(current)
            pending = [(n, sql) for n, sql in MIGRATIONS if current < n <= target]
            if not pending:
                return Migrated(before, current)
            number, sql = pending[0]
            conn.execute(sql.encode())
            conn.execute("INSERT INTO schema_version (version, release) VALUES (%s, %s)",
                         (number, __version__))
