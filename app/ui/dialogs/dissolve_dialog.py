"""Ending or continuing a contract: 解约 with one of the core's reasons, 续约 from a date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.contracts import DISSOLUTION_REASONS, Contract
from app.core.errors import ValidationError
from app.core.ids import RecordId
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import CodeCombo, DateField

OTHER = "其他"


class _ContractDialog(QDialog):
    """A small form about one contract with a date and OK/Cancel; subclasses add fields."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, contract: Contract, title: str, *,
                 head: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.contract = contract
        self.today = today
        self.setWindowTitle(title)
        summary = QLabel(f"{head}  {contract.contract_no}  {contract.start} – {contract.end}")
        summary.setStyleSheet("font-weight: bold;")
        self.date = DateField(field="on")
        self.date.set_date(today)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(460, 0)

    def chosen_date(self) -> dt.date:
        """The typed date (today when blank); ValidationError when it is not a real date."""
        return self.date.date() or self.today

    def save(self) -> None:
        raise NotImplementedError

    def _run(self, work: object) -> None:
        self.buttons.setEnabled(False)
        self.runner.db(work, on_done=self._done, on_error=self._failed)  # type: ignore[arg-type]

    def _done(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)


class DissolveDialog(_ContractDialog):
    """解约: a reason from the core's list, a note (required for 其他) and the date."""

    def __init__(self, ws: Workspace, runner: TaskRunner, contract: Contract, *, head: str = "",
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, contract, self.tr("Dissolve contract"), head=head,
                         today=today or dt.date.today(), parent=parent)
        self.reason = CodeCombo(DISSOLUTION_REASONS, blank=self.tr("(choose a reason)"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.note.setPlaceholderText(self.tr("Required when the reason is 其他"))
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(self.tr("Note"), self.note)
        self.form.addRow(self.tr("Dissolved on"), self.date)
        self.ok.setText(self.tr("Dissolve"))
        self.ok.setEnabled(False)
        self.reason.currentIndexChanged.connect(lambda _i: self._update_ok())
        self.note.textChanged.connect(self._update_ok)

    def _update_ok(self) -> None:
        reason = self.reason.code()
        self.ok.setEnabled(bool(reason) and (reason != OTHER or bool(self.note.toPlainText().strip())))

    def save(self) -> None:
        try:
            on = self.chosen_date()
        except ValidationError as exc:
            show_error(self, exc)
            return
        ws, cid = self.ws, str(self.contract.id)
        reason, note = self.reason.code(), self.note.toPlainText()
        self._run(lambda: ws.contracts.dissolve(cid, reason, on, note))


class RenewDialog(_ContractDialog):
    """续约: another term with the same team and packages, signed on the chosen date."""

    def __init__(self, ws: Workspace, runner: TaskRunner, contract: Contract, *, head: str = "",
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, contract, self.tr("Renew contract"), head=head,
                         today=today or dt.date.today(), parent=parent)
        self.new_id: RecordId | None = None
        hint = QLabel(self.tr("The new term starts the day after the old one ends, "
                              "or on the renewal date if that is later."))
        hint.setWordWrap(True)
        self.form.addRow(self.tr("Renewed on"), self.date)
        self.form.addRow(hint)
        self.ok.setText(self.tr("Renew"))

    def save(self) -> None:
        try:
            on = self.chosen_date()
        except ValidationError as exc:
            show_error(self, exc)
            return
        ws, cid = self.ws, str(self.contract.id)

        def renew() -> Changes:
            self.new_id, changes = ws.contracts.renew(cid, on)
            return changes

        self._run(renew)
