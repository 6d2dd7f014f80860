"""The claim list: claim ids in list order with their settled lines cached beside them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.settlement import yuan
from app.core.settlement_text import no_target_reason
from app.storage.claims import ClaimLine
from app.ui.models.base import IdListModel, Index

BELOW_TARGET = QColor("#fdecea")
RED = QColor("#b03a2e")
GREEN = QColor("#1b7f3b")
GREY = QColor("#7f8c8d")
MONEY = frozenset({6, 7, 8, 9})
CENTRED = frozenset({1, 3, 10, 11})
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def dates_text(line: ClaimLine) -> str:
    """2024-03-01 – 03-10 for a stay, the one date for a visit."""
    c = line.claim
    if c.admitted == c.discharged:
        return f"{c.discharged:%Y-%m-%d}"
    end = f"{c.discharged:%m-%d}" if c.admitted.year == c.discharged.year else f"{c.discharged:%Y-%m-%d}"
    return f"{c.admitted:%Y-%m-%d} – {end}"


class ClaimTableModel(IdListModel):
    """Claims as the worker listed them: those below the county target first, highlighted; a
    claim of a person no target is for shows n/a (不适用), never 未达标."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, ClaimLine] = {}

    def _headers(self) -> list[str]:
        return [
            self.tr("Resident"), self.tr("Group"), self.tr("Category"), self.tr("Episode"),
            self.tr("Hospital"), self.tr("Dates"), self.tr("Total"), self.tr("Reimbursed"),
            self.tr("Self-pay"), self.tr("Actual ratio"), self.tr("Target"), self.tr("Slip check"),
        ]

    # --- contents ----------------------------------------------------------------------

    def set_lines(self, lines: list[ClaimLine]) -> None:
        """Replace the list after a query."""
        self.beginResetModel()
        self._ids = [str(line.claim.id) for line in lines]
        self._lines = {str(line.claim.id): line for line in lines}
        self.endResetModel()

    def ids(self) -> list[str]:
        return list(self._ids)

    def line(self, row: int) -> ClaimLine | None:
        return self._lines.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def lines(self) -> list[ClaimLine]:
        return [self._lines[i] for i in self._ids]

    def row_of(self, claim_id: str) -> int:
        try:
            return self._ids.index(claim_id)
        except ValueError:
            return -1

    # --- Qt model API -----------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        line = self._lines[self._ids[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return str(line.claim.id)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in MONEY:
                return int(RIGHT)
            return int(Qt.AlignmentFlag.AlignCenter) if column in CENTRED else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return BELOW_TARGET if line.target_met is False and self._counts(line) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(line, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(line, column)
        return None

    @staticmethod
    def _counts(line: ClaimLine) -> bool:
        return not line.claim.reverses and line.reversed_by is None and line.duplicate_of is None

    def _colour(self, line: ClaimLine, column: int) -> QColor | None:
        if not self._counts(line):
            return GREY
        if column in (9, 10) and line.target_met is not None:
            return GREEN if line.target_met else RED
        if column == 11 and line.flagged:
            return RED
        return None

    def _tip(self, line: ClaimLine, column: int) -> str | None:
        c = line.claim
        if column == 10 and line.target is not None:
            return self.tr("County target %1%").replace("%1", f"{line.target.normalize():f}")
        if column == 10:
            return no_target_reason(line.settlement)
        if column == 4:
            return f"{c.hospital}（{c.level}，{c.scope}）" + (f"  {c.settlement_no}" if c.settlement_no else "")
        if column == 0:
            return line.record_no
        if column == 11 and c.reverses:
            return self.tr("Reason: %s") % c.reason
        return self._cell(line, column) or None

    def _cell(self, line: ClaimLine, column: int) -> str:
        c = line.claim
        values = {
            0: line.person_name, 1: line.group_name, 2: "、".join(line.categories), 3: c.episode,
            4: c.hospital, 5: dates_text(line), 6: yuan(c.total), 7: yuan(line.reimbursed),
            8: yuan(line.self_pay), 9: f"{line.ratio_actual}%",
        }
        if column in values:
            return values[column]
        if column == 10:
            if line.target_met is None:
                return self.tr("n/a")
            return self.tr("met") if line.target_met else self.tr("not met")
        if column == 11:
            return self.check_text(line)
        return ""

    def check_text(self, line: ClaimLine) -> str:
        """The slip-versus-estimate column, with the claim's state."""
        c = line.claim
        if c.reverses:
            return self.tr("reversal entry")
        parts = []
        if c.is_estimate:
            parts.append(self.tr("estimate"))
        elif line.flagged:
            parts.append(self.tr("differs"))
        elif c.has_slip_amounts:
            parts.append(self.tr("matches"))
        if line.reversed_by:
            parts.append(self.tr("reversed"))
        return " · ".join(parts)
