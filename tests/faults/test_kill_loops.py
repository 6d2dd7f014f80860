"""kill -9 at random moments of `cunyi import-xlsx`, `backup` and `restore`: nothing half-written.

Each loop kills a real process about ten times (seeded, so a failure replays), then looks at
what a user would find: the database whole and signed-in-able, imported households complete,
no backup-named file that fails quick_check, and the next un-killed run doing its job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import demo
from app.core.contracts import Team, TeamMember
from app.storage import engine
from app.storage.backup import list_backups, tidy
from app.storage.engine import open_file, sqlite3
from app.storage.keyring import keyring_path
from app.storage.workspace import Workspace
from tests.cli_users import DEMO, INIT_USER, unlocked
from tests.dbfiles import copy_database
from tests.faults.cli import digest
from tests.faults.damage import cunyi, quick_check
from tests.faults.procs import finish, has_traceback, kill_when, start, write_big_roster

KILLS = 10
RESTORE_KILLS = 8          # each restore copies the 23 MB demo village twice
HOUSEHOLDS = 200            # of four people: an import of 800 rows, in four commits
# An interrupted copy: the .partial file and the journal SQLite was keeping beside it.
UNFINISHED = re.compile(r"^cunyi-.*\.partial(-journal|-wal|-shm)?$")


@pytest.fixture(scope="module")
def demo_village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo village (about 23 MB) made once; each test works on its own copy."""
    db = tmp_path_factory.mktemp("demo") / "cunyi.sqlite3"
    demo.generate(db, size="village", seed=3)
    return db


@contextlib.contextmanager
def _reading(db: Path, user: tuple[str, str]) -> Iterator[sqlite3.Connection]:
    assert db.exists()
    conn = open_file(unlocked(db, user))
    try:
        yield conn
    finally:
        conn.close()


def _integrity(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


# --- import ------------------------------------------------------------------------------------


def _imported(db: Path) -> dict[str, set[str]]:
    """户编号 -> ID numbers of the household's members, as the database holds them now."""
    with _reading(db, INIT_USER) as conn:
        assert _integrity(conn) == "ok"
        found: dict[str, set[str]] = {}
        for no, id_no in conn.execute(
                "SELECT h.household_no, p.id_no FROM households h LEFT JOIN people p"
                " ON p.household_id = h.id AND p.deleted = 0 WHERE h.deleted = 0"):
            found.setdefault(no, set())
            if id_no is not None:
                found[no].add(id_no)
    return found


@pytest.mark.slow
def test_killed_imports_leave_whole_households_and_the_next_import_completes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    r = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
              "--village-name", "红旗村", "--user", INIT_USER[0], "--password", INIT_USER[1])
    assert r.returncode == 0, r.stderr
    db = home / "cunyi.sqlite3"
    rng = random.Random(10)
    members: dict[str, set[str]] = {}
    landed, seen = 0, []
    for i in range(KILLS):
        # A roster of new households each time, so every kill can land in the middle of writes.
        roster = tmp_path / f"花名册{i}.xlsx"
        part = write_big_roster(roster, households=HOUSEHOLDS, part=i)
        members |= part
        proc = start(home, "import-xlsx", str(roster), user=INIT_USER)
        landed += kill_when(proc, lambda: True, rng.uniform(0.5, 1.8))
        code, _out, err = finish(proc)
        assert not has_traceback(err), err
        assert code in (0, -9), err
        found = _imported(db)
        # The import commits whole households, a chunk at a time: never a household in part.
        assert set(found) <= set(members)
        for no, ids in found.items():
            assert ids == members[no], f"户 {no} 只导入了一部分：{len(ids)}/{len(members[no])} 人"
        seen.append(len(set(found) & set(part)))
    assert landed >= KILLS // 2, f"only {landed} kills landed while importing"
    r = cunyi(home, "import-xlsx", str(roster))          # the last, killed list again, to the end
    assert r.returncode == 0 and not has_traceback(r.stderr), r.stderr
    rows = HOUSEHOLDS * 4
    assert f"读取 {rows} 行：导入 {rows} 行、有问题 0 行" in r.stdout, r.stdout
    assert f"新建 {HOUSEHOLDS - seen[-1]} 户" in r.stdout, r.stdout
    found = _imported(db)
    assert set(part) <= set(found) and all(found[no] == members[no] for no in found)
    assert len(found) == sum(seen[:-1]) + HOUSEHOLDS
    print(f"import: {landed} kills landed; of {HOUSEHOLDS} households each killed run left {seen}")


