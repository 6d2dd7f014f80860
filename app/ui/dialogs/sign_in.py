"""Signing in: user name and password, checked against the clinic database."""

from __future__ import annotations

import math

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

from app.core.errors import AuthError, SignInWaitError
from app.core.users import User
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import error_label


class SignInDialog(QDialog):
    """Ask for a user name and password; on success `.user` is set and the dialog accepts."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.ws = ws
        self.user: User | None = None
        self.setWindowTitle(self.tr("Sign in"))

        clinic = QLabel(ws.setting("clinic_name"))
        font = clinic.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        clinic.setFont(font)
        clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        village = QLabel(ws.setting("division_name"))
        village.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QComboBox()
        self.username.setEditable(True)
        self.username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.username.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        names = [u.username for u in ws.users() if u.active]
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
            self.user = self.ws.authenticate(name, self.password.text())
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
