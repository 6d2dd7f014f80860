"""用药情况 rows: drug name, 每日次数, 每次剂量 and unit (and insulin usage on the diabetes form)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.core.followups import DOSE_UNITS, Drug
from app.ui.widgets.fields import CodeCombo

NAME, TIMES, DOSE, UNIT, INSULIN, USAGE = range(6)


class DrugTable(QWidget):
    """Editable drug lines; `field` names the form field its errors belong to."""

    changed = Signal()

    def __init__(self, field: str, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Drug"), self.tr("Times a day"), self.tr("Dose each time"), self.tr("Unit"),
            self.tr("Insulin"), self.tr("Insulin usage")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col, sample in ((TIMES, "每日次数"), (DOSE, "每次剂量"), (UNIT, "mg ▼ "),
                            (INSULIN, "胰岛素"), (USAGE, "早12U 晚8U")):
            self.table.setColumnWidth(col, metrics.horizontalAdvance(sample) + 24)
        self.table.setMinimumHeight(28 * 3 + 30)
        self.table.setMaximumHeight(28 * 5 + 30)
        self.add_button = QPushButton(self.tr("Add drug"))
        self.remove_button = QPushButton(self.tr("Remove"))
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove)
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        self.set_insulin_allowed(False)

    def set_insulin_allowed(self, allowed: bool) -> None:
        """Insulin lines belong to the diabetes form only."""
        self.insulin_allowed = allowed
        self.table.setColumnHidden(INSULIN, not allowed)
        self.table.setColumnHidden(USAGE, not allowed)

    def _add_clicked(self) -> None:
        self.add_row(Drug(""))
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, NAME)
        self.table.editItem(self.table.item(row, NAME))

    def add_row(self, drug: Drug) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(drug.name))
        self.table.setItem(row, TIMES, QTableWidgetItem(_num(drug.times_per_day)))
        self.table.setItem(row, DOSE, QTableWidgetItem(_num(drug.dose)))
        unit = CodeCombo(DOSE_UNITS, blank=None)
        unit.set_code(drug.unit or "mg")
        unit.activated.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(row, UNIT, unit)
        insulin = QTableWidgetItem()
        insulin.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        insulin.setCheckState(Qt.CheckState.Checked if drug.insulin else Qt.CheckState.Unchecked)
        self.table.setItem(row, INSULIN, insulin)
        self.table.setItem(row, USAGE, QTableWidgetItem(drug.usage))
        self.table.blockSignals(False)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_drugs(self, drugs: list[Drug]) -> None:
        self.table.setRowCount(0)
        for d in drugs:
            self.add_row(d)

    def drugs(self) -> list[Drug]:
        """The lines with a drug name; ValidationError for a count or dose that is not a number."""
        out = []
        for row in range(self.table.rowCount()):
            name = self._text(row, NAME)
            if not name:
                continue
            unit = self.table.cellWidget(row, UNIT)
            insulin = self.table.item(row, INSULIN)
            is_insulin = bool(self.insulin_allowed and insulin is not None
                              and insulin.checkState() == Qt.CheckState.Checked)
            out.append(Drug(
                name=name, times_per_day=self._number(row, TIMES, name, whole=True),
                dose=self._number(row, DOSE, name, whole=False),
                unit=unit.code() if isinstance(unit, CodeCombo) else "mg",
                insulin=is_insulin, usage=self._text(row, USAGE) if self.insulin_allowed else ""))
        return out

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _number(self, row: int, col: int, name: str, *, whole: bool) -> float | None:
        text = self._text(row, col)
        if not text:
            return None
        try:
            return int(text) if whole else float(text)
        except ValueError:
            what = (QCoreApplication.translate("DrugTable", "times a day") if whole
                    else QCoreApplication.translate("DrugTable", "dose"))
            message = QCoreApplication.translate("DrugTable", "%1: the %2 “%3” is not a number")
            raise ValidationError(message.replace("%1", name).replace("%2", what)
                                  .replace("%3", text), field=self.field) from None


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
