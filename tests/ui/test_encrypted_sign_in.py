"""Signing in to an encrypted clinic: the dialog works from the key file, the recovery key helps."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from app.core.keys import parse_recovery_key
from app.storage import engine, keyring
from app.storage.workspace import Workspace
from app.ui.dialogs.recovery_key import RecoverDialog, RecoveryKeyDialog
from app.ui.dialogs.sign_in import SignInDialog
from tests.dbfiles import plain_copy

VILLAGE = "622923104201"


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, str]:
    """An encrypted clinic with one doctor; nothing unlocked in this process; its recovery key."""
    path = tmp_path / "cunyi.sqlite3"
    with Workspace.create(path, clinic_name="红旗村卫生室", division_code=VILLAGE,
                          division_name="红旗村") as ws:
        ws.users.add_first("doc", "李医生", "village_doctor", "secret1")
        key = ws.recovery_key()
    engine.forget_all()
    return path, key


def test_the_sign_in_dialog_names_the_clinic_and_unlocks_it(qtbot, clinic) -> None:
    path, _ = clinic
    dialog = SignInDialog(path)
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert "红旗村卫生室" in texts and "红旗村" in texts
    assert dialog.username.currentText() == "doc"
    dialog.password.setText("wrong1")
    dialog.try_sign_in()
    assert "用户名或密码不对" in dialog.error.text() and dialog.ws is None
    dialog.password.setText("secret1")
    dialog.try_sign_in()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.ws is not None and dialog.user is not None and dialog.user.username == "doc"
    assert dialog.ws.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    dialog.ws.close()


def test_a_forgotten_password_is_set_again_with_the_recovery_key(qtbot, clinic, monkeypatch) -> None:
    path, key = clinic
    dialog = SignInDialog(path)
    qtbot.addWidget(dialog)
    forgot = next(b for b in dialog.findChildren(type(dialog.ok_button)) if b.text() == "Forgot password…")

    def fill(recover: RecoverDialog) -> QDialog.DialogCode:
        recover.key.setText("nonsense")
        recover.password.setText("brand-new")
        recover.again.setText("brand-new")
        recover.try_recover()
        assert "28" in recover.error.text()
        recover.key.setText(key.lower())
        recover.try_recover()
        assert recover.user is not None
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecoverDialog, "exec", fill)
    forgot.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user is not None
    assert dialog.user.username == "doc"
    dialog.ws.close()
    engine.forget_all()
    ws, _ = Workspace.sign_in(path, "doc", "brand-new")
    ws.close()


def test_the_recovery_key_is_shown_once_in_large_print(qtbot) -> None:
    key = "5AX8-W25G-5Z0H-NXCG-3GN9-TMX4-QC1R"
    dialog = RecoveryKeyDialog(key)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.key_label.text() == key
    assert dialog.key_label.font().pointSizeF() > dialog.font().pointSizeF() * 1.3
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "I have written it down"


def test_starting_on_a_plain_database_encrypts_it_and_shows_the_key(qtbot, clinic, monkeypatch,
                                                                    tmp_path) -> None:
    from app.core.paths import Paths
    from app.ui import application

    path, _ = clinic
    ws, _ = Workspace.sign_in(path, "doc", "secret1")
    ws.close()
    home = tmp_path / "home"
    home.mkdir()
    plain = plain_copy(path, home / "cunyi.sqlite3")
    engine.forget_all()
    assert not keyring.keyring_path(plain).exists()

    shown: list[str] = []
    monkeypatch.setattr(RecoveryKeyDialog, "exec",
                        lambda self: shown.append(self.key_label.text()) or QDialog.DialogCode.Accepted)

    def sign_in(self: SignInDialog) -> QDialog.DialogCode:
        self.password.setText("secret1")
        self.try_sign_in()
        return QDialog.DialogCode(self.result())

    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    paths = Paths(home=home, logs=tmp_path / "logs")
    opened, user = application.sign_in(paths, "doc")
    assert opened is not None and user is not None
    application.show_recovery_key(opened)
    assert len(shown) == 1 and parse_recovery_key(shown[0]) == opened.secret
    application.show_recovery_key(opened)               # once only
    assert len(shown) == 1
    opened.close()
    assert engine.is_encrypted(plain) and keyring.keyring_path(plain).exists()
