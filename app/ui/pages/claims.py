"""报销结算: the residents' medical claims of a year, those short of the county target first, with
the selected claim's settlement line by line; entering, estimating, reversing and printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.settlement import yuan
from app.printing.layout import PrintCancelled
from app.storage.changes import Changes
from app.storage.claims import ClaimLine
from app.storage.workspace import Workspace
from app.ui.dialogs.claim_dialog import ClaimDialog
from app.ui.dialogs.reverse_dialog import ReverseDialog
from app.ui.errors import show_error
from app.ui.models.claims import ClaimTableModel, dates_text
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import refill_groups
from app.ui.widgets.pdf_preview import PdfPreviewDialog, open_preview, print_folder, temp_pdf
from app.ui.widgets.settlement_panel import SettlementPanel
from app.ui.widgets.tables import record_table

CLAIM_TABLES = frozenset({"claims", "people", "households", "poverty_events", "settings"})
SEARCH_DELAY_MS = 150
YEARS_BACK = 5


@dataclass(frozen=True)
class ClaimQuery:
    """The page's filters as plain values, passed to the worker."""

    year: int | None
    group: str | None
    text: str
    below_target: bool
    reversed: bool


def list_claims(ws: Workspace, q: ClaimQuery) -> list[ClaimLine]:
    """Run a query (on the database worker): the text matches the resident (name, pinyin, ID,
    record number) or the settlement number."""
    lines = ws.claims.claims(year=q.year, group=q.group, include_reversed=q.reversed)
    if q.text:
        found = {h.id for h in ws.people.search(q.text, limit=5000)}
        number = q.text.upper()
        lines = [x for x in lines if x.claim.person_id in found or number in x.claim.settlement_no.upper()]
    if q.below_target:
        lines = [x for x in lines if x.target_met is False]
    return lines


def settlement_item(ws: Workspace, claim_id: str) -> Any:
    """The settlement form data of one stored claim (on the database worker)."""
    from app.printdata.claim_sources import settlement_form

    return settlement_form(ws, claim_id)


