"""A database is bound to the PC that writes it: a copy opened for writing on another PC takes a
new instance id before its first write, so the two files never stamp one (instance, counter)
pair on different changes. Read-only opens never rebind; opening also turns off a stuck apply mode.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
import sqlite_utils

from app.core.households import Household
from app.core.ids import uuid7
from app.core.people import Person
from app.storage import device
from app.storage.backup import check_backup, make_backup, restore_backup
from app.storage.db import DEVICE_SCHEMA, connect, connect_read_only
from app.storage.engine import open_file
from app.storage.migrations import migrate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.dbfiles import copy_database


@pytest.fixture
def second_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Switch this process to another PC's device key (its own folder) and back."""
    first = os.environ[device.ENV]
    other = tmp_path / "second-pc-device"

    def switch(to_second: bool) -> None:
        monkeypatch.setenv(device.ENV, str(other if to_second else first))

    return switch


def _person(ws: Workspace, n: int) -> str:
    with ws.transaction():
        hid, _ = ws.households.add(Household(None, VILLAGE, household_no=f"D{n:04d}"))
        pid, _ = ws.people.add(Person(None, hid, f"居民{n}", id_no=make_id(seq=f"{n % 500 * 2 + 1:03d}"),
                                      relation="户主"))
    return pid


def _binding(conn) -> tuple[str, str]:
    row = conn.execute("SELECT instance_id, device_id FROM instance_device").fetchone()
    return str(row[0]), str(row[1])


def _pairs(path: Path) -> dict[tuple[str, int], tuple[str, str, str]]:
    conn = open_file(path, read_only=True)
    try:
        return {(str(r[0]), int(r[1])): (str(r[2]), str(r[3]), str(r[4])) for r in conn.execute(
            "SELECT version_instance, version_counter, table_name, row_id, fields FROM outbox")}
    finally:
        conn.close()


def test_a_new_database_is_bound_to_this_device(workspace: Workspace) -> None:
    assert _binding(workspace.conn) == (workspace.instance_id, device.device_id())
    history = workspace.conn.execute("SELECT reason FROM instance_history").fetchall()
    assert [r[0] for r in history] == ["created"]


def test_reopening_on_the_same_device_keeps_the_instance_and_writes_nothing(db_path: Path,
                                                                             workspace: Workspace) -> None:
    instance = workspace.instance_id
    _person(workspace, 1)
    workspace.close()
    conn = connect(db_path)
    before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.close()
    with Workspace.open(db_path) as ws:
        assert ws.instance_id == instance
        assert _binding(ws.conn) == (instance, device.device_id())
        assert ws.conn.execute("SELECT count(*) FROM instance_history").fetchone()[0] == 1
        assert ws.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'copied_from_another_pc'"
                               ).fetchone()[0] == 0
        assert ws.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_a_copy_on_another_device_takes_a_new_instance_before_its_first_write(
        tmp_path: Path, db_path: Path, workspace: Workspace, second_pc) -> None:
    original = workspace.instance_id
    _person(workspace, 1)
    _person(workspace, 2)
    counter = workspace.conn.execute("SELECT counter FROM local_instance").fetchone()[0]
    workspace.close()
    copy = copy_database(db_path, tmp_path / "second" / "cunyi.sqlite3")
    first_device = device.device_id()

    second_pc(True)
    with Workspace.open(copy) as ws:
        renewed = ws.instance_id
        assert renewed != original
        assert ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0] == 0
        assert _binding(ws.conn) == (renewed, device.device_id()) and device.device_id() != first_device
        reasons = [r[0] for r in ws.conn.execute("SELECT reason FROM instance_history ORDER BY rowid")]
        assert reasons == ["created", device.COPIED]
        [(detail,)] = ws.conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'copied_from_another_pc'").fetchall()
        assert original in detail and renewed in detail
        # no outbox entry was written under the old id on opening
        assert ws.conn.execute("SELECT max(version_counter) FROM outbox WHERE version_instance = ?",
                               (original,)).fetchone()[0] == counter
        _person(ws, 3)
        assert ws.conn.execute("SELECT min(version_counter) FROM outbox WHERE version_instance = ?",
                               (renewed,)).fetchone()[0] == 1
    with Workspace.open(copy) as ws:                 # reopened on the second PC: its own now
        assert ws.instance_id == renewed

    second_pc(False)
    with Workspace.open(db_path) as ws:              # the original, on its own PC
        assert ws.instance_id == original
        _person(ws, 4)
    mine, theirs = _pairs(db_path), _pairs(copy)
    shared = mine.keys() & theirs.keys()
    assert shared and all(mine[p] == theirs[p] for p in shared)   # only what was copied
    assert {i for i, _ in mine.keys() - shared} == {original}
    assert {i for i, _ in theirs.keys() - shared} == {renewed}


def test_two_processes_opening_one_copy_renew_it_once(tmp_path: Path, db_path: Path,
                                                      workspace: Workspace, second_pc) -> None:
    workspace.close()
    copy = copy_database(db_path, tmp_path / "second" / "cunyi.sqlite3")
    second_pc(True)
    a, b = Workspace.open(copy), Workspace.open(copy)
    try:
        assert a.instance_id == b.instance_id
        assert a.conn.execute("SELECT count(*) FROM instance_history WHERE reason = ?",
                              (device.COPIED,)).fetchone()[0] == 1
    finally:
        a.close()
        b.close()