# --- backup ------------------------------------------------------------------------------------


def _backup_files_are_whole(folder: Path, checked: set[tuple[str, int, int]] | None = None) -> list[str]:
    """Every file under a backup's name passes quick_check (once: those in `checked` are not
    read again unless they changed); the others are unfinished copies or key files whose backup
    is gone, both left for the next backup to tidy. Their names back."""
    if not folder.exists():
        return []
    checked = set() if checked is None else checked
    left = []
    for p in sorted(folder.iterdir()):
        if p.name.endswith(".sqlite3"):
            seen = (p.name, p.stat().st_size, p.stat().st_mtime_ns)
            if seen not in checked:
                assert quick_check(p) == "ok", p.name
                checked.add(seen)
        elif p.name.endswith(".sqlite3.keys"):
            if not p.with_name(p.name[:-5]).exists():     # killed while rotating: tidied next time
                left.append(p.name)
        else:
            assert UNFINISHED.match(p.name), p.name
            left.append(p.name)
    return left


def test_killed_backups_leave_only_whole_backups_and_the_next_backup_succeeds(tmp_path: Path, demo_village: Path) -> None:
    home = tmp_path / "home"
    db = copy_database(demo_village, home / "cunyi.sqlite3")
    folder = home / "backups"
    before = digest(db, DEMO)
    rng = random.Random(11)
    landed, partials = 0, 0
    checked: set[tuple[str, int, int]] = set()

    def copying() -> bool:
        return folder.exists() and any(p.suffix == ".partial" for p in folder.iterdir())

    for i in range(KILLS):
        proc = start(home, "backup", user=DEMO)
        # Half the kills land while the copy is being written, half at any moment.
        ready = copying if i % 2 == 0 else (lambda: True)
        delay = rng.uniform(0, 0.3) if i % 2 == 0 else rng.uniform(0.2, 1.2)
        landed += kill_when(proc, ready, delay)
        code, _out, err = finish(proc)
        assert not has_traceback(err), err
        assert code in (0, -9), err
        partials = max(partials, len(_backup_files_are_whole(folder, checked)))
    with _reading(db, DEMO) as conn:
        assert _integrity(conn) == "ok"
    assert digest(db, DEMO) == before
    assert landed >= KILLS // 2, f"only {landed} kills landed while backing up"
    # An unfinished copy is left alone for an hour (another process may still be writing it);
    # after that the next backup tidies it away.
    hour_ago = time.time() - 7200
    for p in folder.iterdir():
        os.utime(p, (hour_ago, hour_ago))
    r = cunyi(home, "backup", user=DEMO)
    assert r.returncode == 0 and not has_traceback(r.stderr), r.stderr
    assert _backup_files_are_whole(folder) == []
    assert list_backups(folder)[-1].verified
    print(f"backup: {landed} kills landed, at most {partials} unfinished copies left at once")


# --- restore -----------------------------------------------------------------------------------


def _content(conn: sqlite3.Connection) -> str:
    """What the clinic keeps (households, people, teams), not the instance a restore renews."""
    h = hashlib.sha256()
    for sql in ("SELECT id FROM households ORDER BY id", "SELECT id, id_no FROM people ORDER BY id",
                "SELECT id, name FROM teams ORDER BY id"):
        for row in conn.execute(sql):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _sign_in_and_look(db: Path) -> tuple[str, str, list[str]]:
    """Sign in as the demo user with the key file that lies beside the database now (nothing
    remembered from before), check the whole file; its instance, content and restore history."""
    assert db.exists(), "the database is missing"
    assert keyring_path(db).exists(), "the key file is missing"
    engine.forget_all()
    ws, _ = Workspace.sign_in(db, *DEMO)
    try:
        assert _integrity(ws.conn) == "ok"
        history = [str(r[0]) for r in ws.conn.execute(
            "SELECT reason FROM instance_history ORDER BY rowid")]
        return ws.instance_id, _content(ws.conn), history
    finally:
        ws.close()


