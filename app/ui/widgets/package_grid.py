"""The member × package grid of the signing dialog: ticks per member, the fit rule's reasons, fees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.core.contracts import PERSONAL, ServicePackage, contract_fees
from app.core.identity import age_on
from app.core.package_fit import Fit, MemberFacts, default_ticked, describe, fit_table

ID_ROLE = Qt.ItemDataRole.UserRole
UNFIT = QColor("#7b7d7d")
OVERRIDE = QColor("#fdebd0")


@dataclass(frozen=True)
class Override:
    """A ticked package the rule says does not fit the member: the doctor's visible decision."""

    person_id: str
    name: str
    code: str
    package: str
    reason: str


class PackageGrid(QTableWidget):
    """Rows are members, columns packages; a cell's tick signs that member for that package."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: list[MemberFacts] = []
        self.relations: dict[str, str] = {}
        self.packages: list[ServicePackage] = []
        self.fits: dict[str, dict[str, Fit]] = {}
        self.poor = False
        self.on = dt.date.today()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        self.itemChanged.connect(self._item_changed)

    # --- filling -----------------------------------------------------------------------

    def set_data(self, members: Sequence[MemberFacts], relations: dict[str, str],
                 packages: Sequence[ServicePackage], on: dt.date, *, poor: bool) -> None:
        """Show every member and package with the rule's defaults ticked."""
        self.members, self.relations, self.packages = list(members), relations, list(packages)
        self.poor, self.on = poor, on
        self.fits = fit_table(self.packages, self.members, on)
        self.blockSignals(True)
        self.clear()
        self.setRowCount(len(self.members))
        self.setColumnCount(len(self.packages) + 2)
        headers = [self.tr("Member")]
        price = self.tr("%1\n%2 yuan")
        headers += [price.replace("%1", p.name).replace("%2", str(p.price)) for p in self.packages]
        headers.append(self.tr("Fee (personal)"))
        self.setHorizontalHeaderLabels(headers)
        for col, p in enumerate(self.packages, start=1):
            head = self.horizontalHeaderItem(col)
            assert head is not None
            head.setToolTip(self.tr("For: %1\nServices: %2").replace("%1", describe(p.conditions))
                              .replace("%2", "、".join(s.name for s in p.services)))
        for row, m in enumerate(self.members):
            name = QTableWidgetItem(self._member_label(m))
            name.setData(ID_ROLE, m.person_id)
            self.setItem(row, 0, name)
            for col, p in enumerate(self.packages, start=1):
                fit = self.fits[m.person_id][p.code]
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if default_ticked(p, fit)
                                   else Qt.CheckState.Unchecked)
                self.setItem(row, col, item)
                self._style(row, col)
            fee = QTableWidgetItem()
            fee.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, len(self.packages) + 1, fee)
        self.blockSignals(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 150)
        for col in range(1, len(self.packages) + 1):
            self.setColumnWidth(col, 136)
        header.setSectionResizeMode(len(self.packages) + 1, QHeaderView.ResizeMode.Stretch)
        self._update_fees()
        self.resizeRowsToContents()

    def _at(self, row: int, col: int) -> QTableWidgetItem:
        item = self.item(row, col)
        assert item is not None, (row, col)
        return item

    def _member_label(self, m: MemberFacts) -> str:
        age = age_on(m.birth_date, self.on) if m.birth_date else None
        parts = [p for p in (self.relations.get(m.person_id, ""),
                             self.tr("%n year(s)", "", age) if age is not None else "") if p]
        return f"{m.name}（{'，'.join(parts)}）" if parts else m.name

    def set_signing_date(self, on: dt.date) -> None:
        """Re-judge every cell for a new signing day; a tick that no longer fits is taken off."""
        self.on = on
        self.fits = fit_table(self.packages, self.members, on)
        self.blockSignals(True)
        for row, m in enumerate(self.members):
            self._at(row, 0).setText(self._member_label(m))
            for col, p in enumerate(self.packages, start=1):
                if not self.fits[m.person_id][p.code].fits:
                    self._at(row, col).setCheckState(Qt.CheckState.Unchecked)
                self._style(row, col)
        self.blockSignals(False)
        self._update_fees()
        self.resizeRowsToContents()
        self.changed.emit()

    # --- state ------------------------------------------------------------------------

    def cell(self, person_id: str, code: str) -> QTableWidgetItem:
        row = next(i for i, m in enumerate(self.members) if m.person_id == person_id)
        col = next(i for i, p in enumerate(self.packages, start=1) if p.code == code)
        return self._at(row, col)

    def is_ticked(self, person_id: str, code: str) -> bool:
        return self.cell(person_id, code).checkState() == Qt.CheckState.Checked

    def set_ticked(self, person_id: str, code: str, on: bool) -> None:
        self.cell(person_id, code).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def choice(self) -> dict[str, list[str]]:
        """Person id → the codes ticked for them; members with nothing ticked are left out."""
        out: dict[str, list[str]] = {}
        for m in self.members:
            codes = [p.code for p in self.packages if self.is_ticked(m.person_id, p.code)]
            if codes:
                out[m.person_id] = codes
        return out

    def chosen_packages(self, person_id: str) -> list[ServicePackage]:
        return [p for p in self.packages if self.is_ticked(person_id, p.code)]

    def overrides(self) -> list[Override]:
        """Ticked cells the rule says do not fit."""
        return [Override(m.person_id, m.name, p.code, p.name, self.fits[m.person_id][p.code].reason)
                for m in self.members for p in self.packages
                if self.is_ticked(m.person_id, p.code) and not self.fits[m.person_id][p.code].fits]

    # --- look -------------------------------------------------------------------------

    def _style(self, row: int, col: int) -> None:
        m, p = self.members[row], self.packages[col - 1]
        fit = self.fits[m.person_id][p.code]
        item = self._at(row, col)
        ticked = item.checkState() == Qt.CheckState.Checked
        if fit.fits:
            text = fit.reason.removeprefix("符合：") if fit.reason.startswith("符合：") else ""
            item.setForeground(QBrush())
            item.setBackground(QBrush())
        elif ticked:
            text = self.tr("Doctor's decision: %s") % fit.reason
            item.setForeground(QBrush())
            item.setBackground(OVERRIDE)
        else:
            text = fit.reason
            item.setForeground(UNFIT)
            item.setBackground(QBrush())
        item.setText(text)
        item.setToolTip(fit.reason)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if 1 <= item.column() <= len(self.packages):
            self.blockSignals(True)
            self._style(item.row(), item.column())
            self.blockSignals(False)
            self._update_fees()
            self.resizeRowToContents(item.row())
            self.changed.emit()

    def _update_fees(self) -> None:
        self.blockSignals(True)
        for row, m in enumerate(self.members):
            fees = contract_fees(self.chosen_packages(m.person_id), 1, poor=self.poor)
            total = sum(fees.values(), Decimal("0.00"))
            item = self._at(row, len(self.packages) + 1)
            item.setText(f"{total}（{fees[PERSONAL]}）" if total else self.tr("not signed"))
        self.blockSignals(False)
