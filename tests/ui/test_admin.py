"""The first-run wizard, signing in, and the settings page (clinic, users, backups)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizard

from app.core.errors import AuthError
from app.core.households import Household
from app.core.paths import Paths
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import FirstRunWizard
from app.ui.dialogs.sign_in import SignInDialog
from app.ui.pages.settings import SettingsPage, perform_restore
from app.ui.tasks import TaskRunner

VILLAGE = "522323104201"

@pytest.fixture
def ws(paths: Paths) -> Iterator[Workspace]:
    w = Workspace.create(paths.database, clinic_name="东山村卫生室", division_code=VILLAGE,
                         division_name="东山村")
    w.users.add_first("wang", "王医生", "village_doctor", "secret1")
    yield w
    w.close()


def test_first_run_creates_database_and_first_user(qtbot, paths: Paths) -> None:
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.clinic_page
    page.clinic_name.setText("东山村卫生室")
    qtbot.keyClicks(page.division_code, VILLAGE)
    page.village_name.setText("东山村")
    page.station.setValue(2)
    assert page.code_error.text() == ""
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    user = wizard.user_page
    user.username.setText("wang")
    user.display_name.setText("王医生")
    user.password.setText("secret1")
    user.password2.setText("secret1")
    wizard.next()
    assert wizard.currentPage() is wizard.finish_page
    assert str(paths.database) in wizard.finish_page.summary.text()
    with qtbot.waitSignal(wizard.accepted):
        wizard.button(QWizard.WizardButton.FinishButton).click()

    assert paths.database.exists()
    assert wizard.workspace is not None and wizard.user is not None
    assert wizard.user.username == "wang"
    wizard.workspace.close()
    with Workspace.open(paths.database) as reopened:
        assert reopened.settings.get("clinic_name") == "东山村卫生室"
        assert reopened.station == 2
        assert reopened.users.authenticate("wang", "secret1").display_name == "王医生"


def test_first_run_refuses_bad_division_code_in_chinese(qtbot, paths: Paths) -> None:
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.clinic_page
    page.clinic_name.setText("东山村卫生室")
    page.village_name.setText("东山村")
    qtbot.keyClicks(page.division_code, "522323000201")
    assert "乡镇段" in page.code_error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.division_code.setText("52232")
    page.division_code.editingFinished.emit()
    assert "12位数字" in page.code_error.text()
    assert wizard.currentPage() is page
    assert not paths.database.exists()


def test_first_run_refuses_different_passwords(qtbot, paths: Paths) -> None:
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.clinic_page
    page.clinic_name.setText("东山村卫生室")
    page.division_code.setText(VILLAGE)
    page.village_name.setText("东山村")
    wizard.next()
    user = wizard.user_page
    user.username.setText("wang")
    user.password.setText("secret1")
    user.password2.setText("secret2")
    wizard.next()
    assert wizard.currentPage() is user
    assert user.error.text() != ""


def test_sign_in_refuses_wrong_password_and_accepts_right_one(qtbot, ws: Workspace) -> None:
    dialog = SignInDialog(ws, username="wang")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("wrong-password")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.user is None
    assert "密码不对" in dialog.error.text()
    assert dialog.password.text() == ""

    dialog.password.setText("secret1")
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    assert dialog.user is not None and dialog.user.username == "wang"


def _page(qtbot, ws: Workspace, runner: TaskRunner, paths: Paths) -> SettingsPage:
    page = SettingsPage(ws, runner, paths)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.clinic_name.text() == ws.settings.get("clinic_name"))
    return page


def test_settings_adds_user_and_saves_clinic_name(qtbot, ws: Workspace, runner: TaskRunner,
                                                 paths: Paths) -> None:
    page = _page(qtbot, ws, runner, paths)
    assert page.users_table.rowCount() == 1
    assert page.users_table.item(0, 2).text() in ("村医", "Village doctor")
    assert page.division_code.isReadOnly()

    page.open_add_user()
    dialog = page.user_dialog
    assert dialog is not None
    dialog.username.setText("li")
    dialog.display_name.setText("李护士")
    dialog.password.setText("secret2")
    dialog.password2.setText("secret2")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.users_table.rowCount() == 2)
    names = {page.users_table.item(r, 1).text() for r in range(2)}
    assert names == {"王医生", "李护士"}

    page.clinic_name.setText("东山村卫生室（新）")
    page.phone.setText("0859-1234567")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.save_button.isEnabled() and page.clinic_status.text() != "")
    runner.wait()
    ws.close()
    with Workspace.open(paths.database) as reopened:
        assert reopened.settings.get("clinic_name") == "东山村卫生室（新）"
        assert reopened.settings.get("phone") == "0859-1234567"
        assert reopened.users.authenticate("li", "secret2").display_name == "李护士"


def test_settings_will_not_disable_last_active_user(qtbot, ws: Workspace, runner: TaskRunner,
                                                   paths: Paths, monkeypatch) -> None:
    # The only active user is the signed-in one: the button is off, and the Workspace refuses too.
    page = _page(qtbot, ws, runner, paths)
    page.users_table.selectRow(0)
    qtbot.waitUntil(lambda: page.selected_user() is not None)
    assert not page.active_button.isEnabled()
    with pytest.raises(AuthError, match="停用自己"):
        ws.users.update(ws.users.list()[0].id, active=False)
    assert all(u.active for u in ws.users.list())


def test_backup_and_restore_bring_back_the_data(qtbot, ws: Workspace, runner: TaskRunner,
                                               paths: Paths, monkeypatch) -> None:
    first, _ = ws.households.add(Household(id=None, village_code=VILLAGE, address="一组"))
    page = _page(qtbot, ws, runner, paths)
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1)
    instance_before = ws.instance_id

    runner.wait()
    ws.households.add(Household(id=None, village_code=VILLAGE, address="二组"))
    ws.settings.update(clinic_name="改过的名字")
    assert len(ws.households.ids()) == 2

    page.backups_table.selectRow(0)
    assert page.restore_button.isEnabled()
    asked: list[str] = []

    def answer_yes(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    with qtbot.waitSignal(page.restore_requested) as requested:
        page.restore_button.click()
    assert asked and ("replaced" in asked[0] or "替换" in asked[0])

    # What the main window does with the request: close, restore, reopen.
    runner.wait()
    ws.close()
    safety = perform_restore(paths, Path(requested.args[0]))
    assert safety.exists()
    with Workspace.open(paths.database) as restored:
        assert restored.households.ids() == [first]
        assert restored.settings.get("clinic_name") == "东山村卫生室"
        assert restored.instance_id != instance_before
    with qtbot.waitSignal(page.restored):
        page.notify_restored(safety)


def test_settings_restores_by_itself_when_no_one_handles_the_request(
    qtbot, ws: Workspace, runner: TaskRunner, paths: Paths, monkeypatch
) -> None:
    page = _page(qtbot, ws, runner, paths)
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 1)
    runner.wait()
    ws.households.add(Household(id=None, village_code=VILLAGE, address="后来加的"))
    instance_before = ws.instance_id

    page.backups_table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.restored, timeout=10_000) as restored:
        page.restore_button.click()
    assert restored.args == [str(paths.database)]
    assert "before_restore" in page.backup_status.text()
    with Workspace.open(paths.database) as reopened:
        assert reopened.households.ids() == []
        assert reopened.instance_id != instance_before
    runner.wait()
    qtbot.waitUntil(lambda: page.backups_table.rowCount() == 2)
