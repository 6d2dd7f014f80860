"""Signing in: user name and password, checked against the clinic database."""

from __future__ import annotations

from PySide6.QtCore import Qt
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

from app.core.errors import AuthError
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
        except AuthError as exc:
            self.password.clear()
            self.error.setText(str(exc))
            self.password.setFocus()
            return
        self.accept()
