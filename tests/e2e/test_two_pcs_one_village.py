"""Two PCs set up for one village, each with its own station, share their work as sync will.

Each PC imports half of the county's roster, signs the contracts of its households and records
follow-ups; then every tracked row of each is applied to the other in the storage's apply mode.
Nothing may fail on a unique or foreign key, both files must end up holding the same rows, no
number may have been issued twice, and the one resident the roster lists in both halves (the same
resident ID) must be reported as a possible duplicate rather than refused or silently merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.core import chains as rule
from app.core.contracts import Team, TeamMember
from app.core.followups import FollowUp
from app.storage import conflicts
from app.storage.changes import APPLY_ORDER
from app.storage.importer import import_workbook
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE, make_id

TODAY = dt.date(2026, 3, 20)
HEADERS = ["所在村", "村民小组", "户编号", "姓名", "与户主关系", "证件号码", "性别", "户类型",
           "致贫原因", "患病情况", "帮扶责任人", "联系电话"]
HOUSEHOLDS = 16
SHARED = make_id("19900909", "998")      # a daughter listed in household 3 and, married, in 12


def _roster_rows(numbers: range) -> list[list[Any]]:
    rows = []
    for n in numbers:
        members = [("户主", f"19{50 + n}0101", "高血压"), ("配偶", f"19{52 + n}0202", ""),
                   ("子", f"19{80 + n}0303", "")]
        for i, (relation, birth, disease) in enumerate(members):
            seq = f"{(n * 3 + i) * 2 + 101:03d}"
            rows.append(["红旗村", f"{n % 3 + 1}组", f"62292310420100{n:02d}", f"居民{n:02d}{i}",
                         relation, make_id(birth, seq), "男" if int(seq) % 2 else "女",
                         "脱贫户" if n % 2 else "一般户", "因病" if n % 2 else "", disease,
                         "王干部" if n % 2 else "", f"1390000{n:02d}{i:02d}"])
        if n in (3, 12):
            rows.append(["红旗村", f"{n % 3 + 1}组", f"62292310420100{n:02d}", "李小红",
                         "女" if n == 3 else "儿媳", SHARED, "女", "脱贫户" if n % 2 else "一般户",
                         "", "", "", ""])
    return rows


def _workbook(path: Path, numbers: range) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["红旗村建档立卡户花名册"])
    sheet.append(HEADERS)
    for row in _roster_rows(numbers):
        sheet.append(row)
    book.save(path)
    return path


def _pc(tmp_path: Path, name: str, station: int, half: range, *, sign: bool = True) -> Workspace:
    """A PC set up for the village, which imports its half, signs and visits its households."""
    ws = Workspace.create(tmp_path / f"{name}.sqlite3", clinic_name="红旗村卫生室",
                          division_code=VILLAGE, division_name="红旗村", station=station)
    ws.users.add_first(f"doctor_{name}", f"{name}医生", "township_admin", "Secret-pass-1")
    report = import_workbook(ws, _workbook(tmp_path / f"roster_{name}.xlsx", half), today=TODAY)
    assert report.problems == [] and report.people_created == len(half) * 3 + 1
    if sign:
        _sign_and_visit(ws, name)
    return ws


def _sign_and_visit(ws: Workspace, name: str) -> None:
    """Sign a team with every household of the PC and record (and correct) the head's visit."""
    team, _ = ws.contracts.add_team(Team(None, f"红旗村{name}组团队", "",
                                         [TeamMember("团队长", f"{name}医生", "13900000000")]))
    for hid in ws.households.ids():
        ws.contracts.sign(hid, str(team), ["JC"], TODAY - dt.timedelta(days=30))
        head = next(p for p in ws.households.members(hid) if p.relation == "户主")
        fid, _ = ws.care.add_followup(FollowUp(id=None, person_id=str(head.id), kind="高血压",
                                               visit_date=TODAY - dt.timedelta(days=7),
                                               sbp=132, dbp=84), today=TODAY)
        corrected = ws.care.followup(fid)
        corrected.sbp = 128
        ws.care.correct_followup(fid, corrected, today=TODAY)


def _tracked_rows(ws: Workspace) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of every synced table, parents first (tables in APPLY_ORDER, rows as written)."""
    for table in APPLY_ORDER:
        for row in ws.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            yield table, dict(row)


def _apply(rows: list[tuple[str, dict[str, Any]]], target: Workspace) -> int:
    """Apply another PC's rows in apply mode, in one transaction; how many changed the file."""
    changed = 0
    with target.transaction(), target.tracker.applying():
        for table, row in rows:
            changed += target.tracker.apply(table, row)
    return changed


STAMP = ("version_instance", "version_counter", "updated_at")


def _snapshot(ws: Workspace) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced row, stamps and all, except the village's division row: both PCs made it by
    nature (same id, same values, each with its own stamp), and which stamp stays is for the
    county's merge to decide (next issue); its values must agree."""
    out = {t: {r["id"]: dict(r) for r in ws.conn.execute(f"SELECT * FROM {t}")} for t in APPLY_ORDER}
    for row in out["divisions"].values():
        for column in STAMP:
            row.pop(column)
    return out


