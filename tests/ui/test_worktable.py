"""工作台: the day's tasks, their counts, and a line that opens its form and disappears once done."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.core import tasks as t
from app.core.exams import HealthExam
from app.core.followups import FollowUp
from app.core.households import Household
from app.core.people import Diagnosis, Person
from app.storage.workspace import Workspace
from app.ui.dialogs.care_dialogs import ReturnedDialog
from app.ui.dialogs.exam_dialog import ExamDialog
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.pages.worktable import WorktablePage
from tests.conftest import VILLAGE, make_id
from tests.ui.conftest import type_text

LEFT = Qt.MouseButton.LeftButton
TODAY = dt.date(2024, 12, 20)


def patient(ws: Workspace, name: str, seq: str, *, conditions: tuple[str, ...] = ("高血压",),
            group: str = "一组", birth: str = "19600101") -> str:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, group_name=group))
    pid, _ = ws.people.add(Person(id=None, household_id=hid, name=name,
                                  id_no=make_id(birth, seq), relation="户主"))
    for condition in conditions:
        ws.people.add_diagnosis(Diagnosis(id=None, person_id=pid, condition=condition,
                                   confirmed_on=dt.date(2020, 3, 1)))
    return str(pid)


def controlled_visit(ws: Workspace, pid: str, *, day: dt.date = dt.date(2024, 9, 20),
                     next_date: dt.date = dt.date(2024, 12, 15)) -> str:
    """A 控制满意 hypertension visit whose next date is before TODAY."""
    fid, _ = ws.care.add_followup(FollowUp(
        id=None, person_id=pid, kind="高血压", visit_date=day, sbp=128, dbp=82, weight=66,
        weight_target=64, smoking=5, smoking_target=0, next_date=next_date,
        medications=[], symptoms=["无症状"]), today=day)
    return str(fid)


def page_for(qtbot, ws: Workspace, runner) -> WorktablePage:  # type: ignore[no-untyped-def]
    page = WorktablePage(ws, runner, today=TODAY, doctor="李医生")
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    return page


def lines_of(page: WorktablePage, name: str) -> list[t.TaskLine]:
    return [line for line in page.model.lines() if line.name == name]


def select(page: WorktablePage, line: t.TaskLine) -> None:
    page.table.selectRow(page.model.lines().index(line))


def test_lines_are_counted_by_kind_and_group_and_sorted_overdue_first(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    late = patient(workspace, "张建国", "011")
    controlled_visit(workspace, late, next_date=dt.date(2024, 12, 1))
    soon = patient(workspace, "李秀英", "022", group="二组", conditions=("2型糖尿病",))
    workspace.care.add_followup(FollowUp(id=None, person_id=soon, kind="糖尿病",
                                         visit_date=dt.date(2024, 10, 1), glucose=6.1,
                                         next_date=dt.date(2024, 12, 24)), today=TODAY)
    page = page_for(qtbot, workspace, runner)

    kinds = [(line.name, line.kind, line.status) for line in page.model.lines()]
    assert kinds[0] == ("张建国", "高血压随访", "overdue")
    assert ("李秀英", "糖尿病随访", "upcoming") in kinds
    assert page.model.data(page.model.index(0, 5)) == "19 days overdue"
    assert page.chips["overdue"].text().endswith(" 1")
    assert page.chips["due"].text().endswith(" 1")
    assert page.chips["exam"].text().endswith(" 2")

    qtbot.mouseClick(page.chips["overdue"], LEFT)
    assert [line.name for line in page.model.lines()] == ["张建国"]
    qtbot.mouseClick(page.chips["all"], LEFT)
    groups = {page.groups.item(r, 0).text(): page.groups.item(r, 1).text()
              for r in range(page.groups.rowCount())}
    assert groups["一组"] == "2" and groups["二组"] == "2"
    page.groups.selectRow(2)
    assert {line.group for line in page.model.lines()} == {"二组"}


def test_a_follow_up_entered_from_its_line_removes_it_and_the_next_one_appears_later(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    controlled_visit(workspace, pid)
    page = page_for(qtbot, workspace, runner)
    line = next(ln for ln in lines_of(page, "王福贵") if ln.kind == "高血压随访")
    assert line.status == "overdue" and line.days_overdue == 5
    select(page, line)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: dialog.form is not None and not dialog.suggesting)
    assert dialog.form.visit_date.date() == TODAY
    assert dialog.form.weight_target.text() == "64"      # the goals are carried over
    type_text(qtbot, dialog.form.sbp, "152")
    type_text(qtbot, dialog.form.dbp, "96")
    qtbot.waitUntil(lambda: dialog.panel.s_class.text() == "控制不满意", timeout=3000)
    assert dialog.panel.s_next.text().startswith((TODAY + dt.timedelta(days=14)).isoformat())
    assert dialog.panel.classification.code() == "控制不满意"
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.loading)
    assert not [ln for ln in lines_of(page, "王福贵") if ln.kind == "高血压随访"]

    page.set_day(TODAY + dt.timedelta(days=14))
    qtbot.waitUntil(lambda: not page.loading)
    again = [ln for ln in lines_of(page, "王福贵") if ln.kind == "高血压随访"]
    assert [(ln.due, ln.status) for ln in again] == [(TODAY + dt.timedelta(days=14), "today")]


def test_a_result_given_back_removes_its_line(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "赵玉兰", "042")
    workspace.care.add_exam(HealthExam(id=None, person_id=pid, exam_date=dt.date(2024, 11, 1),
                                       conclusion="健康"), today=TODAY)
    page = page_for(qtbot, workspace, runner)
    line = next(ln for ln in lines_of(page, "赵玉兰") if ln.kind == t.EXAM_RETURN)
    select(page, line)
    qtbot.mouseClick(page.open_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ReturnedDialog))
    dialog = page.dialog
    assert dialog.on.date() == TODAY
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.loading)
    assert not [ln for ln in lines_of(page, "赵玉兰") if ln.kind == t.EXAM_RETURN]
    assert workspace.care.exams(pid)[0].result_returned_on == TODAY


def test_the_exam_line_opens_the_exam_form_for_that_person(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    patient(workspace, "孙德明", "051", birth="19500505", conditions=())
    page = page_for(qtbot, workspace, runner)
    line = next(ln for ln in lines_of(page, "孙德明") if ln.kind == t.EXAM)
    select(page, line)
    qtbot.mouseClick(page.open_button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, ExamDialog)
    qtbot.waitUntil(lambda: dialog.context is not None)
    assert "孙德明" in dialog.title.text()
    assert "65岁及以上" in dialog.reasons.text()
    dialog.close()


def test_a_contract_line_opens_the_renew_dialog(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    from app.core.contracts import Team, TeamMember
    from app.ui.dialogs.dissolve_dialog import RenewDialog

    tid, _ = workspace.contracts.add_team(Team(id=None, name="红旗村家庭医生团队", township_code="",
                                     members=[TeamMember("团队长", "马建国", "13909301234")]))
    pid = patient(workspace, "周桂芳", "062", conditions=())
    hid = str(workspace.people.get(pid).household_id)
    workspace.contracts.sign(hid, str(tid), ["JC"], dt.date(2024, 1, 10))
    page = page_for(qtbot, workspace, runner)
    qtbot.mouseClick(page.chips["contract"], LEFT)
    assert [(ln.name, ln.kind) for ln in page.model.lines()] == [("周桂芳", t.CONTRACT)]
    page.table.selectRow(0)
    qtbot.mouseClick(page.open_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, RenewDialog))
    dialog = page.dialog
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.loading)
    assert page.model.rowCount() == 0
    assert page.chips["contract"].text().endswith(" 0")


def test_a_day_that_is_not_a_date_is_marked(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    page = page_for(qtbot, workspace, runner)
    page.day_field.setText("2024-13-40")
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert "不是真实的日期" in page.day_field.toolTip()
    page.show_today()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.day_field.toolTip() == "" and page.day == TODAY
