"""A row's partition is its household's village, always: moves carry every row along, tracked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.storage.changes import SYNCED_TABLES
from app.storage.partitions import ABOVE_VILLAGE, HOUSEHOLD_TABLES, PARENT, misplaced, under
from app.storage.workspace import Workspace
from tests.unit.storage.history import VILLAGES, history, household, rows_of, township


def unstamped(ws: Workspace) -> list[tuple[str, str]]:
    """Rows whose current version has no outbox entry (a write that bypassed the tracked path)."""
    out = []
    for table in sorted(SYNCED_TABLES):
        out += [(table, r[0]) for r in ws.conn.execute(
            f"SELECT t.id FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM outbox o"
            " WHERE o.table_name = ? AND o.row_id = t.id AND o.version_instance = t.version_instance"
            " AND o.version_counter = t.version_counter)", (table,))]
    return out


def test_every_synced_table_is_either_under_a_household_or_above_the_village():
    assert set(HOUSEHOLD_TABLES) | ABOVE_VILLAGE == SYNCED_TABLES
    assert not set(HOUSEHOLD_TABLES) & ABOVE_VILLAGE
    assert {"divisions", "teams"} == ABOVE_VILLAGE
    assert set(PARENT) == set(HOUSEHOLD_TABLES) - {"households"}


def test_a_household_with_five_years_of_history_moves_whole(tmp_path: Path) -> None:
    ws = township(tmp_path / "t.sqlite3")
    hid, pids = household(ws, VILLAGES[0], members=3)
    history(ws, hid, pids)
    stays, stay_pids = household(ws, VILLAGES[0])
    history(ws, stays, stay_pids, range(2025, 2026))
    whole = rows_of(ws, VILLAGES[0])
    ws.close()
    with Workspace.open(tmp_path / "t.sqlite3") as ws:
        counter = ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0]
        h = ws.households.get(hid)
        h.village_code = VILLAGES[1]
        changes = ws.households.update(h)

        moved = rows_of(ws, VILLAGES[1])
        assert moved > 90 and moved + rows_of(ws, VILLAGES[0]) == whole
        assert rows_of(ws, VILLAGES[0]) == whole - moved
        under_household = sum(ws.conn.execute(
            f"SELECT count(*) FROM {t} WHERE {under(t, 'households')}", {"root": hid}).fetchone()[0]
            for t in HOUSEHOLD_TABLES)
        assert under_household == moved                      # the household, whole, and only it
        for table in ("households", "people", "contracts", "contract_members", "service_deliveries",
                      "follow_ups", "referral_results", "health_exams", "exam_returns", "claims",
                      "diagnoses", "poverty_events", "help_persons", "general_visits"):
            assert ws.conn.execute(f"SELECT count(*) FROM {table} WHERE partition = ?",
                                   (VILLAGES[1],)).fetchone()[0] > 0, table
        assert misplaced(ws.conn) == [] and unstamped(ws) == []
        # each moved row took one new version of this install, in one unbroken run of counters
        new = [r[0] for r in ws.conn.execute(
            "SELECT version_counter FROM outbox WHERE version_counter > ? ORDER BY version_counter",
            (counter,))]
        assert len(new) == moved and new == list(range(counter + 1, counter + moved + 1))
        assert {"follow_ups", "claims", "contracts"} <= changes.tables


def test_a_person_who_moves_takes_their_own_records_and_leaves_the_contract(tmp_path: Path) -> None:
    with township(tmp_path / "t.sqlite3") as ws:
        hid, pids = household(ws, VILLAGES[0])
        history(ws, hid, pids, range(2024, 2026))
        other, _ = household(ws, VILLAGES[2])
        ws.people.move(pids[0], other, "其他")

        def partitions(table: str, column: str = "person_id") -> set[str]:
            return {r[0] for r in ws.conn.execute(
                f"SELECT DISTINCT partition FROM {table} WHERE {column} = ?", (pids[0],))}

        for table in ("people", "follow_ups", "health_exams", "claims", "diagnoses"):
            assert partitions(table, "id" if table == "people" else "person_id") == {VILLAGES[2]}
        returns = ws.conn.execute(
            "SELECT DISTINCT r.partition FROM exam_returns r JOIN health_exams e ON e.id = r.exam_id"
            " WHERE e.person_id = ?", (pids[0],)).fetchall()
        assert [r[0] for r in returns] == [VILLAGES[2]]
        assert partitions("contract_members") == {VILLAGES[0]}   # the old household's contract
        assert misplaced(ws.conn) == [] and unstamped(ws) == []


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str], list[str]]]:
    path = tmp_path_factory.mktemp("moves") / "base.sqlite3"
    hids, people = [], []
    with township(path) as ws:
        for village in VILLAGES:
            hid, pids = household(ws, village)
            history(ws, hid, pids, range(2024, 2026))
            hids.append(hid)
            people += pids
    yield path, hids, people


MOVES = st.lists(st.one_of(
    st.tuples(st.just("household"), st.integers(0, 2), st.sampled_from(VILLAGES)),
    st.tuples(st.just("person"), st.integers(0, 5), st.integers(0, 2)),
), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_after_any_moves_every_row_is_in_its_households_village(
        base: tuple[Path, list[str], list[str]], tmp_path: Path, moves: list[tuple[str, int, object]]) -> None:
    path, hids, people = base
    copy = tmp_path / "copy.sqlite3"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    with Workspace.open(copy) as ws:
        for kind, n, where in moves:
            if kind == "household":
                h = ws.households.get(hids[n])
                h.village_code = str(where)
                ws.households.update(h)
            elif ws.people.get(people[n]).household_id != hids[int(str(where))]:
                ws.people.move(people[n], hids[int(str(where))], "其他")
        assert misplaced(ws.conn) == []
        assert unstamped(ws) == []


def test_a_village_pc_writes_only_its_own_village(workspace: Workspace) -> None:
    from app.core.households import Household

    with pytest.raises(ValidationError, match="本村（622923104201）") as err:
        workspace.households.add(Household(id=None, village_code="622923104202"))
    assert err.value.field == "village_code"
    hid, _ = workspace.households.add(Household(id=None, village_code="622923104201"))
    h = workspace.households.get(hid)
    h.village_code = "622923104202"
    with pytest.raises(ValidationError, match="乡镇卫生院"):
        workspace.households.update(h)
    assert workspace.households.get(hid).village_code == "622923104201"
    assert workspace.conn.execute("SELECT count(*) FROM households WHERE village_code != ?",
                                  ("622923104201",)).fetchone()[0] == 0


def test_a_township_pc_writes_its_villages_and_nothing_outside(tmp_path: Path) -> None:
    from app.core.households import Household

    with township(tmp_path / "t.sqlite3") as ws:
        for village in VILLAGES:
            ws.households.add(Household(id=None, village_code=village))
        with pytest.raises(ValidationError, match="不在本卫生院所在乡镇"):
            ws.households.add(Household(id=None, village_code="622923105201"))
        with pytest.raises(ValidationError, match="不在本卫生院所在乡镇"), ws.transaction():
            ws.tracker.insert("households", {"village_code": "622923105201"}, partition="622923105201")
