"""The clinic's recovery key, shown once: when the database is made or first encrypted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CunyiError
from app.core.users import User
from app.storage.workspace import Workspace


class RecoveryKeyDialog(QDialog):
    """The recovery key in large print, with what it is for and where to keep it."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery key"))
        intro = QLabel(self.tr(
            "The clinic's data is now encrypted. Write this recovery key on paper and keep it in "
            "the clinic's safe. With it, a new password can be set when every password is "
            "forgotten, and backups can be opened on another PC. It is shown only this once."))
        intro.setWordWrap(True)
        self.key_label = QLabel(key)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.6)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("I have written it down"))
        copy = QPushButton(self.tr("Copy"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(key))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.key_label)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


class RecoverDialog(QDialog):
    """Set a new password with the recovery key, when every password is forgotten.

    On success `.ws` is the opened database and `.user` the user who now has the new password.
    """

    def __init__(self, path: Path, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.path = path
        self.ws: Workspace | None = None
        self.user: User | None = None
        self.setWindowTitle(self.tr("Set a new password with the recovery key"))
        intro = QLabel(self.tr(
            "Type the recovery key written down when the clinic's data was encrypted (28 letters "
            "and digits), the user whose password is forgotten, and a new password for them."))
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Recovery key:"), self.key)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("New password again:"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Set password"))
        buttons.accepted.connect(self.try_recover)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def try_recover(self) -> None:
        """Check the key and set the password; a mistake is said here and the dialog stays open."""
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("The two new passwords differ."))
            return
        try:
            ws = Workspace.recover(self.path, self.key.text(), self.username.text(),
                                   self.password.text())
        except CunyiError as exc:
            self.error.setText(str(exc))
            return
        self.ws = ws
        self.user = ws.users.acting()
        self.accept()
