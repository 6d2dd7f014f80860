"""One patient's follow-up history under the 随访 lists: every visit, newest first, with the
general visits (入户随访) among them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.followups import FollowUp, GeneralVisit
from app.storage.workspace import Workspace


@dataclass(frozen=True)
class History:
    person_id: str
    name: str
    followups: list[FollowUp]
    visits: list[GeneralVisit]


def load_history(ws: Workspace, person_id: str, name: str) -> History:
    """A patient's current follow-ups and general visits (on the database worker)."""
    return History(person_id, name, ws.care.followups(person_id), ws.care.general_visits(person_id))


class HistoryPane(QWidget):
    """A title with the counts and a table of the visits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: History | None = None
        self.title = QLabel(self.tr("Choose a line to see the patient's history"))
        self.title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Kind"), self.tr("Method"), self.tr("BP"), self.tr("Glucose"),
            self.tr("Class"), self.tr("Next visit"), self.tr("Referral"), self.tr("Doctor")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

    def show_history(self, h: History, year: int) -> None:
        self.history = h
        this_year = sum(1 for f in h.followups if f.face_to_face and f.visit_date.year == year)
        self.title.setText(self.tr("%1: %2 follow-ups, %3 face to face this year")
                           .replace("%1", h.name).replace("%2", str(len(h.followups)))
                           .replace("%3", str(this_year)))
        lines: list[tuple[dt.date, list[str]]] = []
        for f in h.followups:
            result = f"{f.referral_result} {f.referral_result_on or ''}".strip()
            lines.append((f.visit_date, [
                f.visit_date.isoformat(), f.kind, f.method,
                f"{f.sbp}/{f.dbp}" if f.sbp is not None else "",
                f"{f.glucose:g}" if f.glucose is not None else "", f.classification,
                f.next_date.isoformat() if f.next_date else "",
                (result or self.tr("not checked")) if f.refers else "", f.doctor]))
        for v in h.visits:
            lines.append((v.visit_date, [v.visit_date.isoformat(), self.tr("General visit"),
                                         v.method, "", "", v.content,
                                         v.next_date.isoformat() if v.next_date else "", "",
                                         v.doctor]))
        lines.sort(key=lambda x: x[0], reverse=True)
        self.table.setRowCount(len(lines))
        for r, (_day, values) in enumerate(lines):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
