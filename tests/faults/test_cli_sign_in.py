"""The command line signs in: no credentials, a wrong password, a lockout, roles, the audit log."""

from __future__ import annotations

import datetime as dt
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core import sign_in
from app.core.households import Household
from app.core.people import Person
from app.storage import keyring
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.faults.cli import Result, digest, run
from tests.faults.damage import ROOT, cunyi

ADMIN = ("admin", "admin-Pass-71")
DOC = ("doc", "doc-Pass-53")
WRONG = "wrong-Pass-99"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A clinic with a township administrator, a village doctor and one resident."""
    h = tmp_path / "home"
    h.mkdir()
    with Workspace.create(h / "cunyi.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first(ADMIN[0], "乡镇管理员", "township_admin", ADMIN[1])
        ws.users.add(DOC[0], "李医生", "village_doctor", DOC[1])
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                            address="红旗村一组1号"))
        ws.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id("19650312"),
                             relation="户主"), today=dt.date(2025, 1, 1))
    return h


def _one_line(r: Result, *words: str) -> None:
    assert r.code == 1, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r.err
    for word in words:
        assert word in r.err, r.err


def _failures(home: Path, username: str) -> int:
    """Wrong passwords counted for `username`: in the key file, since an encrypted database
    cannot be written before a right password unlocks it."""
    ring = keyring.load(home / "cunyi.sqlite3")
    assert ring is not None
    found = ring.by_name(username)
    return found[1].failures if found else 0


def _set_failures(home: Path, username: str, failures: int, at: dt.datetime) -> None:
    """Record `failures` wrong passwords for `username`, the last at `at`, in the key file."""
    ring = keyring.load(home / "cunyi.sqlite3")
    assert ring is not None
    entry = ring.by_name(username)
    assert entry is not None
    entry[1].failures, entry[1].last_failed_at = failures, at.isoformat()
    keyring.save(home / "cunyi.sqlite3", ring)


def _files(home: Path) -> set[str]:
    return {p.name for p in home.iterdir()}


def test_without_credentials_or_a_terminal_nothing_is_opened(home: Path, tmp_path: Path) -> None:
    db = home / "cunyi.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(db, backup)
    before, files = digest(db), _files(home)
    for args in (["search", "张"], ["backup"], ["sql", "SELECT 1"], ["export-xlsx", str(tmp_path / "x.xlsx")],
                 ["restore", str(backup), "--yes"], ["demo", "--force"]):
        r = cunyi(home, *args, user=None)                     # stdin is not a terminal
        assert r.returncode == 1 and "Traceback" not in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "CUNYI_USER" in r.stderr, (args, r.stderr)
    assert digest(db) == before and _files(home) == files
    assert not (tmp_path / "x.xlsx").exists()


def test_a_wrong_password_is_one_line_exit_1_and_counted(home: Path) -> None:
    r = run(home, "search", "张", user=(DOC[0], WRONG))
    _one_line(r, "用户名或密码不对")
    assert "张三" not in r.out and WRONG not in r.out + r.err
    assert _failures(home, DOC[0]) == 1
    assert run(home, "search", "张", user=DOC).code == 0       # the right one still works
    assert _failures(home, DOC[0]) == 0


def test_the_growing_wait_and_the_lockout_hold_without_hanging(home: Path) -> None:
    started = time.monotonic()
    for _ in range(sign_in.FREE_TRIES - 1):
        _one_line(run(home, "search", "张", user=(DOC[0], WRONG)), "用户名或密码不对")
    _one_line(run(home, "search", "张", user=(DOC[0], WRONG)), "请等")     # a wait begins
    # Two more wrong tries, recorded as just now, so the wait (8 s) cannot run out on a slow
    # machine before the next try is checked, as the first 1 s wait did under load.
    _set_failures(home, DOC[0], sign_in.FREE_TRIES + 3, dt.datetime.now(dt.UTC))
    r = run(home, "search", "张", user=DOC)                  # even the right password must wait
    _one_line(r, "请等")
    assert "张三" not in r.out
    assert time.monotonic() - started < 20                   # reported, never slept through
    _set_failures(home, DOC[0], sign_in.LOCK_AFTER - 1,             # one try from the lock
                  dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    _one_line(run(home, "search", "张", user=(DOC[0], WRONG)), "锁定")
    _one_line(run(home, "search", "张", user=DOC), "锁定")
    assert _failures(home, DOC[0]) == sign_in.LOCK_AFTER
    _one_line(run(home, "users", "unlock", ADMIN[0], user=DOC), "锁定")   # a locked user is refused
    r = run(home, "users", "unlock", DOC[0], user=ADMIN)     # an administrator lifts it
    assert r.code == 0, r.err
    assert run(home, "search", "张", user=DOC).code == 0


def test_a_command_line_write_is_audited_under_the_signed_in_user(home: Path) -> None:
    r = run(home, "teams", "--add", "红旗村团队", "--leader", "王院长", user=DOC)
    assert r.code == 0, r.err
    with Workspace.open(home / "cunyi.sqlite3") as ws:
        rows = ws.conn.execute("SELECT username, action, table_name FROM audit_log ORDER BY seq DESC LIMIT 2")
        assert [tuple(x) for x in rows] == [("doc", "create", "teams"), ("doc", "sign_in", None)]


def test_a_village_doctor_cannot_add_an_administrator_or_restore(home: Path) -> None:
    assert run(home, "backup", user=ADMIN).code == 0
    backup = next((home / "backups").glob("*.sqlite3"))
    db = home / "cunyi.sqlite3"
    before = digest(db)
    _one_line(run(home, "users", "add", "boss", "--role", "township_admin", "--password", "boss-Pass-1",
                  user=DOC), "村医不能新增乡镇管理员")
    _one_line(run(home, "users", "add", "doc2", "--role", "village_doctor", "--password", "doc2-Pass-1",
                  user=DOC), "村医不能新增村医")
    _one_line(run(home, "restore", str(backup), "--yes", user=DOC), "不能恢复备份")
    _one_line(run(home, "sql", "INSERT INTO users (id, username, display_name, role, password_hash, "
                               "active, created_at) VALUES ('x', 'boss', 'b', 'county_admin', 'h', 1, '')",
                  user=DOC), "只读")
    _one_line(run(home, "demo", "--force", user=DOC), "不能恢复备份或替换数据库")
    assert digest(db) == before
    assert len(list((home / "backups").glob("*.sqlite3"))) == 1      # nothing was set aside


def test_an_administrator_can(home: Path) -> None:
    assert run(home, "backup", user=ADMIN).code == 0
    backup = next((home / "backups").glob("*.sqlite3"))
    r = run(home, "users", "add", "boss", "--role", "township_admin", "--password", "boss-Pass-1",
            user=ADMIN)
    assert r.code == 0, r.err
    assert run(home, "users", "list", "--json", user=("boss", "boss-Pass-1")).code == 0
    r = run(home, "restore", str(backup), "--yes", user=ADMIN)
    assert r.code == 0 and "恢复成功" in r.out, r.err
    r = run(home, "users", "list", user=ADMIN)
    assert "boss" not in r.out and "doc" in r.out          # the backup's users are back


def test_restoring_over_a_missing_database_signs_in_against_the_backup(home: Path) -> None:
    assert run(home, "backup", user=ADMIN).code == 0
    backup = next((home / "backups").glob("*.sqlite3"))
    kept = backup.read_bytes()
    (home / "cunyi.sqlite3").unlink()
    _one_line(run(home, "restore", str(backup), "--yes", user=(ADMIN[0], WRONG)), "用户名或密码不对")
    _one_line(run(home, "restore", str(backup), "--yes", user=DOC), "不能恢复备份")
    assert not (home / "cunyi.sqlite3").exists() and backup.read_bytes() == kept
    r = run(home, "restore", str(backup), "--yes", user=ADMIN)
    assert r.code == 0, r.err
    assert run(home, "search", "张", user=DOC).code == 0


def test_the_password_never_appears_in_the_output_or_the_audit_log(home: Path) -> None:
    results = [
        run(home, "search", "张", user=(DOC[0], WRONG)),
        run(home, "search", "张", user=(WRONG, DOC[1])),         # a password typed as the name
        run(home, "search", "张", user=DOC),
        run(home, "users", "add", "nurse", "--role", "village_doctor", "--password", "nurse-Pass-8",
            user=ADMIN),
        run(home, "sql", "SELECT * FROM users", "--json", user=ADMIN),
    ]
    secrets = (WRONG, DOC[1], ADMIN[1], "nurse-Pass-8")
    for r in results:
        for secret in secrets:
            assert secret not in r.out and secret not in r.err
    with Workspace.open(home / "cunyi.sqlite3") as ws:
        log = " ".join(" ".join(str(v) for v in row) for row in ws.conn.execute("SELECT * FROM audit_log"))
    for secret in secrets:
        assert secret not in log
    assert "argon2" not in results[-1].out


def test_a_terminal_is_asked_for_the_name_and_the_password(home: Path) -> None:
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CUNYI_USER", "CUNYI_PASSWORD", "DISPLAY")}
    env["CUNYI_HOME"] = str(home)
    proc = subprocess.Popen([sys.executable, "-m", "app", "search", "张"], cwd=ROOT, env=env, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    os.close(slave)
    try:
        os.write(master, f"{DOC[0]}\n".encode())
        assert proc.stderr is not None
        asked, deadline = b"", time.monotonic() + 60
        while "密码".encode() not in asked and time.monotonic() < deadline:
            if select.select([proc.stderr], [], [], 1)[0]:
                asked += os.read(proc.stderr.fileno(), 1024)
        os.write(master, f"{DOC[1]}\n".encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == 0, err.decode()
    assert "用户名" in out.decode() and "张三" in out.decode()
    assert DOC[1] not in out.decode() + (asked + err).decode()
    with Workspace.open(home / "cunyi.sqlite3") as ws:
        last = ws.conn.execute("SELECT username, action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(last) == ("doc", "sign_in")
