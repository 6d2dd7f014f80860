"""家庭档案: create a household, add and edit members, find them, mark and move them."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.households import Household
from app.core.people import Person
from app.storage.workspace import Workspace
from app.ui.dialogs.household_dialog import HouseholdDialog
from app.ui.dialogs.move_dialog import MarkStatusDialog, MoveDialog
from app.ui.dialogs.person_dialog import PersonDialog
from tests.conftest import VILLAGE, make_id
from tests.ui.conftest import type_text

LEFT = Qt.MouseButton.LeftButton


def _ok(buttons: QDialogButtonBox):  # type: ignore[no-untyped-def]
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def _open_dialog(page, cls):  # type: ignore[no-untyped-def]
    found = [d for d in page.findChildren(cls) if d.isVisible()]
    assert len(found) == 1
    return found[0]


def _select_member(qtbot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(p.name == name for p in page.members_model.people()))
    row = next(i for i, p in enumerate(page.members_model.people()) if p.name == name)
    page.members.setCurrentIndex(page.members_model.index(row, 0))


def _seed(ws: Workspace, head: str, id_no: str, *, group: str = "一组") -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group))
    ws.people.add(Person(id=None, household_id=hid, name=head, id_no=id_no, relation="户主"))
    return hid


def test_member_added_in_dialog_is_found_by_initials_and_edit_survives_reopening(
        qtbot, window, workspace, runner, db_path):  # type: ignore[no-untyped-def]
    page = window.households
    qtbot.mouseClick(page.new_button, LEFT)
    dialog = _open_dialog(page, HouseholdDialog)
    dialog.group.setCurrentText("三组")
    dialog.status.set_code("poor")
    dialog.causes["因病"].setChecked(True)
    type_text(qtbot, dialog.phone, "13800001111")
    type_text(qtbot, dialog.helper_name, "赵干部")
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.household.group_name == "三组")
    assert page.info["status"].text() == "建档立卡贫困户"
    assert "赵干部" in page.info["helper"].text()

    qtbot.mouseClick(page.add_member_button, LEFT)
    member = _open_dialog(page, PersonDialog)
    type_text(qtbot, member.form.name, "王建国")
    type_text(qtbot, member.form.id_no, make_id("19650312", "001"))
    assert member.form.sex.code() == "1"
    assert member.form.birth_date.text() == "1965-03-12"
    assert member.form.relation.code() == "户主"
    qtbot.mouseClick(_ok(member.buttons), LEFT)
    qtbot.waitUntil(lambda: page.members_model.rowCount() == 1)
    qtbot.waitUntil(lambda: page.title.text().endswith("王建国") or "王建国" in page.title.text())

    _seed(workspace, "吴大海", make_id("19700101", "003"))
    type_text(qtbot, page.search, "wjg")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.is_loaded())
    assert page.model.data(page.model.index(0, 1)) == "王建国"
    assert page.model.data(page.model.index(0, 4)) == "建档立卡贫困户"

    _select_member(qtbot, page, "王建国")
    qtbot.mouseClick(page.edit_member_button, LEFT)
    edit = _open_dialog(page, PersonDialog)
    edit.form.phone.clear()
    type_text(qtbot, edit.form.phone, "13912345678")
    edit.form.education.set_code("初中")
    qtbot.mouseClick(_ok(edit.buttons), LEFT)
    qtbot.waitUntil(lambda: page.members_model.people()[0].phone == "13912345678")

    runner.wait()
    window.ws.close()
    reopened = Workspace.open(db_path)
    try:
        hit = reopened.people.search("wjg")[0]
        person = reopened.people.get(hit.id)
        assert (person.phone, person.education) == ("13912345678", "初中")
    finally:
        reopened.close()


def test_marking_a_member_dead_requires_a_date(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    hid = _seed(workspace, "陈老汉", make_id("19400505", "011"))
    page = window.households
    page.select_household(hid)
    _select_member(qtbot, page, "陈老汉")
    qtbot.mouseClick(page.mark_button, LEFT)
    dialog = _open_dialog(page, MarkStatusDialog)
    dialog.status.set_code("死亡")
    assert not _ok(dialog.buttons).isEnabled()
    assert dialog.hint.text()
    type_text(qtbot, dialog.date, "2024-02-30")
    assert not _ok(dialog.buttons).isEnabled()
    dialog.date.clear()
    type_text(qtbot, dialog.date, "2024-02-29")
    assert _ok(dialog.buttons).isEnabled()
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    qtbot.waitUntil(lambda: page.members_model.people()[0].living_status == "死亡")
    assert page.members_model.data(page.members_model.index(0, 6)) == "死亡 2024-02-29"


def test_member_moves_to_a_household_found_by_search(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    source = _seed(workspace, "刘大山", make_id("19600101", "013"))
    pid, _ = workspace.people.add(Person(id=None, household_id=source, name="刘小芳",
                                         id_no=make_id("19920808", "022"), relation="女"))
    target = _seed(workspace, "黄志明", make_id("19900303", "015"), group="二组")
    page = window.households
    page.select_household(source)
    _select_member(qtbot, page, "刘小芳")
    qtbot.mouseClick(page.move_button, LEFT)
    dialog = _open_dialog(page, MoveDialog)
    type_text(qtbot, dialog.search, "hzm")
    qtbot.waitUntil(lambda: dialog.results.count() == 1)
    dialog.relation.set_code("配偶")
    qtbot.mouseClick(_ok(dialog.buttons), LEFT)
    qtbot.waitUntil(lambda: [p.name for p in page.members_model.people()] == ["刘大山"])
    window.runner.wait()
    moved = workspace.people.get(pid)
    assert (moved.household_id, moved.relation) == (target, "配偶")


def test_search_runs_on_the_worker_and_stale_results_are_dropped(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    _seed(workspace, "王建国", make_id("19650312", "001"))
    _seed(workspace, "王美丽", make_id("19680312", "002"))
    real = workspace.households.ids

    def slow(f=None):  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        return real(f)

    workspace.households.ids = slow  # type: ignore[method-assign]
    page = window.households
    page.search.setText("w")
    started = time.perf_counter()
    page.run_query()
    page.search.setText("wml")
    page.run_query()
    assert time.perf_counter() - started < 0.2  # the UI thread did not wait for SQL
    ticks: list[int] = []
    timer_started = time.perf_counter()
    qtbot.waitUntil(lambda: ticks.append(1) or not page.searching, timeout=5000)
    assert len(ticks) > 3 and time.perf_counter() - timer_started > 0.4  # events kept flowing
    qtbot.waitUntil(page.model.is_loaded)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "王美丽"


def test_household_list_finds_a_family_by_a_run_inside_a_members_id(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    page = window.households
    wanted = make_id("19650312", "001")
    _seed(workspace, "王建国", wanted)
    _seed(workspace, "吴大海", make_id("19700101", "003"), group="二组")
    type_text(qtbot, page.search, wanted[8:14])
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.is_loaded())
    assert page.model.data(page.model.index(0, 1)) == "王建国"
