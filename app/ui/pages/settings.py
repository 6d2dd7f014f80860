"""The settings page: clinic details, users and roles, backups and restoring one."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMetaMethod, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.contracts import ServicePackage
from app.core.paths import Paths
from app.core.policy import PolicyPack
from app.core.users import (
    User,
    addable_roles,
    allowed_actions,
    grantable_roles,
)
from app.storage.county_config import CountyItem
from app.storage.workspace import SYSTEM_USER, Workspace
from app.ui.dialogs.first_run import hint_label
from app.ui.dialogs.user_dialog import UserDialog
from app.ui.errors import show_error
from app.ui.i18n import role_name
from app.ui.pages.packages_editor import PackagesEditor
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

__all__ = ["SettingsPage", "UserDialog", "backup_dir", "perform_restore"]

# The users, who is signed in, whether the clinic has an active administrator, who is locked out.
_UsersState = tuple[list[User], User | None, bool, set[str]]
# What the county sent: every item in force, its service packages and its policy packs.
_CountyState = tuple[list[CountyItem], list[tuple[ServicePackage, CountyItem]],
                     list[tuple[PolicyPack, CountyItem]]]


def backup_dir(ws: Workspace, paths: Paths) -> Path:
    """The folder backups go to: the `backup_dir` setting, else the data folder's backups."""
    return Path(ws.settings.get("backup_dir") or paths.backups)


def perform_restore(paths: Paths, backup_path: Path, *, safety_folder: Path | None = None) -> Path | None:
    """Replace the (closed) clinic database with a backup; returns where the data before it went.

    The safety copy goes next to the backup being restored unless `safety_folder` is given.
    """
    from app.storage.backup import restore_backup

    folder = safety_folder or Path(backup_path).parent
    return restore_backup(paths.database, Path(backup_path), safety_folder=folder)


def format_size(size: int) -> str:
    """A file size for people: 12.3 MB, 850 KB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _item(text: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fit_columns(table: QTableWidget) -> None:
    """Size columns to their contents with room to breathe (the last one stretches)."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, table.columnWidth(column) + 32)


