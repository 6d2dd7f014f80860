"""The personal basic information form (个人基本信息), embedded in 居民档案 and used as a dialog."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.core.identity import ResidentId, id_conflicts, parse_resident_id
from app.core.people import (
    ASSISTANCE,
    BLOOD_TYPES,
    DISABILITIES,
    DISABILITY_GRADES,
    EDUCATION,
    ETHNICITIES,
    HEALTH_STATES,
    ID_TYPES,
    INSURANCE_TYPES,
    LIVING_STATUSES,
    MARITAL,
    OCCUPATIONS,
    RELATIONS,
    SEXES,
    Person,
)
from app.core.text import compact
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.unsaved import UnsavedGuard
from app.ui.widgets.fields import CodeCombo, DateField, set_status


class PersonForm(QWidget):
    """Every field of a resident's basic information, with the ID checked as it is typed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._person: Person | None = None
        self._loading = False
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(30)
        self.id_type = CodeCombo(ID_TYPES.items(), blank=None)
        self.id_no = QLineEdit()
        self.id_no.setMaxLength(20)
        self.id_no.setPlaceholderText(self.tr("18 digits, the last may be X"))
        self.id_status = QLabel()
        self.id_status.setWordWrap(True)
        self.sex = CodeCombo(SEXES.items())
        self.sex_status = QLabel()
        self.sex_status.setWordWrap(True)
        self.birth_date = DateField(field="birth_date")
        self.birth_status = QLabel()
        self.birth_status.setWordWrap(True)
        self.relation = CodeCombo(RELATIONS, blank=None)
        self.phone = QLineEdit()
        self.ethnicity = CodeCombo(ETHNICITIES)
        self.education = CodeCombo(EDUCATION)
        self.occupation = CodeCombo(OCCUPATIONS)
        self.marital = CodeCombo(MARITAL)
        self.insurance_type = CodeCombo(INSURANCE_TYPES)
        self.insurance_no = QLineEdit()
        self.record_no = QLineEdit()
        self.record_no.setPlaceholderText(self.tr("Allocated when saved"))
        self.person_no = QLineEdit()
        self.blood_type = CodeCombo(BLOOD_TYPES)
        self.health_state = CodeCombo(HEALTH_STATES)
        self.allergies = QLineEdit()
        self.past_history = QLineEdit()
        self.family_history = QLineEdit()
        self.disability_grade = CodeCombo(DISABILITY_GRADES)
        self.caretaker = QLineEdit()
        self.living_status = CodeCombo(LIVING_STATUSES, blank=None)
        self.status_date = DateField(field="status_date")
        self.status_note = QLineEdit()
        self.note = QLineEdit()
        self.assistance = {name: QCheckBox(name) for name in ASSISTANCE}
        self.disabilities = {name: QCheckBox(name) for name in DISABILITIES}
        for s in (self.id_status, self.sex_status, self.birth_status):
            s.setVisible(False)

        basic = QGroupBox(self.tr("Basic information"))
        g = QGridLayout(basic)
        g.setHorizontalSpacing(10)
        rows: list[tuple[str, QWidget, str, QWidget]] = [
            (self.tr("Name"), self.name, self.tr("Relation to head"), self.relation),
            (self.tr("ID type"), self.id_type, self.tr("ID number"), self.id_no),
        ]
        r = 0
        for left, lw, right, rw in rows:
            g.addWidget(QLabel(left), r, 0)
            g.addWidget(lw, r, 1)
            g.addWidget(QLabel(right), r, 2)
            g.addWidget(rw, r, 3)
            r += 1
        g.addWidget(self.id_status, r, 2, 1, 2)
        r += 1
        g.addWidget(QLabel(self.tr("Sex")), r, 0)
        g.addWidget(self.sex, r, 1)
        g.addWidget(QLabel(self.tr("Date of birth")), r, 2)
        g.addWidget(self.birth_date, r, 3)
        r += 1
        g.addWidget(self.sex_status, r, 0, 1, 2)
        g.addWidget(self.birth_status, r, 2, 1, 2)
        r += 1
        more: list[tuple[str, QWidget, str, QWidget]] = [
            (self.tr("Phone"), self.phone, self.tr("Ethnicity"), self.ethnicity),
            (self.tr("Education"), self.education, self.tr("Marital status"), self.marital),
            (self.tr("Occupation"), self.occupation, self.tr("Health record no."), self.record_no),
            (self.tr("Insurance type"), self.insurance_type, self.tr("Insurance no."), self.insurance_no),
            (self.tr("Status"), self.living_status, self.tr("Status date"), self.status_date),
            (self.tr("Status note"), self.status_note, self.tr("Person no."), self.person_no),
        ]
        for left, lw, right, rw in more:
            g.addWidget(QLabel(left), r, 0)
            g.addWidget(lw, r, 1)
            g.addWidget(QLabel(right), r, 2)
            g.addWidget(rw, r, 3)
            r += 1
        g.setColumnStretch(1, 1)
        g.setColumnStretch(3, 1)

        health = QGroupBox(self.tr("Health and assistance"))
        h = QGridLayout(health)
        h.addWidget(QLabel(self.tr("Assistance")), 0, 0)
        h.addLayout(_row_of(list(self.assistance.values())), 0, 1, 1, 3)
        h.addWidget(QLabel(self.tr("Disabilities")), 1, 0)
        h.addLayout(_row_of(list(self.disabilities.values())[:4]), 1, 1, 1, 3)
        h.addLayout(_row_of(list(self.disabilities.values())[4:]), 2, 1, 1, 3)
        pairs: list[tuple[str, QWidget, str, QWidget]] = [
            (self.tr("Disability grade"), self.disability_grade, self.tr("Caretaker"), self.caretaker),
            (self.tr("Blood type"), self.blood_type, self.tr("Health state"), self.health_state),
            (self.tr("Allergies"), self.allergies, self.tr("Past history"), self.past_history),
            (self.tr("Family history"), self.family_history, self.tr("Note"), self.note),
        ]
        for i, (left, lw, right, rw) in enumerate(pairs, start=3):
            h.addWidget(QLabel(left), i, 0)
            h.addWidget(lw, i, 1)
            h.addWidget(QLabel(right), i, 2)
            h.addWidget(rw, i, 3)
        h.setColumnStretch(1, 1)
        h.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(basic)
        layout.addWidget(health)
        layout.addStretch(1)

        self.id_no.textChanged.connect(self._id_typed)
        self.id_type.currentIndexChanged.connect(self._check_id)
        self.sex.currentIndexChanged.connect(self._check_id)
        self.birth_date.textChanged.connect(self._check_id)
        self.living_status.currentIndexChanged.connect(self._status_changed)
        for w in self.findChildren(QLineEdit):
            w.textEdited.connect(self.edited)
        for c in self.findChildren(CodeCombo):
            c.activated.connect(self.edited)
        for b in self.findChildren(QCheckBox):
            b.clicked.connect(self.edited)
        self._status_changed()

    # --- loading and reading ----------------------------------------------------------

    def load(self, person: Person) -> None:
        """Show a person (an existing file, or a new one with defaults)."""
        self._loading = True
        self._person = replace(person)
        self.name.setText(person.name)
        self.id_type.set_code(person.id_type)
        self.id_no.setText(person.id_no)
        self.sex.set_code(person.sex)
        self.birth_date.set_date(person.birth_date)
        self.relation.set_code(person.relation)
        self.phone.setText(person.phone)
        self.ethnicity.set_code(person.ethnicity)
        self.education.set_code(person.education)
        self.occupation.set_code(person.occupation)
        self.marital.set_code(person.marital)
        self.insurance_type.set_code(person.insurance_type)
        self.insurance_no.setText(person.insurance_no)
        self.record_no.setText(person.record_no)
        self.person_no.setText(person.person_no)
        self.blood_type.set_code(person.blood_type)
        self.health_state.set_code(person.health_state)
        self.allergies.setText(person.allergies)
        self.past_history.setText(person.past_history)
        self.family_history.setText(person.family_history)
        self.disability_grade.set_code(person.disability_grade)
        self.caretaker.setText(person.caretaker)
        self.living_status.set_code(person.living_status)
        self.status_date.set_date(person.status_date)
        self.status_note.setText(person.status_note)
        self.note.setText(person.note)
        for name, box in self.assistance.items():
            box.setChecked(name in person.assistance)
        for name, box in self.disabilities.items():
            box.setChecked(name in person.disabilities)
        self._loading = False
        self._check_id()
        self._status_changed()

    def person(self) -> Person:
        """The person as typed; ValidationError (with its field) when a date cannot be read."""
        base = self._person or Person(id=None, household_id=None, name="")
        return replace(
            base,
            name=self.name.text().strip(),
            id_type=self.id_type.code(),
            id_no=compact(self.id_no.text()).upper(),
            sex=self.sex.code(),
            birth_date=self.birth_date.date(),
            relation=self.relation.code(),
            phone=self.phone.text().strip(),
            ethnicity=self.ethnicity.code(),
            education=self.education.code(),
            occupation=self.occupation.code(),
            marital=self.marital.code(),
            insurance_type=self.insurance_type.code(),
            insurance_no=self.insurance_no.text().strip(),
            record_no=self.record_no.text().strip(),
            person_no=self.person_no.text().strip(),
            blood_type=self.blood_type.code(),
            health_state=self.health_state.code(),
            allergies=self.allergies.text().strip(),
            past_history=self.past_history.text().strip(),
            family_history=self.family_history.text().strip(),
            disability_grade=self.disability_grade.code(),
            caretaker=self.caretaker.text().strip(),
            living_status=self.living_status.code(),
            status_date=self.status_date.date(),
            status_note=self.status_note.text().strip(),
            note=self.note.text().strip(),
            assistance=[n for n, b in self.assistance.items() if b.isChecked()],
            disabilities=[n for n, b in self.disabilities.items() if b.isChecked()],
        )

    def conflicts(self) -> list[str]:
        """What the typed sex and birth date contradict in the ID (shown in red)."""
        rid = self._resident_id()
        if rid is None:
            return []
        return id_conflicts(rid, sex=self.sex.code() or None, birth_date=self.birth_date.safe_date())

    def confirmed_person(self) -> Person | None:
        """The form as a Person, or None when a check failed or the doctor did not confirm an
        ID conflict (the message has been shown; everything typed stays in the form)."""
        try:
            person = self.person()
        except ValidationError as exc:
            show_error(self, exc)
            self.focus_field(exc.field)
            return None
        conflicts = self.conflicts()
        if conflicts and not confirm_conflicts(self, conflicts):
            return None
        return person

    def focus_field(self, field: str | None) -> None:
        """Put the cursor in the field an error was about."""
        widget = getattr(self, field, None) if field else None
        if isinstance(widget, QWidget):
            widget.setFocus()

    # --- inline checks ---------------------------------------------------------------

    def _resident_id(self) -> ResidentId | None:
        if self.id_type.code() != "resident" or not self.id_no.text().strip():
            return None
        try:
            return parse_resident_id(self.id_no.text())
        except ValidationError:
            return None

    def _id_typed(self) -> None:
        """Fill sex and birth date from a valid ID when they are still empty."""
        rid = self._resident_id()
        if rid is not None and not self._loading:
            if not self.sex.code():
                self.sex.set_code(rid.sex)
            if not self.birth_date.text().strip():
                self.birth_date.set_date(rid.birth_date)
        self._check_id()

    def _check_id(self) -> None:
        set_status(self.sex_status, "", ok=True)
        set_status(self.birth_status, "", ok=True)
        text = self.id_no.text().strip()
        if self.id_type.code() != "resident" or not text:
            set_status(self.id_status, "", ok=True)
            return
        try:
            rid = parse_resident_id(text)
        except ValidationError as exc:
            set_status(self.id_status, "✗ " + exc.message, ok=False)
            return
        set_status(self.id_status, "✓ " + self.tr("ID number is valid"), ok=True)
        sex = self.sex.code()
        if sex and sex != rid.sex:
            set_status(self.sex_status, "⚠ " + id_conflicts(rid, sex=sex, birth_date=None)[0], ok=False)
        birth = self.birth_date.safe_date()
        if birth is not None and birth != rid.birth_date:
            set_status(self.birth_status,
                       "⚠ " + id_conflicts(rid, sex=None, birth_date=birth)[0], ok=False)

    def _status_changed(self) -> None:
        active = self.living_status.code() != "在册"
        self.status_date.setEnabled(active)
        self.status_note.setEnabled(active)


