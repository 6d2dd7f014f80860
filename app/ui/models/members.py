"""The members of one household (a short list, held whole)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.identity import PROVISIONAL_HINT, age_on, shown_record_no
from app.core.people import SEXES, Person

Index = QModelIndex | QPersistentModelIndex


class MemberTableModel(QAbstractTableModel):
    """Name, relation, sex, age, ID, record number and status of each member."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._people: list[Person] = []

    def _headers(self) -> list[str]:
        return [
            self.tr("Name"), self.tr("Relation"), self.tr("Sex"), self.tr("Age"),
            self.tr("ID number"), self.tr("Health record no."), self.tr("Status"),
        ]

    def set_people(self, people: list[Person]) -> None:
        self.beginResetModel()
        self._people = list(people)
        self.endResetModel()

    def person(self, row: int) -> Person | None:
        return self._people[row] if 0 <= row < len(self._people) else None

    def people(self) -> list[Person]:
        return list(self._people)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._people):
            return None
        p = self._people[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        if role == Qt.ItemDataRole.ForegroundRole and p.living_status != "在册":
            return QColor("#888888")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5 and p.record_provisional:
            return PROVISIONAL_HINT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == 0:
            return p.name
        if col == 1:
            return p.relation
        if col == 2:
            return SEXES.get(p.sex, "")
        if col == 3:
            return str(age_on(p.birth_date, dt.date.today())) if p.birth_date else ""
        if col == 4:
            return p.id_no
        if col == 5:
            return shown_record_no(p.record_no, p.record_provisional)
        if col == 6:
            if p.living_status != "在册" and p.status_date:
                return f"{p.living_status} {p.status_date.isoformat()}"
            return p.living_status
        return None
