from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import StorageError
from app.core.households import Household
from app.core.people import Person
from app.storage.backup import backup_if_due, list_backups, make_backup, restore_backup, rotate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE


def test_backup_and_restore_round_trip_with_new_instance_id(tmp_path, db_path, workspace):
    hid, _ = workspace.add_household(Household(id=None, village_code=VILLAGE))
    workspace.add_person(Person(id=None, household_id=hid, name="张三"))
    backup = make_backup(workspace, tmp_path / "backups")
    old_instance = workspace.instance_id
    workspace.add_person(Person(id=None, household_id=hid, name="李四"))
    workspace.close()

    safety = restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    with Workspace.open(db_path) as ws:
        assert [p.name for p in ws.members(hid)] == ["张三"]
        assert ws.instance_id != old_instance
        ws.add_person(Person(id=None, household_id=hid, name="王五"))   # counters start afresh
        assert len(ws.members(hid)) == 2
    with Workspace.open(safety) as before:
        assert len(before.members(hid)) == 2


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
