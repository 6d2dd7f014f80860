"""体检: the yearly health exams with filters for year, conclusion and results not given back;
entering, correcting, marking a result given back and printing the result slip."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.exams import CONCLUSIONS
from app.storage.changes import Changes
from app.storage.tasks import people_rows
from app.storage.workspace import Workspace
from app.ui.care_print import PrintHook
from app.ui.dialogs.care_dialogs import PersonPicker, ReturnedDialog
from app.ui.dialogs.exam_dialog import ExamDialog
from app.ui.errors import show_error
from app.ui.models.care import ExamRow, ExamTableModel, Who
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import refill_groups
from app.ui.widgets.tables import record_table

EXAM_TABLES = frozenset({"health_exams", "exam_returns", "people", "diagnoses", "households"})
SEARCH_DELAY_MS = 150
YEARS_BACK = 5


@dataclass(frozen=True)
class ExamQuery:
    today: dt.date
    year: int | None
    conclusion: str | None
    not_returned: bool
    group: str | None
    text: str


def list_exams(ws: Workspace, q: ExamQuery) -> list[ExamRow]:
    """Current exams passing the filters, latest first (on the database worker).

    Without a search the list covers the living residents of the yearly-exam groups (65 and
    over, the chronic-disease groups); a search finds anyone by name, initials or number.
    """
    who: dict[str, Who] = {}
    if q.text:
        for h in ws.people.search(q.text, limit=500):
            who[h.id] = Who(h.id, h.name, h.record_no, h.group_name)
    else:
        for p in people_rows(ws, q.today, ws.care.exam_settings()):
            who[p.id] = Who(p.id, p.name, p.record_no, p.group)
    rows: list[ExamRow] = []
    for pid, w in who.items():
        if q.group and w.group != q.group:
            continue
        for e in ws.care.exams(pid, q.year):
            if q.conclusion and e.conclusion != q.conclusion:
                continue
            if q.not_returned and e.result_returned_on is not None:
                continue
            rows.append(ExamRow(w, e))
    rows.sort(key=lambda r: (r.exam.exam_date, r.who.record_no), reverse=True)
    return rows


class ExamsPage(QWidget):
    """The exam list and the actions on one exam."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 doctor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.doctor = doctor
        self._today = today
        self.model = ExamTableModel(self)
        self.searching = False
        self.dialog: QDialog | None = None
        self._generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials, ID or record no."))
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        for y in range(self.today.year, self.today.year - YEARS_BACK, -1):
            self.year.addItem(str(y), y)
        self.year.addItem(self.tr("All years"), 0)
        self.conclusion = QComboBox()
        self.conclusion.addItem(self.tr("All conclusions"), "")
        for c in CONCLUSIONS:
            self.conclusion.addItem(c, c)
        self.group = QComboBox()
        self.group.addItem(self.tr("All groups"), "")
        for combo in (self.year, self.conclusion, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.not_returned = QCheckBox(self.tr("Result not given back"))
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.year)
        bar.addWidget(self.conclusion)
        bar.addWidget(self.group)
        bar.addWidget(self.not_returned)
        bar.addStretch(1)

        self.table = record_table(self.model, ("欧阳建国", "62292310420100001", "十二组",
                                               "2024-12-31", "180/110", "体质指数", "16.7",
                                               "一般疾病", "2024-12-31", "欧阳医生"))
        self.new_button = QPushButton(self.tr("New exam…"))
        self.correct_button = QPushButton(self.tr("Open / correct…"))
        self.returned_button = QPushButton(self.tr("Mark result given back…"))
        self.print_button = QPushButton(self.tr("Print result slip"))
        self.print_hook = PrintHook(self.print_button, "print_exam", self.runner, self)
        actions = QHBoxLayout()
        for b in (self.new_button, self.correct_button, self.returned_button):
            actions.addWidget(b)
        actions.addSpacing(20)
        actions.addWidget(self.print_button)
        actions.addSpacing(20)
        actions.addWidget(self.summary, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_query)
        for combo in (self.year, self.conclusion, self.group):
            combo.currentIndexChanged.connect(self.run_query)
        self.not_returned.toggled.connect(self.run_query)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.activated.connect(lambda _i: self.correct())
        self.new_button.clicked.connect(self.new_exam)
        self.correct_button.clicked.connect(self.correct)
        self.returned_button.clicked.connect(self.mark_returned)
        self.print_button.clicked.connect(self.print_slip)
        self._update_buttons()

    # --- refresh --------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.model.set_rows([])
        self.refresh()

    def refresh(self) -> None:
        ws = self.ws
        self.runner.db(ws.households.group_names, on_done=self._groups_loaded)
        self.run_query()

    def on_changes(self, changes: Changes) -> None:
        if changes.tables & EXAM_TABLES:
            self.run_query()

    def _groups_loaded(self, groups: list[str]) -> None:
        refill_groups(self.group, groups)

    def current_query(self) -> ExamQuery:
        return ExamQuery(self.today, int(self.year.currentData() or 0) or None,
                         str(self.conclusion.currentData() or "") or None,
                         self.not_returned.isChecked(), str(self.group.currentData() or "") or None,
                         self.search.text().strip())

    def run_query(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, ws, q = self._generation, self.ws, self.current_query()
        self.searching = True
        self.runner.db(lambda: list_exams(ws, q),
                       on_done=lambda rows: self._loaded(generation, rows),
                       on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, rows: list[ExamRow]) -> None:
        if generation != self._generation:
            return
        self.searching = False
        keep = self.current_row()
        self.model.set_rows(rows)
        counts = Counter(r.exam.conclusion for r in rows)
        waiting = sum(1 for r in rows if r.exam.result_returned_on is None)
        parts = [self.tr("%d exams") % len(rows)]
        parts += [f"{c} {counts[c]}" for c in CONCLUSIONS if counts[c]]
        parts.append(self.tr("not given back: %d") % waiting)
        self.summary.setText(" · ".join(parts))
        row = self.model.row_of(str(keep.exam.id)) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.searching = False
            show_error(self, exc)

    # --- actions ------------------------------------------------------------------------

    def current_row(self) -> ExamRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.correct_button.setEnabled(row is not None)
        self.returned_button.setEnabled(row is not None and row.exam.result_returned_on is None)
        self.print_hook.update(row is not None)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)  # type: ignore[attr-defined]
        dialog.open()

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.run_query()

    def new_exam(self) -> None:
        picker = PersonPicker(self.ws, self.runner, self.tr("New exam for"), self)
        row = self.current_row()
        if row is not None:
            picker.prefill(row.who.name)
        picker.accepted.connect(lambda: self._open(ExamDialog(
            self.ws, self.runner, str(picker.person_id), today=self.today, doctor=self.doctor,
            parent=self)))
        self.dialog = picker
        picker.open()

    def correct(self) -> None:
        row = self.current_row()
        if row is not None:
            self._open(ExamDialog(self.ws, self.runner, row.who.person_id,
                                  correct_id=str(row.exam.id), today=self.today,
                                  doctor=self.doctor, parent=self))

    def mark_returned(self) -> None:
        row = self.current_row()
        if row is not None and row.exam.result_returned_on is None:
            self._open(ReturnedDialog(self.ws, self.runner, row.exam, row.who.name,
                                      today=self.today, parent=self))

    def print_slip(self) -> None:
        """The chosen exam's result slip, through the print hook."""
        row = self.current_row()
        if row is not None:
            title = self.tr("Exam result of %1, %2").replace("%1", row.who.name) \
                .replace("%2", row.exam.exam_date.isoformat())
            self.print_hook.run(self.ws, str(row.exam.id), title=title)
