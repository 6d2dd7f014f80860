"""The main window: navigation on the left, one page at a time, clinic and sync state below.

Once the installation is enrolled the window syncs with the county in the background
(app.ui.background_sync): shortly after it opens, then every few minutes, on a thread and a
connection of its own; the status bar says when it last synced, what is still to send, and
whether the county could be reached. Rows a sync brought in refresh the pages like any change.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.core.paths import Paths
from app.core.users import User
from app.storage.changes import SYNCED_TABLES, Changes
from app.storage.workspace import Workspace
from app.ui.application import APP_NAME
from app.ui.background_sync import BackgroundSync, CountyFactory, SyncState, http_county
from app.ui.errors import show_error
from app.ui.pages.claims import ClaimsPage
from app.ui.pages.contracts import ContractsPage
from app.ui.pages.exams import ExamsPage
from app.ui.pages.followups import FollowUpsPage
from app.ui.pages.households import HouseholdsPage
from app.ui.pages.person import PersonPage
from app.ui.pages.placeholder import PlaceholderPage
from app.ui.pages.sync import SyncPage
from app.ui.pages.worktable import WorktablePage
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

IMPORTED_TABLES = frozenset({"households", "people", "poverty_events", "help_persons", "diagnoses"})

NAV_STYLE = """
QListWidget#nav { background: #f3f5f7; border: none; border-right: 1px solid #d6dbe0; outline: 0; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #2f6fb2; color: white; }
"""


class MainWindow(QMainWindow):
    """Holds the open workspace and the pages; pages report mutations, the window fans them out."""

    changes_applied = Signal(object)

    def __init__(self, ws: Workspace, user: User, runner: TaskRunner, paths: Paths,
                 parent: QWidget | None = None, *, county_factory: CountyFactory = http_county,
                 background: BackgroundSync | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.user = user
        self.runner = runner
        self.paths = paths
        self.enrolled, self.last_sync = False, ""
        self.background = background or BackgroundSync(ws.path, ws.user, county_factory=county_factory,
                                                        parent=self)
        self.background.synced.connect(self._background_synced)
        self.background.failed.connect(lambda _exc: self.refresh_status())
        self.background.state_changed.connect(self._background_changed)
        self.setWindowTitle(APP_NAME)
        fit_to_screen(self, 1366, 768)
        self._build_pages()
        self._build_actions()
        self._build_status_bar()
        self.households.refresh()
        self.contracts_page.refresh()
        for page in self.care_pages:
            page.refresh()
        self.refresh_status()

    # --- layout ------------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.households = HouseholdsPage(self.ws, self.runner)
        self.person_page = PersonPage(self.ws, self.runner)
        self.contracts_page = ContractsPage(self.ws, self.runner)
        doctor = self.user.display_name
        self.worktable = WorktablePage(self.ws, self.runner, doctor=doctor)
        self.followups_page = FollowUpsPage(self.ws, self.runner, doctor=doctor)
        self.exams_page = ExamsPage(self.ws, self.runner, doctor=doctor)
        self.care_pages = (self.worktable, self.followups_page, self.exams_page)
        self.claims_page = ClaimsPage(self.ws, self.runner)
        self.settings_page = self._make_settings_page()
        self.sync_page = SyncPage(self.ws, self.runner, service=self.background)
        pages: list[tuple[str, str, QWidget]] = [
            ("worktable", self.tr("Dashboard"), self.worktable),
            ("households", self.tr("Households"), self.households),
            ("person", self.tr("Residents"), self.person_page),
            ("contracts", self.tr("Contracts"), self.contracts_page),
            ("followups", self.tr("Follow-ups"), self.followups_page),
            ("exams", self.tr("Health exams"), self.exams_page),
            ("claims", self.tr("Settlement"), self.claims_page),
            ("reports", self.tr("Reports"), PlaceholderPage(self.tr("Reports"))),
            ("sync", self.tr("Sync"), self.sync_page),
            ("settings", self.tr("Settings"), self.settings_page),
        ]
        self.page_names: list[str] = []
        for name, title, page in pages:
            self.nav.addItem(title)
            self.stack.addWidget(page)
            self.page_names.append(name)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.stack.setContentsMargins(8, 8, 8, 8)
        self.setCentralWidget(central)

        for page in (self.households, self.person_page, self.contracts_page, *self.care_pages, self.claims_page,
                     self.sync_page):
            page.changed.connect(self.apply_changes)
            self.changes_applied.connect(page.on_changes)
        self.households.open_person.connect(self.open_person)
        self.person_page.open_household.connect(self.open_household)
        self.person_page.followup_requested.connect(self.followups_page.new_followup_for)

    def _make_settings_page(self) -> QWidget:
        try:
            from app.ui.pages.settings import SettingsPage
        except ImportError:
            log.warning("settings page not available", exc_info=True)
            return PlaceholderPage(self.tr("Settings"))
        page = SettingsPage(self.ws, self.runner, self.paths)
        page.restored.connect(self.reopen)
        page.restore_requested.connect(self._restore)
        return page

    def _restore(self, path: str) -> None:
        """A confirmed restore: the background sync ends first (its connection writes to the file
        being replaced), then the settings page restores; `reopen` starts syncing again."""
        page = self.settings_page
        self.background.pause(lambda: page.restore(Path(path)))

    def _build_actions(self) -> None:
        self.import_action = QAction(self.tr("Import poor-household list…"), self)
        self.export_action = QAction(self.tr("Export…"), self)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.import_action.triggered.connect(self.import_list)
        self.export_action.triggered.connect(self.export_list)
        self.quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.import_action)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.export_action)

    def _build_status_bar(self) -> None:
        self.clinic_label = QLabel()
        self.user_label = QLabel()
        self.counts_label = QLabel()
        self.unsynced_label = QLabel()
        self.sync_label = QLabel()
        self.busy_label = QLabel()
        bar = self.statusBar()
        for label in (self.clinic_label, self.user_label, self.counts_label, self.unsynced_label,
                      self.sync_label):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)
        bar.addWidget(self.busy_label)
        self.runner.busy_changed.connect(
            lambda busy: self.busy_label.setText(self.tr("Working…") if busy else ""))
        self.user_label.setText(self.tr("User: %s (%s)") % (self.user.display_name, _role_name(self.user)))

    # --- state ----------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """A mutation finished: tell every page and update the status bar."""
        self.changes_applied.emit(changes)
        self.refresh_status()
        if changes.warnings:
            self.statusBar().showMessage("；".join(changes.warnings), 15_000)

    def refresh_status(self) -> None:
        ws = self.ws
        self.runner.db(
            lambda: (ws.settings.get("clinic_name"), ws.households.count(), ws.people.count(),
                     ws.unsynced_count(), ws.sync.identity() is not None, ws.sync.last_sync()),
            on_done=self._status_loaded,
        )

    def _status_loaded(self, values: tuple[str, int, int, int, bool, str]) -> None:
        clinic, households, people, unsynced, enrolled, last_sync = values
        self.enrolled, self.last_sync = enrolled, last_sync
        if enrolled:
            self.background.user = self.ws.user
            self.background.start()         # a no-op once it runs; the first sync comes shortly
        self._background_changed(self.background.state)
        self.clinic_label.setText(clinic)
        # "Clinic — 村医": Qt adds the application name after a title that does not end with it.
        self.setWindowTitle(f"{clinic} — {APP_NAME}" if clinic else APP_NAME)
        self.counts_label.setText(self.tr("%1 households, %2 residents")
                                  .replace("%1", str(households)).replace("%2", str(people)))
        self.unsynced_label.setText(self.tr("Unsynced changes: %d") % unsynced)

    def _background_changed(self, state: SyncState) -> None:
        """The sync part of the status bar: syncing, the county unreachable, or the last sync."""
        from app.ui.pages.sync import local_time

        if not self.enrolled and not state.running:
            self.sync_label.clear()
        elif state.running:
            self.sync_label.setText(self.tr("Syncing with the county…"))
        elif state.unreachable:
            when = f"{state.next_at:%H:%M}" if state.next_at else "—"
            self.sync_label.setText(self.tr("County server unreachable, next try %1").replace("%1", when))
        elif state.message:
            self.sync_label.setText(self.tr("Last sync did not finish (see Sync)"))
        else:
            last = local_time(self.last_sync) if self.last_sync else self.tr("never")
            self.sync_label.setText(self.tr("Last sync: %1").replace("%1", last))
        self.sync_label.setToolTip(state.message)

    def _background_synced(self, result: object) -> None:
        """A sync finished: pages show what it brought in; the status bar what is left to send."""
        if getattr(result, "pulled", 0):
            self.apply_changes(Changes(tables=set(SYNCED_TABLES)))
        else:
            self.refresh_status()

    def _nav_changed(self, row: int) -> None:
        """Switch page, unless the page being left has edits the doctor wants to keep typing."""
        if row == self.stack.currentIndex():
            return
        if not self._may_leave_page():
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            return
        self.stack.setCurrentIndex(row)

    def _may_leave_page(self) -> bool:
        may_leave = getattr(self.stack.currentWidget(), "may_leave", None)
        return not callable(may_leave) or bool(may_leave())

    def page(self, name: str) -> QWidget:
        """The page called `name` (a key such as "households", never a position that moves)."""
        return self.stack.widget(self.page_names.index(name))

    def current_page_name(self) -> str:
        return self.page_names[self.stack.currentIndex()]

    def show_page(self, name: str) -> QWidget:
        """Switch to the page called `name` and return it."""
        self.nav.setCurrentRow(self.page_names.index(name))
        return self.page(name)

    def open_person(self, person_id: str) -> None:
        self.show_page("person")
        self.person_page.open(person_id)

    def open_household(self, household_id: str) -> None:
        self.show_page("households")
        self.households.select_household(household_id)

    # --- actions ------------------------------------------------------------------------

    def import_list(self) -> None:
        try:
            from app.ui.dialogs.import_wizard import ImportWizard
        except ImportError as exc:
            show_error(self, exc)
            return
        wizard = ImportWizard(self.ws, self.runner, self)
        wizard.imported.connect(lambda _report: self.apply_changes(Changes(tables=set(IMPORTED_TABLES))))
        wizard.open()

    def export_list(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export household list"), str(Path.home() / "家庭档案.xlsx"),
            self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return
        from app.storage.importer import export_workbook
        from app.ui.outputs import chosen_output

        places = self.ws.settings.protected_places(data_folders=[self.paths.home, self.paths.logs])
        out = chosen_output(self, path, places)
        if out is None:
            return
        ws = self.ws
        self.runner.db(
            lambda: export_workbook(ws, out),
            on_done=lambda n: self.statusBar().showMessage(
                self.tr("Exported %d rows to %s") % (n, path), 15_000),
            on_error=lambda exc: show_error(self, exc),
        )

    def reopen(self, database: str) -> None:
        """After a backup was restored: close the workspace and open the restored file."""
        self.runner.wait()
        user = self.ws.user
        self.ws.close()
        try:
            self.ws = Workspace.open(database)
        except Exception as exc:  # shown, then the window closes: nothing usable is open
            show_error(self, exc)
            self.close()
            return
        self.ws.user = user
        self.households.set_workspace(self.ws)
        self.person_page.set_workspace(self.ws)
        self.contracts_page.set_workspace(self.ws)
        for page in self.care_pages:
            page.set_workspace(self.ws)
        self.claims_page.set_workspace(self.ws)
        for name, make in (("settings", self._make_settings_page),
                           ("sync", lambda: SyncPage(self.ws, self.runner, service=self.background))):
            old = self.page(name)
            new = make()
            index = self.page_names.index(name)
            self.stack.insertWidget(index, new)
            self.stack.removeWidget(old)
            old.deleteLater()
            if name == "settings":
                self.settings_page = new
            else:
                self.sync_page = new
                new.changed.connect(self.apply_changes)
                self.changes_applied.connect(new.on_changes)
        self.show_page("settings")
        self.background.resume()           # refresh_status starts it if the restored file is enrolled
        self.refresh_status()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.person_page.may_leave():
            event.ignore()
            return
        self.background.stop()
        self.runner.wait()
        super().closeEvent(event)


def _role_name(user: User) -> str:
    try:
        from app.ui.i18n import role_name
    except ImportError:
        return user.role_name
    return role_name(user.role)
