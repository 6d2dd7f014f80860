"""The follow-up and exam lists: record ids in list order with their rows cached beside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.exams import HealthExam
from app.core.followups import FollowUp
from app.core.tasks import PatientLine
from app.ui.models.base import IdListModel, Index

CLASS_COLOURS = {"控制满意": "#1b7f3b", "控制不满意": "#b03a2e", "不良反应": "#9a5b00",
                 "并发症": "#b03a2e"}
CONCLUSION_COLOURS = {"重大疾病": "#b03a2e", "一般疾病": "#9a5b00", "健康": "#1b7f3b"}


@dataclass(frozen=True)
class Who:
    """The resident a record belongs to, as the lists show them."""

    person_id: str
    name: str
    record_no: str
    group: str


@dataclass(frozen=True)
class FollowUpRow:
    who: Who
    visit: FollowUp


@dataclass(frozen=True)
class ExamRow:
    who: Who
    exam: HealthExam


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class _RowModel(IdListModel):
    """Rows keyed by record id; subclasses give headers and cells."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, Any] = {}

    def _key(self, row: Any) -> str:
        raise NotImplementedError

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._ids = [self._key(r) for r in rows]
        self._rows = {self._key(r): r for r in rows}
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self._rows.get(self._ids[index]) if 0 <= index < len(self._ids) else None

    def rows(self) -> list[Any]:
        return [self._rows[i] for i in self._ids]

    def row_of(self, key: str) -> int:
        try:
            return self._ids.index(key)
        except ValueError:
            return -1


class FollowUpTableModel(_RowModel):
    """Resident, group, kind, date, method, BP, glucose, class, next date, doctor."""

    def _headers(self) -> list[str]:
        return [self.tr("Resident"), self.tr("Group"), self.tr("Kind"), self.tr("Date"),
                self.tr("Method"), self.tr("BP"), self.tr("Glucose"), self.tr("Class"),
                self.tr("Next visit"), self.tr("Doctor")]

    def _key(self, row: FollowUpRow) -> str:
        return str(row.visit.id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        r: FollowUpRow = self._rows[self._ids[index.row()]]
        f, column = r.visit, index.column()
        if role == Qt.ItemDataRole.UserRole:
            return str(f.id)
        if role == Qt.ItemDataRole.ForegroundRole and column == 7:
            return QColor(CLASS_COLOURS.get(f.classification, "#000000"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 7 and f.overridden:
            return self.tr("Suggested: %1 %2 %3").replace("%1", f.suggested_class) \
                .replace("%2", f.suggested_measure).replace("%3", str(f.suggested_next or ""))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (r.who.name, r.who.group, f.kind, f.visit_date.isoformat(), f.method,
                  f"{f.sbp}/{f.dbp}" if f.sbp is not None else "", _num(f.glucose),
                  f.classification + ("*" if f.overridden else ""),
                  f.next_date.isoformat() if f.next_date else "", f.doctor)
        return values[column] if column < len(values) else None


class ExamTableModel(_RowModel):
    """Resident, record no., group, date, BP, BMI, glucose, conclusion, result given back,
    doctor, abnormal findings."""

    def _headers(self) -> list[str]:
        return [self.tr("Resident"), self.tr("Record no."), self.tr("Group"), self.tr("Exam date"),
                self.tr("BP"), self.tr("BMI"), self.tr("Glucose"), self.tr("Conclusion"),
                self.tr("Result given back"), self.tr("Doctor"), self.tr("Abnormal findings")]

    def _key(self, row: ExamRow) -> str:
        return str(row.exam.id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        r: ExamRow = self._rows[self._ids[index.row()]]
        e, column = r.exam, index.column()
        if role == Qt.ItemDataRole.UserRole:
            return str(e.id)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 7:
                return QColor(CONCLUSION_COLOURS.get(e.conclusion, "#000000"))
            if column == 8 and e.result_returned_on is None:
                return QColor("#b03a2e")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == 7:
            return e.abnormalities or e.advice or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        sbp = e.sbp_left if e.sbp_left is not None else e.sbp_right
        dbp = e.dbp_left if e.dbp_left is not None else e.dbp_right
        values = (r.who.name, r.who.record_no, r.who.group, e.exam_date.isoformat(),
                  f"{sbp}/{dbp}" if sbp is not None else "", _num(e.bmi), _num(e.glucose),
                  e.conclusion,
                  e.result_returned_on.isoformat() if e.result_returned_on else self.tr("not yet"),
                  e.doctor, e.abnormalities)
        return values[column] if column < len(values) else None


class PatientTableModel(_RowModel):
    """The patient register: one line per patient and kind with the follow-up state."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.min_face_to_face = 4

    def _headers(self) -> list[str]:
        return [self.tr("Resident"), self.tr("Record no."), self.tr("Group"), self.tr("Kind"),
                self.tr("Last visit"), self.tr("Last class"), self.tr("Due"), self.tr("Status"),
                self.tr("Face to face this year"), self.tr("Referral")]

    def _key(self, row: PatientLine) -> str:
        return f"{row.person_id}|{row.kind}"

    def status_text(self, p: PatientLine) -> str:
        if p.status == "overdue":
            return self.tr("%d days overdue") % p.days_overdue
        return {"today": self.tr("due today"), "upcoming": self.tr("due soon"),
                "scheduled": self.tr("booked")}.get(p.status, p.status)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        p: PatientLine = self._rows[self._ids[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (6, 7) and p.status == "overdue":
                return QColor("#b03a2e")
            if column in (6, 7) and p.status == "today":
                return QColor("#9a5b00")
            if column == 5:
                return QColor(CLASS_COLOURS.get(p.last_class, "#000000"))
            if column == 8 and p.needed:
                return QColor("#9a5b00")
            if column == 9 and p.referral_pending:
                return QColor("#b03a2e")
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (p.name, p.record_no, p.group, p.kind,
                  p.last_visit.isoformat() if p.last_visit else self.tr("none yet"), p.last_class,
                  p.due.isoformat(), self.status_text(p),
                  f"{p.face_to_face} / {p.face_to_face + p.needed}"
                  if p.needed else str(p.face_to_face),
                  self.tr("to check") if p.referral_pending else "")
        return values[column] if column < len(values) else None
