"""The 工作台 list: task lines as the worker computed them, one key per line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from app.core import tasks as t
from app.core.tasks import TaskLine
from app.ui.models.base import IdListModel, Index

OVERDUE_COLOUR = "#b03a2e"
TODAY_COLOUR = "#9a5b00"
CENTRED = frozenset({4, 5})


def line_key(line: TaskLine) -> str:
    return f"{line.kind}|{line.person_id}|{line.ref_id or ''}"


def action_text(line: TaskLine) -> str:
    """What the doctor does about a line, in a few words."""
    if line.kind in t.FOLLOWUP_KINDS.values():
        return QCoreApplication.translate("TaskTableModel", "Enter the follow-up")
    return {
        t.REFERRAL: QCoreApplication.translate("TaskTableModel", "Check the referral"),
        t.EXAM: QCoreApplication.translate("TaskTableModel", "Enter the exam"),
        t.EXAM_RETURN: QCoreApplication.translate("TaskTableModel", "Give the result back"),
        t.CONTRACT: QCoreApplication.translate("TaskTableModel", "Renew the contract"),
    }.get(line.kind, "")


def detail_text(line: TaskLine) -> str:
    """The line's explanation, with this year's face-to-face visits on follow-up lines."""
    if line.face_to_face is None:
        return line.detail
    more = QCoreApplication.translate("TaskTableModel", "%d face-to-face visits this year")
    return f"{line.detail}，{more % line.face_to_face}" if line.detail else more % line.face_to_face


def status_text(line: TaskLine) -> str:
    if line.status == "overdue":
        return QCoreApplication.translate("TaskTableModel", "%d days overdue") % line.days_overdue
    if line.status == "today":
        return QCoreApplication.translate("TaskTableModel", "due today")
    return ""


class TaskTableModel(IdListModel):
    """Resident, record no., group, task, due date, lateness, what to do and why."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, TaskLine] = {}
        self.many_villages = False

    def _headers(self) -> list[str]:
        return [self.tr("Resident"), self.tr("Record no."), self.tr("Group"), self.tr("Task"),
                self.tr("Due"), self.tr("Overdue"), self.tr("To do"), self.tr("Details")]

    def set_lines(self, lines: list[TaskLine]) -> None:
        self.beginResetModel()
        self._ids = [line_key(line) for line in lines]
        self._lines = {line_key(line): line for line in lines}
        self.many_villages = len({line.village for line in lines}) > 1
        self.endResetModel()

    def line(self, row: int) -> TaskLine | None:
        return self._lines.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def lines(self) -> list[TaskLine]:
        return [self._lines[k] for k in self._ids]

    def row_of(self, key: str) -> int:
        try:
            return self._ids.index(key)
        except ValueError:
            return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        line = self._lines[self._ids[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (4, 5):
            if line.status == "overdue":
                return QColor(OVERDUE_COLOUR)
            return QColor(TODAY_COLOUR) if line.status == "today" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return detail_text(line)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (line.name, line.record_no,
                  f"{line.village}{line.group}" if self.many_villages else line.group,
                  line.kind, line.due.isoformat(), status_text(line), action_text(line),
                  detail_text(line))
        return values[column] if column < len(values) else None
