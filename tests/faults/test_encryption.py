"""Encryption at rest: a stolen database, backup or key file gives nothing without a password.

Each test works on real files: the database and its -wal as SQLite leaves them, backups as the
backup code writes them, and the key file beside the database.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from app import demo
from app.core.errors import AuthError, SignInWaitError, ValidationError
from app.core.keys import parse_recovery_key, recovery_key
from app.core.sign_in import LOCK_AFTER
from app.storage import engine, keyring
from app.storage.backup import make_backup, restore_backup
from app.storage.workspace import Workspace
from tests.dbfiles import plain_copy

ID_NUMBER = re.compile(rb"\d{17}[\dX]")
USER, PASSWORD = demo.DEMO_USER


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("enc") / "cunyi.sqlite3"
    demo.generate(path, size="village", seed=7)
    return path


@pytest.fixture
def home(tmp_path: Path, village: Path) -> Path:
    """A copy of the demo village, with its key file, and nothing unlocked in this process."""
    path = tmp_path / "cunyi.sqlite3"
    path.write_bytes(village.read_bytes())
    keyring.keyring_path(path).write_bytes(keyring.keyring_path(village).read_bytes())
    engine.forget_all()
    return path


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A new clinic: an administrator made first, who then adds the demo doctor."""
    path = tmp_path / "clinic" / "cunyi.sqlite3"
    with Workspace.create(path, clinic_name="测试卫生室", division_code="411523101201",
                          division_name="张庄村") as ws:
        ws.users.add_first("admin", "管理员", "township_admin", "admin-pass")
    ws, _ = Workspace.sign_in(path, "admin", "admin-pass")
    ws.users.add(USER, "演示村医", "village_doctor", PASSWORD)
    ws.close()
    engine.forget_all()
    return path


def _id_numbers(ws: Workspace) -> set[bytes]:
    return {r[0].encode() for r in ws.conn.execute("SELECT id_no FROM people WHERE id_no != ''")}


def _leaked(path: Path, ids: set[bytes]) -> set[bytes]:
    return {m for m in ID_NUMBER.findall(path.read_bytes()) if m in ids}


def test_no_id_number_can_be_read_from_the_database_its_wal_backups_or_key_file(home: Path, tmp_path: Path) -> None:
    ws, _ = Workspace.sign_in(home, USER, PASSWORD)
    ids = _id_numbers(ws)
    assert len(ids) > 100
    ws.people.update(ws.people.get(ws.conn.execute("SELECT id FROM people LIMIT 1").fetchone()[0]))
    backup = make_backup(ws, tmp_path / "backups")
    files = [home, home.with_name(home.name + "-wal"), backup, keyring.keyring_path(home),
             keyring.keyring_path(backup)]
    assert all(f.exists() for f in files)
    for f in files:
        assert _leaked(f, ids) == set(), f"ID numbers readable in {f.name}"
        assert not f.read_bytes().startswith(b"SQLite format 3")
    ws.close()


def test_files_are_readable_by_their_owner_only(home: Path, tmp_path: Path) -> None:
    made = tmp_path / "new" / "cunyi.sqlite3"
    ws = Workspace.create(made, clinic_name="测试卫生室", division_code="411523101201", division_name="张庄村")
    ws.users.add_first("doc", "李医生", "village_doctor", "secret123")
    backup = make_backup(ws, tmp_path / "new" / "backups")
    files = [made, made.with_name(made.name + "-wal"), made.with_name(made.name + "-shm"),
             keyring.keyring_path(made), backup, keyring.keyring_path(backup)]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    ws.close()


def test_without_a_password_the_database_does_not_open(home: Path) -> None:
    with pytest.raises(engine.LockedError, match="已加密"):
        Workspace.open(home)
    with pytest.raises(AuthError, match="用户名或密码不对"):
        Workspace.sign_in(home, USER, "wrong-password")
    with pytest.raises(AuthError, match="用户名或密码不对"):
        Workspace.sign_in(home, "nobody", PASSWORD)
    ws, user = Workspace.sign_in(home, USER, PASSWORD)
    assert user.username == USER and ws.user == USER
    # The tries before the right password are in the audit log, without what was typed.
    details = [r[0] for r in ws.conn.execute("SELECT detail FROM audit_log WHERE action LIKE 'sign_in%'")]
    assert any("×1" in (d or "") for d in details)
    assert not any("wrong-password" in (d or "") or "nobody" in (d or "") for d in details)
    ws.close()


