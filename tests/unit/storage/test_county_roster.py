"""The county's messy roster: every good person is kept, every other row is listed, and the
imported patients are due for follow-up at once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from app.storage.importer import import_workbook, preview
from app.storage.workspace import Workspace
from tests.roster import Roster, write_county_roster

TODAY = dt.date(2024, 6, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    return write_county_roster(tmp_path / "红旗村花名册.xlsx")


def outbox(ws: Workspace) -> int:
    return int(ws.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def people_by_name(ws: Workspace) -> dict[str, dict[str, object]]:
    rows = ws.conn.execute(
        "SELECT p.name, p.relation, p.phone, p.id, h.household_no, h.head_id FROM people p"
        " JOIN households h ON h.id = p.household_id WHERE p.deleted = 0")
    return {r["name"]: dict(r) for r in rows}


def test_every_good_person_is_kept_and_every_other_row_listed(workspace: Workspace,
                                                              roster: Roster) -> None:
    report = import_workbook(workspace, roster.path, today=TODAY)

    people = people_by_name(workspace)
    assert set(people) == set(roster.kept)
    for name, p in roster.kept.items():
        assert people[name]["relation"] == p.stored_relation, (name, p.relation)
        # The phone column after 帮扶责任人 holds the members' own phones.
        assert people[name]["phone"] == p.phone, name
    assert {(p.row_number, any(w in p.reason for w in [roster.bad[p.row_number]]))
            for p in report.problems} == {(row, True) for row in roster.bad}
    assert {s.row_number for s in report.skipped} == set(roster.skipped)
    for s in report.skipped:
        assert roster.skipped[s.row_number] in s.reason
    assert all(CJK.search(p.reason) for p in [*report.problems, *report.skipped, *report.warnings])
    assert report.rows_read == roster.data_rows
    assert report.rows_imported + len(report.problems) + len(report.skipped) == roster.data_rows
    assert f"读取 {roster.data_rows} 行" in report.summary()

    # A household whose head died, and one whose head row is bad, are created with a stand-in.
    for no, stand_in in roster.headless.items():
        assert people[stand_in]["household_no"] == no
        assert people[stand_in]["head_id"] == people[stand_in]["id"]
        assert any(w.name == stand_in and "户主待定" in w.reason for w in report.warnings)
    assert any(w.name == "吴干儿" and "干儿子" in w.reason and "其他" in w.reason
               for w in report.warnings)
    assert report.ambiguous and "联系电话" in report.ambiguous[0]


def test_imported_patients_are_due_for_follow_up(workspace: Workspace, roster: Roster) -> None:
    import_workbook(workspace, roster.path, today=TODAY)
    lines = workspace.care.tasks(TODAY).lines
    assert {x.name for x in lines if x.kind == "高血压随访"} == roster.hypertensive
    assert {x.name for x in lines if x.kind == "糖尿病随访"} == roster.diabetic
    person = workspace.care.find_person(roster.kept["张老汉"].id_no)
    assert {d.condition for d in workspace.people.diagnoses(str(person.id))} == {"高血压", "冠心病"}


def test_reimporting_the_roster_changes_nothing(workspace: Workspace, roster: Roster) -> None:
    import_workbook(workspace, roster.path, today=TODAY)
    before = outbox(workspace)
    again = import_workbook(workspace, roster.path, today=TODAY)
    assert outbox(workspace) == before
    assert (again.people_created, again.people_updated) == (0, 0)
    assert again.people_unchanged == len(roster.kept)
    assert (again.households_created, again.households_updated, again.diagnoses_added) == (0, 0, 0)


def test_the_phone_column_can_be_given_to_the_help_person(workspace: Workspace,
                                                         roster: Roster) -> None:
    assert [a.header for a in preview(roster.path).ambiguous] == ["联系电话"]
    choice = {"帮扶责任人电话": "联系电话"}
    assert preview(roster.path, mapping=choice).ambiguous == []
    report = import_workbook(workspace, roster.path, mapping=choice, today=TODAY)
    assert report.ambiguous == []
    head = workspace.care.find_person(roster.kept["张建国"].id_no)
    helper = workspace.households.current_help_person(str(head.household_id))
    assert helper is not None and helper.phone == "13800000101"
    assert head.phone == ""


def test_nothing_imported_says_why_in_one_line(tmp_path: Path, roster: Roster) -> None:
    with Workspace.create(tmp_path / "other.sqlite3", clinic_name="胜利村卫生室",
                          division_code="622923104202", division_name="胜利村") as other:
        report = import_workbook(other, roster.path, today=TODAY)
    assert report.rows_imported == 0
    why = report.nothing_imported()
    assert "\n" not in why and "红旗" in why and "胜利村" in why
