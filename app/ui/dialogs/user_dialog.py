"""Adding a user, or resetting one's password: the form, checked before it is accepted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.core.users import ROLES, User, check_new_user, check_password
from app.ui.dialogs.first_run import error_label, hint_label
from app.ui.i18n import role_name


class UserDialog(QDialog):
    """Add a user (all fields) or reset a user's password (password fields only)."""

    def __init__(self, parent: QWidget | None = None, *, reset_for: User | None = None,
                 roles: list[str] | None = None) -> None:
        super().__init__(parent)
        self.reset_for = reset_for
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for key in ROLES if roles is None else roles:
            self.role.addItem(role_name(key), key)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        if reset_for is None:
            self.setWindowTitle(self.tr("Add user"))
            form.addRow(self.tr("User name:"), self.username)
            form.addRow(self.tr("Full name:"), self.display_name)
            form.addRow(self.tr("Role:"), self.role)
            form.addRow(self.tr("Password:"), self.password)
        else:
            self.setWindowTitle(self.tr("Reset password"))
            form.addRow(self.tr("User:"), QLabel(f"{reset_for.display_name}（{reset_for.username}）"))
            form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("Password again:"), self.password2)
        form.addRow("", hint_label(self.tr("The password needs at least 6 characters.")))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _check(self) -> None:
        if self.password.text() != self.password2.text():
            self.error.setText(self.tr("The two passwords are not the same."))
            return
        try:
            if self.reset_for is None:
                check_new_user(self.username.text(), self.display_name.text(),
                               str(self.role.currentData()), self.password.text())
            else:
                check_password(self.password.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
