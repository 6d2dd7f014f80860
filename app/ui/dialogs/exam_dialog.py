"""体检: enter or correct one yearly health exam; a correction is saved as a superseding record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.errors import CunyiError, ValidationError
from app.core.exams import HealthExam
from app.core.identity import age_on
from app.core.ids import RecordId
from app.core.people import Person
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.dialogs.exam_form import ExamForm
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.unsaved import UnsavedGuard
from app.ui.widgets.form_fields import FieldErrors, error_label


@dataclass(frozen=True)
class ExamContext:
    """The person, why they are due, the exam being corrected and the known height (worker)."""

    person: Person
    reasons: list[str]
    editing: HealthExam | None
    known_height: float | None


def load_exam_context(ws: Workspace, person_id: str, year: int,
                      correct_id: str | None) -> ExamContext:
    return ExamContext(ws.people.get(person_id), ws.care.exam_reasons(person_id, year),
                       ws.care.exam(correct_id) if correct_id else None,
                       ws.care.known_height(person_id))


class ExamDialog(QDialog):
    """The exam form in tabs, with Save on the worker and errors shown by their field."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, person_id: str, *,
                 correct_id: str | None = None, today: dt.date | None = None,
                 day: dt.date | None = None, doctor: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.person_id = person_id
        self.correct_id = correct_id
        self.today = today or dt.date.today()
        self.day = min(day or self.today, self.today)
        self.doctor = doctor
        self.context: ExamContext | None = None
        self.new_id: RecordId | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(self.tr("Correct health exam") if correct_id else self.tr("Health exam"))
        self.title = QLabel(self.tr("Loading…"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.reasons = QLabel()
        self.reasons.setStyleSheet("color: #5d6d7e;")
        self.form = ExamForm(self.errors)
        self.form.setEnabled(False)
        self.errors.fallback = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        for b in self.buttons.buttons():
            b.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.errors.fallback, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.reasons)
        layout.addWidget(self.form, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, 1100, 700)
        self.guard = UnsavedGuard(self, self.form)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        ws_, pid, year = ws, person_id, self.day.year
        runner.db(lambda: load_exam_context(ws_, pid, year, correct_id), on_done=self._loaded,
                  on_error=lambda exc: show_error(self, exc))

    def _loaded(self, c: ExamContext) -> None:
        self.context = c
        p = c.person
        age = age_on(p.birth_date, self.today) if p.birth_date else None
        self.title.setText("  ".join(filter(None, [
            p.name, p.record_no, self.tr("%d years") % age if age is not None else ""])))
        self.reasons.setText(self.tr("Yearly exam group: %s") % "、".join(c.reasons) if c.reasons
                             else self.tr("Not in a yearly exam group"))
        if c.editing is not None:
            self.form.load(c.editing)
        else:
            self.form.load(HealthExam(id=None, person_id=self.person_id, exam_date=self.day,
                                      doctor=self.doctor, height=c.known_height))
        self.form.setEnabled(True)
        self.save_button.setEnabled(True)
        self.form.numbers["temperature"].setFocus()
        self.guard.mark_clean()

    def reject(self) -> None:
        """取消, Esc or closing the window asks first when the form has edits."""
        if self.guard.may_close():
            super().reject()

    def base(self) -> HealthExam:
        c = self.context
        assert c is not None
        if c.editing is not None:
            return dataclasses.replace(c.editing)
        return HealthExam(id=None, person_id=self.person_id, exam_date=self.day)

    def save(self) -> None:
        if self.context is None or not self.save_button.isEnabled():
            return
        self.errors.clear()
        try:
            e = self.form.exam(self.base())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        ws, today, old = self.ws, self.today, self.correct_id
        self.save_button.setEnabled(False)
        self.runner.db(lambda: ws.care.correct_exam(old, e, today=today) if old
                       else ws.care.add_exam(e, today=today),
                       on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[RecordId, Changes]) -> None:
        self.new_id, changes = result
        self.save_button.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not (isinstance(exc, CunyiError) and self.errors.show(exc)):
            show_error(self, exc)
