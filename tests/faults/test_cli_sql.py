"""`cunyi sql`: read-only queries for a signed-in user; writes, keys and secrets never get through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.households import Household
from app.core.people import Person
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.faults.cli import digest, run
from tests.faults.damage import cunyi

ADMIN = ("admin", "admin-Pass-71")
RESIDENTS = {"张三": make_id("19650312", "011"), "李四": make_id("19700101", "022"),
             "王五": make_id("19801231", "033")}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("sql") / "home"
    h.mkdir()
    with Workspace.create(h / "cunyi.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first(ADMIN[0], "县管理员", "county_admin", ADMIN[1])
        hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name="一组",
                                            address="红旗村一组1号"))
        for n, (name, id_no) in enumerate(RESIDENTS.items()):
            ws.people.add(Person(id=None, household_id=hid, name=name, id_no=id_no,
                                 relation="户主" if n == 0 else "其他"))
    return h


@pytest.fixture
def home(base: Path, tmp_path: Path) -> Path:
    import shutil

    h = tmp_path / "home"
    shutil.copytree(base, h)
    return h


def _sql(home: Path, *args: str) -> tuple[int, str, str]:
    r = run(home, "sql", *args, user=ADMIN)
    return r.code, r.out, r.err


def test_a_select_returns_the_right_rows_as_a_table_and_as_json(home: Path) -> None:
    query = "SELECT name, id_no FROM people WHERE deleted = 0 ORDER BY id_no"
    code, out, err = _sql(home, query)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["name", "id_no"] and set(lines[1]) == {"-", " "}
    assert [line.split() for line in lines[2:5]] == [[n, i] for n, i in sorted(RESIDENTS.items(),
                                                                              key=lambda x: x[1])]
    assert lines[-1] == "（3 行）"
    code, out, err = _sql(home, query, "--json")
    assert code == 0, err
    assert json.loads(out) == [{"name": n, "id_no": i}
                               for n, i in sorted(RESIDENTS.items(), key=lambda x: x[1])]


def test_password_hashes_read_as_null(home: Path) -> None:
    code, out, _ = _sql(home, "SELECT username, password_hash FROM users", "--json")
    assert code == 0 and json.loads(out) == [{"username": "admin", "password_hash": None}]
    code, out, _ = _sql(home, "SELECT * FROM users")
    assert code == 0 and "NULL" in out and "argon2" not in out
    code, out, _ = _sql(home, "SELECT group_concat(password_hash) AS h FROM users", "--json")
    assert code == 0 and json.loads(out) == [{"h": None}]


@pytest.mark.parametrize("query", [
    "DELETE FROM people",
    "PRAGMA key = 'x'",
    "PRAGMA rekey = 'x'",
    "PRAGMA journal_mode = DELETE",
    "ATTACH DATABASE 'other.sqlite3' AS other",
    "UPDATE users SET role = 'county_admin'",
    "SELECT 1; DELETE FROM people",
    "INSERT INTO settings (key, value) VALUES ('x', 'y')",
    "DROP TABLE people",
    "VACUUM INTO 'copy.sqlite3'",
    "SELEKT * FROM people",
])
def test_anything_but_reading_is_refused_and_changes_nothing(home: Path, query: str) -> None:
    db = home / "cunyi.sqlite3"
    before = digest(db)
    code, out, err = _sql(home, query)
    assert code == 1 and out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert digest(db) == before
    assert not (home.parent / "other.sqlite3").exists() and not (home.parent / "copy.sqlite3").exists()
    code, out, _ = _sql(home, "SELECT count(*) AS n FROM people", "--json")
    assert json.loads(out) == [{"n": 3}]


def test_each_query_is_audited_under_the_user_and_cut_to_500_characters(home: Path) -> None:
    long = "SELECT name FROM people WHERE name != '" + "x" * 600 + "'"
    assert _sql(home, long)[0] == 0
    with Workspace.open(home / "cunyi.sqlite3") as ws:
        row = ws.conn.execute("SELECT username, detail FROM audit_log WHERE action = 'sql'").fetchone()
    assert row["username"] == "admin" and len(row["detail"]) == 500 and row["detail"].startswith(long[:400])


def test_more_rows_than_the_limit_are_cut_with_a_note(home: Path) -> None:
    code, out, err = _sql(home, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                "WHERE i < 10005) SELECT i FROM n", "--json")
    assert code == 0 and len(json.loads(out)) == 10_000 and "10000" in err


def test_without_signing_in_no_query_runs(home: Path) -> None:
    r = cunyi(home, "sql", "SELECT name FROM people", user=None)
    assert r.returncode == 1 and r.stdout == "" and "CUNYI_USER" in r.stderr
    r = run(home, "sql", "SELECT name FROM people", user=(ADMIN[0], "wrong-Pass-1"))
    assert r.code == 1 and r.out == "" and "用户名或密码不对" in r.err
