"""Follow-ups and exams through their dialogs and pages: the live suggestion, overrides kept next
to the suggestion, corrections, referral results, inline errors and the print hooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core import tasks as t
from app.core.followups import Drug, FollowUp
from app.printdata import sources
from app.storage.workspace import Workspace
from app.ui.dialogs.care_dialogs import GeneralVisitDialog, ReferralResultDialog, ReturnedDialog
from app.ui.dialogs.exam_dialog import ExamDialog
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.pages.exams import ExamsPage
from app.ui.pages.followups import FollowUpsPage
from app.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.ui.conftest import type_text
from tests.ui.test_worktable import TODAY, controlled_visit, page_for, patient

LEFT = Qt.MouseButton.LeftButton


def open_visit(qtbot, ws: Workspace, runner, pid: str, **kw) -> FollowUpDialog:  # type: ignore[no-untyped-def]
    dialog = FollowUpDialog(ws, runner, pid, today=TODAY, doctor="李医生", **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.form is not None and dialog.save_button.isEnabled())
    qtbot.waitUntil(lambda: not dialog.suggesting)
    return dialog


def enter_bp(qtbot, dialog: FollowUpDialog, sbp: str, dbp: str) -> None:  # type: ignore[no-untyped-def]
    assert dialog.form is not None
    dialog.form.sbp.clear()
    dialog.form.dbp.clear()
    type_text(qtbot, dialog.form.sbp, sbp)
    type_text(qtbot, dialog.form.dbp, dbp)


def test_uncontrolled_after_a_controlled_visit_suggests_a_recheck_in_two_weeks(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    workspace.care.add_followup(FollowUp(
        id=None, person_id=pid, kind="高血压", visit_date=dt.date(2024, 9, 20), sbp=128, dbp=82,
        weight_target=64, medications=[Drug("硝苯地平缓释片", 2, 10)]), today=TODAY)
    dialog = open_visit(qtbot, workspace, runner, pid, kind="高血压")
    f = dialog.form
    assert f is not None
    assert f.method.code() == "门诊" and f.doctor.text() == "李医生"
    assert [d.name for d in f.medications.drugs()] == ["硝苯地平缓释片"]
    assert f.sbp.hasFocus() or f.sbp is f.first_field()

    enter_bp(qtbot, dialog, "152", "96")
    panel = dialog.panel
    qtbot.waitUntil(lambda: panel.s_class.text() == "控制不满意", timeout=3000)
    assert panel.s_measure.text() == "第1次控制不满意2周随访"
    assert panel.s_next.text().startswith("2025-01-03")
    assert "152/96" in panel.reasons.text()
    assert not panel.banner.isVisible()
    assert panel.next_date.date() == dt.date(2025, 1, 3)      # the fields follow the suggestion

    enter_bp(qtbot, dialog, "186", "112")
    qtbot.waitUntil(lambda: panel.suggestion is not None and panel.suggestion.urgent, timeout=3000)
    assert panel.banner.isVisible() and "b03a2e" in panel.banner.styleSheet()
    assert panel.measure.code() == "紧急转诊"
    dialog.reject()


def test_an_overridden_class_is_stored_with_the_suggestion(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    controlled_visit(workspace, pid)
    dialog = open_visit(qtbot, workspace, runner, pid, kind="高血压")
    enter_bp(qtbot, dialog, "152", "96")
    panel = dialog.panel
    qtbot.waitUntil(lambda: panel.classification.code() == "控制不满意", timeout=3000)
    panel.classification.setFocus()
    qtbot.keyClick(panel.classification, Qt.Key.Key_Up)       # the doctor picks 控制满意
    assert panel.classification.code() == "控制满意"
    assert panel.notes["classification"].isVisible()
    assert panel.overridden() == ["classification"]
    dialog.refresh_suggestion()
    qtbot.waitUntil(lambda: not dialog.suggesting)
    assert panel.classification.code() == "控制满意"            # a new suggestion keeps it
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: dialog.new_id is not None)
    saved = workspace.care.followup(str(dialog.new_id))
    assert (saved.classification, saved.suggested_class) == ("控制满意", "控制不满意")
    assert saved.measure == saved.suggested_measure == "第1次控制不满意2周随访"
    assert saved.overridden == ["classification"]
    assert (saved.sbp, saved.dbp, saved.doctor) == (152, 96, "李医生")


def test_a_blood_pressure_out_of_range_is_shown_by_the_field_and_nothing_is_saved(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    dialog = open_visit(qtbot, workspace, runner, pid, kind="高血压")
    enter_bp(qtbot, dialog, "500", "96")
    qtbot.mouseClick(dialog.save_button, LEFT)
    label = dialog.errors.label("sbp")
    assert label is not None
    qtbot.waitUntil(lambda: label.isVisible() and dialog.save_button.isEnabled())
    assert "收缩压" in label.text() and "50–300" in label.text() and "500" in label.text()
    assert dialog.form is not None and dialog.form.sbp.hasFocus()
    assert dialog.isVisible()
    assert workspace.care.followups(pid) == []
    enter_bp(qtbot, dialog, "150", "96")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [f.sbp for f in workspace.care.followups(pid)] == [150]


def test_a_diabetes_form_shows_its_own_fields(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "李秀英", "022", conditions=("高血压", "2型糖尿病"))
    dialog = open_visit(qtbot, workspace, runner, pid, kind="糖尿病")
    f = dialog.form
    assert f is not None and hasattr(f, "glucose") and not hasattr(f, "salt")
    assert dialog.kind.isEnabled()                             # both kinds on file
    type_text(qtbot, f.glucose, "8.2")
    qtbot.waitUntil(lambda: dialog.panel.s_class.text() == "控制不满意", timeout=3000)
    assert "8.2" in dialog.panel.reasons.text()
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = workspace.care.last_followup(pid, "糖尿病")
    assert saved is not None and saved.glucose == 8.2 and saved.classification == "控制不满意"


def referred(ws: Workspace, pid: str) -> str:
    """Two uncontrolled visits in a row: the second one refers the patient."""
    ws.care.add_followup(FollowUp(id=None, person_id=pid, kind="高血压",
                                  visit_date=dt.date(2024, 11, 20), sbp=150, dbp=95), today=TODAY)
    fid, _ = ws.care.add_followup(FollowUp(id=None, person_id=pid, kind="高血压",
                                           visit_date=dt.date(2024, 12, 4), sbp=156, dbp=98),
                                  today=TODAY)
    assert ws.care.followup(str(fid)).refers
    return str(fid)


def test_a_referral_check_records_the_result_and_the_visit_together(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    fid = referred(workspace, pid)
    page = page_for(qtbot, workspace, runner)
    line = next(ln for ln in page.model.lines() if ln.kind == t.REFERRAL)
    page.table.selectRow(page.model.lines().index(line))
    qtbot.mouseClick(page.open_button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: dialog.form is not None)
    assert dialog.referral_box.isVisible() and "2024-12-04" in dialog.referral_text.text()
    qtbot.mouseClick(dialog.save_button, LEFT)                 # no result chosen yet
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.errors.label("result").isVisible()
    assert len(workspace.care.followups(pid)) == 2             # nothing half-written
    dialog.referral_result.set_code("到位")
    enter_bp(qtbot, dialog, "138", "86")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.loading)
    assert workspace.care.followup(fid).referral_result == "到位"
    assert len(workspace.care.followups(pid)) == 3
    assert not [ln for ln in page.model.lines() if ln.kind == t.REFERRAL]


def follow_ups_page(qtbot, ws: Workspace, runner) -> FollowUpsPage:  # type: ignore[no-untyped-def]
    page = FollowUpsPage(ws, runner, today=TODAY, doctor="李医生")
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching)
    return page


def test_the_follow_up_list_filters_and_a_correction_supersedes_the_visit(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    a = patient(workspace, "王福贵", "031")
    b = patient(workspace, "李秀英", "022", conditions=("2型糖尿病",), group="二组")
    controlled_visit(workspace, a)
    workspace.care.add_followup(FollowUp(id=None, person_id=b, kind="糖尿病",
                                         visit_date=dt.date(2024, 10, 2), glucose=6.3), today=TODAY)
    page = follow_ups_page(qtbot, workspace, runner)
    assert sorted(r.who.name for r in page.model.rows()) == ["李秀英", "王福贵"]
    page.kind.setCurrentIndex(page.kind.findData("糖尿病"))
    qtbot.waitUntil(lambda: not page.searching)
    assert [r.who.name for r in page.model.rows()] == ["李秀英"]
    page.kind.setCurrentIndex(0)
    type_text(qtbot, page.search, "wfg")
    qtbot.waitUntil(lambda: not page.searching and [r.who.name for r in page.model.rows()] == ["王福贵"])

    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.history_pane.table.rowCount() == 1)
    assert "王福贵" in page.history_pane.title.text()
    assert not page.referral_button.isEnabled()
    qtbot.mouseClick(page.correct_button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: dialog.form is not None and dialog.save_button.isEnabled())
    assert dialog.form.sbp.text() == "128"
    enter_bp(qtbot, dialog, "132", "84")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1
                    and page.model.rows()[0].visit.sbp == 132)
    visits = workspace.care.followups(a)
    assert len(visits) == 1 and visits[0].supersedes is not None


def test_the_register_lists_every_patient_and_starts_their_next_visit(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    a = patient(workspace, "王福贵", "031")
    patient(workspace, "李秀英", "022", conditions=("高血压", "2型糖尿病"), group="二组")
    controlled_visit(workspace, a)
    page = follow_ups_page(qtbot, workspace, runner)
    page.tabs.setCurrentIndex(1)
    lines = {(p.name, p.kind): p for p in page.patients.rows()}
    assert set(lines) == {("王福贵", "高血压"), ("李秀英", "高血压"), ("李秀英", "糖尿病")}
    assert lines[("李秀英", "糖尿病")].last_visit is None
    row = page.patients.row_of(f"{a}|高血压")
    assert page.patients.data(page.patients.index(row, 7)) == "5 days overdue"
    assert not page.year.isEnabled() and not page.correct_button.isEnabled()
    page.patients_table.selectRow(page.patients.row_of(next(
        f"{p.person_id}|糖尿病" for p in page.patients.rows() if p.name == "李秀英")))
    qtbot.mouseClick(page.new_button, LEFT)
    dialog = page.dialog
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: dialog.form is not None)
    assert dialog.context.kind == "糖尿病" and "李秀英" in dialog.title.text()
    dialog.reject()


def test_referral_result_and_general_visit_from_the_page(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    fid = referred(workspace, pid)
    page = follow_ups_page(qtbot, workspace, runner)
    page.table.selectRow(page.model.row_of(fid))
    assert page.referral_button.isEnabled()
    qtbot.mouseClick(page.referral_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ReferralResultDialog))
    dialog = page.dialog
    dialog.result.set_code("不到位")
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert workspace.care.followup(fid).referral_result == "不到位"

    visit = GeneralVisitDialog(workspace, runner, pid, "王福贵", today=TODAY, doctor="李医生")
    qtbot.addWidget(visit)
    visit.show()
    qtbot.mouseClick(visit.ok, LEFT)                           # no content yet
    qtbot.waitUntil(lambda: visit.errors.label("content").isVisible())
    visit.content.setPlainText("测血压，发放家庭药箱")
    qtbot.mouseClick(visit.ok, LEFT)
    qtbot.waitUntil(lambda: not visit.isVisible())
    assert [v.content for v in workspace.care.general_visits(pid)] == ["测血压，发放家庭药箱"]


def test_an_exam_is_saved_listed_and_marked_returned(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "孙德明", "051", birth="19500505", conditions=())
    day = TODAY - dt.timedelta(days=20)
    dialog = ExamDialog(workspace, runner, pid, today=TODAY, day=day, doctor="李医生")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    f = dialog.form
    for name, text in (("temperature", "36.6"), ("pulse", "72"), ("sbp_left", "134"),
                       ("dbp_left", "82"), ("height", "168"), ("weight", "63"), ("glucose", "5.4")):
        type_text(qtbot, f.numbers[name], text)
    f.codes["conclusion"].set_code("一般疾病")
    qtbot.mouseClick(dialog.save_button, LEFT)                 # 一般疾病 needs the findings
    label = dialog.errors.label("abnormalities")
    qtbot.waitUntil(lambda: label.isVisible())
    assert f.currentIndex() == 3                               # its tab came to the front
    assert workspace.care.exams(pid) == []
    type_text(qtbot, f.texts["abnormalities"], "血压偏高")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = workspace.care.exams(pid)[0]
    assert (saved.exam_date, saved.sbp_left, saved.bmi, saved.doctor) == (day, 134, 22.3, "李医生")
    assert any(ln.kind == t.EXAM_RETURN for ln in workspace.care.tasks(TODAY).lines)

    page = ExamsPage(workspace, runner, today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching)
    assert page.model.rowCount() == 1
    page.not_returned.setChecked(True)
    qtbot.waitUntil(lambda: not page.searching)
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    qtbot.mouseClick(page.returned_button, LEFT)
    returned = page.dialog
    assert isinstance(returned, ReturnedDialog)
    qtbot.mouseClick(returned.ok, LEFT)
    qtbot.waitUntil(lambda: not returned.isVisible())
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 0)
    assert not any(ln.kind == t.EXAM_RETURN for ln in workspace.care.tasks(TODAY).lines)


def test_print_buttons_wait_for_their_print_functions(qtbot, workspace, runner, monkeypatch):  # type: ignore[no-untyped-def]
    pid = patient(workspace, "王福贵", "031")
    controlled_visit(workspace, pid)
    monkeypatch.delattr(sources, "print_followups", raising=False)
    page = follow_ups_page(qtbot, workspace, runner)
    page.table.selectRow(0)
    assert not page.print_button.isEnabled() and page.print_button.toolTip()

    calls: list[tuple[str, int]] = []

    def print_followups(ws: Workspace, person_id: str, year: int, out: Path) -> Path:
        from app.printing.agreement import render_agreement
        from app.printing.samples import sample_agreement

        calls.append((person_id, year))
        render_agreement(sample_agreement(), out)
        return out

    monkeypatch.setattr(sources, "print_followups", print_followups, raising=False)
    page.table.selectRow(0)
    page._update_buttons()
    assert page.print_button.isEnabled()
    qtbot.mouseClick(page.print_button, LEFT)
    qtbot.waitUntil(lambda: page.print_hook.preview is not None, timeout=10_000)
    assert calls == [(pid, 2024)]
    assert isinstance(page.print_hook.preview, PdfPreviewDialog)
    page.print_hook.preview.close()


@pytest.mark.parametrize("name", ["print_exam"])
def test_the_exam_slip_button_is_disabled_without_its_function(
        qtbot, workspace, runner, monkeypatch, name):  # type: ignore[no-untyped-def]
    monkeypatch.delattr(sources, name, raising=False)
    page = ExamsPage(workspace, runner, today=TODAY)
    qtbot.addWidget(page)
    assert not page.print_button.isEnabled()
    assert page.print_button.toolTip()


def test_the_window_opens_on_the_worktable_and_a_follow_up_starts_from_the_resident_file(
        qtbot, window, workspace):  # type: ignore[no-untyped-def]
    assert window.stack.currentWidget() is window.worktable
    pid = patient(workspace, "王福贵", "031")
    window.open_person(pid)
    page = window.person_page
    qtbot.waitUntil(lambda: page.file is not None and page.followup_button.isEnabled())
    qtbot.mouseClick(page.followup_button, LEFT)
    dialog = window.followups_page.dialog
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: dialog.form is not None)
    assert "王福贵" in dialog.title.text() and dialog.context.kind == "高血压"
    assert dialog.form.doctor.text() == "李医生"              # the signed-in user
    dialog.reject()


def test_enter_moves_through_the_routine_fields_in_form_order(qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    pid = patient(workspace, "王福贵", "031")
    dialog = open_visit(qtbot, workspace, runner, pid, kind="高血压")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    f = dialog.form
    f.sbp.setFocus()
    seen = []
    for text in ("130", "82", "76", "66", "64"):
        widget = QApplication.focusWidget()
        seen.append(widget)
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert seen == [f.sbp, f.dbp, f.heart_rate, f.weight, f.weight_target]
    assert dialog.isVisible()                                  # Enter never saves by itself
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = workspace.care.followups(pid)[0]
    assert (saved.sbp, saved.dbp, saved.heart_rate, saved.weight, saved.weight_target) == (130, 82, 76, 66, 64)


def test_the_year_button_prints_the_national_sheet_of_the_selected_patient(
        qtbot, workspace, runner):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    pid = patient(workspace, "王福贵", "031")
    controlled_visit(workspace, pid)
    page = follow_ups_page(qtbot, workspace, runner)
    page.table.selectRow(0)
    page._update_buttons()
    assert page.print_button.isEnabled()
    qtbot.mouseClick(page.print_button, LEFT)
    qtbot.waitUntil(lambda: page.print_hook.preview is not None, timeout=15_000)
    preview = page.print_hook.preview
    text = "".join(p.extract_text() for p in PdfReader(preview.path).pages)
    assert "高血压患者随访服务记录表" in text and "王福贵" in text
    preview.close()
