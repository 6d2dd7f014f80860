from __future__ import annotations

import pytest

from app.core.errors import StorageError
from app.storage.db import open_database
from app.storage.engine import open_file
from app.storage.migrations import LATEST_VERSION, MIGRATIONS
from app.storage.migrations.m0001_initial import SYNCED_TABLES
from app.storage.workspace import Workspace

SYNC_COLUMNS = {"id", "partition", "version_instance", "version_counter", "server_seq", "deleted",
                "updated_at"}


def test_migration_from_empty_reaches_latest_version(tmp_path):
    db = open_database(tmp_path / "new.sqlite3", create=True)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert [n for n, _ in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


def test_pragmas_wal_and_foreign_keys(workspace):
    assert workspace.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert workspace.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_synced_table_has_the_sync_columns(workspace):
    for table in SYNCED_TABLES:
        cols = {r[1] for r in workspace.conn.execute(f"PRAGMA table_info({table})")}
        assert cols >= SYNC_COLUMNS, table


def test_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    Workspace.create(path, clinic_name="卫生室", division_code="622923104201", division_name="红旗村").close()
    conn = open_file(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        Workspace.open(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("hello")
    with pytest.raises(StorageError, match="不是"):
        Workspace.open(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(StorageError, match="找不到"):
        Workspace.open(tmp_path / "nothing.sqlite3")


def test_reopening_keeps_instance_id(db_path, workspace):
    instance = workspace.instance_id
    workspace.close()
    with Workspace.open(db_path) as ws:
        assert ws.instance_id == instance
