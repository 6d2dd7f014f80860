"""签约: the contract list with its reminders, and renewing, dissolving and printing contracts."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.contracts import LIVE_STATUSES, STATUS_NAMES, ServiceDelivery, ServiceProgress
from app.core.errors import ValidationError
from app.printing.layout import PrintCancelled
from app.storage.changes import Changes
from app.storage.contracts import ContractLine, remind_days
from app.storage.households import HouseholdFilter
from app.storage.workspace import SYSTEM_USER, Workspace
from app.ui.dialogs.dissolve_dialog import DissolveDialog, RenewDialog
from app.ui.errors import show_error
from app.ui.models.contracts import ContractTableModel
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import DateField, refill_groups
from app.ui.widgets.pdf_preview import PdfPreviewDialog, open_preview, print_folder, temp_pdf
from app.ui.widgets.tables import record_table

CONTRACT_TABLES = frozenset({"contracts", "contract_members", "service_deliveries", "teams",
                             "households", "people", "settings"})
SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class ContractQuery:
    """The page's filters as plain values, passed to the worker."""

    today: dt.date
    status: str | None
    expiring: bool
    unserved: bool
    group: str | None
    text: str


@dataclass(frozen=True)
class ContractList:
    """One query's answer: the lines, the team names and the reminder window in days."""

    lines: list[ContractLine]
    teams: dict[str, str]
    remind_days: int


def list_contracts(ws: Workspace, q: ContractQuery) -> ContractList:
    """Run a query (on the database worker); the text search reuses the household search."""
    within = remind_days(ws)
    lines = ws.contracts.list(today=q.today, status=q.status, expiring=within if q.expiring else None,
                         unserved=q.unserved, group=q.group)
    if q.text:
        found = set(ws.households.ids(HouseholdFilter(query=q.text)))
        lines = [line for line in lines if line.contract.household_id in found]
    return ContractList(lines, {str(t.id): t.name for t in ws.contracts.teams()}, within)


# --- printing hooks: the data sources live in app.printdata.sources ------------------------


def agreement_item(ws: Workspace, contract_id: str) -> Any:
    """The agreement data of one contract (on the database worker)."""
    from app.printdata.sources import agreement_data

    return agreement_data(ws, contract_id)


def batch_items(ws: Workspace, contract_ids: list[str]) -> list[Any]:
    """The agreement data of every listed contract, in list order (on the database worker)."""
    from app.printdata.sources import agreement_data

    return [agreement_data(ws, cid) for cid in contract_ids]


def card_items(ws: Workspace, household_id: str, today: dt.date) -> Any:
    """The 明白卡 data of one household (on the database worker)."""
    from app.printdata.sources import card_data

    return card_data(ws, household_id, today)


class _Progress(QObject):
    """Carries the renderer's progress from the I/O thread to the progress dialog."""

    changed = Signal(int, int)


