"""The household list: ids in list order, rows fetched lazily in pages on the database worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.core.households import POVERTY_STATUSES
from app.core.identity import PROVISIONAL_HINT, shown_record_no
from app.storage.households import HouseholdRow
from app.storage.workspace import Workspace
from app.ui.models.base import IdListModel, Index
from app.ui.tasks import TaskRunner

PAGE_SIZE = 100


class HouseholdTableModel(IdListModel):
    """Households in the order SQL gave; a row is loaded the first time the view asks for it."""

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self._rows: dict[str, HouseholdRow] = {}
        self._pending: set[int] = set()
        self._generation = 0

    def _headers(self) -> list[str]:
        return [
            self.tr("Household no."), self.tr("Head"), self.tr("Health record no."),
            self.tr("Village group"), self.tr("Poverty status"), self.tr("Causes of poverty"),
            self.tr("Persons"), self.tr("Phone"),
        ]

    # --- contents ----------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.set_ids([])

    def set_ids(self, ids: list[str]) -> None:
        """Replace the list (after a search); cached rows of households still listed are kept."""
        self.beginResetModel()
        self._generation += 1
        keep = set(ids)
        self._rows = {k: v for k, v in self._rows.items() if k in keep}
        self._ids = list(ids)
        self._pending.clear()
        self.endResetModel()
        if self._ids and self._ids[0] not in self._rows:
            self._fetch_page(0)  # the view asks for it at once; start before it does

    def invalidate(self, ids: set[str] | None = None) -> None:
        """Forget cached rows (all, or some) so the view fetches them again."""
        if ids is None:
            self._rows.clear()
        else:
            for i in ids:
                self._rows.pop(i, None)
        self._generation += 1
        self._pending.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def ids(self) -> list[str]:
        return list(self._ids)

    def household_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, household_id: str) -> int:
        try:
            return self._ids.index(household_id)
        except ValueError:
            return -1

    def cached_row(self, household_id: str) -> HouseholdRow | None:
        return self._rows.get(household_id)

    def is_loaded(self) -> bool:
        """Whether every listed row is in the cache (used by tests and screenshots)."""
        return all(i in self._rows for i in self._ids)

    # --- Qt model API -----------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        hid = self._ids[index.row()]
        row = self._rows.get(hid)
        if role == Qt.ItemDataRole.UserRole:
            return hid
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if row is None:
            self._fetch_page(index.row() // PAGE_SIZE)
            return "…" if index.column() == 1 else ""
        if index.column() == 2 and row.head_record_provisional:
            if role == Qt.ItemDataRole.ToolTipRole:
                return PROVISIONAL_HINT
            return shown_record_no(row.head_record_no, True)
        return _cell(row, index.column())

    # --- lazy loading -----------------------------------------------------------------

    def _fetch_page(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        ids = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        generation = self._generation
        ws = self.ws
        self.runner.db(lambda: ws.households.rows(ids),
                       on_done=lambda rows: self._page_loaded(generation, page, rows))

    def _page_loaded(self, generation: int, page: int, rows: dict[str, HouseholdRow]) -> None:
        if generation != self._generation:
            return  # the list changed meanwhile; the view will ask again
        self._pending.discard(page)
        self._rows.update(rows)
        first = page * PAGE_SIZE
        last = min(len(self._ids), first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))


def _cell(row: HouseholdRow, column: int) -> str:
    if column == 0:
        return row.household_no
    if column == 1:
        return row.head_name
    if column == 2:
        return row.head_record_no
    if column == 3:
        return row.group_name
    if column == 4:
        return POVERTY_STATUSES.get(row.poverty_status, row.poverty_status)
    if column == 5:
        return "、".join(row.poverty_causes)
    if column == 6:
        return str(row.member_count)
    if column == 7:
        return row.phone
    return ""