class ClaimsPage(QWidget):
    """Claims by year, village group and resident; the selected one explained below the list."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self._today = today
        self.model = ClaimTableModel(self)
        self.searching = False
        self.printing = False
        self.stale = True
        self.print_dir = print_folder()
        self.preview: PdfPreviewDialog | None = None
        self.dialog: ClaimDialog | None = None
        self.reverse_dialog: ReverseDialog | None = None
        self._select_after: str | None = None
        self._generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials, record no. or slip no."))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.addItem(self.tr("All years"), 0)
        for year in range(self.today.year, self.today.year - YEARS_BACK - 1, -1):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(1)
        self.group = QComboBox()
        self.group.addItem(self.tr("All groups"), "")
        for combo in (self.year, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.below_target = QCheckBox(self.tr("Only below the county target"))
        self.show_reversed = QCheckBox(self.tr("Show reversed"))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.year)
        bar.addWidget(self.group)
        bar.addWidget(self.below_target)
        bar.addWidget(self.show_reversed)
        bar.addStretch(1)

        samples = ("欧阳建国", "村民小组", "建档立卡", "门诊慢特病", "临夏州人民医院", "2024-12-28 – 01-05",
                   "150,000.00", "150,000.00", "50,000.00", "实际报销比例", "未达标", "结算单核对")
        self.table = record_table(self.model, samples, stretch=4)
        # Twelve columns at 1366 px: a tighter margin than the other lists leaves room for the
        # hospital's name.
        for col, sample in enumerate(samples):
            self.table.setColumnWidth(col, self.table.fontMetrics().horizontalAdvance(sample) + 12)
        self.summary = QLabel()
        # The county packs not loaded (overlapping periods, unreadable files), one line each.
        self.pack_note = QLabel()
        self.pack_note.setStyleSheet("color: #b03a2e;")
        self.pack_note.setWordWrap(True)
        self.pack_note.hide()

        self.detail_title = QLabel(self.tr("Choose a claim in the list"))
        font = self.detail_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.detail_title.setFont(font)
        self.detail_note = QLabel()
        self.detail_note.setStyleSheet("color: #b03a2e;")
        self.detail_note.setWordWrap(True)
        self.panel = SettlementPanel(wide=True)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 4, 0, 0)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.detail_note)
        dl.addWidget(self.panel, 1)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 370])
        splitter.setChildrenCollapsible(False)

        self.new_button = QPushButton(self.tr("New claim…"))
        self.estimate_button = QPushButton(self.tr("Estimate…"))
        self.estimate_button.setToolTip(self.tr("Work out a settlement before the stay; nothing is stored"))
        self.reverse_button = QPushButton(self.tr("Reverse…"))
        self.print_button = QPushButton(self.tr("Print settlement form"))
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.estimate_button)
        actions.addWidget(self.reverse_button)
        actions.addSpacing(20)
        actions.addWidget(self.print_button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pack_note)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_query)
        for combo in (self.year, self.group):
            combo.currentIndexChanged.connect(self.run_query)
        for box in (self.below_target, self.show_reversed):
            box.toggled.connect(self.run_query)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.new_button.clicked.connect(lambda: self.new_claim())
        self.estimate_button.clicked.connect(lambda: self.estimate())
        self.reverse_button.clicked.connect(lambda: self.reverse())
        self.print_button.clicked.connect(self.print_form)
        self._show_current()

    # --- workspace and refresh --------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.model.set_lines([])
        self._show_current()
        self.stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        """Reload the group list and the claims."""
        self.stale = False
        ws = self.ws
        self.runner.db(ws.households.group_names, on_done=self._groups_loaded)
        self.runner.db(lambda: ws.claims.shelf().problems, on_done=self._packs_checked)
        self.run_query()

    def _packs_checked(self, problems: tuple[str, ...]) -> None:
        self.pack_note.setText("\n".join(problems))
        self.pack_note.setVisible(bool(problems))

    def on_changes(self, changes: Changes) -> None:
        """Refresh after a mutation anywhere in the window (at once when shown, else when shown)."""
        if changes.tables & CLAIM_TABLES:
            if self.isVisible():
                self.refresh()
            else:
                self.stale = True

    def _groups_loaded(self, groups: list[str]) -> None:
        refill_groups(self.group, groups)

    # --- the list -----------------------------------------------------------------------

    def current_query(self) -> ClaimQuery:
        return ClaimQuery(
            year=int(self.year.currentData() or 0) or None,
            group=str(self.group.currentData() or "") or None, text=self.search.text().strip(),
            below_target=self.below_target.isChecked(), reversed=self.show_reversed.isChecked())

    def set_year(self, year: int | None) -> None:
        """Show the claims of `year` (None: all years), adding it to the list when missing."""
        index = self.year.findData(year or 0)
        if index < 0:
            self.year.addItem(str(year), year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    def run_query(self) -> None:
        """Ask the worker for the claims that pass the filters; older answers are ignored."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        ws, q = self.ws, self.current_query()
        self.searching = True
        self.runner.db(lambda: list_claims(ws, q),
                       on_done=lambda lines: self._loaded(generation, lines),
                       on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, lines: list[ClaimLine]) -> None:
        if generation != self._generation:
            return
        keep = self._select_after or self.current_id()
        self._select_after = None
        self.model.set_lines(lines)
        self.summary.setText(self.summary_text(lines))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        self._show_current()
        self.searching = False

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.searching = False
            show_error(self, exc)

    def summary_text(self, lines: list[ClaimLine]) -> str:
        """Counts and the overall 实际报销比例 of the listed slips that count."""
        counted = [x for x in lines if x.counts]
        total = sum((x.claim.total for x in counted), Decimal("0.00"))
        self_pay = sum((x.self_pay for x in counted), Decimal("0.00"))
        judged = [x for x in lines if x.target_met is not None and not x.claim.reverses
                  and x.reversed_by is None]
        below = sum(1 for x in judged if x.target_met is False)
        parts = [self.tr("%1 claims, %2 of the %3 with a county target below it")
                 .replace("%1", str(len(lines))).replace("%2", str(below)).replace("%3", str(len(judged)))]
        if total:
            ratio = (total - self_pay) * 100 / total
            parts.append(self.tr("settled slips: total %1, self-pay %2, actual ratio %3%")
                         .replace("%1", yuan(total)).replace("%2", yuan(self_pay))
                         .replace("%3", f"{ratio:.2f}"))
        return " · ".join(parts)

    def current_line(self) -> ClaimLine | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.line(index.row()) if index.isValid() else None

    def current_id(self) -> str | None:
        line = self.current_line()
        return str(line.claim.id) if line else None

    def select_claim(self, claim_id: str) -> None:
        row = self.model.row_of(claim_id)
        if row >= 0:
            self.table.selectRow(row)

    def _show_current(self) -> None:
        line = self.current_line()
        self.reverse_button.setEnabled(line is not None and not line.claim.reverses
                                       and line.reversed_by is None)
        self.print_button.setEnabled(line is not None and not self.printing)
        if line is None:
            self.detail_title.setText(self.tr("Choose a claim in the list"))
            self.detail_note.setVisible(False)
            self.panel.clear()
            return
        c = line.claim
        source = self.tr("estimate") if c.is_estimate else self.tr("slip")
        self.detail_title.setText("  ".join(filter(None, [
            line.person_name, line.record_no, c.hospital, c.settlement_no, dates_text(line),
            f"（{source}）"])))
        note = ""
        if c.reverses:
            note = self.tr("Reversal entry, reason: %s") % c.reason
        elif line.reversed_by:
            note = self.tr("Reversed: no longer counted in the resident's year")
        elif line.flagged:
            note = self.tr("The slip differs from the estimate: check the lines marked in red")
        self.detail_note.setText(note)
        self.detail_note.setVisible(bool(note))
        self.panel.show_settlement(line.settlement, line.checks, line=line)

    # --- actions ------------------------------------------------------------------------

    def _saved(self, changes: Changes, claim_id: str | None = None) -> None:
        self.changed.emit(changes)
        if claim_id:
            self._select_after = claim_id
        self.refresh()

    def new_claim(self, person_id: str | None = None) -> ClaimDialog:
        dialog = ClaimDialog(self.ws, self.runner, person_id=person_id or None, today=self.today,
                             parent=self)
        dialog.saved.connect(lambda changes: self._claim_saved(dialog, changes))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _claim_saved(self, dialog: ClaimDialog, changes: Changes) -> None:
        draft = dialog.form.claim(dialog.person_id)
        if draft is not None and self.current_query().year not in (None, draft.year):
            self.year.blockSignals(True)
            self.set_year(draft.year)
            self.year.blockSignals(False)
        self._saved(changes, str(dialog.new_id) if dialog.new_id else None)

    def estimate(self) -> ClaimDialog:
        dialog = ClaimDialog(self.ws, self.runner, estimate_only=True, today=self.today, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def reverse(self) -> ReverseDialog | None:
        line = self.current_line()
        if line is None or line.claim.reverses or line.reversed_by:
            return None
        dialog = ReverseDialog(self.ws, self.runner, line, today=self.today, parent=self)
        dialog.saved.connect(lambda changes: self._saved(changes, str(line.claim.id)))
        self.reverse_dialog = dialog
        dialog.open()
        return dialog

    # --- printing -----------------------------------------------------------------------

    def print_form(self) -> None:
        """The 一站式结算单 of the selected claim in the print preview."""
        line = self.current_line()
        if line is None or self.printing:
            return
        from app.printing.settlement import render_settlement

        out = temp_pdf(self.print_dir, "settlement")
        ws, cid = self.ws, str(line.claim.id)
        title = self.tr("Settlement of %s") % (line.claim.settlement_no or line.person_name)
        self.printing = True
        self.print_button.setEnabled(False)
        self.runner.db(lambda: settlement_item(ws, cid), on_error=self._print_failed,
                       on_done=lambda data: self.runner.io(
                           lambda: render_settlement(data, out),
                           on_done=lambda _p: self._open_preview(out, title),
                           on_error=self._print_failed))

    def _open_preview(self, path: Path, title: str) -> None:
        self.printing = False
        self._show_current()
        self.preview = open_preview(self, path, title, places=self.ws.settings.protected_places)

    def _print_failed(self, exc: BaseException) -> None:
        self.printing = False
        self._show_current()
        if not isinstance(exc, PrintCancelled):
            show_error(self, exc)
