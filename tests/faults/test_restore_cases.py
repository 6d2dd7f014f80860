"""Restore works when it is needed most: damaged, newer or missing database; another clinic's backup asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.storage.backup import list_backups
from app.storage.engine import open_file
from app.storage.migrations import LATEST_VERSION
from app.storage.workspace import Workspace
from tests.cli_users import INIT_USER, unlocked
from tests.faults.cli import digest
from tests.faults.damage import cunyi, damage, quick_check


def _init(home: Path, division: str = "622923104201") -> None:
    r = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", division,
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, Path]:
    """A clinic home with one good backup."""
    h = tmp_path / "home"
    _init(h)
    assert cunyi(h, "backup").returncode == 0
    return h, list_backups(h / "backups")[0].path


def _restored(home: Path) -> None:
    db = home / "cunyi.sqlite3"
    assert quick_check(unlocked(db)) == "ok"
    with Workspace.open(db) as ws:
        assert [u.username for u in ws.users.list()] == ["doctor"]
    assert cunyi(home, "backup", "--list").returncode == 0


def _aside(home: Path, state: str) -> list[Path]:
    return sorted(home.glob(f"cunyi.sqlite3.{state}-*"))


def test_restore_over_a_damaged_database_moves_it_aside(home):
    h, backup = home
    damage(h / "cunyi.sqlite3", pages=6)
    before = (h / "cunyi.sqlite3").read_bytes()
    r = cunyi(h, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    [aside] = _aside(h, "damaged")
    assert aside.read_bytes() == before and str(aside) in r.stdout
    _restored(h)


def test_restore_over_a_newer_database_moves_it_aside(home):
    h, backup = home
    conn = open_file(unlocked(h / "cunyi.sqlite3"))
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    assert cunyi(h, "backup").returncode == 1           # refused as before, file untouched
    r = cunyi(h, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    [aside] = _aside(h, "newer")
    assert str(aside) in r.stdout
    _restored(h)


def test_restore_when_the_database_is_missing(home):
    h, backup = home
    (h / "cunyi.sqlite3").unlink()
    r = cunyi(h, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    _restored(h)


@pytest.mark.parametrize("division", ["622923104202", "622923104201"])
def test_another_clinics_backup_asks_first(tmp_path, home, division):
    """Another village code, or the same code but another database's lineage."""
    h, _ = home
    other = tmp_path / "other"
    _init(other, division)
    assert cunyi(other, "backup").returncode == 0
    theirs = list_backups(other / "backups")[0].path
    before = digest(h / "cunyi.sqlite3", INIT_USER)     # its rows: signing in adds an audit line
    r = cunyi(h, "restore", str(theirs))
    assert r.returncode == 1 and "另一个卫生室" in r.stderr and "--yes" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert digest(h / "cunyi.sqlite3", INIT_USER) == before
    r = cunyi(h, "restore", str(theirs), "--yes")
    assert r.returncode == 0, r.stderr


def test_our_own_older_backup_does_not_warn(home):
    h, backup = home
    assert cunyi(h, "restore", str(backup), "--yes").returncode == 0
    newest = list_backups(h / "backups")[-1].path      # the first backup, made before the restore
    r = cunyi(h, "restore", str(newest))
    assert "另一个卫生室" not in r.stderr
