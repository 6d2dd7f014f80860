"""Membership changes: move a member to another household; mark one 迁出 / 死亡 / 失访."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.households import POVERTY_STATUSES
from app.core.people import LIVING_STATUSES, RELATIONS, Person
from app.storage.changes import Changes
from app.storage.households import HouseholdFilter, HouseholdRow
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import BAD_STYLE, CodeCombo, DateField


class MoveDialog(QDialog):
    """Pick the household a member moves to (by search) and the member's new relation."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, person: Person,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.person = person
        self._generation = 0
        self.setWindowTitle(self.tr("Move %s to another household") % person.name)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Head's name, pinyin initials, ID or household no."))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.relation = CodeCombo([r for r in RELATIONS if r != "户主"] + ["户主"], blank=None)
        self.relation.set_code("其他")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Move"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("Find household"), self.search)
        form.addRow(self.results)
        form.addRow(self.tr("Relation to the new head"), self.relation)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 480)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._timer.start)
        self.results.currentItemChanged.connect(lambda *_: self.ok.setEnabled(self.target() is not None))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def target(self) -> str | None:
        item = self.results.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _run_search(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.search.text().strip()
        if not query:
            self.results.clear()
            return
        ws = self.ws
        own = self.person.household_id

        def find() -> list[HouseholdRow]:
            ids = [i for i in ws.households.ids(HouseholdFilter(query=query)) if i != own][:50]
            rows = ws.households.rows(ids)
            return [rows[i] for i in ids if i in rows]

        self.runner.db(find, on_done=lambda rows: self._show(generation, rows))

    def _show(self, generation: int, rows: list[HouseholdRow]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for r in rows:
            text = "  ".join(filter(None, [
                r.head_name or self.tr("(no head)"), r.group_name, r.household_no,
                POVERTY_STATUSES.get(r.poverty_status, ""), r.address,
            ]))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def save(self) -> None:
        target = self.target()
        if target is None or self.person.id is None:
            return
        ws, pid, relation = self.ws, str(self.person.id), self.relation.code()
        self.buttons.setEnabled(False)
        self.runner.db(lambda: ws.people.move(pid, target, relation),
                       on_done=self._done, on_error=self._failed)

    def _done(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)


class MarkStatusDialog(QDialog):
    """Mark a member 迁出 / 死亡 / 失访 (with a date) or back to 在册."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, person: Person,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.person = person
        self.setWindowTitle(self.tr("Change the status of %s") % person.name)
        choices = [s for s in LIVING_STATUSES if s != person.living_status] or list(LIVING_STATUSES)
        self.status = CodeCombo(choices, blank=None)
        self.date = DateField(field="status_date")
        self.note = QLineEdit()
        self.hint = QLabel()
        self.hint.setStyleSheet(BAD_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("New status"), self.status)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(440, 220)
        self.status.currentIndexChanged.connect(self._update)
        self.date.textChanged.connect(self._update)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._update()

    def _update(self) -> None:
        status = self.status.code()
        needs_date = status in ("迁出", "死亡")
        self.date.setEnabled(status != "在册")
        self.note.setEnabled(status != "在册")
        text = self.date.text().strip()
        hint = ""
        if needs_date and not text:
            hint = self.tr("A date is required for this status.")
        elif text and self.date.safe_date() is None:
            hint = self.tr("Type the date like 2024-03-01.")
        self.hint.setText(hint)
        self.ok.setEnabled(not hint)

    def save(self) -> None:
        if self.person.id is None or not self.ok.isEnabled():
            return
        ws, pid = self.ws, str(self.person.id)
        status, on, note = self.status.code(), self.date.safe_date(), self.note.text().strip()
        self.buttons.setEnabled(False)
        self.runner.db(lambda: ws.people.mark(pid, status, on, note),
                       on_done=self._done, on_error=self._failed)

    def _done(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._update()
        show_error(self, exc)
