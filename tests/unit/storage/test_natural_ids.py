"""Division rows have ids from their code, so two installs make the same row; schema 8 rewrites
older files (division ids, rows left behind by earlier moves, former clinic codes)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from app.core.households import Household
from app.core.ids import division_id, uuid7
from app.core.people import Person
from app.storage.changes import FORMER_CODES_KEY
from app.storage.db import connect
from app.storage.engine import sqlite3
from app.storage.guards import trigger_problems
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.partitions import misplaced
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id
from tests.unit.storage.history import TOWNSHIP, VILLAGES, history, household, rows_of, township
from tests.unit.storage.test_partitions import unstamped


def divisions(ws: Workspace) -> list[dict[str, object]]:
    return [dict(r) for r in ws.conn.execute("SELECT * FROM divisions")]


def apply_divisions(rows: list[dict[str, object]], target: Workspace) -> None:
    """Apply division rows of one install to another by id, as sync applies rows (apply mode)."""
    with target.transaction(), target.tracker.applying():
        for r in rows:
            target.tracker.apply("divisions", r)


def test_two_pcs_of_one_village_make_the_same_division_rows(tmp_path: Path) -> None:
    made = []
    for name in ("a", "b"):
        ws = Workspace.create(tmp_path / f"{name}.sqlite3", clinic_name="红旗村卫生室",
                              division_code=VILLAGE, division_name="红旗村")
        ws.settings.add_division(TOWNSHIP, "红旗乡")
        made.append(ws)
    a, b = made
    ids = [{r["code"]: r["id"] for r in ws.conn.execute("SELECT code, id FROM divisions")} for ws in made]
    assert ids[0] == ids[1] == {VILLAGE: division_id(VILLAGE), TOWNSHIP: division_id(TOWNSHIP)}
    assert a.instance_id != b.instance_id
    rows_a, rows_b = divisions(a), divisions(b)
    apply_divisions(rows_a, b)                 # no unique-key failure on the code
    apply_divisions(rows_b, a)
    assert divisions(a) == rows_b and divisions(b) == rows_a
    with township(tmp_path / "t.sqlite3") as t:  # the township centre holds the same rows
        assert t.conn.execute("SELECT id FROM divisions WHERE code = ?", (VILLAGE,)).fetchone()[0] \
            == ids[0][VILLAGE]
        apply_divisions(rows_a, t)
    for ws in made:
        ws.close()


def test_ids_are_stable_and_distinct():
    assert division_id(VILLAGE) == division_id(VILLAGE) != division_id(VILLAGES[1])
    assert division_id("622923104201") == "561d7f75-9053-5b85-8977-d7b342aa60ec"


def _schema_7(path: Path, division: str, name: str) -> Workspace:
    """A clinic file at schema 7, written as that release did (random division ids)."""
    conn = connect(path)
    assert migrate(conn, target=7) == 7
    old = Workspace(sqlite_utils.Database(conn), path)   # not Workspace.open: that would migrate
    with old.transaction():
        conn.execute("INSERT INTO local_instance (only_row, instance_id, counter, station, created_at)"
                     " VALUES (1, ?, 0, 1, '2025-01-01')", (uuid7(),))
        old.settings.set(clinic_name=name, division_code=division, division_name=name)
        for code in (division, *(VILLAGES if division == TOWNSHIP else ())):
            level = "township" if code == TOWNSHIP else "village"
            old.tracker.insert("divisions", {"code": code, "name": name, "level": level,
                                             "parent_code": code[:9] + "000"}, partition=code)
    return old


@contextlib.contextmanager
def _later_columns(conn: sqlite3.Connection) -> Iterator[None]:
    """Today's writers need the columns schema 11 added (`supersedes` of the results); they exist
    while the history is written and are dropped after, so the file is schema 7 again."""
    tables = ("referral_results", "exam_returns")
    for table in tables:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN supersedes TEXT")
    yield
    for table in tables:
        conn.execute(f"ALTER TABLE {table} DROP COLUMN supersedes")


def test_a_schema_7_township_file_is_rewritten_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite3"
    old = _schema_7(path, TOWNSHIP, "红旗乡卫生院")
    from app.core.contracts import Team, TeamMember

    old.contracts.add_team(Team(None, "团队", "", [TeamMember("团队长", "王")]))
    old.settings.update(policy_county="算例县")
    hid, pids = household(old, VILLAGES[0])
    with _later_columns(old.conn):
        history(old, hid, pids, range(2024, 2026))
    whole = rows_of(old, VILLAGES[0])
    # schema 7's move: the household's village and its members, nothing else
    with old.transaction():
        old.tracker.update("households", hid, {"village_code": VILLAGES[1]})
        for pid in pids:
            old.tracker.update("people", pid, {"partition": VILLAGES[1]})
    left_behind = len(misplaced(old.conn))
    assert left_behind == whole - len(pids)
    old_ids = {r[0] for r in old.conn.execute("SELECT id FROM divisions")}
    outbox = old.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    old.close()

    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 8
        ids = {r["code"]: r["id"] for r in ws.conn.execute("SELECT code, id FROM divisions")}
        assert ids == {c: division_id(c) for c in (TOWNSHIP, *VILLAGES)}
        assert not old_ids & set(ids.values())
        assert ws.conn.execute("SELECT count(*) FROM outbox WHERE table_name = 'divisions'"
                               " AND row_id NOT IN (SELECT id FROM divisions)").fetchone()[0] == 0
        assert misplaced(ws.conn) == [] and unstamped(ws) == []
        assert rows_of(ws, VILLAGES[1]) == whole and rows_of(ws, VILLAGES[0]) == 0
        assert ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox + left_behind
        assert trigger_problems(ws.conn) == []
        with pytest.raises(sqlite3.IntegrityError, match="untracked"):
            ws.conn.execute("UPDATE divisions SET name = 'x'")
        ws.households.add(Household(id=None, village_code=VILLAGES[2]))   # still works


def test_a_schema_7_village_file_keeps_its_former_code_writable(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite3"
    old = _schema_7(path, VILLAGE, "红旗村卫生室")
    hid, _ = old.households.add(Household(id=None, village_code=VILLAGE))
    old.people.add(Person(id=None, household_id=hid, name="张三", id_no=make_id(), relation="户主"))
    old.users.add_first("admin", "管理员", "township_admin", "secret1")
    old.settings.change_division_code("622923105203", "石门村")
    with old.transaction():                 # schema 7 kept no list of former codes
        old.conn.execute("DELETE FROM settings WHERE key = ?", (FORMER_CODES_KEY,))
    old.close()
    with Workspace.open(path) as ws:
        assert ws.settings.get(FORMER_CODES_KEY) == VILLAGE
        h = ws.households.get(hid)
        h.address = "一组"
        assert ws.households.update(h)

