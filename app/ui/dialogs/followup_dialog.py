"""随访: enter (or correct) one 高血压 / 2型糖尿病 follow-up with the rules' suggestion beside it.

As the doctor types, the draft goes to the database worker (debounced) for `suggest_for`, which
writes nothing; the panel shows the suggested class, measure, next date and reasons. Opened for
a referral check, the dialog also records the 转诊结果 of the visit that referred, in the same
transaction as the new visit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CunyiError, ValidationError
from app.core.followup_rules import Suggestion
from app.core.followups import CONDITION_KIND, KINDS, REFERRAL_RESULTS, FollowUp, validate_followup
from app.core.identity import age_on
from app.core.ids import RecordId
from app.core.people import Person
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.dialogs.followup_form import FollowUpForm, new_visit
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.unsaved import UnsavedGuard
from app.ui.widgets.fields import CodeCombo
from app.ui.widgets.form_fields import FieldErrors, Section, date_field, error_label
from app.ui.widgets.suggestion_panel import FIELDS, SuggestionPanel

SUGGEST_DELAY_MS = 300


@dataclass(frozen=True)
class VisitContext:
    """What the dialog needs before it can show the form, read in one go on the worker."""

    person: Person
    kinds: tuple[str, ...]                # follow-up kinds the person's diagnoses call for
    kind: str
    previous: FollowUp | None             # the last visit of this kind
    known_height: float | None
    editing: FollowUp | None              # the visit being corrected
    referral_of: FollowUp | None          # the visit whose referral is being checked


def load_context(ws: Workspace, person_id: str, kind: str | None, *, correct_id: str | None = None,
                 referral_id: str | None = None) -> VisitContext:
    """Read the person, their follow-up kinds, the last visit and the known height (worker)."""
    person = ws.people.get(person_id)
    kinds = tuple(dict.fromkeys(CONDITION_KIND[d.condition] for d in ws.people.diagnoses(person_id)
                                if d.condition in CONDITION_KIND))
    editing = ws.care.followup(correct_id) if correct_id else None
    referral_of = ws.care.followup(referral_id) if referral_id else None
    chosen = ((editing or referral_of).kind if (editing or referral_of) else
              kind or (kinds[0] if kinds else KINDS[0]))
    return VisitContext(person, kinds, chosen, ws.care.last_followup(person_id, chosen),
                        ws.care.known_height(person_id), editing, referral_of)


class FollowUpDialog(QDialog):
    """One follow-up: new, a correction (saved as a superseding record) or a referral check."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, person_id: str, *,
                 kind: str | None = None, correct_id: str | None = None,
                 referral_id: str | None = None, today: dt.date | None = None,
                 day: dt.date | None = None, doctor: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.person_id = person_id
        self.today = today or dt.date.today()
        self.day = min(day or self.today, self.today)
        self.doctor = doctor
        self.correct_id = correct_id
        self.referral_id = referral_id
        self.context: VisitContext | None = None
        self.form: FollowUpForm | None = None
        self.new_id: RecordId | None = None
        self.suggesting = False
        self.closed = False
        self.last_suggestion: Suggestion | None = None
        self._generation = 0
        self.errors = FieldErrors()
        self.setWindowTitle(self.tr("Correct follow-up") if correct_id else self.tr("Follow-up"))
        self._build()
        self._load(kind)

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self.tr("Loading…"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.kind = QComboBox()
        for k in KINDS:
            self.kind.addItem(self.tr("%s follow-up") % ("2型糖尿病" if k == "糖尿病" else k), k)
        self.kind.setEnabled(False)
        self.kind.setVisible(False)
        self.kind_error = error_label()
        self.errors.add("kind", self.kind, self.kind_error)
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.previous.setStyleSheet("color: #5d6d7e;")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.kind)

        self.referral_box = self._build_referral()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.panel = SuggestionPanel(self.errors)
        self.panel.setFixedWidth(340)
        body = QHBoxLayout()
        body.addWidget(self.scroll, 1)
        body.addWidget(self.panel)

        self.fallback = error_label()
        self.errors.fallback = self.fallback
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Ctrl+S"))
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        for b in self.buttons.buttons():
            b.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fallback, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.kind_error)
        layout.addWidget(self.previous)
        layout.addWidget(self.referral_box)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, 1180, 680)
        self.guard = UnsavedGuard(self, self.referral_box)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self.refresh_suggestion)
        self.panel.edited.connect(self._timer.start)
        self.panel.edited.connect(lambda: self.guard.touch())   # the doctor's own decision
        self.kind.activated.connect(lambda _i: self._load(str(self.kind.currentData())))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in (QKeySequence.StandardKey.Save, QKeySequence("Ctrl+Return")):
            QShortcut(keys, self, activated=self.save)

    def _build_referral(self) -> QGroupBox:
        box = Section(self.tr("Referral result"), self.errors, columns=3)
        self.referral_text = QLabel()
        self.referral_text.setWordWrap(True)
        self.referral_result = CodeCombo(REFERRAL_RESULTS)
        self.referral_on = date_field("on")
        self.referral_note = QLineEdit()
        self.result_only = QCheckBox(self.tr("Only the referral result, no visit today"))
        box.add("", self.referral_text, wide=True)
        box.add(self.tr("Result"), self.referral_result, fields=("result",))
        box.add(self.tr("Checked on"), self.referral_on)
        box.add(self.tr("Note"), self.referral_note)
        box.add("", self.result_only, wide=True)
        self.result_only.toggled.connect(self._result_only_toggled)
        box.setVisible(False)
        return box

    # --- loading ------------------------------------------------------------------------

    def _load(self, kind: str | None) -> None:
        ws, pid, cid, rid = self.ws, self.person_id, self.correct_id, self.referral_id
        self.save_button.setEnabled(False)
        self.runner.db(lambda: load_context(ws, pid, kind, correct_id=cid, referral_id=rid),
                       on_done=self._loaded, on_error=lambda exc: show_error(self, exc))

    def _loaded(self, c: VisitContext) -> None:
        if self.closed:
            return
        self.context = c
        p = c.person
        age = age_on(p.birth_date, self.today) if p.birth_date else None
        kind_name = "2型糖尿病" if c.kind == "糖尿病" else c.kind
        self.title.setText("  ".join(filter(None, [
            self.tr("%s follow-up") % kind_name, p.name, p.record_no,
            self.tr("%d years") % age if age is not None else ""])))
        self.kind.setCurrentIndex(max(self.kind.findData(c.kind), 0))
        switchable = c.editing is None and c.referral_of is None and len(c.kinds) > 1
        self.kind.setEnabled(switchable)
        self.kind.setVisible(switchable)
        self.kind_error.setVisible(False)
        if c.kind not in c.kinds:
            self.kind_error.setText("✗ " + self.tr("%1 has no %2 diagnosis on file; add it in the "
                                                   "resident's file first.")
                                    .replace("%1", p.name).replace("%2", kind_name))
            self.kind_error.setVisible(True)
        self.previous.setText(self._previous_text(c.previous if c.editing is None else None))
        self._show_referral(c.referral_of)

        form = FollowUpForm(c.kind, self.errors)
        if c.editing is not None:
            form.load(c.editing, known_height=c.known_height)
            e = c.editing
            self.panel.load(e.classification, e.measure, e.next_date, follow={
                "classification": e.classification == e.suggested_class,
                "measure": e.measure == e.suggested_measure,
                "next_date": e.next_date == e.suggested_next})
        else:
            form.load(new_visit(str(p.id), c.kind, self.day, self.doctor, c.previous),
                      known_height=c.known_height)
            self.panel.load("", "", None, follow=dict.fromkeys(FIELDS, True))
        old = self.form
        self.form = form
        self.scroll.setWidget(form)
        if old is not None:
            old.deleteLater()
        form.changed.connect(self._timer.start)
        self.save_button.setEnabled(True)
        self.guard.mark_clean(form, self.referral_box)
        form.first_field().setFocus()
        self.refresh_suggestion()

    def _previous_text(self, f: FollowUp | None) -> str:
        if f is None:
            return self.tr("No earlier follow-up of this kind.")
        values = [f"{f.sbp}/{f.dbp} mmHg" if f.sbp is not None else "",
                  f"{f.glucose:g} mmol/L" if f.glucose is not None else ""]
        drugs = "、".join(d.name for d in f.medications)
        text = self.tr("Last visit %1: %2 %3").replace("%1", f.visit_date.isoformat()) \
            .replace("%2", f.classification).replace("%3", " ".join(filter(None, values)))
        if drugs:
            text += "；" + self.tr("drugs: %s") % drugs
        return text + "；" + self.tr("drugs and goals are copied from it.")

    def _show_referral(self, f: FollowUp | None) -> None:
        self.referral_box.setVisible(f is not None)
        if f is None:
            return
        where = f.referral.hospital if f.referral else ""
        self.referral_text.setText(self.tr("The visit of %1 referred the patient %2. Did the "
                                           "referral take place?")
                                   .replace("%1", f.visit_date.isoformat())
                                   .replace("%2", f"（{where}）" if where else ""))
        self.referral_on.set_date(self.day)

    def _result_only_toggled(self, on: bool) -> None:
        if self.form is not None:
            self.form.setEnabled(not on)
        self.panel.setEnabled(not on)

    # --- the live suggestion ------------------------------------------------------------

    def base(self) -> FollowUp:
        c = self.context
        assert c is not None
        if c.editing is not None:
            return dataclasses.replace(c.editing, supersedes=str(c.editing.id))
        return FollowUp(id=None, person_id=self.person_id, kind=c.kind, visit_date=self.day)

    def refresh_suggestion(self) -> None:
        """Ask the worker for the rules' suggestion on the visit as typed so far."""
        self._timer.stop()
        if self.form is None or self.context is None or self.closed:
            return
        draft = self.form.draft(self.base(), self.day)
        try:
            validate_followup(dataclasses.replace(draft), today=self.today)
        except ValidationError as exc:
            self.panel.show_waiting(self.tr("No suggestion yet: %s") % exc.message)
            return
        self._generation += 1
        generation = self._generation
        ws, pid, today = self.ws, self.person_id, self.today
        self.suggesting = True
        self.runner.db(lambda: ws.care.suggest_for(pid, draft, today),
                       on_done=lambda s: self._suggested(generation, s, draft.visit_date),
                       on_error=lambda exc: self._suggest_failed(generation, exc))

    def _suggested(self, generation: int, s: Suggestion, day: dt.date) -> None:
        if generation != self._generation or self.closed:
            return
        self.suggesting = False
        self.last_suggestion = s
        self.panel.show_suggestion(s, day)

    def _suggest_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation or self.closed:
            return
        self.suggesting = False
        if isinstance(exc, CunyiError):
            self.panel.show_waiting(self.tr("No suggestion yet: %s") % exc.message)
        else:
            show_error(self, exc)

    def reject(self) -> None:
        """取消, Esc or closing the window asks first when the form has edits."""
        if self.guard.may_close():
            super().reject()

    def done(self, result: int) -> None:
        """Closing stops the pending suggestion; answers still on their way are ignored."""
        self.closed = True
        self._timer.stop()
        self._generation += 1
        self.suggesting = False
        super().done(result)

    # --- saving -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves to the next field, as on paper; Ctrl+S saves."""
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def visit(self) -> FollowUp:
        """The visit with the confirmed decisions; ValidationError naming a field."""
        assert self.form is not None
        f = self.form.followup(self.base())
        f.classification = self.panel.classification.code()
        f.measure = self.panel.measure.code()
        f.next_date = self.panel.next_date.date()
        return f

    def save(self) -> None:
        """Write on the worker; on an error everything typed stays and the message shows by
        the field."""
        if self.context is None or self.form is None or not self.save_button.isEnabled():
            return
        self.errors.clear()
        c = self.context
        only_result = c.referral_of is not None and self.result_only.isChecked()
        try:
            f = None if only_result else self.visit()
            on = self.referral_on.date() if c.referral_of is not None else None
        except ValidationError as exc:
            self.errors.show(exc)
            return
        result = self.referral_result.code() if c.referral_of is not None else ""
        ws, today, note = self.ws, self.today, self.referral_note.text()
        ref_id = str(c.referral_of.id) if c.referral_of is not None else ""
        editing = str(c.editing.id) if c.editing is not None else ""

        def write() -> tuple[RecordId | None, Changes]:
            changes = Changes()
            new_id: RecordId | None = None
            with ws.transaction():
                if f is not None and editing:
                    new_id, changes = ws.care.correct_followup(editing, f, today=today)
                elif f is not None:
                    new_id, changes = ws.care.add_followup(f, today=today)
                if ref_id:  # a referral check always says whether the referral took place
                    changes.merge(ws.care.record_referral_result(
                        ref_id, result, on or today, today=today, note=note)[1])
            return new_id, changes

        self.save_button.setEnabled(False)
        self.runner.db(write, on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[RecordId | None, Changes]) -> None:
        self.new_id, changes = result
        self.save_button.setEnabled(True)
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not (isinstance(exc, CunyiError) and self.errors.show(exc)):
            show_error(self, exc)
