"""The contract list: contract ids in list order with their list lines cached beside them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.contracts import STATUS_NAMES
from app.storage.contracts import ContractLine
from app.ui.models.base import IdListModel, Index

STATUS_COLOURS = {"expired": "#b03a2e", "dissolved": "#7f8c8d", "renewed": "#7f8c8d",
                  "signed": "#1f5f99", "active": "#1b7f3b"}
CENTRED = frozenset({6, 7, 8})


class ContractTableModel(IdListModel):
    """Contracts as the worker listed them; team names are filled in from a separate lookup."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, ContractLine] = {}
        self._teams: dict[str, str] = {}
        self.remind_days = 30

    def _headers(self) -> list[str]:
        return [
            self.tr("Head"), self.tr("Household no."), self.tr("Village group"), self.tr("Team"),
            self.tr("Packages"), self.tr("Term"), self.tr("Status"), self.tr("Days left"),
            self.tr("Services"),
        ]

    # --- contents ----------------------------------------------------------------------

    def set_lines(self, lines: list[ContractLine]) -> None:
        """Replace the list after a query."""
        self.beginResetModel()
        self._ids = [str(line.contract.id) for line in lines]
        self._lines = {str(line.contract.id): line for line in lines}
        self.endResetModel()

    def set_teams(self, names: dict[str, str]) -> None:
        self._teams = dict(names)
        if self._ids:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._ids) - 1, 3))

    def ids(self) -> list[str]:
        return list(self._ids)

    def line(self, row: int) -> ContractLine | None:
        return self._lines.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def lines(self) -> list[ContractLine]:
        return [self._lines[i] for i in self._ids]

    def row_of(self, contract_id: str) -> int:
        try:
            return self._ids.index(contract_id)
        except ValueError:
            return -1

    # --- Qt model API -----------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        line = self._lines[self._ids[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return str(line.contract.id)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 6:
                return QColor(STATUS_COLOURS.get(line.status, "#000000"))
            if column == 7 and line.status in ("signed", "active") and line.days_left <= self.remind_days:
                return QColor("#b03a2e")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return "\n".join(f"{p.name}：{'、'.join(s.name for s in p.services)}"
                             for p in line.contract.packages)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self._cell(line, column)

    def _cell(self, line: ContractLine, column: int) -> str:
        c = line.contract
        if column == 0:
            return line.head_name
        if column == 1:
            return line.household_no
        if column == 2:
            return line.group_name
        if column == 3:
            return self._teams.get(c.team_id, "")
        if column == 4:
            return "、".join(p.name for p in c.packages)
        if column == 5:
            return f"{c.start:%Y-%m-%d} – {c.end:%Y-%m-%d}"
        if column == 6:
            return STATUS_NAMES.get(line.status, line.status)
        if column == 7:
            return str(line.days_left) if line.status in ("signed", "active") else ""
        if column == 8:
            return str(line.served)
        return ""
