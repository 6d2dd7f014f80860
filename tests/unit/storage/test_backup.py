from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import StorageError
from app.core.households import Household
from app.core.people import Person
from app.storage.backup import (
    backup_if_due,
    check_backup,
    list_backups,
    make_backup,
    restore_backup,
    rotate,
)
from app.storage.engine import open_file
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE
from tests.dbfiles import stray_files


def test_backup_and_restore_round_trip_with_new_instance_id(tmp_path, db_path, workspace):
    hid, _ = workspace.households.add(Household(id=None, village_code=VILLAGE))
    workspace.people.add(Person(id=None, household_id=hid, name="张三"))
    backup = make_backup(workspace, tmp_path / "backups")
    old_instance = workspace.instance_id
    workspace.people.add(Person(id=None, household_id=hid, name="李四"))
    workspace.close()

    safety = restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    with Workspace.open(db_path) as ws:
        assert [p.name for p in ws.households.members(hid)] == ["张三"]
        assert ws.instance_id != old_instance
        ws.people.add(Person(id=None, household_id=hid, name="王五"))   # counters start afresh
        assert len(ws.households.members(hid)) == 2
    with Workspace.open(safety) as before:
        assert len(before.households.members(hid)) == 2


def test_daily_backup_only_when_due_and_rotation_keeps_newest(tmp_path, workspace):
    folder = tmp_path / "b"
    first = backup_if_due(workspace, folder)
    assert first is not None
    assert backup_if_due(workspace, folder) is None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)
    assert backup_if_due(workspace, folder, now=later) is not None
    for _ in range(4):
        make_backup(workspace, folder)
    rotate(folder, keep=3)
    assert len(list_backups(folder)) == 3


def test_restoring_a_non_database_is_refused(tmp_path, db_path, workspace):
    bogus = tmp_path / "cunyi-20260101-000000-manual.sqlite3"
    bogus.write_text("not a database")
    workspace.close()
    with pytest.raises(StorageError):
        restore_backup(db_path, bogus, safety_folder=tmp_path)


def _journal(path):
    """A file's journal mode, read as the header says it (the header is encrypted, so ask SQLite)."""
    conn = open_file(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _beside(folder):
    return stray_files(folder)


def test_backups_stay_single_files_when_checked_and_restored(tmp_path, db_path, workspace):
    folder = tmp_path / "backups"
    backup = make_backup(workspace, folder)
    assert (folder / (backup.name + ".keys")).exists()        # it opens with that day's passwords
    assert _journal(backup) == "delete"          # rollback journal, not WAL
    check_backup(backup)
    workspace.close()
    safety = restore_backup(db_path, backup, safety_folder=folder)
    assert _beside(folder) == []
    assert _journal(safety) == "delete"
    assert {b.reason for b in list_backups(folder)} == {"manual", "before_restore"}


def test_wal_and_shm_left_by_older_versions_are_cleaned_at_the_next_start(tmp_path, workspace):
    folder = tmp_path / "backups"
    folder.mkdir()
    legacy = folder / "cunyi-20260101-080000-daily.sqlite3"
    target = open_file(legacy, new_key=workspace.secret)
    workspace.conn.backup(target)                              # the old way: a WAL-mode copy
    target.close()
    reader = open_file(legacy, read_only=True)
    reader.execute("SELECT count(*) FROM households").fetchone()
    reader.close()
    (folder / "cunyi-20250101-080000-daily.sqlite3-wal").write_bytes(b"")   # its backup is gone
    assert legacy.name + "-shm" in _beside(folder) and legacy.name + "-wal" in _beside(folder)

    assert backup_if_due(workspace, folder, reason="start") is not None
    assert _beside(folder) == []
    assert _journal(legacy) == "delete"
    assert check_backup(legacy) >= 1
    assert [b.reason for b in list_backups(folder)] == ["start", "daily"]


def test_rotation_takes_a_backups_sidecars_with_it(tmp_path, workspace):
    folder = tmp_path / "b"
    old = make_backup(workspace, folder)
    for suffix in ("-wal", "-shm"):
        old.with_name(old.name + suffix).write_bytes(b"")
    make_backup(workspace, folder)
    rotate(folder, keep=1)
    assert not old.exists() and _beside(folder) == []
