"""Outputs never land on the clinic's own files: the database, its -wal, backups, the data folder."""

from __future__ import annotations

import hashlib
import subprocess
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


def _content(path: Path) -> str | None:
    """What a file holds; an empty -wal is the same as none (SQLite makes and removes it itself)."""
    if not path.exists() or (path.name.endswith("-wal") and path.stat().st_size == 0):
        return None
    return _sha(path)


def _intact(db: Path) -> str:
    conn = open_file(unlocked(db))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("clinic") / "home"
    r = cunyi(home, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    assert cunyi(home, "backup").returncode == 0
    return home


def _one_line_refusal(r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), r.stderr


def _targets(home: Path) -> list[Path]:
    backup = next((home / "backups").glob("cunyi-*.sqlite3"))
    return [home / "cunyi.sqlite3", home / "cunyi.sqlite3-wal", backup, home / "notes.txt",
            home / "backups" / "new.pdf"]


@pytest.mark.parametrize("command", [("export-xlsx",), ("print", "card", "X", "-o")])
def test_an_output_onto_the_clinics_own_files_is_refused(clinic: Path, command: tuple[str, ...]) -> None:
    db = clinic / "cunyi.sqlite3"
    (clinic / "notes.txt").write_text("keep")
    for target in _targets(clinic):
        before = _sha(db)
        kept = _content(target)
        r = cunyi(clinic, *command, str(target), "--force")
        _one_line_refusal(r)
        assert "不能写到" in r.stderr
        assert _sha(db) == before and _intact(db) == "ok"
        assert _content(target) == kept


def test_a_symlink_or_dotdot_to_the_database_is_refused(clinic: Path, tmp_path: Path) -> None:
    db = clinic / "cunyi.sqlite3"
    before = _sha(db)
    link = tmp_path / "out.xlsx"
    link.symlink_to(db)
    sneaky = tmp_path / ".." / clinic.parent.name / "home" / "cunyi.sqlite3"
    for target in (link, sneaky):
        _one_line_refusal(cunyi(clinic, "export-xlsx", str(target), "--force"))
    assert _sha(db) == before


def test_the_import_report_is_refused_before_anything_is_imported(clinic: Path, tmp_path: Path) -> None:
    from tests.roster import write_county_roster

    db = clinic / "cunyi.sqlite3"
    before = _sha(db)
    roster = write_county_roster(tmp_path / "花名册.xlsx")
    r = cunyi(clinic, "import-xlsx", str(roster), "--report", str(db), "--force")
    _one_line_refusal(r)
    assert _sha(db) == before and _intact(db) == "ok"


def test_an_existing_file_is_replaced_only_with_force(clinic: Path, tmp_path: Path) -> None:
    out = tmp_path / "花名册.xlsx"
    out.write_bytes(b"old")
    r = cunyi(clinic, "export-xlsx", str(out))
    _one_line_refusal(r)
    assert "--force" in r.stderr and out.read_bytes() == b"old"
    r = cunyi(clinic, "export-xlsx", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["花名册.xlsx"]


def test_a_zero_byte_database_is_refused_and_left_empty(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "cunyi.sqlite3").write_bytes(b"")
    r = cunyi(home, "search", "张")
    _one_line_refusal(r)
    assert "0 字节" in r.stderr
    assert (home / "cunyi.sqlite3").stat().st_size == 0
