"""居民档案: find a resident, edit the basic information, keep the list of diagnoses."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.core.households import POVERTY_STATUSES
from app.core.identity import PROVISIONAL_HINT, shown_record_no
from app.core.people import CONDITIONS, SEXES, TREATMENT_CLASSES, Diagnosis, Person
from app.storage.changes import Changes
from app.storage.people import PersonHit
from app.storage.workspace import Workspace
from app.ui import unsaved
from app.ui.dialogs.person_dialog import PersonForm
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import CodeCombo, DateField

PERSON_TABLES = frozenset({"people", "diagnoses", "households"})
FOLLOWUP_CONDITIONS = frozenset({"高血压", "2型糖尿病"})


@dataclass(frozen=True)
class PersonFile:
    """One resident's file as the page shows it, read in one go on the worker."""

    person: Person
    diagnoses: list[Diagnosis]
    household_label: str


def load_file(ws: Workspace, person_id: str) -> PersonFile:
    """Read a resident's file (runs on the database worker)."""
    p = ws.people.get(person_id)
    label = ""
    if p.household_id:
        row = ws.households.rows([str(p.household_id)]).get(str(p.household_id))
        if row is not None:
            label = " ".join(filter(None, [
                ws.settings.division_name(row.village_code), row.group_name,
                row.head_name and f"户主 {row.head_name}",
                POVERTY_STATUSES.get(row.poverty_status, ""),
            ]))
    return PersonFile(person=p, diagnoses=ws.people.diagnoses(person_id), household_label=label)