def _mark(db: Path, n: int) -> None:
    """A team the backup does not have, so the live database and the backup differ."""
    ws, _ = Workspace.sign_in(db, *DEMO)
    try:
        ws.contracts.add_team(Team(None, f"标记团队{n}", "", [TeamMember("团队长", "王医生")]))
    finally:
        ws.close()


def test_an_interrupted_copy_and_its_journal_are_tidied_once_stale(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    names = ["cunyi-20260101-000000-manual.ok.partial", "cunyi-20260101-000000-manual.ok.partial-journal",
             "cunyi-20260101-000000-manual.ok.partial-wal", "cunyi-20260101-000000-manual.ok.sqlite3.keys.partial"]
    for name in names:
        (folder / name).write_bytes(b"x")
    tidy(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)     # fresh: maybe still written
    hour_ago = time.time() - 7200
    for p in folder.iterdir():
        os.utime(p, (hour_ago, hour_ago))
    tidy(folder)
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_killed_restores_leave_the_old_or_the_restored_database_never_a_mix(tmp_path: Path, demo_village: Path) -> None:
    home = tmp_path / "home"
    db = copy_database(demo_village, home / "cunyi.sqlite3")
    r = cunyi(home, "backup", user=DEMO)
    assert r.returncode == 0, r.stderr
    [made] = list_backups(home / "backups")
    source = copy_database(made.path, tmp_path / "stick" / made.path.name)   # brought on a stick
    _, restored_content, _ = _sign_in_and_look(source)
    _mark(db, 0)
    rng = random.Random(12)
    outcomes: Counter[str] = Counter()
    checked: set[tuple[str, int, int]] = set()

    def building() -> bool:
        return db.with_name(db.name + ".restoring").exists()

    landed = 0
    instance, content, history = _sign_in_and_look(db)
    for i in range(RESTORE_KILLS + 1):               # the last one is left to finish
        assert content != restored_content
        proc = start(home, "restore", str(source), "--yes", user=DEMO)
        killed = False
        if i < RESTORE_KILLS:
            # Half the kills land while the restored copy is being built, half at any moment.
            ready = building if i % 2 == 0 else (lambda: True)
            delay = rng.uniform(0, 0.5) if i % 2 == 0 else rng.uniform(0.3, 2.0)
            killed = kill_when(proc, ready, delay)
        landed += killed
        code, out, err = finish(proc)
        assert not has_traceback(err), err
        assert killed or (code == 0 and "恢复成功" in out), err       # a restore left alone succeeds
        now_instance, now_content, now_history = _sign_in_and_look(db)
        if now_instance == instance:
            assert code != 0
            assert now_content == content and now_history == history, "the old database changed"
            outcome = "old"
        else:
            assert now_content == restored_content, "a restored database that is not the backup"
            assert now_history[-1] == f"restored from {source.name}"
            outcome = "restored"
            _mark(db, i + 1)
            now_content = _sign_in_and_look(db)[1]
        instance, content, history = now_instance, now_content, now_history
        outcomes[outcome if killed else "restored, finished before the kill"] += 1
        _backup_files_are_whole(home / "backups", checked)
    assert landed >= RESTORE_KILLS // 2, f"only {landed} kills landed while restoring"
    # Lock files hold no data and stay (the key file's is taken at every sign-in).
    assert sorted(p.name for p in home.iterdir() if not p.name.endswith(".lock")) == [
        "backups", "cunyi.sqlite3", "cunyi.sqlite3.keys"]
    print(f"restore: {landed} kills landed, outcomes {dict(outcomes)}")
