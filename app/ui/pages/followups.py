"""随访: the follow-up records and the patient register (every 高血压/糖尿病 patient with the
next due date) with filters, one patient's history, and entering, correcting and printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.followups import CONDITION_KIND, KINDS
from app.core.tasks import PatientLine
from app.storage.changes import Changes
from app.storage.tasks import people_rows
from app.storage.workspace import Workspace
from app.ui.care_print import PrintHook
from app.ui.dialogs.care_dialogs import GeneralVisitDialog, PersonPicker, ReferralResultDialog
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.errors import show_error
from app.ui.models.care import FollowUpRow, FollowUpTableModel, PatientTableModel, Who
from app.ui.tasks import TaskRunner
from app.ui.widgets.care_history import History, HistoryPane, load_history
from app.ui.widgets.fields import refill_groups
from app.ui.widgets.tables import record_table

FOLLOWUP_TABLES = frozenset({"follow_ups", "referral_results", "general_visits", "people",
                             "diagnoses", "households", "settings"})
SEARCH_DELAY_MS = 150
YEARS_BACK = 5
RECORDS, PATIENTS = 0, 1


@dataclass(frozen=True)
class FollowUpQuery:
    """The page's filters as plain values, passed to the worker."""

    today: dt.date
    kind: str | None
    year: int | None
    group: str | None
    text: str


@dataclass(frozen=True)
class Lists:
    records: list[FollowUpRow]
    patients: list[PatientLine]


def list_followups(ws: Workspace, q: FollowUpQuery) -> list[FollowUpRow]:
    """The current follow-ups passing the filters, latest first (on the database worker).

    Patients are the living residents with a 高血压 or 2型糖尿病 diagnosis; a typed name narrows
    them through the people search (name, pinyin initials, ID, record no.).
    """
    found = _found(ws, q.text)
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


def list_both(ws: Workspace, q: FollowUpQuery) -> Lists:
    """The records and the patient register for the same filters (on the database worker)."""
    found = _found(ws, q.text)
    patients = [p for p in ws.care.patients(q.today, q.kind, q.group)
                if found is None or p.person_id in found]
    return Lists(list_followups(ws, q), patients)


def _found(ws: Workspace, text: str) -> set[str] | None:
    return {h.id for h in ws.people.search(text, limit=500)} if text else None


@dataclass(frozen=True)
class Chosen:
    """The patient (and visit, on the records tab) the actions work on."""

    person_id: str
    name: str
    kind: str
    followup_id: str | None
    refers: bool
    year: int
    is_record: bool