def test_read_only_opens_never_rebind(tmp_path: Path, db_path: Path, workspace: Workspace,
                                      second_pc) -> None:
    original = workspace.instance_id
    workspace.close()
    copy = copy_database(db_path, tmp_path / "second" / "cunyi.sqlite3")
    first_device = device.device_id()
    second_pc(True)
    assert check_backup(copy) >= DEVICE_SCHEMA     # a backup check reads it (and may settle its WAL)
    for _ in range(2):
        conn = connect_read_only(copy)               # as `cunyi sql` reads
        try:
            assert conn.execute("SELECT instance_id FROM local_instance").fetchone()[0] == original
            assert _binding(conn) == (original, first_device)
            assert conn.execute("SELECT count(*) FROM instance_history").fetchone()[0] == 1
        finally:
            conn.close()
    with Workspace.open(copy, claim=False) as ws:    # as `cunyi sql` signs in, to read only
        assert ws.instance_id == original
    with Workspace.open(copy) as ws:               # opened for writing: now it is renewed
        assert ws.instance_id != original


def test_the_device_key_is_made_once_private_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fresh" / "device"
    monkeypatch.setenv(device.ENV, str(folder))
    key = device.device_id()
    path = folder / device.KEY_FILE
    assert path.read_text().strip() == key and len(key) == 32
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = path.stat().st_mtime_ns
    device._known.clear()                            # as a new process would
    assert device.device_id() == key
    assert device._create(path) == key               # another process racing to make it: its key counts
    assert path.stat().st_mtime_ns == made and [p.name for p in folder.iterdir()] == [device.KEY_FILE]
    path.write_text("")                              # emptied (a crash of an old copy): made anew
    device._known.clear()
    assert len(device.device_id()) == 32 and device.device_id() != key


def test_an_unwritable_device_folder_refuses_to_open(tmp_path: Path, db_path: Path, workspace: Workspace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.errors import StorageError

    workspace.close()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(device.ENV, str(blocker / "device"))
    with pytest.raises(StorageError, match="设备密钥"):
        Workspace.open(db_path)


def test_opening_turns_off_apply_mode_left_on_by_a_crash(db_path: Path, workspace: Workspace) -> None:
    instance = workspace.instance_id
    workspace.conn.execute("UPDATE local_instance SET applying = 1")    # committed: what a crash leaves
    workspace.close()
    with Workspace.open(db_path) as ws:
        assert ws.conn.execute("SELECT applying FROM local_instance").fetchone()[0] == 0
        assert ws.instance_id == instance
        assert ws.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'apply_mode_off'"
                               ).fetchone()[0] == 1
        _person(ws, 1)                               # tracked writes work as usual


def test_a_file_from_before_schema_13_is_bound_on_its_first_open(tmp_path: Path) -> None:
    path = tmp_path / "v12.sqlite3"
    conn = connect(path)
    assert migrate(conn, target=DEVICE_SCHEMA - 1) == DEVICE_SCHEMA - 1
    old = Workspace(sqlite_utils.Database(conn), path)   # not Workspace.open: that would migrate
    instance = uuid7()
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, ?, 0, 1, '2025-01-01')", (instance,))
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
    old.close()
    with Workspace.open(path) as ws:
        assert ws.instance_id == instance
        assert _binding(ws.conn) == (instance, device.device_id())


def test_a_backup_from_another_pc_is_restored_bound_to_this_one(tmp_path: Path, db_path: Path,
                                                                workspace: Workspace, second_pc) -> None:
    _person(workspace, 1)
    workspace.close()
    second_pc(True)
    copy = copy_database(db_path, tmp_path / "second" / "cunyi.sqlite3")
    with Workspace.open(copy) as ws:
        backup = make_backup(ws, tmp_path / "second" / "backups")
    second_pc(False)
    restore_backup(db_path, backup, safety_folder=tmp_path / "backups")
    conn = open_file(db_path, read_only=True)
    try:
        restored = conn.execute("SELECT instance_id FROM local_instance").fetchone()[0]
        assert _binding(conn) == (restored, device.device_id())
    finally:
        conn.close()
    with Workspace.open(db_path) as ws:             # this PC's already: not taken for a copy
        assert ws.instance_id == restored
        reasons = [r[0] for r in ws.conn.execute("SELECT reason FROM instance_history ORDER BY rowid")]
        assert reasons[-1] == f"restored from {backup.name}" and reasons.count(device.COPIED) == 1


def test_the_device_key_lives_outside_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.paths import resolve

    monkeypatch.delenv(device.ENV)
    monkeypatch.delenv("CUNYI_HOME", raising=False)
    data = resolve().home
    assert not device.device_dir().is_relative_to(data) and not data.is_relative_to(device.device_dir())


def test_a_copy_is_not_confirmed_and_does_not_own_the_originals_provisional_numbers(
        tmp_path: Path, db_path: Path, workspace: Workspace, second_pc) -> None:
    """The county confirmed the station for the PC the file came from, and that PC's provisional
    numbers are its own to settle: the copy starts unconfirmed and owns only what it issues."""
    workspace.users.add_first("admin", "管理员", "township_admin", "Secret-pass-1")
    _person(workspace, 1)
    assert workspace.record_numbers.block().provisional == 1
    workspace.close()
    copy = copy_database(db_path, tmp_path / "second" / "cunyi.sqlite3")
    second_pc(True)
    with Workspace.open(copy) as ws:
        block = ws.record_numbers.block()
        assert (block.issued, block.provisional) == (0, 0)
        _person(ws, 2)
        assert ws.record_numbers.block().provisional == 1
    second_pc(False)
    with Workspace.open(db_path) as ws:
        assert ws.record_numbers.block().provisional == 1
        ws.record_numbers.confirm(1, by="admin")
        assert ws.record_numbers.block().confirmed
    again = copy_database(db_path, tmp_path / "third" / "cunyi.sqlite3")
    second_pc(True)
    with Workspace.open(again) as ws:
        assert not ws.record_numbers.block().confirmed