class SettingsPage(QWidget):
    """Clinic details, users and roles, backups. Restoring is done by the window's owner."""

    # The backup the user confirmed to restore. When something is connected, it does the restore
    # (close, `perform_restore`, reopen, `notify_restored`); otherwise the page does it itself.
    restore_requested = Signal(str)
    # The database path, once it must be reopened: after a restore (or a failed one that closed it).
    restored = Signal(str)

    def __init__(self, ws: Workspace, runner: TaskRunner, paths: Paths,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.paths = paths
        self.user_dialog: UserDialog | None = None
        self.restoring: Path | None = None           # the backup being restored
        self.restore_message: QMessageBox | None = None
        self._users: list[User] = []
        self._actor: User | None = None              # the signed-in user (None: nobody, may do nothing)
        self._has_admin = True
        self._locked: set[str] = set()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._clinic_tab(), self.tr("Clinic"))
        self.tabs.addTab(self._users_tab(), self.tr("Users and roles"))
        self.tabs.addTab(self._backup_tab(), self.tr("Backup and restore"))
        self.tabs.addTab(self._packages_tab(), self.tr("Service packages"))
        self.tabs.addTab(self._county_tab(), self.tr("From the county"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _clinic_tab(self) -> QWidget:
        tab = QWidget()
        self.clinic_name = QLineEdit()
        self.division_code = QLineEdit()
        self.division_code.setReadOnly(True)
        self.division_code.setStyleSheet("background: palette(window);")
        self.village_name = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save_clinic)
        self.clinic_status = QLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Clinic name:"), self.clinic_name)
        self.division_code.setMaximumWidth(self.division_code.fontMetrics().horizontalAdvance("0" * 16))
        from app.ui.dialogs.division_dialog import DivisionCodeControls

        self.division_controls = DivisionCodeControls(self.ws, self.runner)
        self.division_controls.changed.connect(self._division_changed)
        code_row = QHBoxLayout()
        code_row.addWidget(self.division_code)
        code_row.addWidget(self.division_controls, 1)
        form.addRow(self.tr("Division code:"), code_row)
        form.addRow(self.tr("Village name:"), self.village_name)
        form.addRow(self.tr("Phone:"), self.phone)
        form.addRow(self.tr("Address:"), self.address)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clinic_status, 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return tab

    def _packages_tab(self) -> QWidget:
        self.packages_editor = PackagesEditor(self.ws, self.runner)
        return self.packages_editor

    def _county_tab(self) -> QWidget:
        tab = QWidget()
        self.county_table = _table([self.tr("Kind"), self.tr("Name"), self.tr("Content"),
                                    self.tr("For"), self.tr("Version"), self.tr("Published")])
        self.county_hint = hint_label("")
        layout = QVBoxLayout(tab)
        layout.addWidget(hint_label(self.tr(
            "Service packages, policy packs and rule settings the county sends when this PC syncs, "
            "signed by the county. They are marked 'from the county' and cannot be changed here; "
            "when the county withdraws one, this clinic's own setting applies again.")))
        layout.addWidget(self.county_table, 1)
        layout.addWidget(self.county_hint)
        return tab

    def show_county(self, items: list[CountyItem],
                    packages: Sequence[tuple[ServicePackage, CountyItem]] = (),
                    packs: Sequence[tuple[PolicyPack, CountyItem]] = ()) -> None:
        """The county's items in force here, each with a line saying what it holds."""
        kinds = {"setting": self.tr("Rule setting"), "service_package": self.tr("Service package"),
                 "policy_pack": self.tr("Policy pack")}
        contents = {i.id: i.value or "" for i in items}
        for p, i in packages:
            contents[i.id] = self.tr("%1, %2 yuan per person a year").replace("%1", p.name).replace(
                "%2", str(p.price))
        for pack, i in packs:
            contents[i.id] = self.tr("%1, %2 to %3").replace("%1", pack.name).replace(
                "%2", pack.valid_from.isoformat()).replace("%3", pack.valid_to.isoformat())
        table = self.county_table
        table.setRowCount(len(items))
        for row, item in enumerate(items):
            content = contents.get(item.id, "")
            cells = [self.tr("%1 · from the county").replace("%1", kinds.get(item.kind, item.kind)),
                     item.key, content, item.scope, str(item.version), item.date]
            for column, text in enumerate(cells):
                table.setItem(row, column, _item(text, item.id if column == 0 else None))
        _fit_columns(table)
        self.county_hint.setText(
            self.tr("Nothing from the county yet: it comes with the first sync after enrolment.")
            if not items else self.tr("%n item(s) from the county.", "", len(items)))

    def _users_tab(self) -> QWidget:
        tab = QWidget()
        self.users_table = _table([self.tr("User name"), self.tr("Full name"), self.tr("Role"),
                                   self.tr("Status")])
        self.add_user_button = QPushButton(self.tr("Add user…"))
        self.role_button = QPushButton(self.tr("Change role…"))
        self.password_button = QPushButton(self.tr("Reset password…"))
        self.active_button = QPushButton(self.tr("Disable"))
        self.unlock_button = QPushButton(self.tr("Unlock sign-in"))
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.users_hint = hint_label("")
        self.add_user_button.clicked.connect(self.open_add_user)
        self.role_button.clicked.connect(self.open_change_role)
        self.password_button.clicked.connect(self.open_reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.users_table.itemSelectionChanged.connect(self._user_selected)
        buttons = QHBoxLayout()
        for b in (self.add_user_button, self.role_button, self.password_button, self.active_button,
                  self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.users_table)
        layout.addLayout(buttons)
        layout.addWidget(self.users_hint)
        self._user_selected()
        return tab

    def _backup_tab(self) -> QWidget:
        tab = QWidget()
        self.backup_folder = QLineEdit()
        self.backup_folder.setReadOnly(True)
        choose = QPushButton(self.tr("Choose folder…"))
        choose.clicked.connect(self.choose_backup_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("Backup folder:")))
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(choose)
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(self.tr("Restore selected backup…"))
        self.restore_button.clicked.connect(self.confirm_restore)
        self.backup_status = QLabel()
        self.backup_status.setWordWrap(True)
        self.backups_table = _table([self.tr("Made at"), self.tr("Size"), self.tr("Kind")])
        self.backups_table.itemSelectionChanged.connect(self._backup_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(folder_row)
        layout.addWidget(hint_label(self.tr(
            "A backup is also made automatically every day. Keep a copy on a USB stick now and then."
        )))
        layout.addLayout(buttons)
        layout.addWidget(self.backup_status)
        layout.addWidget(self.backups_table, 1)
        self._backup_selected()
        return tab

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload settings, users and the backup list."""
        ws = self.ws
        self.runner.db(lambda: (ws.settings.all(), self._users_state(), ws.contracts.packages_text(),
                                (ws.county_config.items(), ws.county_config.packages(),
                                 ws.county_config.policy_packs())),
                       on_done=self._loaded, on_error=self._error)

    def _users_state(self) -> _UsersState:
        ws = self.ws
        actor = None if ws.user == SYSTEM_USER else ws.users.acting()
        return ws.users.list(), actor, ws.users.has_admin(), ws.users.locked()

    def _loaded(self, result: tuple[dict[str, str], _UsersState, str, _CountyState]) -> None:
        settings, state, packages, (county_items, county_packages, county_packs) = result
        users = state[0]
        self.packages_editor.set_text(packages)
        self.packages_editor.set_county(county_packages)
        self.show_county(county_items, county_packages, county_packs)
        self.clinic_name.setText(settings.get("clinic_name", ""))
        self.division_code.setText(settings.get("division_code", ""))
        self.village_name.setText(settings.get("division_name", ""))
        self.phone.setText(settings.get("phone", ""))
        self.address.setText(settings.get("address", ""))
        self.backup_folder.setText(settings.get("backup_dir") or str(self.paths.backups))
        self._show_users(state)
        self.division_controls.set_signed_in(users)
        self.refresh_backups()

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc)

    # --- clinic --------------------------------------------------------------------------

    def save_clinic(self) -> None:
        """Save the clinic's name, village name, phone and address."""
        values = {
            "clinic_name": self.clinic_name.text().strip(),
            "division_name": self.village_name.text().strip(),
            "phone": self.phone.text().strip(),
            "address": self.address.text().strip(),
        }
        if not values["division_name"]:
            self.clinic_status.setText(self.tr("Please enter the village name."))
            return
        ws = self.ws

        def save() -> None:
            if values["division_name"] != ws.settings.get("division_name"):
                ws.settings.add_division(ws.settings.division_code, values["division_name"])
            ws.settings.update(**values)

        self.save_button.setEnabled(False)
        self.runner.db(save, on_done=self._clinic_saved, on_error=self._clinic_failed)

    def _division_changed(self, code: str, name: str) -> None:
        self.division_code.setText(code)
        self.village_name.setText(name)
        self.clinic_status.setText(self.tr("Division code changed to %1.").replace("%1", code))

    def _clinic_saved(self, _: object) -> None:
        self.save_button.setEnabled(True)
        self.clinic_status.setText(self.tr("Saved."))

    def _clinic_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_error(self, exc)

    # --- users ---------------------------------------------------------------------------

    def _show_users(self, state: _UsersState) -> None:
        users, self._actor, self._has_admin, self._locked = state
        self._users = users
        table = self.users_table
        selected = self.selected_user()
        table.setRowCount(len(users))
        for row, u in enumerate(users):
            status = self.tr("Active") if u.active else self.tr("Disabled")
            if u.id in self._locked:
                status = self.tr("Locked (too many wrong passwords)")
            table.setItem(row, 0, _item(u.username, u.id))
            table.setItem(row, 1, _item(u.display_name))
            table.setItem(row, 2, _item(role_name(u.role)))
            table.setItem(row, 3, _item(status))
            if selected and u.id == selected.id:
                table.selectRow(row)
        _fit_columns(table)
        self._user_selected()

    def selected_user(self) -> User | None:
        rows = self.users_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._users):
            return None
        return self._users[rows[0].row()]

    def _addable_roles(self) -> list[str]:
        if self._actor is None:
            return []
        return addable_roles(self._actor, clinic_has_admin=self._has_admin)

    def _allowed(self, user: User | None) -> dict[str, bool]:
        """What the signed-in user may do to `user`; the Workspace refuses the rest anyway."""
        if user is None:
            return dict.fromkeys(("role", "password", "active", "unlock"), False)
        if self._actor is None:
            return dict.fromkeys(("role", "password", "active", "unlock"), False)
        return allowed_actions(self._actor, user, clinic_has_admin=self._has_admin)

    def _user_selected(self) -> None:
        user = self.selected_user()
        allowed = self._allowed(user)
        self.add_user_button.setEnabled(bool(self._addable_roles()))
        self.role_button.setEnabled(allowed["role"])
        self.password_button.setEnabled(allowed["password"])
        self.active_button.setEnabled(allowed["active"])
        self.unlock_button.setVisible(user is not None and user.id in self._locked)
        self.unlock_button.setEnabled(allowed["unlock"])
        self.active_button.setText(
            self.tr("Enable") if user is not None and not user.active else self.tr("Disable")
        )
        if self._actor is not None and not self._actor.is_admin and self._has_admin:
            self.users_hint.setText(self.tr(
                "Only an administrator can add users, change roles or disable accounts. "
                "You can change your own password."))
        else:
            self.users_hint.setText("")

    def _reload_users(self, _: object = None) -> None:
        self.runner.db(self._users_state, on_done=self._show_users, on_error=self._error)

    def open_add_user(self) -> None:
        """Show the add-user dialog; the user is added when it is accepted."""
        dialog = UserDialog(self, roles=self._addable_roles())
        dialog.accepted.connect(lambda: self._add_user(dialog))
        self.user_dialog = dialog
        dialog.open()

    def _add_user(self, dialog: UserDialog) -> None:
        ws = self.ws
        args = (dialog.username.text(), dialog.display_name.text(),
                str(dialog.role.currentData()), dialog.password.text())
        self.runner.db(lambda: ws.users.add(*args), on_done=self._reload_users,
                       on_error=self._error)

    def open_reset_password(self) -> None:
        """Show the reset-password dialog for the selected user."""
        user = self.selected_user()
        if user is None:
            return
        dialog = UserDialog(self, reset_for=user)
        dialog.accepted.connect(lambda: self._update_user(user, password=dialog.password.text()))
        self.user_dialog = dialog
        dialog.open()

    def open_change_role(self) -> None:
        """Ask for the selected user's new role."""
        user = self.selected_user()
        if user is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Change role"))
        combo = QComboBox()
        for key in [] if self._actor is None else grantable_roles(self._actor):
            combo.addItem(role_name(key), key)
        combo.setCurrentIndex(max(0, combo.findData(user.role)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("User:"), QLabel(f"{user.display_name}（{user.username}）"))
        form.addRow(self.tr("Role:"), combo)
        form.addRow(buttons)
        dialog.setMinimumWidth(360)
        dialog.accepted.connect(lambda: self._update_user(user, role=str(combo.currentData())))
        dialog.open()

    def toggle_active(self) -> None:
        """Disable the selected user, once confirmed (or enable a disabled one)."""
        user = self.selected_user()
        if user is None:
            return
        if user.active:
            answer = QMessageBox.question(
                self, self.tr("Disable user"),
                self.tr("Disable %1? They will no longer be able to sign in.")
                .replace("%1", f"{user.display_name}（{user.username}）"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._update_user(user, active=not user.active)

    def unlock_selected(self) -> None:
        """Let a user locked out by wrong passwords sign in again."""
        user = self.selected_user()
        if user is None:
            return
        ws = self.ws
        self.runner.db(lambda: ws.users.unlock(user.id), on_done=self._reload_users,
                       on_error=self._error)

    def _update_user(self, user: User, **changes: Any) -> None:
        ws = self.ws
        self.runner.db(lambda: ws.users.update(user.id, **changes), on_done=self._reload_users,
                       on_error=self._error)

    # --- backups -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Coming to this page lists the backups afresh (the start-up one is made after start)."""
        super().showEvent(event)
        self.refresh_backups()

    def current_backup_dir(self) -> Path:
        return Path(self.backup_folder.text() or self.paths.backups)

    def choose_backup_folder(self) -> None:
        """Pick another folder for backups (for example a second disk)."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"),
                                                  str(self.current_backup_dir()))
        if folder:
            self.set_backup_folder(Path(folder))

    def set_backup_folder(self, folder: Path) -> None:
        """Keep backups in `folder` from now on."""
        ws = self.ws
        self.runner.db(lambda: ws.settings.update(backup_dir=str(folder)),
                       on_done=lambda _: self._folder_saved(folder), on_error=self._error)

    def _folder_saved(self, folder: Path) -> None:
        self.backup_folder.setText(str(folder))
        self.refresh_backups()

    def refresh_backups(self) -> None:
        """Reload the list of backups in the backup folder."""
        from app.storage.backup import list_backups

        folder = self.current_backup_dir()
        self.runner.io(lambda: list_backups(folder), on_done=self._show_backups,
                       on_error=self._error)

    def _show_backups(self, backups: list[Any]) -> None:
        table = self.backups_table
        table.setRowCount(len(backups))
        for row, b in enumerate(backups):
            made = b.created.astimezone().strftime("%Y-%m-%d %H:%M")
            table.setItem(row, 0, _item(made, str(b.path)))
            table.setItem(row, 1, _item(format_size(b.size_bytes)))
            table.setItem(row, 2, _item(self.reason_name(b.reason)))
        _fit_columns(table)
        self._backup_selected()

    def reason_name(self, reason: str) -> str:
        names = {
            "manual": self.tr("Made by hand"),
            "daily": self.tr("Daily"),
            "start": self.tr("On start"),
            "before_restore": self.tr("Before a restore"),
        }
        return names.get(reason, reason)

    def selected_backup(self) -> Path | None:
        rows = self.backups_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.backups_table.item(rows[0].row(), 0)
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _backup_selected(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    def backup_now(self) -> None:
        """Make a backup of the open database in the backup folder."""
        from app.storage.backup import make_backup

        ws, folder = self.ws, self.current_backup_dir()
        self.backup_button.setEnabled(False)
        self.backup_status.setText(self.tr("Making a backup…"))
        self.runner.db(lambda: make_backup(ws, folder, reason="manual"),
                       on_done=self._backed_up, on_error=self._backup_failed)

    def _backed_up(self, path: Path) -> None:
        self.backup_button.setEnabled(True)
        self.backup_status.setText(self.tr("Backup made: %1").replace("%1", str(path)))
        self.refresh_backups()

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.backup_status.clear()
        show_error(self, exc)

    def confirm_restore(self) -> None:
        """Ask before restoring: the current data is replaced (after a safety backup)."""
        path = self.selected_backup()
        if path is None:
            return
        from app.storage.backup_policy import foreign_backup
        from app.ui.dialogs.restore_done import backup_label

        made = backup_label(path)
        question = self.tr(
            "Restore the backup made at %1?\n\nAll current data will be replaced by the data "
            "in this backup. A safety backup of the current data is made first."
        ).replace("%1", made)
        foreign = foreign_backup(self.paths.database, path)
        if foreign:
            question = self.tr(
                "This backup looks like another clinic's data: %1.\n\n"
            ).replace("%1", foreign) + question
        from app.storage.versions import enrolled_in_file, unsynced_in_file

        if enrolled_in_file(self.paths.database):
            unsynced = unsynced_in_file(self.paths.database)
            if unsynced:
                question += "\n\n" + self.tr(
                    "This PC is enrolled with the county and %1 changes have not reached the county "
                    "yet. After the restore they are only in the safety backup and will not be sent "
                    "to the county: sync first if you can."
                ).replace("%1", str(unsynced))
            question += "\n\n" + self.tr(
                "The restored data starts as a new installation: enrol it with the county again "
                "with a new code before it can sync.")
        answer = QMessageBox.question(
            self,
            self.tr("Restore backup"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        log.info("restore requested from %s", path)
        if self.isSignalConnected(QMetaMethod.fromSignal(self.restore_requested)):
            self.restore_requested.emit(str(path))  # the window's owner restores and reopens
        else:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Close the workspace, restore `path` over it, then emit `restored` for reopening.

        Runs as one job on the serial database worker, so no other database work can run
        between closing and restoring. Whoever holds the workspace reopens it on `restored`.
        """
        from app.storage.backup import check_backup

        ws, paths, safety_dir = self.ws, self.paths, self.current_backup_dir()
        closed: list[bool] = []
        self.restoring = path

        def work() -> Path:
            ws.users.check_may_replace_data()  # an administrator (the same rule as `cunyi restore`)
            check_backup(path)  # a bad backup is refused before anything is closed
            ws.close()
            closed.append(True)
            return perform_restore(paths, path, safety_folder=safety_dir)

        def failed(exc: BaseException) -> None:
            self._backup_failed(exc)
            if closed:
                # The database is unchanged but closed: have it reopened as it was.
                self.restored.emit(str(paths.database))

        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self.backup_status.setText(self.tr("Restoring…"))
        self.runner.db(work, on_done=self.notify_restored, on_error=failed)

    def notify_restored(self, safety_backup: Path | None, backup: Path | None = None) -> None:
        """After a restore succeeded: say so, what was restored and where the old data went."""
        from app.ui.dialogs.restore_done import restore_done_text, show_restore_done

        self.backup_button.setEnabled(True)
        self.refresh_backups()
        restored = backup or self.restoring
        self.backup_status.setText(restore_done_text(restored, safety_backup))
        # The window replaces this page once it has reopened the database: the message box
        # belongs to the window so it stays up.
        self.restore_message = show_restore_done(self.window(), restored, safety_backup)
        self.restored.emit(str(self.paths.database))
