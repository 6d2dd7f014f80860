"""随访: the follow-ups of the clinic's 高血压 and 2型糖尿病 patients with filters, one patient's
history, and entering, correcting and printing follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.followups import CONDITION_KIND, KINDS, FollowUp, GeneralVisit
from app.storage.changes import Changes
from app.storage.tasks import people_rows
from app.storage.workspace import Workspace
from app.ui.care_print import PrintHook
from app.ui.dialogs.care_dialogs import GeneralVisitDialog, PersonPicker, ReferralResultDialog
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.errors import show_error
from app.ui.models.care import FollowUpRow, FollowUpTableModel, Who
from app.ui.tasks import TaskRunner
from app.ui.widgets.tables import record_table

FOLLOWUP_TABLES = frozenset({"follow_ups", "referral_results", "general_visits", "people",
                             "diagnoses", "households"})
SEARCH_DELAY_MS = 150
YEARS_BACK = 5


@dataclass(frozen=True)
class FollowUpQuery:
    """The page's filters as plain values, passed to the worker."""

    today: dt.date
    kind: str | None
    year: int | None
    group: str | None
    text: str


def list_followups(ws: Workspace, q: FollowUpQuery) -> list[FollowUpRow]:
    """The current follow-ups passing the filters, latest first (on the database worker).

    Patients are the living residents with a 高血压 or 2型糖尿病 diagnosis; a typed name narrows
    them through the people search (name, pinyin initials, ID, record no.).
    """
    found = {h.id for h in ws.search_people(q.text, limit=500)} if q.text else None
    rows: list[FollowUpRow] = []
    for p in people_rows(ws, q.today, ws.care.exam_settings()):
        kinds = {CONDITION_KIND[c] for c in p.conditions if c in CONDITION_KIND}
        if not kinds or (q.kind and q.kind not in kinds) or (q.group and p.group != q.group):
            continue
        if found is not None and p.id not in found:
            continue
        who = Who(p.id, p.name, p.record_no, p.group)
        rows += [FollowUpRow(who, f) for f in ws.care.followups(p.id, q.kind, q.year)]
    rows.sort(key=lambda r: (r.visit.visit_date, r.who.record_no), reverse=True)
    return rows


@dataclass(frozen=True)
class History:
    person_id: str
    name: str
    followups: list[FollowUp]
    visits: list[GeneralVisit]


def load_history(ws: Workspace, person_id: str, name: str) -> History:
    return History(person_id, name, ws.care.followups(person_id), ws.care.general_visits(person_id))


