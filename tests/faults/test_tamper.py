"""Tamper evidence on a real clinic file: guard triggers dropped with sqlite3, rows deleted, changed,
backdated or reordered are named by `cunyi audit verify`, and every other command warns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from app.storage.db import connect
from app.storage.engine import open_file, sqlite3
from app.storage.guards import expected_triggers
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.workspace import Workspace
from tests.cli_users import unlocked
from tests.conftest import VILLAGE
from tests.e2e.test_cli import cunyi

DB = "cunyi.sqlite3"


@pytest.fixture(scope="module")
def clean_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clinic made by `cunyi init` with a dozen audit entries."""
    home = tmp_path_factory.mktemp("clean") / "home"
    r = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", VILLAGE, "--village-name", "红旗村",
              "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    with Workspace.open(unlocked(home / DB)) as ws:
        for i in range(10):
            ws.settings.update(phone=f"0734-00000{i}")
    return home


@pytest.fixture
def home(clean_home: Path, tmp_path: Path) -> Path:
    h = tmp_path / "home"
    shutil.copytree(clean_home, h)
    return h


def tamper(home: Path, *statements: str) -> None:
    """What someone with the sqlite3 shell does: plain SQL on the file, outside Cunyi."""
    conn = open_file(unlocked(home / DB))
    try:
        for s in statements:
            conn.execute(s)
        conn.commit()
    finally:
        conn.close()          # a refused statement must not leave its write lock behind


def triggers(home: Path) -> dict[str, str]:
    conn = open_file(unlocked(home / DB))
    try:
        return {n: s for n, s in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'")}
    finally:
        conn.close()


def at_of(home: Path, seq: int) -> str:
    conn = open_file(unlocked(home / DB))
    try:
        return str(conn.execute("SELECT at FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0])
    finally:
        conn.close()


def test_an_untampered_database_verifies_clean_and_commands_say_nothing(home: Path) -> None:
    r = cunyi(home, "audit", "verify")
    assert r.returncode == 0 and r.stderr == "" and "完整" in r.stdout
    r = cunyi(home, "audit", "verify", "--json")
    assert r.returncode == 0 and '"intact": true' in r.stdout
    assert cunyi(home, "teams").stderr == ""


def test_dropped_trigger_and_deleted_row_are_reported_restored_and_named(home: Path) -> None:
    before = at_of(home, 5)
    tamper(home, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 5")
    r = cunyi(home, "teams")
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and "audit_log_no_delete 缺失" in lines[0] and "已重建" in lines[0]
    assert "第 5 条缺失" in lines[1]
    assert triggers(home) == expected_triggers()                      # put back as it was made
    conn = open_file(unlocked(home / DB))
    logged = conn.execute("SELECT detail FROM audit_log WHERE action = 'restore_guard_triggers'").fetchall()
    conn.close()
    assert logged == [("audit_log_no_delete 缺失",)]
    with pytest.raises(sqlite3.IntegrityError):
        tamper(home, "DELETE FROM audit_log WHERE seq = 6")           # the guard works again
    r = cunyi(home, "audit", "verify")
    assert r.returncode != 0
    assert r.stderr.count("\n") == 1 and "第 5 条缺失" in r.stderr and before in r.stderr
    r = cunyi(home, "search", "张")                                   # still warns, every command
    assert "第 5 条缺失" in r.stderr


def test_a_backdated_row_is_named_with_its_id_and_time(home: Path) -> None:
    tamper(home, "DROP TRIGGER audit_log_no_update",
           "UPDATE audit_log SET at = '2019-02-03T04:05:06+00:00' WHERE seq = 7")
    assert "audit_log_no_update 缺失" in cunyi(home, "teams").stderr
    r = cunyi(home, "audit", "verify")
    assert r.returncode != 0
    assert "第 7 条（2019-02-03T04:05:06+00:00）被改动" in r.stderr


def test_reordered_rows_are_named(home: Path) -> None:
    tamper(home, "DROP TRIGGER audit_log_no_update",
           "UPDATE audit_log SET seq = -1 WHERE seq = 4",
           "UPDATE audit_log SET seq = 4 WHERE seq = 3",
           "UPDATE audit_log SET seq = 3 WHERE seq = -1")
    r = cunyi(home, "audit", "verify", "--json")
    assert r.returncode != 0 and '"kind": "reordered"' in r.stdout and '"seq": 3' in r.stdout
    assert "第 3 条" in cunyi(home, "audit", "verify").stderr


def test_an_altered_trigger_is_reported_and_put_back(home: Path) -> None:
    tamper(home, "DROP TRIGGER audit_log_no_delete",
           "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0 "
           "BEGIN SELECT RAISE(ABORT, 'no'); END")
    r = cunyi(home, "audit", "verify")
    assert r.returncode != 0 and "audit_log_no_delete 被改动" in r.stderr
    assert triggers(home) == expected_triggers()
    r = cunyi(home, "audit", "verify")                                # the chain itself is intact
    assert r.returncode == 0, r.stderr


def test_a_dropped_log_table_is_reported_not_a_traceback(home: Path) -> None:
    tamper(home, "DROP TABLE audit_log")
    r = cunyi(home, "teams")
    assert r.returncode == 0 and "审计日志表本身被删除" in r.stderr and "Traceback" not in r.stderr
    r = cunyi(home, "audit", "verify")
    assert r.returncode != 0 and "Traceback" not in r.stderr and "审计日志表本身被删除" in r.stderr


def test_a_tracked_tables_guard_is_checked_too(home: Path) -> None:
    tamper(home, "DROP TRIGGER people_no_delete")
    r = cunyi(home, "teams")
    assert "people_no_delete 缺失" in r.stderr
    assert "people_no_delete" in triggers(home)


def test_the_migration_chains_an_old_databases_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    conn = connect(home / DB)
    assert migrate(conn, target=5) == 5
    old = Workspace(sqlite_utils.Database(conn), home / DB)   # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, 'instance-1', 0, 1, '2025-01-01')")
        old.settings.set(clinic_name="红旗村卫生室", division_code=VILLAGE, division_name="红旗村")
        for i in range(4):
            old.audit("update_settings", detail=f"phone {i}")
    old.users.add_first("doctor", "李医生", "village_doctor", "secret1")   # the fifth entry
    rows = [tuple(r) for r in conn.execute("SELECT seq, at, username, action, detail FROM audit_log")]
    assert len(rows) == 5
    old.close()
    # Signing in adds the sixth entry; the plain file is then encrypted, which adds the seventh.
    r = cunyi(home, "audit", "verify")
    assert r.returncode == 0 and "7 条" in r.stdout, r.stderr
    assert "恢复密钥" in r.stderr                        # shown once, when the file is encrypted
    conn = open_file(unlocked(home / DB))
    assert conn.execute("SELECT seq, at, username, action, detail FROM audit_log WHERE seq <= 5").fetchall() == rows
    assert [tuple(r) for r in conn.execute("SELECT username, action FROM audit_log WHERE seq > 5")] == [
        ("doctor", "sign_in"), ("doctor", "encrypt_database")]
    assert conn.execute("SELECT count(*) FROM audit_log WHERE length(hash) = 64").fetchone()[0] == 7
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()
    assert triggers(home) == expected_triggers()
    tamper(home, "DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET detail = 'x' WHERE seq = 2")
    r = cunyi(home, "audit", "verify")
    assert r.returncode != 0 and "第 2 条" in r.stderr and "被改动" in r.stderr