def test_wrong_passwords_lock_the_account_in_the_key_file_until_an_admin_unlocks(clinic: Path) -> None:
    home = clinic
    for _ in range(LOCK_AFTER):
        ring = keyring.load(home)
        assert ring is not None
        entry = ring.by_name(USER)
        assert entry is not None
        entry[1].last_failed_at = None if entry[1].failures == 0 else "2000-01-01T00:00:00+00:00"
        keyring.save(home, ring)                 # skip the growing wait, keep the count
        with pytest.raises(AuthError):
            Workspace.sign_in(home, USER, "wrong-password")
    with pytest.raises(SignInWaitError) as locked:
        Workspace.sign_in(home, USER, PASSWORD)
    assert locked.value.locked
    ws, _ = Workspace.sign_in(home, "admin", "admin-pass")
    doc = next(u for u in ws.users.list() if u.username == USER)
    assert doc.id in ws.users.locked()
    ws.users.unlock(doc.id)
    assert doc.id not in ws.users.locked()
    ws.close()
    ws, user = Workspace.sign_in(home, USER, PASSWORD)
    assert user.username == USER
    ws.close()


def test_a_new_password_and_a_disabled_user_change_who_can_unlock(clinic: Path) -> None:
    home = clinic
    ws, _ = Workspace.sign_in(home, "admin", "admin-pass")
    doc = next(u for u in ws.users.list() if u.username == USER)
    ws.users.update(doc.id, password="new-pass-1")
    ws.close()
    engine.forget_all()
    with pytest.raises(AuthError):
        Workspace.sign_in(home, USER, PASSWORD)
    ws, _ = Workspace.sign_in(home, USER, "new-pass-1")
    ws.close()
    ws, _ = Workspace.sign_in(home, "admin", "admin-pass")
    ws.users.update(doc.id, active=False)
    ws.close()
    engine.forget_all()
    with pytest.raises(AuthError):
        Workspace.sign_in(home, USER, "new-pass-1")
    ring = keyring.load(home)
    assert ring is not None and USER not in ring.usernames()


def test_the_recovery_key_sets_a_new_password_even_without_the_key_file(home: Path) -> None:
    ws, _ = Workspace.sign_in(home, USER, PASSWORD)
    key = ws.recovery_key()
    ws.close()
    engine.forget_all()
    keyring.keyring_path(home).unlink()                   # lost with the old PC
    with pytest.raises(ValidationError, match="校验不符"):
        Workspace.recover(home, key[:-1] + ("0" if key[-1] != "0" else "1"), USER, "fresh-pass")
    ws = Workspace.recover(home, key.lower().replace("-", " "), USER, "fresh-pass")
    assert ws.conn.execute("SELECT count(*) FROM people").fetchone()[0] > 100
    ws.close()
    engine.forget_all()
    ws, _ = Workspace.sign_in(home, USER, "fresh-pass")
    assert any(r[0] == "recover_password" for r in ws.conn.execute("SELECT action FROM audit_log"))
    ws.close()


def test_recovery_keys_survive_typing_slips_and_catch_wrong_characters() -> None:
    secret = bytes(range(16))
    key = recovery_key(secret)
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", key)
    assert parse_recovery_key(key) == secret
    assert parse_recovery_key(f"  {key.lower()}  ".replace("0", "o").replace("1", "l")) == secret
    for i in (0, 10, 27):
        pos = i + i // 4                                   # skip the dashes
        other = "2" if key[pos] != "2" else "3"
        with pytest.raises(ValidationError):
            parse_recovery_key(key[:pos] + other + key[pos + 1:])


def test_a_plain_database_is_encrypted_at_the_first_sign_in(home: Path, tmp_path: Path) -> None:
    ws, _ = Workspace.sign_in(home, USER, PASSWORD)
    ids = _id_numbers(ws)
    ws.users.add("second", "第二位", "village_doctor", "second-pass")
    backups = tmp_path / "old-backups"
    with ws.transaction():
        ws.settings.update(backup_dir=str(backups))
    ws.close()
    # Make the files a version before encryption left: a plain database and a plain backup.
    plain = _decrypt(home)
    backups.mkdir()
    old_backup = backups / "cunyi-20260101-080000-daily.ok.sqlite3"
    old_backup.write_bytes(plain.read_bytes())
    plain.replace(home)
    keyring.keyring_path(home).unlink()
    engine.forget_all()
    assert _leaked(home, ids)                              # the old file shows them

    ws, user = Workspace.sign_in(home, USER, PASSWORD)
    assert user.username == USER
    key = ws.recovery_key_to_show
    assert parse_recovery_key(key) == ws.secret
    assert ws.conn.execute("SELECT count(*) FROM people").fetchone()[0] == len(ids) or len(ids) > 0
    ws.close()
    assert _leaked(home, ids) == set()
    assert _leaked(old_backup, ids) == set()
    assert stat.S_IMODE(home.stat().st_mode) == 0o600
    engine.forget_all()
    ws, _ = Workspace.sign_in(home, USER, PASSWORD)        # the same password opens it now
    assert ws.recovery_key_to_show == ""
    assert any(r[0] == "encrypt_database" for r in ws.conn.execute("SELECT action FROM audit_log"))
    ws.close()
    engine.forget_all()
    with pytest.raises(AuthError):                         # not yet: an admin sets a new password
        Workspace.sign_in(home, "second", "second-pass")


