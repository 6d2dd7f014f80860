"""Correcting the clinic's division code: administrators only, after saying what changes and what not."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.divisions import DivisionCheck
from app.core.errors import ValidationError
from app.core.users import User
from app.storage.clinic_division import DivisionChange
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import WARNING_STYLE, check_village_code, error_label, hint_label
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner


class ChangeDivisionDialog(QDialog):
    """Type the right village code and name; the change is made after a confirmation."""

    changed = Signal(str, str)           # the new code and village name, once saved

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle(self.tr("Correct the division code"))
        self.old_code = QLabel(ws.settings.division_code)
        self.code = QLineEdit()
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("12 digits"))
        self.village_name = QLineEdit(ws.settings.get("division_name"))
        self.error = error_label()
        self.place = hint_label("")
        self.warning = error_label()
        self.warning.setStyleSheet(WARNING_STYLE)
        self.accept_unknown = QCheckBox(self.tr("I have checked this code with the county; use it anyway"))
        self.accept_unknown.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Change…"))
        self.buttons.accepted.connect(self.ask)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Current code:"), self.old_code)
        form.addRow(self.tr("New code:"), self.code)
        form.addRow("", self.error)
        form.addRow("", self.place)
        form.addRow("", self.warning)
        form.addRow("", self.accept_unknown)
        form.addRow(self.tr("Village name:"), self.village_name)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr(
            "New households and new health-record numbers will use the new code. Records that "
            "already exist keep their numbers.")))
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # Room for two lines of warnings without the dialog having to grow while one types.
        self.setMinimumSize(620, 380)
        self.code.textChanged.connect(self._update)
        self.village_name.textChanged.connect(self._update)
        self.accept_unknown.toggled.connect(self._update)
        self._update()

    def check(self) -> DivisionCheck | None:
        """The typed code when it could exist, else None (the reason is shown)."""
        text = self.code.text().strip()
        if len(text) < 12:
            self.error.clear()
            return None
        try:
            result = check_village_code(text)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return None
        self.error.clear()
        return result

    def _update(self) -> None:
        check = self.check()
        place = check.place if check is not None else ""
        self.place.setText(self.tr("Division: %1").replace("%1", place) if place else "")
        self.place.setVisible(bool(place))
        warnings = "\n".join(check.warnings) if check is not None else ""
        self.warning.setText(warnings)
        self.accept_unknown.setVisible(bool(warnings))
        ok = (check is not None and bool(self.village_name.text().strip())
              and (check.known or self.accept_unknown.isChecked()))
        self.ok_button.setEnabled(ok)

    def ask(self) -> None:
        """Count what stays as it is, then ask before changing anything."""
        ws, code, name = self.ws, self.code.text().strip(), self.village_name.text().strip()
        self.ok_button.setEnabled(False)
        self.runner.db(lambda: ws.settings.plan_division_change(code, name), on_done=self._confirm,
                       on_error=self._failed)

    def confirm_text(self, plan: DivisionChange) -> str:
        """What the change does and what it leaves alone, in the doctor's words."""
        return self.tr(
            "Change this clinic's division code from %1 to %2 (%3)?\n\n"
            "From now on: new households are filed under %2 and new health-record numbers begin "
            "with %2; the township of teams and the village of imported lists follow the new code.\n\n"
            "Not renumbered: the %4 existing household(s) stay under %1, and the %5 existing "
            "health-record number(s) and household numbers keep the old code, as printed on paper "
            "files and cards.\n\nThe change is written to the audit log."
        ).replace("%1", plan.old_code).replace("%2", plan.new_code).replace("%3", plan.new_name) \
            .replace("%4", str(plan.households_kept)).replace("%5", str(plan.people_kept))

    def _confirm(self, plan: DivisionChange) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Correct the division code"),
                          self.confirm_text(plan),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._answered(result, plan))
        self.confirm_box = box
        box.open()

    def _answered(self, result: int, plan: DivisionChange) -> None:
        self.confirm_box = None
        if result != QMessageBox.StandardButton.Yes:
            self._update()
            return
        ws = self.ws
        self.runner.db(lambda: ws.settings.change_division_code(plan.new_code, plan.new_name),
                       on_done=lambda _: self._changed(plan), on_error=self._failed)

    def _changed(self, plan: DivisionChange) -> None:
        self.changed.emit(plan.new_code, plan.new_name)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._update()
        show_error(self, exc)


class DivisionCodeControls(QWidget):
    """The 更改… button beside the clinic's code, enabled for administrators only."""

    changed = Signal(str, str)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.dialog: ChangeDivisionDialog | None = None
        self.button = QPushButton(self.tr("Correct…"))
        self.button.clicked.connect(self.open_dialog)
        self.hint = hint_label("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.hint, 1)
        self.set_admin(False)

    def set_signed_in(self, users: list[User]) -> None:
        """Enable the button when the signed-in user (the workspace's) is an administrator."""
        me = next((u for u in users if u.username == self.ws.user and u.active), None)
        self.set_admin(me is not None and me.is_admin)

    def set_admin(self, admin: bool) -> None:
        self.button.setEnabled(admin)
        self.hint.setText(
            self.tr("New records use this code; a wrong one can be corrected here.") if admin
            else self.tr("Only a township or county administrator can correct the division code.")
        )

    def open_dialog(self) -> None:
        dialog = ChangeDivisionDialog(self.ws, self.runner, self)
        dialog.changed.connect(self.changed)
        self.dialog = dialog
        dialog.open()
