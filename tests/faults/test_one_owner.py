"""One owner of the file: while the app holds the database, restore and demo --force refuse.

The holder is a small child process that calls `owner.hold` as the desktop app does at start,
then waits; ordinary commands keep working next to it, and once it is killed -9 the lock is gone.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage import owner
from app.storage.backup import list_backups
from tests.faults.cli import digest, init, run

ROOT = Path(__file__).resolve().parents[2]
HOLDER = (
    "import sys, time\n"
    "from app.storage import owner\n"
    "try:\n"
    "    owner.hold(sys.argv[1])\n"
    "except owner.AlreadyOpen as exc:\n"
    "    print('refused', exc, flush=True); sys.exit(1)\n"
    "print('held', flush=True)\n"
    "time.sleep(120)\n"
)


def _start_holder(db: Path) -> subprocess.Popen[str]:
    """A process holding the database as the app does; returns once it has the lock."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held", proc.stderr.read() if proc.stderr else ""
    return proc


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, Path]:
    """A clinic home with one backup."""
    home = tmp_path / "home"
    init(home)
    assert run(home, "backup").code == 0
    return home, list_backups(home / "backups")[0].path


@pytest.fixture
def held(clinic: tuple[Path, Path]) -> Iterator[subprocess.Popen[str]]:
    proc = _start_holder(clinic[0] / "cunyi.sqlite3")
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


def _one_refusal(err: str, pid: int, doing: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误：村医程序正在使用这个数据库（进程 ") and f"进程 {pid}" in lines[0]
    assert lines[0].endswith(f"请先关闭它再{doing}"), lines[0]


def test_restore_refuses_while_the_app_holds_the_database(clinic: tuple[Path, Path], held: subprocess.Popen[str]) -> None:
    home, backup = clinic
    db = home / "cunyi.sqlite3"
    before = digest(db)
    r = run(home, "restore", str(backup), "--yes")
    assert r.code == 1 and r.out == ""
    _one_refusal(r.err, held.pid, "恢复备份")
    assert digest(db) == before
    assert len(list_backups(home / "backups")) == 1          # not even a safety copy was made


def test_demo_force_refuses_while_the_app_holds_the_database(clinic: tuple[Path, Path], held: subprocess.Popen[str]) -> None:
    home, _ = clinic
    db = home / "cunyi.sqlite3"
    before = digest(db)
    r = run(home, "demo", "--force", "--size", "village")
    assert r.code == 1 and r.out == ""
    _one_refusal(r.err, held.pid, "替换为演示数据")
    assert digest(db) == before
    assert sorted(p.name for p in home.iterdir() if "demo" in p.name) == []


def test_demo_refuses_while_the_app_is_on_its_first_run_screen(tmp_path: Path) -> None:
    """The app holds the file's place before the database exists: no demo appears under it."""
    home = tmp_path / "home"
    proc = _start_holder(home / "cunyi.sqlite3")
    try:
        r = run(home, "demo", "--size", "village", user=None)
        assert r.code == 1
        _one_refusal(r.err, proc.pid, "生成演示数据")
        assert not (home / "cunyi.sqlite3").exists()
    finally:
        proc.kill()
        proc.communicate(timeout=10)


def test_ordinary_commands_work_next_to_the_app(clinic: tuple[Path, Path], held: subprocess.Popen[str]) -> None:
    home, _ = clinic
    added = run(home, "teams", "--add", "一组", "--leader", "王医生", "--phone", "13800000000")
    assert added.code == 0, added.err
    listed = run(home, "teams")
    assert listed.code == 0 and "一组" in listed.out
    searched = run(home, "search", "王")
    assert searched.code == 0, searched.err


def test_a_killed_app_leaves_no_stale_lock(clinic: tuple[Path, Path], held: subprocess.Popen[str]) -> None:
    home, backup = clinic
    held.send_signal(signal.SIGKILL)
    held.wait(timeout=10)
    assert owner.lock_path(home / "cunyi.sqlite3").exists()     # the file stays; its lock went
    assert owner.held_by_other(home / "cunyi.sqlite3") is None
    r = run(home, "restore", str(backup), "--yes")
    assert r.code == 0, r.err
    assert r.out.startswith("恢复成功")


def test_a_second_holder_is_refused_clearly(clinic: tuple[Path, Path], held: subprocess.Popen[str]) -> None:
    home, _ = clinic
    second = subprocess.run([sys.executable, "-c", HOLDER, str(home / "cunyi.sqlite3")], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert second.returncode == 1
    assert second.stdout.startswith("refused 村医程序已经打开了这个数据库（进程 ")
    assert f"进程 {held.pid}" in second.stdout


def test_this_process_holding_it_may_restore_its_own_database(clinic: tuple[Path, Path]) -> None:
    """The app's own restore (settings page, damaged start) runs inside the holder: allowed."""
    home, backup = clinic
    db = home / "cunyi.sqlite3"
    with owner.hold(db) as mine:
        assert owner.hold(db) is mine                     # holding twice in one process is one hold
        assert owner.held_by_other(db) is None
        r = run(home, "restore", str(backup), "--yes")
        assert r.code == 0, r.err
    assert owner.held_by_other(db) is None
