"""冲账: cancel a stored claim with a reason. A new row records it; nothing is overwritten."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.errors import CunyiError
from app.core.ids import RecordId
from app.core.settlement import yuan
from app.storage.changes import Changes
from app.storage.claims import ClaimLine
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import BAD_STYLE


class ReverseDialog(QDialog):
    """Asks why the claim is reversed; 冲账 writes the reversal on the worker."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, line: ClaimLine, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.claim_id = str(line.claim.id)
        self.today = today or dt.date.today()
        self.new_id: RecordId | None = None
        c = line.claim
        self.setWindowTitle(self.tr("Reverse a claim"))
        where = " ".join(filter(None, [c.hospital or c.episode, c.settlement_no]))
        summary = QLabel(self.tr("%1, %2, %3 to %4, total %5")
                         .replace("%1", line.person_name).replace("%2", where)
                         .replace("%3", str(c.admitted)).replace("%4", str(c.discharged))
                         .replace("%5", yuan(c.total)))
        summary.setWordWrap(True)
        explain = QLabel(self.tr("The claim stays on file, marked as reversed, and no longer counts "
                                 "toward the resident's year. Enter the corrected claim afterwards "
                                 "if needed."))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #5d6d7e;")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. the hospital settled the stay again"))
        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Reverse"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(explain)
        layout.addWidget(QLabel(self.tr("Reason")))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 220)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:
        ws, cid, reason, today = self.ws, self.claim_id, self.reason.text(), self.today
        self.buttons.setEnabled(False)
        self.runner.db(lambda: ws.claims.reverse_claim(cid, reason, today=today),
                       on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[RecordId, Changes]) -> None:
        self.buttons.setEnabled(True)
        self.new_id, changes = result
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, CunyiError):
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        show_error(self, exc)