class PersonPage(QWidget):
    """Search residents by name, initials or numbers and edit one resident's file."""

    changed = Signal(object)
    open_household = Signal(str)
    followup_requested = Signal(str)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.file: PersonFile | None = None
        self.dirty = False
        self._search_generation = 0
        self._load_generation = 0
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, pinyin, record no., any 4+ digits of ID/phone"))
        self.search.setToolTip(self.tr(
            "Type a name, its pinyin or initials, a health-record number, or any 4 or more digits"
            " in a row of an ID or phone number (such as its last 4)"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMinimumWidth(240)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addWidget(self.results, 1)

        self.title = QLabel(self.tr("Search for a resident on the left"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.household_label = QLabel()
        self.household_label.setStyleSheet("color: #555555;")
        self.household_button = QPushButton(self.tr("Show household"))
        self.followup_button = QPushButton(self.tr("Follow-up…"))
        self.save_button = QPushButton(self.tr("Save"))
        self.revert_button = QPushButton(self.tr("Undo edits"))
        self.save_button.setDefault(True)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.household_label)
        head.addLayout(names, 1)
        head.addWidget(self.household_button)
        head.addWidget(self.followup_button)
        head.addWidget(self.revert_button)
        head.addWidget(self.save_button)

        self.form = PersonForm()
        inner = QWidget()
        il = QVBoxLayout(inner)
        il.setContentsMargins(0, 0, 8, 0)
        il.addWidget(self.form)
        il.addWidget(self._build_diagnoses())
        il.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        rl.addLayout(head)
        rl.addWidget(scroll, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_search)
        self.results.currentItemChanged.connect(self._result_chosen)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        self.household_button.clicked.connect(self._show_household)
        self.followup_button.clicked.connect(self._request_followup)
        self.form.edited.connect(self._edited)
        self._update_buttons()

    def _build_diagnoses(self) -> QWidget:
        box = QGroupBox(self.tr("Diagnoses"))
        self.diagnoses = QTableWidget(0, 4)
        self.diagnoses.setHorizontalHeaderLabels([
            self.tr("Condition"), self.tr("Date confirmed"), self.tr("Hospital"), self.tr("Treatment class"),
        ])
        self.diagnoses.verticalHeader().setVisible(False)
        self.diagnoses.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diagnoses.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.diagnoses.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.diagnoses.setMinimumHeight(130)
        self.condition = CodeCombo(CONDITIONS, blank=None)
        self.confirmed_on = DateField(field="confirmed_on")
        self.hospital = QLineEdit()
        self.hospital.setPlaceholderText(self.tr("Confirming hospital"))
        self.treatment = CodeCombo(TREATMENT_CLASSES)
        self.add_diagnosis_button = QPushButton(self.tr("Add diagnosis"))
        self.remove_diagnosis_button = QPushButton(self.tr("Remove selected"))
        row = QHBoxLayout()
        row.addWidget(self.condition)
        row.addWidget(self.confirmed_on)
        row.addWidget(self.hospital, 1)
        row.addWidget(self.treatment)
        row.addWidget(self.add_diagnosis_button)
        row.addWidget(self.remove_diagnosis_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.diagnoses)
        layout.addLayout(row)
        self.add_diagnosis_button.clicked.connect(self.add_diagnosis)
        self.remove_diagnosis_button.clicked.connect(self.remove_diagnosis)
        self.diagnoses.itemSelectionChanged.connect(self._update_buttons)
        return box

    # --- workspace ------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.file = None
        self.results.clear()
        self._show(None)

    def on_changes(self, changes: Changes) -> None:
        """Reload the shown resident when a change touched them and nothing is being typed."""
        if self.file is None or not changes.tables & PERSON_TABLES:
            return
        pid = str(self.file.person.id)
        touched = pid in changes.ids or "diagnoses" in changes.tables or "households" in changes.tables
        if touched and not self.dirty:
            self.open(pid)
        elif touched and "diagnoses" in changes.tables:
            ws = self.ws
            self.runner.db(lambda: ws.people.diagnoses(pid), on_done=self._show_diagnoses)

    # --- search -----------------------------------------------------------------------

    def run_search(self) -> None:
        self._timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        query, ws = self.search.text().strip(), self.ws
        if not query:
            self.results.clear()
            return
        self.runner.db(lambda: ws.people.search(query, limit=100),
                       on_done=lambda hits: self._hits(generation, hits))

    def _hits(self, generation: int, hits: list[PersonHit]) -> None:
        if generation != self._search_generation:
            return
        self.results.blockSignals(True)
        self.results.clear()
        for h in hits:
            text = "  ".join(filter(None, [h.name, SEXES.get(h.sex, ""), h.birth_date, h.group_name,
                                           h.living_status if h.living_status != "在册" else ""]))
            item = QListWidgetItem(text)
            item.setToolTip("\n".join(filter(None, [h.id_no, h.record_no, h.phone])))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.results.addItem(item)
        self.results.blockSignals(False)

    def _result_chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.open(str(item.data(Qt.ItemDataRole.UserRole)))

    # --- one resident -------------------------------------------------------------------

    def may_leave(self) -> bool:
        """Before the file is left with edits: save them, discard them, or stay (False)."""
        if self.file is None or not self.dirty:
            return True
        answer = unsaved.ask_save(self)
        if answer is unsaved.Answer.CANCEL:
            return False
        if answer is unsaved.Answer.DISCARD:
            self._revert()
            return True
        person = self.form.confirmed_person()
        if person is None:                          # not savable as typed: stay and fix it
            return False
        self._write(person)
        return True

    def open(self, person_id: str) -> None:
        """Load and show a resident's file (asking first when the shown one has edits)."""
        if self.file is not None and str(self.file.person.id) != person_id and not self.may_leave():
            return
        self._load_generation += 1
        generation = self._load_generation
        ws = self.ws
        self.runner.db(lambda: load_file(ws, person_id),
                       on_done=lambda f: self._loaded(generation, f),
                       on_error=lambda exc: show_error(self, exc))

    def _loaded(self, generation: int, file: PersonFile) -> None:
        if generation == self._load_generation:
            self._show(file)

    def _show(self, file: PersonFile | None) -> None:
        self.file = file
        self.dirty = False
        if file is None:
            self.title.setText(self.tr("Search for a resident on the left"))
            self.household_label.clear()
            self.form.load(Person(id=None, household_id=None, name=""))
            self.diagnoses.setRowCount(0)
        else:
            p = file.person
            self.title.setText(" ".join(filter(None, [
                p.name, shown_record_no(p.record_no, p.record_provisional)])))
            self.title.setToolTip(PROVISIONAL_HINT if p.record_provisional else "")
            self.household_label.setText(file.household_label)
            self.form.load(p)
            self._show_diagnoses(file.diagnoses)
        self.form.setEnabled(file is not None)
        self._update_buttons()

    def _show_diagnoses(self, diagnoses: list[Diagnosis]) -> None:
        self.diagnoses.setRowCount(0)
        for d in diagnoses:
            r = self.diagnoses.rowCount()
            self.diagnoses.insertRow(r)
            values = [d.condition, d.confirmed_on.isoformat() if d.confirmed_on else "",
                      d.hospital, d.treatment_class]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                self.diagnoses.setItem(r, c, item)
        self._update_buttons()

    def _edited(self) -> None:
        self.dirty = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.file is not None
        self.save_button.setEnabled(has and self.dirty)
        self.revert_button.setEnabled(has and self.dirty)
        self.household_button.setEnabled(has)
        rows = range(self.diagnoses.rowCount()) if has else range(0)
        conditions = {item.text() for r in rows if (item := self.diagnoses.item(r, 0)) is not None}
        self.followup_button.setEnabled(bool(conditions & FOLLOWUP_CONDITIONS))
        self.add_diagnosis_button.setEnabled(has)
        self.remove_diagnosis_button.setEnabled(has and bool(self.diagnoses.selectedItems()))

    def _revert(self) -> None:
        if self.file is not None:
            self._show(self.file)

    def _request_followup(self) -> None:
        if self.file is not None:
            self.followup_requested.emit(str(self.file.person.id))

    def _show_household(self) -> None:
        if self.file is not None and self.file.person.household_id:
            self.open_household.emit(str(self.file.person.household_id))

    def save(self) -> None:
        """Write the form; on an error the form keeps everything that was typed."""
        if self.file is None:
            return
        person = self.form.confirmed_person()
        if person is not None:
            self._write(person)

    def _write(self, person: Person) -> None:
        ws = self.ws
        self.save_button.setEnabled(False)
        self.runner.db(lambda: ws.people.update(person), on_done=self._saved, on_error=self._failed)

    def _saved(self, changes: Changes) -> None:
        self.dirty = False
        self.changed.emit(changes)
        if self.file is not None and str(self.file.person.id) not in changes.ids:
            self._update_buttons()  # nothing changed, nothing to reload

    def _failed(self, exc: BaseException) -> None:
        self._update_buttons()
        show_error(self, exc)
        self.form.focus_field(getattr(exc, "field", None))

    # --- diagnoses ----------------------------------------------------------------------

    def add_diagnosis(self) -> None:
        if self.file is None or self.file.person.id is None:
            return
        try:
            confirmed = self.confirmed_on.date()
        except ValidationError as exc:
            show_error(self, exc)
            return
        d = Diagnosis(id=None, person_id=self.file.person.id, condition=self.condition.code(),
                      confirmed_on=confirmed, hospital=self.hospital.text().strip(),
                      treatment_class=self.treatment.code())
        ws = self.ws
        self.runner.db(lambda: ws.people.add_diagnosis(d)[1], on_done=self._diagnosis_added,
                       on_error=lambda exc: show_error(self, exc))

    def _diagnosis_added(self, changes: Changes) -> None:
        self.confirmed_on.clear()
        self.hospital.clear()
        self.treatment.setCurrentIndex(0)
        self.changed.emit(changes)

    def remove_diagnosis(self) -> None:
        items = self.diagnoses.selectedItems()
        if not items:
            return
        did, ws = str(items[0].data(Qt.ItemDataRole.UserRole)), self.ws
        self.runner.db(lambda: ws.people.remove_diagnosis(did), on_done=self.changed.emit,
                       on_error=lambda exc: show_error(self, exc))