def test_restoring_a_backup_keeps_the_database_encrypted(home: Path, tmp_path: Path) -> None:
    ws, _ = Workspace.sign_in(home, USER, PASSWORD)
    ids = _id_numbers(ws)
    backup = make_backup(ws, tmp_path / "backups")
    ws.close()
    plain_backup = tmp_path / "backups" / "cunyi-20250101-080000-daily.ok.sqlite3"
    plain_backup.write_bytes(_decrypt(home).read_bytes())   # made before encryption
    for source in (backup, plain_backup):
        restore_backup(home, source, safety_folder=tmp_path / "safety")
        assert _leaked(home, ids) == set(), source.name
        ws = Workspace.open(home)
        assert len(_id_numbers(ws)) == len(ids)
        ws.close()


def _decrypt(path: Path) -> Path:
    return plain_copy(path, path.with_name("plain-" + path.name))



def test_the_command_line_prints_the_recovery_key_once_and_recovers_with_it(tmp_path: Path) -> None:
    from tests.faults.damage import cunyi

    home = tmp_path / "home"
    made = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
                 "--village-name", "红旗村", "--user", "doctor", "--password", "secret1", user=None)
    assert made.returncode == 0, made.stderr
    key = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})", made.stdout)
    assert key is not None, made.stdout
    db = home / "cunyi.sqlite3"
    assert engine.is_encrypted(db) and stat.S_IMODE(db.stat().st_mode) == 0o600
    assert cunyi(home, "search", "张").returncode == 0
    wrong = cunyi(home, "search", "张", user=("doctor", "not-it"))
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "not-it" not in wrong.stderr

    def recover(recovery: str, password: str) -> object:
        import os
        import subprocess
        import sys

        env = {k: v for k, v in os.environ.items() if not k.startswith("CUNYI_")}
        env.update(CUNYI_HOME=str(home), CUNYI_RECOVERY_KEY=recovery, CUNYI_NEW_PASSWORD=password)
        return subprocess.run([sys.executable, "-m", "app", "recover", "--user", "doctor"],
                              env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    bad = recover("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "fresh-pass")
    assert bad.returncode == 1 and "恢复密钥" in bad.stderr and bad.stderr.count("\n") == 1
    good = recover(key.group(1), "fresh-pass")
    assert good.returncode == 0, good.stderr
    assert cunyi(home, "search", "张", user=("doctor", "fresh-pass")).returncode == 0
    assert cunyi(home, "search", "张").returncode == 1            # the old password is gone


def test_the_sign_in_dialog_s_clinic_name_follows_a_rename(clinic: Path) -> None:
    ws, _ = Workspace.sign_in(clinic, "admin", "admin-pass")
    ws.settings.update(clinic_name="红旗村卫生所")
    ws.close()
    ring = keyring.load(clinic)
    assert ring is not None and ring.clinic_name == "红旗村卫生所"


def test_two_programs_changing_the_key_file_at_once_lose_nothing(clinic: Path) -> None:
    """Each program counts 40 wrong user names through the key file's lock: all 80 are there."""
    import subprocess
    import sys

    script = ("import sys\nfrom app.storage import keyring\n"
              "for _ in range(40):\n"
              "    with keyring.editing(sys.argv[1]) as ring:\n"
              "        ring.unknown_tries += 1\n")
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", script, str(clinic)], cwd=root) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    ring = keyring.load(clinic)
    assert ring is not None and ring.unknown_tries == 80


def test_encrypting_cut_off_after_the_key_file_is_finished_at_the_next_sign_in(clinic: Path) -> None:
    """A crash between writing the key file and replacing the plain file: the next sign-in
    encrypts the plain file under the key file's key, and every user still signs in."""
    ws, _ = Workspace.sign_in(clinic, "admin", "admin-pass")
    ws.close()
    plain = plain_copy(clinic, clinic.with_name("plain.sqlite3"))
    plain.replace(clinic)                                  # the file as it was before encrypting
    engine.forget_all()
    assert not engine.is_encrypted(clinic)
    ws, user = Workspace.sign_in(clinic, USER, PASSWORD)
    assert user.username == USER and ws.secret is not None
    ws.close()
    assert engine.is_encrypted(clinic)
    engine.forget_all()
    ws, _ = Workspace.sign_in(clinic, "admin", "admin-pass")
    ws.close()
