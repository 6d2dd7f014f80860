"""The first-run wizard: the clinic, its village and station number, and the first user."""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.divisions import DivisionCheck
from app.core.errors import CunyiError, ValidationError
from app.core.identity import MAX_STATION
from app.core.paths import Paths
from app.core.users import ROLES, User, check_new_user
from app.storage.clinic_division import check_new_clinic_code
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.i18n import role_name

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5300;"
HINT_STYLE = "color: #555555;"


class ErrorLabel(QLabel):
    """A red, wrapping message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setVisible(False)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.setVisible(False)


def error_label() -> ErrorLabel:
    """A red message label for problems with what was typed."""
    return ErrorLabel()


def hint_label(text: str) -> QLabel:
    """A grey, wrapping line that explains a field."""
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def check_village_code(text: str) -> DivisionCheck:
    """A clinic's village code: refused when it cannot exist, with warnings when it is not known."""
    return check_new_clinic_code(text)


class ClinicPage(QWizardPage):
    """The clinic's name, its village's division code and name, and this PC's station number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Clinic"))
        self.setSubTitle(self.tr("Which clinic and village this computer keeps health files for."))
        self.clinic_name = QLineEdit()
        self.clinic_name.setPlaceholderText(self.tr("e.g. Dongshan Village Clinic"))
        self.division_code = QLineEdit()
        self.division_code.setMaxLength(12)
        self.division_code.setValidator(QRegularExpressionValidator(r"\d{0,12}", self))
        self.division_code.setPlaceholderText(self.tr("12 digits, e.g. 522323104201"))
        self.code_error = error_label()
        self.code_place = hint_label("")
        self.code_place.setVisible(False)
        self.code_warning = error_label()
        self.code_warning.setStyleSheet(WARNING_STYLE)
        self.accept_unknown = QCheckBox(self.tr("I have checked this code with the county; use it anyway"))
        self.accept_unknown.setVisible(False)
        self.accept_unknown.toggled.connect(lambda _: self.completeChanged.emit())
        self.village_name = QLineEdit()
        self.village_name.setPlaceholderText(self.tr("e.g. Dongshan Village"))
        self.station = QSpinBox()
        self.station.setRange(1, MAX_STATION)
        self.station.setValue(1)
        station_hint = hint_label(self.tr(
            "When several computers in one village create files, give each computer a different "
            "station number and the record numbers will never clash."
        ))

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Clinic name:"), self.clinic_name)
        form.addRow(self.tr("Village division code:"), self.division_code)
        form.addRow("", self.code_error)
        form.addRow("", self.code_place)
        form.addRow("", self.code_warning)
        form.addRow("", self.accept_unknown)
        form.addRow(self.tr("Village name:"), self.village_name)
        form.addRow(self.tr("Station number:"), self.station)
        form.addRow("", station_hint)

        self.registerField("clinic_name*", self.clinic_name)
        self.registerField("division_code*", self.division_code)
        self.registerField("village_name*", self.village_name)
        self.registerField("station", self.station)
        self.division_code.textChanged.connect(self._code_changed)
        self.division_code.editingFinished.connect(self._code_finished)

    def code(self) -> DivisionCheck | None:
        """The typed division code when it could exist (it may still carry warnings), else None."""
        try:
            return check_village_code(self.division_code.text())
        except ValidationError:
            return None

    def _show_code_problem(self) -> None:
        """Say why a code is refused, where a known one lies, and what is doubtful about it."""
        try:
            check = check_village_code(self.division_code.text())
        except ValidationError as exc:
            self.code_error.setText(str(exc))
            self._show_check(None)
        else:
            self.code_error.clear()
            self._show_check(check)

    def _show_check(self, check: DivisionCheck | None) -> None:
        place = check.place if check is not None else ""
        self.code_place.setText(self.tr("Division: %1").replace("%1", place) if place else "")
        self.code_place.setVisible(bool(place))
        warnings = "\n".join(check.warnings) if check is not None else ""
        self.code_warning.setText(warnings)
        self.accept_unknown.setVisible(bool(warnings))
        if not warnings:
            self.accept_unknown.setChecked(False)

    def _code_changed(self, text: str) -> None:
        # Only complain about length once all 12 digits are there; a wrong digit shows at once.
        self.accept_unknown.setChecked(False)
        if len(text) == 12:
            self._show_code_problem()
        else:
            self.code_error.clear()
            self._show_check(None)
        self.completeChanged.emit()

    def _code_finished(self) -> None:
        if self.division_code.text():
            self._show_code_problem()

    def code_accepted(self) -> bool:
        """A possible code whose warnings, if any, the user has acknowledged."""
        check = self.code()
        return check is not None and (check.known or self.accept_unknown.isChecked())

    def isComplete(self) -> bool:
        return super().isComplete() and self.code_accepted()

    def validatePage(self) -> bool:
        self._show_code_problem()
        return self.code_accepted() and bool(self.clinic_name.text().strip())


class UserPage(QWizardPage):
    """The first user: who signs in, with what password and role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("First user"))
        self.setSubTitle(self.tr("The person who signs in to this computer. More users can be added later in Settings."))
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("letters or digits, no spaces"))
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        for key in ROLES:
            self.role.addItem(role_name(key), key)
        self.error = error_label()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Full name:"), self.display_name)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Password again:"), self.password2)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow("", hint_label(self.tr("The password needs at least 6 characters.")))
        form.addRow("", self.error)

        self.registerField("username*", self.username)
        self.registerField("password*", self.password)
        for widget in (self.username, self.display_name, self.password, self.password2):
            widget.textChanged.connect(self.error.clear)

    def role_key(self) -> str:
        return str(self.role.currentData())

    def validatePage(self) -> bool:
        if self.password.text() != self.password2.text():
            self.error.setText(self.tr("The two passwords are not the same."))
            return False
        try:
            check_new_user(self.username.text(), self.display_name.text(), self.role_key(),
                           self.password.text())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class FinishPage(QWizardPage):
    """A summary of what will be created, and where."""

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.setTitle(self.tr("Finish"))
        self.setSubTitle(self.tr("Check the details, then press Finish to create the clinic's database."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        c, u = wizard.clinic_page, wizard.user_page
        lines = [
            self.tr("Clinic: %1").replace("%1", c.clinic_name.text().strip()),
            self.tr("Village: %1 (%2)").replace("%1", c.village_name.text().strip())
            .replace("%2", c.division_code.text()),
            self.tr("Station number: %1").replace("%1", str(c.station.value())),
            self.tr("First user: %1 (%2)").replace("%1", u.username.text().strip())
            .replace("%2", u.role.currentText()),
            "",
            self.tr("The data will be kept in: %1").replace("%1", str(self.paths.database)),
        ]
        self.summary.setText("\n".join(lines))

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard.create_workspace()


class FirstRunWizard(QWizard):
    """Set up a new clinic database; afterwards `.workspace` and `.user` are set."""

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.workspace: Workspace | None = None
        self.user: User | None = None
        self.setWindowTitle(self.tr("Set up Cunyi"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.clinic_page = ClinicPage()
        self.user_page = UserPage()
        self.finish_page = FinishPage(paths)
        self.addPage(self.clinic_page)
        self.addPage(self.user_page)
        self.addPage(self.finish_page)
        self.setMinimumSize(640, 520)

    def create_workspace(self) -> bool:
        """Create the database and the first user; on failure show why and stay open."""
        c, u = self.clinic_page, self.user_page
        db_path = self.paths.database
        existed = db_path.exists()
        try:
            ws = Workspace.create(
                db_path,
                clinic_name=c.clinic_name.text(),
                division_code=c.division_code.text(),
                division_name=c.village_name.text(),
                station=c.station.value(),
            )
        except CunyiError as exc:
            show_error(self, exc)
            return False
        try:
            user = ws.users.add_first(u.username.text(), u.display_name.text(), u.role_key(),
                               u.password.text())
        except CunyiError as exc:
            ws.close()
            if not existed:
                # The half-made database has no user and could never be signed in to.
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        db_path.with_name(db_path.name + suffix).unlink()
            show_error(self, exc)
            return False
        ws.user = user.username
        self.workspace, self.user = ws, user
        log.info("created clinic database %s", db_path)
        return True
