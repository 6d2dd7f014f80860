"""Every window and dialog fits a 1366×768 screen with a taskbar (1366×728), bottom buttons included.

The windows are opened on the demo clinic, with the application's own font and style, as the
doctor opens them; the screen is the clinic PC's: 1366×728 available. A window's frame (title bar
and borders, which the offscreen platform does not draw) is counted as Windows 10 draws it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QPushButton,
    QStyleFactory,
    QWidget,
    QWizard,
)

from app.ui import screen_fit
from app.ui.application import BASE_POINT_SIZE
from tests.ui.demo import demo_window, demo_workspace, settle

SCREEN = QRect(0, 0, 1366, 728)


@pytest.fixture
def clinic_pc(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The application's font and style, on a 1366×768 screen with its taskbar."""
    font, style = qapp.font(), qapp.style().name()
    bigger = qapp.font()
    bigger.setPointSize(BASE_POINT_SIZE)
    qapp.setFont(bigger)
    qapp.setStyle(QStyleFactory.create("Fusion"))
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(SCREEN))
    yield
    qapp.setFont(font)
    qapp.setStyle(QStyleFactory.create(style))


@pytest.fixture
def demo(clinic_pc, qtbot, tmp_path, tmp_path_factory, runner, paths):  # type: ignore[no-untyped-def]
    ws, user = demo_workspace(tmp_path, tmp_path_factory)
    window = demo_window(qtbot, ws, user, runner, paths)
    yield window
    runner.wait()
    ws.close()


def assert_fits(window: QWidget) -> None:
    """The framed window lies in 1366×728 and its bottom buttons lie inside it."""
    name = type(window).__name__
    framed = window.size() + screen_fit.FRAME
    assert framed.width() <= SCREEN.width() and framed.height() <= SCREEN.height(), \
        f"{name} is {window.width()}×{window.height()}, {framed.width()}×{framed.height()} framed"
    buttons: list[QAbstractButton] = [b for b in window.findChildren(QPushButton)
                                      if b.isVisibleTo(window) and not in_scroll_area(b, window)]
    if isinstance(window, QWizard):
        buttons += [b for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
                                    QWizard.WizardButton.FinishButton)
                    if (b := window.button(which)) is not None and b.isVisibleTo(window)]
    if isinstance(window, QDialog):
        assert buttons, f"{name} shows no buttons"
    for b in buttons:
        rect = QRect(b.mapTo(window, b.rect().topLeft()), b.size())
        assert window.rect().contains(rect), f"{name}: {b.text()!r} at {rect} is outside {window.rect()}"


def in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    """Inside a scrolled part of the window (reached by scrolling, so it may lie below)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def check(qtbot, runner, dialog: QWidget | None) -> None:  # type: ignore[no-untyped-def]
    assert dialog is not None
    if not dialog.isVisible():
        dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot, runner)
    assert_fits(dialog)
    dialog.close()
    settle(qtbot, runner)


def test_the_main_window_and_its_status_bar_fit(qtbot, demo, runner) -> None:  # type: ignore[no-untyped-def]
    for name in demo.page_names:
        demo.show_page(name)
        settle(qtbot, runner)
        assert_fits(demo)
        bar = demo.statusBar()
        assert bar.isVisible() and demo.rect().contains(bar.geometry())


def test_the_print_preview_fits_with_its_buttons(qtbot, clinic_pc, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from app.ui.widgets.pdf_preview import PdfPreviewDialog

    pdf = tmp_path / "form.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    for page in range(3):
        canvas.drawString(72, 760, f"page {page + 1}")
        canvas.showPage()
    canvas.save()
    preview = PdfPreviewDialog(pdf, title="协议书")
    qtbot.addWidget(preview)
    check(qtbot, runner, preview)


def household_dialogs(w: Any) -> list[Callable[[], QWidget | None]]:
    page = w.households
    return [page.new_household, page.edit_household, page.sign_household, page.add_member,
            page.edit_member, page.move_member, page.mark_member]


def test_every_dialog_fits_with_its_buttons(qtbot, demo, runner, paths) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dialogs.care_dialogs import GeneralVisitDialog, PersonPicker, ReturnedDialog
    from app.ui.dialogs.exam_dialog import ExamDialog
    from app.ui.dialogs.first_run import FirstRunWizard
    from app.ui.dialogs.followup_dialog import FollowUpDialog
    from app.ui.dialogs.import_wizard import ImportWizard
    from app.ui.dialogs.sign_in import SignInDialog
    from app.ui.pages.settings import UserDialog

    w, ws = demo, demo.ws
    today = dt.date.today()
    hid = next(h for h in ws.households.ids() if len(ws.households.members(h)) >= 4)
    w.show_page("households")
    w.households.select_household(hid)
    qtbot.waitUntil(lambda: w.households.detail is not None)
    w.households.members.selectRow(1)
    for make in household_dialogs(w):
        check(qtbot, runner, make())

    patient = ws.conn.execute("SELECT person_id FROM diagnoses WHERE condition = '高血压' "
                              "AND NOT deleted LIMIT 1").fetchone()[0]
    followup = FollowUpDialog(ws, runner, patient, today=today, doctor="演示村医", parent=w)
    followup.show()
    qtbot.waitUntil(lambda: followup.form is not None)
    check(qtbot, runner, followup)
    check(qtbot, runner, ExamDialog(ws, runner, patient, today=today, doctor="演示村医", parent=w))
    check(qtbot, runner, GeneralVisitDialog(ws, runner, patient, "张三", today=today, parent=w))
    exam_id = ws.conn.execute("SELECT id FROM health_exams WHERE NOT deleted LIMIT 1").fetchone()[0]
    check(qtbot, runner, ReturnedDialog(ws, runner, ws.care.exam(exam_id), "张三", today=today,
                                        parent=w))
    picker = PersonPicker(ws, runner, "为谁随访", w)
    picker.prefill("王")
    check(qtbot, runner, picker)

    from app.core.contracts import Team, TeamMember

    tid, _ = ws.contracts.add_team(Team(id=None, name="第二家庭医生团队", township_code="", members=[
        TeamMember("团队长", "马建国", "13909301234"), TeamMember("乡村医生", "何永福")]))
    ws.contracts.sign(hid, str(tid), ["JC"], today - dt.timedelta(days=300))
    w.show_page("contracts")
    w.contracts_page.run_query()
    qtbot.waitUntil(lambda: w.contracts_page.model.rowCount() > 0)
    w.contracts_page.table.selectRow(0)
    check(qtbot, runner, w.contracts_page.renew())
    check(qtbot, runner, w.contracts_page.dissolve())

    w.show_page("claims")
    qtbot.waitUntil(lambda: w.claims_page.model.rowCount() > 0)
    w.claims_page.table.selectRow(0)
    check(qtbot, runner, w.claims_page.new_claim())
    check(qtbot, runner, w.claims_page.reverse())

    wizard = ImportWizard(ws, runner, w)
    check(qtbot, runner, wizard)
    first_run = FirstRunWizard(paths)
    qtbot.addWidget(first_run)
    check(qtbot, runner, first_run)
    sign_in = SignInDialog(ws)
    qtbot.addWidget(sign_in)
    check(qtbot, runner, sign_in)
    check(qtbot, runner, UserDialog(w))