class FollowUpsPage(QWidget):
    """Records and register with filters for kind, year, group and name; the chosen patient's
    history below."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 doctor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.doctor = doctor
        self._today = today
        self.model = FollowUpTableModel(self)
        self.patients = PatientTableModel(self)
        self.searching = False
        self.dialog: QDialog | None = None
        self._generation = 0
        self._history_generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def history(self) -> History | None:
        return self.history_pane.history

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
        self.summary.setWordWrap(True)   # a long summary wraps rather than widen the window
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.kind)
        bar.addWidget(self.year)
        bar.addWidget(self.group)
        bar.addStretch(1)

        self.table = record_table(self.model, ("欧阳建国", "十二组", "糖尿病", "2024-12-31", "随访方式",
                                               "180/110", "16.7", "控制不满意*", "2025-03-31",
                                               "欧阳医生"))
        self.patients_table = record_table(self.patients, (
            "欧阳建国", "62292310420100001", "十二组", "糖尿病", "2024-12-31", "控制不满意",
            "2025-03-31", "逾期 100 天", "今年面对面", "转诊结果"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("Follow-up records"))
        self.tabs.addTab(self.patients_table, self.tr("Patients and next visits"))
        self.history_pane = HistoryPane()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.history_pane)
        splitter.setSizes([420, 220])
        splitter.setChildrenCollapsible(False)

        self.new_button = QPushButton(self.tr("New follow-up…"))
        self.general_button = QPushButton(self.tr("General visit…"))
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.referral_button = QPushButton(self.tr("Referral result…"))
        self.print_button = QPushButton(self.tr("Print the year's sheets"))
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
        for view in (self.table, self.patients_table):
            view.selectionModel().currentRowChanged.connect(lambda *_: self._row_changed())
        self.tabs.currentChanged.connect(lambda _i: self._row_changed())
        self.table.activated.connect(lambda _i: self.correct())
        self.patients_table.activated.connect(lambda _i: self.new_followup())
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
        self.patients.set_rows([])
        self.refresh()

    def refresh(self) -> None:
        ws = self.ws
        self.runner.db(ws.households.group_names, on_done=self._groups_loaded)
        self.run_query()

    def on_changes(self, changes: Changes) -> None:
        if changes.tables & FOLLOWUP_TABLES:
            self.run_query()

    def _groups_loaded(self, groups: list[str]) -> None:
        refill_groups(self.group, groups)

    def current_query(self) -> FollowUpQuery:
        return FollowUpQuery(self.today, str(self.kind.currentData() or "") or None,
                             int(self.year.currentData() or 0) or None,
                             str(self.group.currentData() or "") or None, self.search.text().strip())

    def run_query(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, ws, q = self._generation, self.ws, self.current_query()
        self.searching = True
        self.runner.db(lambda: list_both(ws, q),
                       on_done=lambda lists: self._loaded(generation, lists),
                       on_error=lambda exc: self._failed(generation, exc))

    def _loaded(self, generation: int, lists: Lists) -> None:
        if generation != self._generation:
            return
        self.searching = False
        keep_record, keep_patient = self._current_key(self.table), self._current_key(self.patients_table)
        self.model.set_rows(lists.records)
        self.patients.set_rows(lists.patients)
        for view, model, key in ((self.table, self.model, keep_record),
                                 (self.patients_table, self.patients, keep_patient)):
            row = model.row_of(key) if key else -1
            if row >= 0:
                view.selectRow(row)
        records, patients = lists.records, lists.patients
        late = sum(1 for p in patients if p.status == "overdue")
        short = sum(1 for p in patients if p.needed)
        self.summary.setText(
            self.tr("%1 follow-ups, %2 face to face; %3 patients, %4 overdue, %5 short of the "
                    "yearly visits")
            .replace("%1", str(len(records)))
            .replace("%2", str(sum(1 for r in records if r.visit.face_to_face)))
            .replace("%3", str(len(patients))).replace("%4", str(late)).replace("%5", str(short)))
        if self.history is not None:
            self.show_history(self.history.person_id, self.history.name)
        self._update_buttons()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.searching = False
            show_error(self, exc)

    # --- the chosen line and its patient --------------------------------------------------

    @staticmethod
    def _current_key(view: QTableView) -> str | None:
        index = view.selectionModel().currentIndex()
        return str(index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)) if index.isValid() else None

    def current_row(self) -> FollowUpRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def current_patient(self) -> PatientLine | None:
        index = self.patients_table.selectionModel().currentIndex()
        return self.patients.row(index.row()) if index.isValid() else None

    def chosen(self) -> Chosen | None:
        """What the actions work on: the selected line of the tab in front."""
        year = int(self.year.currentData() or 0) or self.today.year
        if self.tabs.currentIndex() == RECORDS:
            r = self.current_row()
            return None if r is None else Chosen(
                r.who.person_id, r.who.name, r.visit.kind, str(r.visit.id), r.visit.refers,
                r.visit.visit_date.year, True)
        p = self.current_patient()
        return None if p is None else Chosen(p.person_id, p.name, p.kind, p.followup_id,
                                             p.referral_pending, year, False)

    def _row_changed(self) -> None:
        self.year.setEnabled(self.tabs.currentIndex() == RECORDS)
        c = self.chosen()
        if c is not None:
            self.show_history(c.person_id, c.name)
        self._update_buttons()

    def show_history(self, person_id: str, name: str) -> None:
        self._history_generation += 1
        generation, ws = self._history_generation, self.ws
        self.runner.db(lambda: load_history(ws, person_id, name),
                       on_done=lambda h: self._history_loaded(generation, h))

    def _history_loaded(self, generation: int, h: History) -> None:
        if generation == self._history_generation:
            self.history_pane.show_history(h, self.today.year)

    def _update_buttons(self) -> None:
        c = self.chosen()
        self.correct_button.setEnabled(c is not None and c.is_record)
        self.referral_button.setEnabled(c is not None and c.refers and c.followup_id is not None)
        self.print_hook.update(c is not None)

    # --- actions ------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)  # type: ignore[attr-defined]
        dialog.open()

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.run_query()

    def _pick(self, title: str, then: Callable[[str, str], None]) -> None:
        """Choose a resident (the chosen line's patient is typed in already), then go on."""
        picker = PersonPicker(self.ws, self.runner, title, self)
        c = self.chosen()
        if c is not None:
            picker.prefill(c.name)
        picker.accepted.connect(lambda: then(str(picker.person_id), picker.person_name))
        self.dialog = picker
        picker.open()

    def new_followup(self) -> None:
        """On the register: a visit of the chosen patient; on the records: choose the patient."""
        c = self.chosen()
        if c is not None and not c.is_record:
            self._open(FollowUpDialog(self.ws, self.runner, c.person_id, kind=c.kind,
                                      today=self.today, doctor=self.doctor, parent=self))
            return
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
        if row is not None and self.tabs.currentIndex() == RECORDS:
            self._open(FollowUpDialog(self.ws, self.runner, row.who.person_id,
                                      correct_id=str(row.visit.id), today=self.today,
                                      doctor=self.doctor, parent=self))

    def referral_result(self) -> None:
        c = self.chosen()
        if c is None or not c.refers or c.followup_id is None:
            return
        ws, fid, name = self.ws, c.followup_id, c.name
        self.runner.db(lambda: ws.care.followup(fid), on_error=lambda exc: show_error(self, exc),
                       on_done=lambda visit: self._open(ReferralResultDialog(
                           self.ws, self.runner, visit, name, today=self.today, parent=self)))

    def print_year(self) -> None:
        """The chosen patient's follow-up sheets of the year, through the print hook."""
        c = self.chosen()
        if c is None:
            return
        title = self.tr("Follow-up sheets of %1, %2").replace("%1", c.name).replace("%2", str(c.year))
        self.print_hook.run(self.ws, c.person_id, c.year, title=title)
