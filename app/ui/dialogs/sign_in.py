"""Signing in: user name and password, which unlock the clinic database (or check an open one)."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import AuthError, SignInWaitError, StorageError
from app.core.users import User
from app.storage import keyring
from app.storage.backup_policy import database_state
from app.storage.engine import unlocked_any
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import error_label


def before_sign_in(ws: Workspace | Path) -> tuple[str, str, list[str]]:
    """Clinic name, village name and who may sign in: from the key file while still locked."""
    if isinstance(ws, Workspace):
        return (ws.settings.get("clinic_name"), ws.settings.get("division_name"),
                [u.username for u in ws.users.list() if u.active])
    ring = keyring.load(ws)
    if ring is not None:
        return ring.clinic_name, ring.division_name, ring.usernames()
    with Workspace.open(ws) as plain:           # a plain database from before encryption
        return before_sign_in(plain)


class SignInDialog(QDialog):
    """Ask for a user name and password; on success `.user` is set and the dialog accepts."""

    def __init__(self, ws: Workspace | Path, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        # A path: the database is still locked, and signing in opens it (`.ws` afterwards).
        self.path = ws if isinstance(ws, Path) else ws.path
        self.ws: Workspace | None = None if isinstance(ws, Path) else ws
        self.user: User | None = None
        self.damaged = False
        self.setWindowTitle(self.tr("Sign in"))
        clinic_name, village_name, names = before_sign_in(ws)

        clinic = QLabel(clinic_name)
        font = clinic.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        clinic.setFont(font)
        clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        village = QLabel(village_name)
        village.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QComboBox()
        self.username.setEditable(True)
        self.username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.username.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.username.addItems(names)
        self.username.setCurrentText(username or (names[0] if len(names) == 1 else ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.password.textChanged.connect(self.error.clear)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Sign in"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        if self.ws is None and keyring.load(self.path) is not None:
            forgot = buttons.addButton(self.tr("Forgot password…"),
                                       QDialogButtonBox.ButtonRole.ResetRole)
            forgot.clicked.connect(self.recover)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(clinic)
        layout.addWidget(village)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        # A wait after wrong passwords counts down here; the UI thread never sleeps.
        self.wait_left = 0
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        (self.password if self.username.currentText() else self.username).setFocus()

    def try_sign_in(self) -> None:
        """Check the password; a wrong one is said in the dialog, which stays open."""
        name = self.username.currentText().strip()
        if not name:
            self.error.setText(self.tr("Please enter your user name."))
            self.username.setFocus()
            return
        try:
            if self.ws is not None:
                self.user = self.ws.users.authenticate(name, self.password.text())
            else:
                self.ws, self.user = Workspace.sign_in(self.path, name, self.password.text())
        except SignInWaitError as exc:
            self.password.clear()
            self.error.setText(str(exc))
            if not exc.locked:
                self._start_wait(exc.seconds)
            return
        except AuthError as exc:
            self.password.clear()
            self.error.setText(str(exc))
            self.password.setFocus()
            return
        except StorageError as exc:
            if self.ws is None and unlocked_any() and database_state(self.path)[0] == "damaged":
                self.damaged = True     # the key is unlocked: the caller offers the newest backup
                self.accept()
                return
            self.error.setText(str(exc))
            return
        self.accept()

    def recover(self) -> None:
        """Set a new password with the clinic's recovery key, then go on as that user."""
        from app.ui.dialogs.recovery_key import RecoverDialog

        dialog = RecoverDialog(self.path, self, username=self.username.currentText().strip())
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.ws is not None:
            self.ws, self.user = dialog.ws, dialog.user
            self.accept()

    def _start_wait(self, seconds: float) -> None:
        """Grey the sign-in button and count down the wait in the dialog."""
        self.wait_left = math.ceil(seconds)
        self.ok_button.setEnabled(False)
        self._show_wait()
        self.countdown.start()

    def _tick(self) -> None:
        self.wait_left -= 1
        if self.wait_left > 0:
            self._show_wait()
            return
        self.countdown.stop()
        self.ok_button.setEnabled(True)
        self.ok_button.setText(self.tr("Sign in"))
        self.password.setFocus()

    def _show_wait(self) -> None:
        self.ok_button.setText(self.tr("Wait %1 s").replace("%1", str(self.wait_left)))
