"""The clinic's division code on screen: the wizard warns about an unknown code, an administrator
corrects a wrong one in 设置 after a confirmation, and a village doctor cannot."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from app.core.households import Household
from app.core.paths import Paths
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import FirstRunWizard
from app.ui.pages.settings import SettingsPage
from app.ui.tasks import TaskRunner

VILLAGE = "622923104201"
NEW = "622923105203"


def _wizard(qtbot, paths: Paths) -> FirstRunWizard:
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.clinic_page
    page.clinic_name.setText("东山村卫生室")
    page.village_name.setText("东山村")
    return wizard


def test_wizard_warns_about_a_made_up_code_and_goes_on_only_once_it_is_confirmed(qtbot, paths):
    wizard = _wizard(qtbot, paths)
    page = wizard.clinic_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(page.division_code, "123456789012")
    assert page.code_error.text() == ""                       # not refused ...
    assert "123456" in page.code_warning.text() and page.code_warning.isVisible()
    assert page.accept_unknown.isVisible()
    assert not next_button.isEnabled()                        # ... but not taken silently either
    page.accept_unknown.setChecked(True)
    assert next_button.isEnabled()
    page.division_code.setText(VILLAGE)                       # a new code asks again
    assert not page.accept_unknown.isVisible() and not page.accept_unknown.isChecked()
    assert "永靖县" in page.code_place.text() and page.code_place.isVisible()
    assert page.code_warning.text() == "" and next_button.isEnabled()


def test_wizard_refuses_an_unknown_province_and_a_township_code(qtbot, paths):
    wizard = _wizard(qtbot, paths)
    page = wizard.clinic_page
    for code, reason in (("992923104201", "前两位 99"), ("622923104000", "村段为000")):
        page.division_code.setText(code)
        assert reason in page.code_error.text()
        assert not page.accept_unknown.isVisible()
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentPage() is page


@pytest.fixture
def ws(paths: Paths) -> Iterator[Workspace]:
    w = Workspace.create(paths.database, clinic_name="红旗村卫生室", division_code=VILLAGE,
                         division_name="红旗村")
    w.users.add_first("admin", "乡镇管理员", "township_admin", "secret1")
    w.users.add("doc", "李医生", "village_doctor", "secret1")
    yield w
    w.close()


def _page(qtbot, ws: Workspace, runner: TaskRunner, paths: Paths) -> SettingsPage:
    page = SettingsPage(ws, runner, paths)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.users_table.rowCount() == 2)
    return page


def test_an_administrator_corrects_the_code_after_being_told_what_is_not_renumbered(
        qtbot, ws: Workspace, runner: TaskRunner, paths: Paths) -> None:
    hid, _ = ws.households.add(Household(id=None, village_code=VILLAGE, address="一组"))
    ws.users.authenticate("admin", "secret1")
    page = _page(qtbot, ws, runner, paths)
    controls = page.division_controls
    assert controls.button.isEnabled()
    controls.button.click()
    dialog = controls.dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.code, "622923104000")
    assert "村段为000" in dialog.error.text() and not dialog.ok_button.isEnabled()
    dialog.code.setText(NEW)
    dialog.village_name.setText("石门村")
    assert dialog.ok_button.isEnabled()

    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.confirm_box is not None)
    text = dialog.confirm_box.text()
    assert VILLAGE in text and NEW in text
    assert "1" in text and ("不会重新编号" in text or "Not renumbered" in text)
    with qtbot.waitSignal(dialog.changed):
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.division_code.text() == NEW)
    assert NEW in page.clinic_status.text()
    runner.wait()
    assert ws.settings.division_code == NEW
    assert ws.households.get(hid).village_code == VILLAGE
    assert ws.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'change_division_code' AND username = 'admin'"
    ).fetchone()[0] == 1


def test_saying_no_to_the_confirmation_changes_nothing(qtbot, ws, runner, paths) -> None:
    ws.users.authenticate("admin", "secret1")
    page = _page(qtbot, ws, runner, paths)
    page.division_controls.button.click()
    dialog = page.division_controls.dialog
    dialog.code.setText(NEW)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.confirm_box is not None)
    dialog.confirm_box.button(QMessageBox.StandardButton.No).click()
    runner.wait()
    assert ws.settings.division_code == VILLAGE and dialog.isVisible()


def test_a_village_doctor_cannot_correct_the_code(qtbot, ws, runner, paths) -> None:
    ws.users.authenticate("doc", "secret1")
    page = _page(qtbot, ws, runner, paths)
    assert page.division_code.isReadOnly()
    assert not page.division_controls.button.isEnabled()
    assert "管理员" in page.division_controls.hint.text() or "administrator" in page.division_controls.hint.text()
