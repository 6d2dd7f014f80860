"""The side panel of the follow-up form: what the rules suggest and what the doctor confirms.

The confirmed class, measure and next date follow the suggestion until the doctor changes one;
from then on that field keeps the doctor's value and a note says the change will be recorded
next to the suggestion.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.followup_rules import Suggestion
from app.core.followups import CLASSES, MEASURES
from app.ui.widgets.fields import CodeCombo, DateField
from app.ui.widgets.form_fields import FieldErrors, error_label

URGENT_STYLE = ("background: #fdecea; color: #b03a2e; border: 1px solid #e6b0aa; "
                "border-radius: 4px; padding: 6px; font-weight: bold;")
REFER_STYLE = ("background: #fef5e7; color: #9a5b00; border: 1px solid #f5cba7; "
               "border-radius: 4px; padding: 6px; font-weight: bold;")
NOTE_STYLE = "color: #9a5b00;"
FIELDS = ("classification", "measure", "next_date")


class SuggestionPanel(QWidget):
    """Suggested class, measure, next date and reasons; the confirmed values below them."""

    edited = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion: Suggestion | None = None
        self.follow = dict.fromkeys(FIELDS, True)
        self._setting = False
        self._build(errors)

    def _build(self, errors: FieldErrors) -> None:
        box = QGroupBox(self.tr("Suggestion"))
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.s_class = QLabel("—")
        self.s_measure = QLabel("—")
        self.s_measure.setWordWrap(True)
        self.s_next = QLabel("—")
        for label in (self.s_class, self.s_next):
            label.setStyleSheet("font-weight: bold;")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Class"), self.s_class)
        form.addRow(self.tr("Measure"), self.s_measure)
        form.addRow(self.tr("Next visit"), self.s_next)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.status = QLabel(self.tr("Enter the blood pressure or glucose to see a suggestion."))
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #5d6d7e;")
        inner = QVBoxLayout(box)
        inner.addWidget(self.banner)
        inner.addLayout(form)
        inner.addWidget(_line())
        inner.addWidget(self.reasons)
        inner.addWidget(self.status)

        confirm = QGroupBox(self.tr("Confirmed by the doctor"))
        self.classification = CodeCombo(CLASSES, blank=self.tr("(as suggested)"))
        self.measure = CodeCombo(MEASURES, blank=self.tr("(as suggested)"))
        self.next_date = DateField(field="next_date")
        self.notes = {name: QLabel() for name in FIELDS}
        self.errors = {name: error_label() for name in FIELDS}
        cform = QFormLayout(confirm)
        cform.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, label, widget in ((FIELDS[0], self.tr("Class"), self.classification),
                                    (FIELDS[1], self.tr("Measure"), self.measure),
                                    (FIELDS[2], self.tr("Next visit"), self.next_date)):
            note = self.notes[name]
            note.setWordWrap(True)
            note.setStyleSheet(NOTE_STYLE)
            note.setVisible(False)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(note)
            column.addWidget(self.errors[name])
            cform.addRow(label, column)
            errors.add(name, widget, self.errors[name])
        self.use_button = QPushButton(self.tr("Use the suggestion"))
        self.use_button.setAutoDefault(False)
        self.use_button.setEnabled(False)
        cform.addRow("", self.use_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(confirm)
        keys = QLabel(self.tr("Enter moves to the next field; Ctrl+S saves."))
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #5d6d7e;")
        layout.addWidget(keys)
        layout.addStretch(1)

        self.classification.activated.connect(lambda _i: self._touched("classification"))
        self.measure.activated.connect(lambda _i: self._touched("measure"))
        self.next_date.textEdited.connect(lambda _t: self._touched("next_date"))
        self.use_button.clicked.connect(self.use_suggestion)

    # --- state -------------------------------------------------------------------------

    def load(self, classification: str, measure: str, next_date: dt.date | None, *,
             follow: dict[str, bool]) -> None:
        """Show saved decisions (a correction): fields the doctor had changed stay as they are."""
        self._setting = True
        self.classification.set_code(classification)
        self.measure.set_code(measure)
        self.next_date.set_date(next_date)
        self._setting = False
        self.follow = dict(follow)
        self._update_notes()

    def show_suggestion(self, s: Suggestion, day: dt.date) -> None:
        """A new suggestion arrived: show it and move the followed fields to it."""
        self.suggestion = s
        self.s_class.setText(s.classification)
        self.s_measure.setText(s.measure)
        days = (s.next_date - day).days
        self.s_next.setText(self.tr("%1 (in %2 days)").replace("%1", s.next_date.isoformat())
                            .replace("%2", str(days)))
        self.reasons.setText("\n".join(f"• {r}" for r in s.reasons))
        urgent_or_refer = s.urgent or s.referral
        self.banner.setVisible(urgent_or_refer)
        if s.urgent:
            self.banner.setText(self.tr("Urgent referral: danger signs"))
            self.banner.setStyleSheet(URGENT_STYLE)
            self.s_class.setStyleSheet("font-weight: bold; color: #b03a2e;")
        elif s.referral:
            self.banner.setText(self.tr("Referral suggested"))
            self.banner.setStyleSheet(REFER_STYLE)
            self.s_class.setStyleSheet("font-weight: bold; color: #9a5b00;")
        else:
            self.s_class.setStyleSheet("font-weight: bold; color: #1b7f3b;"
                                       if not s.uncontrolled else "font-weight: bold;")
        self.status.setText(self.tr("Face-to-face visits this year, this one included: %d")
                            % s.face_to_face)
        self.use_button.setEnabled(True)
        self._apply()

    def show_waiting(self, text: str) -> None:
        self.status.setText(text)

    def use_suggestion(self) -> None:
        self.follow = dict.fromkeys(FIELDS, True)
        self._apply()
        self.edited.emit()

    def _apply(self) -> None:
        s = self.suggestion
        if s is None:
            return
        self._setting = True
        if self.follow["classification"]:
            self.classification.set_code(s.classification)
        if self.follow["measure"]:
            self.measure.set_code(s.measure)
        if self.follow["next_date"]:
            self.next_date.set_date(s.next_date)
        self._setting = False
        self._update_notes()

    def _touched(self, name: str) -> None:
        if self._setting:
            return
        self.follow[name] = False
        self._update_notes()
        self.edited.emit()

    def _update_notes(self) -> None:
        s = self.suggestion
        suggested = {"classification": s.classification if s else "",
                     "measure": s.measure if s else "",
                     "next_date": s.next_date.isoformat() if s else ""}
        chosen = {"classification": self.classification.code(), "measure": self.measure.code(),
                  "next_date": self.next_date.text().strip()}
        for name in FIELDS:
            differs = bool(s) and bool(chosen[name]) and chosen[name] != suggested[name]
            self.notes[name].setText(
                self.tr("Changed from the suggestion (%s); both will be recorded.") % suggested[name]
                if differs else "")
            self.notes[name].setVisible(differs)

    def overridden(self) -> list[str]:
        """The confirmed fields that differ from the suggestion now shown."""
        return [name for name in FIELDS if self.notes[name].isVisible()]


def _line() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet("color: #d6dbe0;")
    return line