def _row_of(widgets: list[QWidget]) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def confirm_conflicts(parent: QWidget, conflicts: list[str]) -> bool:
    """Ask whether to save although the typed sex or birth date disagrees with the ID."""
    title = QCoreApplication.translate("PersonForm", "Check the ID number")
    question = QCoreApplication.translate("PersonForm", "Save anyway?")
    answer = QMessageBox.question(
        parent, title, "\n".join(conflicts) + "\n\n" + question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class PersonDialog(QDialog):
    """Add a member to a household, or edit one; saves on the database worker."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, person: Person,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.is_new = person.id is None
        self.setWindowTitle(self.tr("Add member") if self.is_new else self.tr("Edit member"))
        self.form = PersonForm()
        self.form.load(person)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 900, 700)
        self.guard = UnsavedGuard(self, self.form)

    def reject(self) -> None:
        """取消, Esc or closing the window asks first when the form has edits."""
        if self.guard.may_close():
            super().reject()

    def save(self) -> None:
        """Validate what can be checked here, confirm ID conflicts, then write."""
        person = self.form.confirmed_person()
        if person is None:
            return
        ws = self.ws
        self.buttons.setEnabled(False)
        if self.is_new:
            self.runner.db(lambda: ws.people.add(person)[1], on_done=self._done, on_error=self._failed)
        else:
            self.runner.db(lambda: ws.people.update(person), on_done=self._done, on_error=self._failed)

    def _done(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)
        self.form.focus_field(getattr(exc, "field", None))


def new_member(household_id: str, *, first: bool) -> Person:
    """A blank member for a household; the first one is its head."""
    return Person(id=None, household_id=household_id, name="", relation="户主" if first else "其他")
