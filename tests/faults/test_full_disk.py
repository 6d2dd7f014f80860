"""A full disk or a read-only place: each command fails in one line, leaves no partial file, keeps the data."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage.engine import open_file
from tests.cli_users import INIT_USER, unlocked
from tests.e2e.test_cli import cunyi
from tests.faults.cli import digest


def _sha(path: Path) -> str:
    """A file's bytes; for the live database, its rows (every open moves the audit log's
    verified-through mark and may checkpoint the WAL, neither of which is a change by the command)."""
    if path.name == "cunyi.sqlite3":
        return digest(path, INIT_USER)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _intact(db: Path) -> str:
    conn = open_file(unlocked(db), read_only=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _mount(args: list[str]) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs or a read-only bind needs root")
    r = subprocess.run(["mount", *args], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount: {r.stderr.strip()}")


def _fill(folder: Path) -> None:
    """Write a filler file until the disk says it is full."""
    chunk = b"\0" * 16384
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, chunk):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)])
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    r = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    return home


def _fails_in_one_line(r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), r.stderr


def _left(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*")}


def test_an_export_onto_a_full_disk_keeps_the_old_file(clinic: Path, small_disk: Path) -> None:
    db = clinic / "cunyi.sqlite3"
    before = _sha(db)
    old = small_disk / "old.out"
    old.write_bytes(b"the good old export")
    _fill(small_disk)
    r = cunyi(clinic, "export-xlsx", str(old), "--force")
    _fails_in_one_line(r)
    assert "磁盘已满" in r.stderr
    assert old.read_bytes() == b"the good old export"
    assert _left(small_disk) == {"old.out", "filler"}
    assert _sha(db) == before and _intact(db) == "ok"


def test_a_backup_onto_a_full_disk_leaves_no_partial_file(clinic: Path, small_disk: Path) -> None:
    db = clinic / "cunyi.sqlite3"
    before = _sha(db)
    _fill(small_disk)
    r = cunyi(clinic, "backup", "--to", str(small_disk / "backups"))
    _fails_in_one_line(r)
    assert _left(small_disk) <= {"filler", "backups"}
    assert _sha(db) == before and _intact(db) == "ok"


def test_import_and_restore_on_a_full_disk_keep_the_database(clinic: Path, small_disk: Path,
                                                             tmp_path: Path) -> None:
    from tests.roster import write_county_roster

    saved = tmp_path / "saved"
    assert cunyi(clinic, "backup", "--to", str(saved)).returncode == 0
    backup = next(saved.glob("cunyi-*.sqlite3"))
    home = small_disk / "home"
    shutil.copytree(clinic, home)
    db = home / "cunyi.sqlite3"
    before = _sha(db)  # read before the disk fills: even a read-only open needs room for -shm
    _fill(small_disk)
    roster = write_county_roster(tmp_path / "花名册.xlsx")
    _fails_in_one_line(cunyi(home, "import-xlsx", str(roster)))
    _fails_in_one_line(cunyi(home, "restore", str(backup), "--yes"))
    assert not list((home / "backups").glob("*before_restore*"))
    assert not list(home.rglob("*.partial"))
    (small_disk / "filler").unlink()      # room again, so SQLite can open the file to check it
    assert _sha(db) == before and _intact(db) == "ok"


def test_a_read_only_folder_is_not_called_damaged(clinic: Path, tmp_path: Path) -> None:
    view = tmp_path / "ro"
    view.mkdir()
    _mount(["--bind", str(clinic), str(view)])
    try:
        _mount(["-o", "remount,bind,ro", str(view)])
        db = clinic / "cunyi.sqlite3"
        before = _sha(db)
        # Reading works from a read-only place (the open-time checks write nothing there)...
        r = cunyi(view, "search", "张")
        assert r.returncode == 0 and "损坏" not in r.stderr and "Traceback" not in r.stderr
        # ...and what must write says so in one line, never calling the database damaged.
        r = cunyi(view, "backup")
        _fails_in_one_line(r)
        assert "损坏" not in r.stderr and "只读" in r.stderr
        out = tmp_path / "out"
        out.mkdir()
        _mount(["--bind", str(out), str(out)])
        _mount(["-o", "remount,bind,ro", str(out)])
        try:
            _fails_in_one_line(cunyi(clinic, "export-xlsx", str(out / "x.xlsx")))
            assert _left(out) == set()
        finally:
            subprocess.run(["umount", "-l", str(out)], check=False)
        assert _sha(db) == before and _intact(db) == "ok"
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)
