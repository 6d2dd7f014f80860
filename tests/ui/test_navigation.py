"""Pages are reached by name; every button that switches page lands on the page it names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.dialogs.followup_dialog import FollowUpDialog
from tests.ui.demo import demo_window, demo_workspace

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def demo(qtbot, tmp_path, tmp_path_factory, runner, paths):  # type: ignore[no-untyped-def]
    ws, user = demo_workspace(tmp_path, tmp_path_factory)
    window = demo_window(qtbot, ws, user, runner, paths)
    yield window
    runner.wait()
    ws.close()


def a_household_of_three(ws) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    for hid in ws.households.ids()[40:]:          # not the first rows, so the list must move to it
        members = ws.households.members(hid)
        if len(members) >= 3:
            return hid, [str(m.id) for m in members]
    raise AssertionError("the demo village has households of three")


def test_each_page_name_shows_its_page_and_the_window_opens_on_the_worktable(demo) -> None:  # type: ignore[no-untyped-def]
    w = demo
    assert w.current_page_name() == "worktable"
    expected = {"worktable": w.worktable, "households": w.households, "person": w.person_page,
                "contracts": w.contracts_page, "followups": w.followups_page,
                "exams": w.exams_page, "claims": w.claims_page, "settings": w.settings_page}
    for name, page in expected.items():
        assert w.show_page(name) is page
        assert w.stack.currentWidget() is page
        assert w.nav.currentRow() == w.page_names.index(name)
    for row in range(w.nav.count()):               # the list on the left agrees with the names
        w.nav.setCurrentRow(row)
        assert w.stack.currentWidget() is w.page(w.page_names[row])


def test_show_household_in_a_resident_file_opens_that_household(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    w = demo
    hid, members = a_household_of_three(w.ws)
    w.open_person(members[1])
    assert w.current_page_name() == "person"
    qtbot.waitUntil(lambda: w.person_page.file is not None
                    and str(w.person_page.file.person.id) == members[1])
    qtbot.mouseClick(w.person_page.household_button, LEFT)

    assert w.stack.currentWidget() is w.households             # not the 工作台
    qtbot.waitUntil(lambda: w.households.detail is not None
                    and str(w.households.detail.household.id) == hid)
    assert {str(m.id) for m in w.households.detail.members} == set(members)


def test_open_resident_file_in_a_household_opens_that_resident(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    w = demo
    hid, members = a_household_of_three(w.ws)
    w.show_page("households")
    w.households.select_household(hid)
    qtbot.waitUntil(lambda: w.households.detail is not None
                    and str(w.households.detail.household.id) == hid)
    table = w.households.members
    row = next(r for r in range(w.households.members_model.rowCount())
               if str(w.households.members_model.person(r).id) == members[2])
    table.selectRow(row)
    qtbot.mouseClick(w.households.open_button, LEFT)

    assert w.stack.currentWidget() is w.person_page
    qtbot.waitUntil(lambda: w.person_page.file is not None)
    assert str(w.person_page.file.person.id) == members[2]


def test_follow_up_in_a_resident_file_opens_the_form_for_that_resident(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    w = demo
    pid = w.ws.conn.execute(
        "SELECT person_id FROM diagnoses WHERE condition = '高血压' AND NOT deleted LIMIT 1").fetchone()[0]
    w.open_person(pid)
    qtbot.waitUntil(lambda: w.person_page.file is not None and w.person_page.followup_button.isEnabled())
    qtbot.mouseClick(w.person_page.followup_button, LEFT)
    dialog = w.followups_page.dialog
    assert isinstance(dialog, FollowUpDialog) and dialog.person_id == pid
    qtbot.waitUntil(lambda: dialog.form is not None)
    dialog.done(0)