@pytest.fixture
def pcs(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2))
    b = _pc(tmp_path, "b", 2, range(HOUSEHOLDS // 2, HOUSEHOLDS))
    yield a, b
    a.close()
    b.close()


def test_two_pcs_of_one_village_apply_each_others_rows_whole(pcs: tuple[Workspace, Workspace]) -> None:
    a, b = pcs
    from_a, from_b = list(_tracked_rows(a)), list(_tracked_rows(b))
    assert len(from_a) >= 100 and len(from_b) >= 100   # 8 households, 25 people each, …

    # Every row of one applied to the other: no unique-key or foreign-key failure.
    assert _apply(from_a, b) > 0
    assert _apply(from_b, a) > 0
    assert a.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert b.conn.execute("PRAGMA foreign_key_check").fetchall() == []

    # Both files hold the same rows, stamps and all; applying again changes nothing.
    assert _snapshot(a) == _snapshot(b)
    assert _apply([r for r in from_a if r[0] != "divisions"], b) == 0
    assert _apply([r for r in from_b if r[0] != "divisions"], a) == 0

    # No number people see was issued twice: 档案号 from two stations, contracts by station.
    people = a.conn.execute("SELECT record_no FROM people WHERE deleted = 0").fetchall()
    assert len(people) == HOUSEHOLDS * 3 + 2
    assert len({r[0] for r in people}) == len(people)
    numbers = [r[0] for r in a.conn.execute("SELECT contract_no FROM contracts")]
    assert len(numbers) == HOUSEHOLDS and len(set(numbers)) == HOUSEHOLDS

    # The resident listed on both halves is the one conflict, found the same on both PCs.
    for ws in (a, b):
        assert conflicts.detect(ws.conn) == 1
        [c] = conflicts.conflicts(ws.conn)
        shared = {r[0] for r in ws.conn.execute("SELECT id FROM people WHERE id_no = ?", (SHARED,))}
        assert (c.kind, c.table, {c.a_id, c.b_id}) == (rule.DUPLICATE_PERSON, "people", shared)

    # Each PC's work reads back on the other: every household, its contract and its follow-up.
    assert len(a.households.ids()) == len(b.households.ids()) == HOUSEHOLDS
    for ws in (a, b):
        heads = [p for h in ws.households.ids() for p in ws.households.members(h) if p.relation == "户主"]
        assert len(heads) == HOUSEHOLDS
        for head in heads:
            [current] = ws.care.followups(str(head.id))
            assert current.sbp == 128


def test_two_pcs_that_both_kept_station_1_clash_until_the_county_confirms_1_and_2(tmp_path: Path) -> None:
    """Both PCs kept the default station: their provisional 档案号 repeat each other's, yet every
    row applies; once the county confirms stations 1 and 2, the second PC's numbers move into its
    block, and after the next exchange no number is held twice and every old one still finds its
    person."""
    a = _pc(tmp_path, "a", 1, range(0, HOUSEHOLDS // 2), sign=False)
    b = _pc(tmp_path, "b", 1, range(HOUSEHOLDS // 2, HOUSEHOLDS), sign=False)
    try:
        _apply(list(_tracked_rows(a)), b)
        _apply(list(_tracked_rows(b)), a)
        numbers = [r[0] for r in a.conn.execute("SELECT record_no FROM people WHERE deleted = 0")]
        clash = len(numbers) - len(set(numbers))
        assert clash == HOUSEHOLDS // 2 * 3 + 1            # every number of the smaller half

        before = {r[0]: r[1] for r in b.conn.execute(
            "SELECT id, record_no FROM people WHERE record_issuer = ?", (b.instance_id,))}
        assert a.record_numbers.confirm(1, by="county").renumbered == []
        moved = b.record_numbers.confirm(2, by="county").renumbered
        assert len(moved) == len(before) and {pid for pid, _, _ in moved} == set(before)
        for ws in (a, b):        # both sign every household, once confirmed: stations 1 and 2
            _sign_and_visit(ws, "a" if ws is a else "b")
        _apply(list(_tracked_rows(a)), b)
        _apply(list(_tracked_rows(b)), a)

        assert _snapshot(a) == _snapshot(b)
        for ws in (a, b):
            rows = ws.conn.execute(
                "SELECT id, record_no, record_provisional FROM people WHERE deleted = 0").fetchall()
            assert len({r[1] for r in rows}) == len(rows) == HOUSEHOLDS * 3 + 2
            assert {r[2] for r in rows} == {0}
            assert ws.record_numbers.block().provisional == 0
            for pid, old, new in moved:
                assert ws.people.by_record_no(new).id == pid
                assert ws.people.get(pid).former_record_nos == [old]
                assert 10_001 <= int(new[12:]) <= 20_000
            numbers = [r[0] for r in ws.conn.execute("SELECT contract_no FROM contracts")]
            assert len(numbers) == len(set(numbers)) == 2 * HOUSEHOLDS
    finally:
        a.close()
        b.close()
