"""Small care forms: a general visit (入户随访), a 转诊结果, an exam result given back, and
choosing a resident for a new record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CunyiError, ValidationError
from app.core.exams import HealthExam
from app.core.followups import METHODS, REFERRAL_RESULTS, FollowUp, GeneralVisit
from app.core.people import SEXES
from app.storage.changes import Changes
from app.storage.people import PersonHit
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import CodeCombo, DateField
from app.ui.widgets.form_fields import FieldErrors, Section, date_field, error_label


class CareFormDialog(QDialog):
    """A short form in one section with Save/Cancel; saves on the worker, errors by the field."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, title: str, summary: str, *,
                 today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.today = today
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.errors.fallback = error_label()
        head = QLabel(summary)
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        self.section = Section("", self.errors, columns=1)
        self.section.setFlat(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok.setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.section)
        layout.addWidget(self.errors.fallback)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(520, 0)

    def date_field(self, field: str, value: dt.date | None) -> DateField:
        f = date_field(field)
        f.set_date(value)
        return f

    def save(self) -> None:
        raise NotImplementedError

    def run(self, work: Callable[[], Changes]) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        self.runner.db(work, on_done=self._done, on_error=self._failed)

    def _done(self, changes: Changes) -> None:
        self.ok.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not (isinstance(exc, CunyiError) and self.errors.show(exc)):
            show_error(self, exc)


class GeneralVisitDialog(CareFormDialog):
    """入户随访 of any resident: date, method, what was done, next date."""

    def __init__(self, ws: Workspace, runner: TaskRunner, person_id: str, name: str, *,
                 today: dt.date, day: dt.date | None = None, doctor: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(ws, runner, self.tr("General visit"), name, today=today, parent=parent)
        self.person_id = person_id
        self.visit_date = self.date_field("visit_date", min(day or today, today))
        self.method = CodeCombo(METHODS, blank=None)
        self.method.set_code("家庭")
        self.content = QPlainTextEdit()
        self.content.setFixedHeight(90)
        self.content.setPlaceholderText(self.tr("What was checked, advised or handed out"))
        self.doctor = QLineEdit(doctor)
        self.next_date = self.date_field("next_date", None)
        self.note = QLineEdit()
        s = self.section
        s.add(self.tr("Date"), self.visit_date)
        s.add(self.tr("Method"), self.method, fields=("method",))
        s.add(self.tr("Content"), self.content, fields=("content",), wide=True)
        s.add(self.tr("Doctor"), self.doctor)
        s.add(self.tr("Next visit"), self.next_date)
        s.add(self.tr("Note"), self.note, wide=True)

    def save(self) -> None:
        try:
            visit_date = self.visit_date.date()
            next_date = self.next_date.date()
            if visit_date is None:
                raise ValidationError(self.tr("Please enter the date of the visit"),
                                      field="visit_date")
        except ValidationError as exc:
            self.errors.show(exc)
            return
        v = GeneralVisit(id=None, person_id=self.person_id, visit_date=visit_date,
                         method=self.method.code(), content=self.content.toPlainText(),
                         doctor=self.doctor.text(), next_date=next_date, note=self.note.text())
        ws, today = self.ws, self.today
        self.run(lambda: ws.care.add_general_visit(v, today=today)[1])


class ReferralResultDialog(CareFormDialog):
    """转诊结果 of a visit that referred: 到位 or 不到位, and when it was checked."""

    def __init__(self, ws: Workspace, runner: TaskRunner, visit: FollowUp, name: str, *,
                 today: dt.date, parent: QWidget | None = None) -> None:
        where = visit.referral.hospital if visit.referral else visit.measure
        summary = self.tr("%1: referral at the %2 visit of %3 (%4)").replace("%1", name) \
            .replace("%2", visit.kind).replace("%3", visit.visit_date.isoformat()).replace("%4", where)
        super().__init__(ws, runner, self.tr("Referral result"), summary, today=today,
                         parent=parent)
        self.visit = visit
        self.result = CodeCombo(REFERRAL_RESULTS, blank=self.tr("(choose)"))
        self.result.set_code(visit.referral_result)
        self.on = self.date_field("on", today)
        self.note = QLineEdit()
        self.section.add(self.tr("Result"), self.result, fields=("result",))
        self.section.add(self.tr("Checked on"), self.on)
        self.section.add(self.tr("Note"), self.note, wide=True)

    def save(self) -> None:
        try:
            on = self.on.date() or self.today
        except ValidationError as exc:
            self.errors.show(exc)
            return
        ws, today, fid = self.ws, self.today, str(self.visit.id)
        result, note = self.result.code(), self.note.text()
        self.run(lambda: ws.care.record_referral_result(fid, result, on, today=today,
                                                        note=note)[1])


class ReturnedDialog(CareFormDialog):
    """The day an exam's result was given back to the person."""

    def __init__(self, ws: Workspace, runner: TaskRunner, exam: HealthExam, name: str, *,
                 today: dt.date, parent: QWidget | None = None) -> None:
        summary = self.tr("%1: exam of %2, %3").replace("%1", name) \
            .replace("%2", exam.exam_date.isoformat()).replace("%3", exam.conclusion or "—")
        super().__init__(ws, runner, self.tr("Result given back"), summary, today=today,
                         parent=parent)
        self.exam = exam
        self.on = self.date_field("result_returned_on", today)
        self.section.add(self.tr("Given back on"), self.on)
        self.ok.setText(self.tr("Mark returned"))

    def save(self) -> None:
        try:
            on = self.on.date() or self.today
        except ValidationError as exc:
            self.errors.show(exc)
            return
        ws, today, eid = self.ws, self.today, str(self.exam.id)
        self.run(lambda: ws.care.mark_exam_returned(eid, on, today=today))


class PersonPicker(QDialog):
    """Find a resident by name, pinyin initials, ID or record number."""

    def __init__(self, ws: Workspace, runner: TaskRunner, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.person_id: str | None = None
        self.person_name = ""
        self._generation = 0
        self.setWindowTitle(title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, ID or record no."))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Choose"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 460, 420)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.results.currentItemChanged.connect(lambda item, _p: self.ok.setEnabled(item is not None))
        self.results.itemDoubleClicked.connect(lambda _i: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def prefill(self, text: str) -> None:
        """Start from a name already chosen, selected so that typing replaces it."""
        self.search.setText(text)
        self.search.selectAll()
        self.run_search()

    def run_search(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, ws, query = self._generation, self.ws, self.search.text().strip()
        if not query:
            self.results.clear()
            return
        self.runner.db(lambda: ws.people.search(query, limit=50),
                       on_done=lambda hits: self._hits(generation, hits))

    def _hits(self, generation: int, hits: list[PersonHit]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for h in hits:
            if h.living_status != "在册":
                continue
            item = QListWidgetItem("  ".join(filter(None, [
                h.name, SEXES.get(h.sex, ""), h.birth_date, h.group_name, h.record_no])))
            item.setData(Qt.ItemDataRole.UserRole, (h.id, h.name))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def done(self, result: int) -> None:
        """A search still waiting for its delay is not started once the picker is closed."""
        self._timer.stop()
        self._generation += 1
        super().done(result)

    def accept(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        data: Any = item.data(Qt.ItemDataRole.UserRole)
        self.person_id, self.person_name = data
        super().accept()