class ContractsPage(QWidget):
    """Contracts with filters for status, expiring soon and 签而不约; the actions on one contract."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self._today = today
        self.model = ContractTableModel(self)
        self.searching = False
        self.printing = False
        self.print_dir = print_folder()
        self.preview: PdfPreviewDialog | None = None
        self.progress_dialog: ProgressDialog | None = None
        self.batch_progress: QProgressDialog | None = None
        self._generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: head's name or pinyin initials"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("All statuses"), "")
        for code, name in STATUS_NAMES.items():
            if code != "draft":
                self.status.addItem(name, code)
        self.group = QComboBox()
        self.group.addItem(self.tr("All groups"), "")
        for combo in (self.status, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.expiring = QCheckBox(self.tr("Expiring within 30 days"))
        self.unserved = QCheckBox(self.tr("Signed but not served"))
        self.unserved.setToolTip(self.tr("Live contracts with no service recorded after the set number of days"))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status)
        bar.addWidget(self.group)
        bar.addWidget(self.expiring)
        bar.addWidget(self.unserved)
        bar.addStretch(1)

        self.table = record_table(self.model, ("欧阳建国", "6229231042010001", "十二组",
                                               "红旗村家庭医生团队", "基础包、高血压包",
                                               "2024-03-01 – 2025-02-28", "已到期", "剩余天数",
                                               "履约次数"), stretch=4)

        self.summary = QLabel()
        self.sign_hint = QLabel(self.tr("To sign a household, open it in Households and press Sign contract."))
        self.sign_hint.setStyleSheet("color: #5d6d7e;")
        self.renew_button = QPushButton(self.tr("Renew…"))
        self.dissolve_button = QPushButton(self.tr("Dissolve…"))
        self.progress_button = QPushButton(self.tr("Services done"))
        self.agreement_button = QPushButton(self.tr("Print agreement"))
        self.card_button = QPushButton(self.tr("Print card"))
        self.batch_button = QPushButton(self.tr("Print all listed…"))
        actions = QHBoxLayout()
        for b in (self.renew_button, self.dissolve_button, self.progress_button):
            actions.addWidget(b)
        actions.addSpacing(20)
        for b in (self.agreement_button, self.card_button, self.batch_button):
            actions.addWidget(b)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.sign_hint)
        layout.addLayout(bottom)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_query)
        for combo in (self.status, self.group):
            combo.currentIndexChanged.connect(self.run_query)
        for box in (self.expiring, self.unserved):
            box.toggled.connect(self.run_query)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.show_progress())
        self.renew_button.clicked.connect(self.renew)
        self.dissolve_button.clicked.connect(self.dissolve)
        self.progress_button.clicked.connect(self.show_progress)
        self.agreement_button.clicked.connect(self.print_agreement)
        self.card_button.clicked.connect(self.print_card)
        self.batch_button.clicked.connect(self.print_batch)
        self._update_buttons()

    # --- workspace and refresh --------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.model.set_lines([])
        self.refresh()

    def refresh(self) -> None:
        """Reload the group list and the contracts."""
        ws = self.ws
        self.runner.db(ws.households.group_names, on_done=self._groups_loaded)
        self.run_query()

    def on_changes(self, changes: Changes) -> None:
        """Refresh after a mutation anywhere in the window."""
        if changes.tables & CONTRACT_TABLES:
            self.refresh()

    def _groups_loaded(self, groups: list[str]) -> None:
        refill_groups(self.group, groups)

    # --- the list -----------------------------------------------------------------------

    def current_query(self) -> ContractQuery:
        return ContractQuery(
            today=self.today, status=str(self.status.currentData() or "") or None,
            expiring=self.expiring.isChecked(), unserved=self.unserved.isChecked(),
            group=str(self.group.currentData() or "") or None, text=self.search.text().strip())

    def run_query(self) -> None:
        """Ask the worker for the contracts that pass the filters; older answers are ignored."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        ws, q = self.ws, self.current_query()
        self.searching = True
        self.runner.db(lambda: list_contracts(ws, q),
                       on_done=lambda result: self._loaded(generation, result),
                       on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, result: ContractList) -> None:
        if generation != self._generation:
            return
        self.searching = False
        keep = self.current_id()
        self.model.remind_days = result.remind_days
        self.model.set_teams(result.teams)
        self.model.set_lines(result.lines)
        self.expiring.setText(self.tr("Expiring within %d days") % result.remind_days)
        self.summary.setText(self.summary_text(result.lines))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.searching = False
            show_error(self, exc)

    def summary_text(self, lines: list[ContractLine]) -> str:
        counts = Counter(line.status for line in lines)
        people = sum(len(line.contract.member_ids) for line in lines)
        unserved = sum(1 for line in lines if line.status in LIVE_STATUSES and not line.served)
        parts = [self.tr("%1 contracts, %2 residents").replace("%1", str(len(lines)))
                 .replace("%2", str(people))]
        parts += [f"{STATUS_NAMES[s]} {counts[s]}" for s in STATUS_NAMES if counts[s]]
        parts.append(self.tr("no service yet: %d") % unserved)
        return " · ".join(parts)

    def current_line(self) -> ContractLine | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.line(index.row()) if index.isValid() else None

    def current_id(self) -> str | None:
        line = self.current_line()
        return str(line.contract.id) if line else None

    def select_contract(self, contract_id: str) -> None:
        row = self.model.row_of(contract_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        line = self.current_line()
        live = line is not None and line.contract.status in LIVE_STATUSES
        self.renew_button.setEnabled(live)
        self.dissolve_button.setEnabled(live and line is not None and line.status != "expired")
        for b in (self.progress_button, self.agreement_button, self.card_button):
            b.setEnabled(line is not None)
        self.batch_button.setEnabled(self.model.rowCount() > 0 and not self.printing)

    # --- actions on one contract --------------------------------------------------------

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.refresh()

    def renew(self) -> RenewDialog | None:
        line = self.current_line()
        if line is None:
            return None
        dialog = RenewDialog(self.ws, self.runner, line.contract, head=line.head_name,
                             today=self.today, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def dissolve(self) -> DissolveDialog | None:
        line = self.current_line()
        if line is None:
            return None
        dialog = DissolveDialog(self.ws, self.runner, line.contract, head=line.head_name,
                                today=self.today, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def show_progress(self) -> None:
        line = self.current_line()
        if line is None:
            return
        ws, cid = self.ws, str(line.contract.id)
        hid = line.contract.household_id

        def load() -> tuple[list[ServiceProgress], list[tuple[str, str]]]:
            names = {p.id: p.name for p in ws.households.members(hid)}
            return ws.contracts.progress(cid), [(m, names.get(m, m)) for m in line.contract.member_ids]

        def show(result: tuple[list[ServiceProgress], list[tuple[str, str]]]) -> None:
            user = "" if ws.user == SYSTEM_USER else ws.user
            dialog = ProgressDialog(line, result[0], self, members=result[1], today=self.today,
                                    user=user)
            dialog.record.connect(lambda d: self._record_service(dialog, d))
            self.progress_dialog = dialog
            dialog.open()

        self.runner.db(load, on_done=show, on_error=lambda exc: show_error(self, exc))

    def _record_service(self, dialog: ProgressDialog, delivery: ServiceDelivery) -> None:
        """Save a 履约 record, then show the new counts in the dialog and the list."""
        ws, today, cid = self.ws, self.today, delivery.contract_id

        def save() -> tuple[Changes, list[ServiceProgress]]:
            return ws.contracts.record_service(delivery, today=today)[1], ws.contracts.progress(cid)

        def saved(result: tuple[Changes, list[ServiceProgress]]) -> None:
            dialog.show_rows(result[1])
            dialog.recorded()
            self.changed.emit(result[0])
            self.refresh()

        def failed(exc: BaseException) -> None:
            dialog.save_button.setEnabled(True)
            show_error(dialog, exc)

        dialog.save_button.setEnabled(False)
        self.runner.db(save, on_done=saved, on_error=failed)

    # --- printing -----------------------------------------------------------------------

    def _out(self, name: str) -> Path:
        return temp_pdf(self.print_dir, name)

    def _open_preview(self, path: Path, title: str) -> None:
        self.printing = False
        self._update_buttons()
        self.preview = open_preview(self, path, title, places=self.ws.settings.protected_places)

    def _print_failed(self, exc: BaseException) -> None:
        self.printing = False
        self._update_buttons()
        if not isinstance(exc, PrintCancelled):
            show_error(self, exc)

    def print_agreement(self) -> None:
        line = self.current_line()
        if line is None:
            return
        from app.printing.agreement import render_agreement

        ws, cid, out = self.ws, str(line.contract.id), self._out("agreement")
        title = self.tr("Agreement %s") % (line.contract.contract_no or line.head_name)
        self.printing = True
        self.runner.db(lambda: agreement_item(ws, cid), on_error=self._print_failed,
                       on_done=lambda data: self.runner.io(
                           lambda: render_agreement(data, out),
                           on_done=lambda _p: self._open_preview(out, title),
                           on_error=self._print_failed))

    def print_card(self) -> None:
        line = self.current_line()
        if line is None:
            return
        from app.printing.card import render_card

        ws, hid, today, out = self.ws, line.contract.household_id, self.today, self._out("card")
        title = self.tr("Card of %s") % line.head_name
        self.printing = True
        self.runner.db(lambda: card_items(ws, hid, today), on_error=self._print_failed,
                       on_done=lambda data: self.runner.io(
                           lambda: render_card(data, out),
                           on_done=lambda _p: self._open_preview(out, title),
                           on_error=self._print_failed))

    def print_batch(self) -> None:
        """Every listed contract's agreement in one PDF, with progress and a cancel button."""
        ids = self.model.ids()
        if not ids or self.printing:
            return
        self.printing = True
        self._update_buttons()
        ws = self.ws
        self.runner.db(lambda: batch_items(ws, ids), on_done=self._render_batch,
                       on_error=self._print_failed)

    def _render_batch(self, items: list[Any]) -> None:
        from app.printing.agreement import render_agreements

        out = self._out("agreements")
        cancelled = threading.Event()
        progress = QProgressDialog(self.tr("Preparing %d agreements…") % len(items),
                                   self.tr("Cancel"), 0, len(items), self)
        progress.setWindowTitle(self.tr("Batch printing"))
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(cancelled.set)
        relay = _Progress(self)
        relay.changed.connect(lambda done, _total: progress.setValue(done))
        self.batch_progress = progress
        progress.show()
        title = self.tr("Agreements (%d)") % len(items)

        def finished(_path: object) -> None:
            progress.close()
            relay.deleteLater()
            self._open_preview(out, title)

        def failed(exc: BaseException) -> None:
            progress.close()
            relay.deleteLater()
            self._print_failed(exc)

        self.runner.io(lambda: render_agreements(items, out, progress=relay.changed.emit,
                                                 cancel=cancelled.is_set),
                       on_done=finished, on_error=failed)


class ProgressDialog(QDialog):
    """履约记录: what the contract promised per service against what has been recorded, and a
    line to record one more service."""

    record = Signal(object)

    def __init__(self, line: ContractLine, rows: list[ServiceProgress], parent: QWidget | None = None,
                 *, members: list[tuple[str, str]] | None = None, today: dt.date | None = None,
                 user: str = "") -> None:
        super().__init__(parent)
        c = line.contract
        self.contract_id = str(c.id)
        self.setWindowTitle(self.tr("Services of %s") % line.head_name)
        title = QLabel(f"{line.head_name}  {c.contract_no}  {c.start} – {c.end}  "
                       f"{STATUS_NAMES.get(line.status, line.status)}")
        title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Service"), self.tr("Promised"), self.tr("Done"), self.tr("Still due")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.table.setColumnWidth(col, self.fontMetrics().horizontalAdvance("应提供服务") + 16)
        self.show_rows(rows)

        self.member = QComboBox()
        for person_id, name in members or []:
            self.member.addItem(name, person_id)
        self.service = QComboBox()
        self.service.addItems([r.service for r in rows])
        self.day = DateField(field="delivered_on")
        self.day.set_date(today or dt.date.today())
        self.day.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 24)
        self.by = QLineEdit(user)
        self.save_button = QPushButton(self.tr("Record"))
        self.save_button.clicked.connect(self._emit_record)
        form = QHBoxLayout()
        for label, widget in ((self.tr("Resident"), self.member), (self.tr("Service"), self.service),
                              (self.tr("Date"), self.day), (self.tr("By"), self.by)):
            form.addWidget(QLabel(label))
            form.addWidget(widget, 1 if widget is self.service else 0)
        form.addWidget(self.save_button)
        record_box = QGroupBox(self.tr("Record a service delivered"))
        record_box.setLayout(form)
        record_box.setEnabled(bool(members) and line.status in LIVE_STATUSES)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(record_box)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 480)

    def show_rows(self, rows: list[ServiceProgress]) -> None:
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            promised = str(p.promised) if p.promised else self.tr("as needed")
            for col, text in enumerate((p.service, promised, str(p.done), str(p.short) if p.promised else "")):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if col == 3 and p.short:
                    item.setForeground(QColor("#b03a2e"))
                self.table.setItem(r, col, item)

    def _emit_record(self) -> None:
        try:
            day = self.day.date()
        except ValidationError as exc:
            show_error(self, exc)
            return
        if day is None:
            show_error(self, ValidationError(self.tr("Please enter the date of the service.")))
            return
        self.record.emit(ServiceDelivery(
            id=None, contract_id=self.contract_id, person_id=str(self.member.currentData()),
            service=self.service.currentText(), delivered_on=day, done_by=self.by.text().strip(),
        ))

    def recorded(self) -> None:
        self.save_button.setEnabled(True)