class FollowUpsPage(QWidget):
    """Follow-ups with filters for kind, year, group and name; the chosen patient's history."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 doctor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.doctor = doctor
        self._today = today
        self.model = FollowUpTableModel(self)
        self.searching = False
        self.history: History | None = None
        self.dialog: QDialog | None = None
        self._generation = 0
        self._history_generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials, ID or record no."))
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), "")
        for k in KINDS:
            self.kind.addItem(k, k)
        self.year = QComboBox()
        for y in range(self.today.year, self.today.year - YEARS_BACK, -1):
            self.year.addItem(str(y), y)
        self.year.addItem(self.tr("All years"), 0)
        self.group = QComboBox()
        self.group.addItem(self.tr("All groups"), "")
        for combo in (self.kind, self.year, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.kind)
        bar.addWidget(self.year)
        bar.addWidget(self.group)
        bar.addStretch(1)

        self.table = record_table(self.model, ("欧阳建国", "十二组", "糖尿病", "2024-12-31", "随访方式",
                                               "180/110", "16.7", "控制不满意*", "2025-03-31",
                                               "欧阳医生"))
        self.history_title = QLabel(self.tr("Choose a follow-up to see the patient's history"))
        self.history_title.setStyleSheet("font-weight: bold;")
        self.history_table = QTableWidget(0, 9)
        self.history_table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Kind"), self.tr("Method"), self.tr("BP"), self.tr("Glucose"),
            self.tr("Class"), self.tr("Next visit"), self.tr("Referral"), self.tr("Doctor")])
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.verticalHeader().setDefaultSectionSize(26)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 4, 0, 0)
        ll.addWidget(self.history_title)
        ll.addWidget(self.history_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([420, 220])
        splitter.setChildrenCollapsible(False)

        self.new_button = QPushButton(self.tr("New follow-up…"))
        self.general_button = QPushButton(self.tr("General visit…"))
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.referral_button = QPushButton(self.tr("Referral result…"))
        self.print_button = QPushButton(self.tr("Print this year's sheets"))
        self.print_hook = PrintHook(self.print_button, "print_followups", self.runner, self)
        actions = QHBoxLayout()
        for b in (self.new_button, self.general_button, self.correct_button, self.referral_button):
            actions.addWidget(b)
        actions.addSpacing(20)
        actions.addWidget(self.print_button)
        actions.addSpacing(20)
        actions.addWidget(self.summary, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_query)
        for combo in (self.kind, self.year, self.group):
            combo.currentIndexChanged.connect(self.run_query)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._row_changed())
        self.table.activated.connect(lambda _i: self.correct())
        self.new_button.clicked.connect(self.new_followup)
        self.general_button.clicked.connect(self.general_visit)
        self.correct_button.clicked.connect(self.correct)
        self.referral_button.clicked.connect(self.referral_result)
        self.print_button.clicked.connect(self.print_year)
        self._update_buttons()

    # --- refresh --------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.model.set_rows([])
        self.refresh()

    def refresh(self) -> None:
        ws = self.ws
        self.runner.db(ws.group_names, on_done=self._groups_loaded)
        self.run_query()

    def on_changes(self, changes: Changes) -> None:
        if changes.tables & FOLLOWUP_TABLES:
            self.run_query()

    def _groups_loaded(self, groups: list[str]) -> None:
        before = self.group.currentData()
        self.group.blockSignals(True)
        while self.group.count() > 1:
            self.group.removeItem(1)
        for g in groups:
            self.group.addItem(g, g)
        self.group.setCurrentIndex(max(self.group.findData(before), 0) if before else 0)
        self.group.blockSignals(False)

    def current_query(self) -> FollowUpQuery:
        return FollowUpQuery(self.today, str(self.kind.currentData() or "") or None,
                             int(self.year.currentData() or 0) or None,
                             str(self.group.currentData() or "") or None, self.search.text().strip())

    def run_query(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, ws, q = self._generation, self.ws, self.current_query()
        self.searching = True
        self.runner.db(lambda: list_followups(ws, q),
                       on_done=lambda rows: self._loaded(generation, rows),
                       on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, rows: list[FollowUpRow]) -> None:
        if generation != self._generation:
            return
        self.searching = False
        keep = self.current_row()
        self.model.set_rows(rows)
        people = len({r.who.person_id for r in rows})
        face = sum(1 for r in rows if r.visit.face_to_face)
        self.summary.setText(self.tr("%1 follow-ups of %2 patients, %3 face to face")
                             .replace("%1", str(len(rows))).replace("%2", str(people))
                             .replace("%3", str(face)))
        row = self.model.row_of(str(keep.visit.id)) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        elif self.history is not None:
            self.show_history(self.history.person_id, self.history.name)
        self._update_buttons()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.searching = False
            show_error(self, exc)

    # --- the chosen row and its patient ---------------------------------------------------

    def current_row(self) -> FollowUpRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _row_changed(self) -> None:
        row = self.current_row()
        if row is not None:
            self.show_history(row.who.person_id, row.who.name)
        self._update_buttons()

    def show_history(self, person_id: str, name: str) -> None:
        self._history_generation += 1
        generation, ws = self._history_generation, self.ws
        self.runner.db(lambda: load_history(ws, person_id, name),
                       on_done=lambda h: self._history_loaded(generation, h))

    def _history_loaded(self, generation: int, h: History) -> None:
        if generation != self._history_generation:
            return
        self.history = h
        this_year = sum(1 for f in h.followups if f.face_to_face and f.visit_date.year == self.today.year)
        self.history_title.setText(self.tr("%1: %2 follow-ups, %3 face to face this year")
                                   .replace("%1", h.name).replace("%2", str(len(h.followups)))
                                   .replace("%3", str(this_year)))
        lines: list[tuple[dt.date, list[str]]] = []
        for f in h.followups:
            referral = f"{f.referral_result} {f.referral_result_on or ''}".strip() if f.refers else ""
            lines.append((f.visit_date, [
                f.visit_date.isoformat(), f.kind, f.method,
                f"{f.sbp}/{f.dbp}" if f.sbp is not None else "",
                f"{f.glucose:g}" if f.glucose is not None else "", f.classification,
                f.next_date.isoformat() if f.next_date else "",
                referral or (self.tr("not checked") if f.refers else ""), f.doctor]))
        for v in h.visits:
            lines.append((v.visit_date, [v.visit_date.isoformat(), self.tr("General visit"),
                                         v.method, "", "", v.content,
                                         v.next_date.isoformat() if v.next_date else "", "",
                                         v.doctor]))
        lines.sort(key=lambda x: x[0], reverse=True)
        self.history_table.setRowCount(len(lines))
        for r, (_day, values) in enumerate(lines):
            for c, text in enumerate(values):
                self.history_table.setItem(r, c, QTableWidgetItem(text))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.correct_button.setEnabled(row is not None)
        self.referral_button.setEnabled(row is not None and row.visit.refers)
        self.print_hook.update(row is not None)

    # --- actions ------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)  # type: ignore[attr-defined]
        dialog.open()

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.run_query()

    def _pick(self, title: str, then: object) -> None:
        """Choose a resident (the chosen row's patient is typed in already), then go on."""
        picker = PersonPicker(self.ws, self.runner, title, self)
        row = self.current_row()
        if row is not None:
            picker.search.setText(row.who.name)
        picker.accepted.connect(lambda: then(picker.person_id, picker.person_name))  # type: ignore[operator]
        self.dialog = picker
        picker.open()

    def new_followup(self) -> None:
        kind = str(self.kind.currentData() or "") or None
        self._pick(self.tr("New follow-up for"), lambda pid, _name: self._open(FollowUpDialog(
            self.ws, self.runner, pid, kind=kind, today=self.today, doctor=self.doctor,
            parent=self)))

    def new_followup_for(self, person_id: str) -> None:
        """A new follow-up of a known resident (from the resident's file)."""
        self._open(FollowUpDialog(self.ws, self.runner, person_id, today=self.today,
                                  doctor=self.doctor, parent=self.window()))

    def general_visit(self) -> None:
        self._pick(self.tr("General visit for"), lambda pid, name: self._open(GeneralVisitDialog(
            self.ws, self.runner, pid, name, today=self.today, doctor=self.doctor, parent=self)))

    def correct(self) -> None:
        row = self.current_row()
        if row is not None:
            self._open(FollowUpDialog(self.ws, self.runner, row.who.person_id,
                                      correct_id=str(row.visit.id), today=self.today,
                                      doctor=self.doctor, parent=self))

    def referral_result(self) -> None:
        row = self.current_row()
        if row is not None and row.visit.refers:
            self._open(ReferralResultDialog(self.ws, self.runner, row.visit, row.who.name,
                                            today=self.today, parent=self))

    def print_year(self) -> None:
        """The chosen patient's follow-up sheets of the visit's year, through the print hook."""
        row = self.current_row()
        if row is None:
            return
        year = row.visit.visit_date.year
        title = self.tr("Follow-up sheets of %1, %2").replace("%1", row.who.name) \
            .replace("%2", str(year))
        self.print_hook.run(self.ws, row.who.person_id, year, title=title)
