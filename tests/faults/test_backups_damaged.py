"""Backups of a damaged database are refused and never push the last good backup out of rotation."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from app import demo
from app.core.errors import DatabaseDamagedError
from app.storage import backup_policy
from app.storage.backup import list_backups, make_backup, rotate
from app.storage.workspace import Workspace
from tests.cli_users import DEMO
from tests.dbfiles import copy_database
from tests.faults.damage import cunyi, damage, quick_check


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "cunyi.sqlite3"
    demo.generate(path, size="village", seed=7)
    return path


@pytest.fixture
def home(tmp_path: Path, demo_db: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    copy_database(demo_db, h / "cunyi.sqlite3")
    return h


def test_backups_of_a_damaged_database_are_refused_and_the_good_one_survives(home):
    db, folder = home / "cunyi.sqlite3", home / "backups"
    with Workspace.open(db) as ws:
        good = make_backup(ws, folder)
    damage(db, pages=20)
    assert quick_check(db) != "ok"
    with Workspace.open(db) as ws:
        for _ in range(14):
            with pytest.raises(DatabaseDamagedError) as err:
                make_backup(ws, folder, keep=1)
            assert "已损坏" in str(err.value) and str(good) in str(err.value)
    backups = list_backups(folder)
    assert [b.path for b in backups] == [good]
    assert backups[0].verified is True and quick_check(good) == "ok"


def test_rotation_keeps_the_newest_good_backup_among_damaged_ones(home, tmp_path):
    db, folder = home / "cunyi.sqlite3", home / "backups"
    with Workspace.open(db) as ws:
        good = make_backup(ws, folder)
    damage(db)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    for n in range(14):       # copies of the damaged file, as an older version made them
        stamp = (start + dt.timedelta(minutes=n)).strftime("%Y%m%d-%H%M%S")
        shutil.copy(db, folder / f"cunyi-{stamp}-daily.sqlite3")
    rotate(folder, keep=3)
    left = list_backups(folder)
    assert good in [b.path for b in left]
    assert [b.verified for b in left if b.path != good] == [False] * (len(left) - 1)
    assert all(b.path.name.endswith(".damaged.sqlite3") for b in left if b.path != good)
    assert backup_policy.newest_good(left) == good


def test_the_ladder_keeps_days_weeks_and_months():
    class B:
        def __init__(self, created: dt.datetime) -> None:
            self.created = created
            self.path = Path(f"/nonexistent/{created:%Y%m%d%H}.sqlite3")

    now = dt.datetime(2026, 12, 3, 8, tzinfo=dt.UTC)
    backups = [B(now - dt.timedelta(hours=12 * n)) for n in range(400)]   # two a day for 200 days
    kept = backup_policy.to_keep(backups, keep=7)
    assert 7 + 7 <= len(kept) <= 7 + 7 + 4 + 6
    oldest = min(b.created for b in backups if b.path in kept)
    assert now - oldest > dt.timedelta(days=120)       # the monthly rungs reach back to July


def test_cli_says_the_database_is_damaged_and_names_the_good_backup(home):
    assert cunyi(home, "backup", user=DEMO).returncode == 0
    good = list_backups(home / "backups")[0].path
    damage(home / "cunyi.sqlite3")
    r = cunyi(home, "backup", user=DEMO)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "已损坏" in r.stderr and str(good) in r.stderr
    assert [b.path for b in list_backups(home / "backups")] == [good]


def test_a_command_reading_damaged_pages_says_how_to_restore(home, tmp_path):
    assert cunyi(home, "backup", user=DEMO).returncode == 0
    good = list_backups(home / "backups")[0].path
    damage(home / "cunyi.sqlite3", pages=60)
    r = cunyi(home, "export-xlsx", str(tmp_path / "all.xlsx"), user=DEMO)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "已损坏" in r.stderr and f'cunyi restore "{good}" --yes' in r.stderr
