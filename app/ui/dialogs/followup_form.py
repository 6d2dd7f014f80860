"""The fields of one 高血压 or 2型糖尿病 follow-up (national form), in sections, for one kind.

The form is built for a kind: the diabetes form has glucose, HbA1c, foot pulse, staple food,
hypoglycaemia and insulin lines; the hypertension form has salt. Field names are the core's,
so a ValidationError's `field` finds its widget.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.core.followups import (
    ADHERENCE,
    DANGER_SIGNS,
    FOOT_PULSE,
    FOOT_SIDES,
    HYPOGLYCEMIA,
    LEVELS,
    METHODS,
    SALT,
    SYMPTOMS,
    FollowUp,
    Referral,
    bmi,
)
from app.ui.widgets.drug_table import DrugTable
from app.ui.widgets.fields import CodeCombo
from app.ui.widgets.form_fields import CheckGroup, FieldErrors, NumberField, Section, date_field

DM = "糖尿病"
# What a new visit takes over from the last one: the drugs and the goals agreed last time.
CARRIED_OVER = ("weight_target", "smoking_target", "drinking_target", "exercise_times_target",
                "exercise_minutes_target", "salt_target", "staple_food_target")


class FollowUpForm(QWidget):
    """Every field of the follow-up form of one kind, except the confirmed class, measure and
    next date (those sit beside the suggestion in the dialog)."""

    changed = Signal()

    def __init__(self, kind: str, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.dm = kind == DM
        self.errors = errors
        self.height_cm: float | None = None
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        e = self.errors
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)

        visit = Section(self.tr("Visit"), e, columns=3)
        self.visit_date = date_field("visit_date")
        self.method = CodeCombo(METHODS, blank=None)
        self.doctor = QLineEdit()
        self.doctor.setMaxLength(20)
        self.doctor.setMinimumWidth(self.fontMetrics().horizontalAdvance("欧阳医生") + 24)
        visit.add(self.tr("Date"), self.visit_date)
        visit.add(self.tr("Method"), self.method, fields=("method",))
        visit.add(self.tr("Doctor"), self.doctor, fields=("doctor",))
        layout.addWidget(visit)

        symptoms = Section(self.tr("Symptoms"), e, columns=1)
        self.symptoms = CheckGroup(SYMPTOMS[self.kind], columns=5, exclusive="无症状")
        self.symptoms_other = QLineEdit()
        self.symptoms_other.setPlaceholderText(self.tr("Other symptoms"))
        symptoms.add("", self.symptoms, fields=("symptoms",), wide=True)
        symptoms.add(self.tr("Other"), self.symptoms_other, wide=True)
        self.danger_shown = QCheckBox(self.tr("Danger signs present (choose them)"))
        self.danger = CheckGroup(DANGER_SIGNS[self.kind], columns=3)
        self.danger.setVisible(False)
        symptoms.add(self.tr("Danger signs"), self.danger_shown, fields=("danger_signs",),
                     wide=True)
        symptoms.add("", self.danger, wide=True)
        layout.addWidget(symptoms)

        signs = Section(self.tr("Signs"), e)
        self.sbp = NumberField("sbp", chars=3)
        self.dbp = NumberField("dbp", chars=3)
        self.weight = NumberField("weight", decimals=True)
        self.weight_target = NumberField("weight_target", decimals=True)
        self.height = NumberField("height", decimals=True)
        self.bmi_label = QLabel()
        self.heart_rate = NumberField("heart_rate", chars=3)
        signs.add(self.tr("Blood pressure"), self.sbp, "/", self.dbp, "mmHg")
        signs.add(self.tr("Heart rate"), self.heart_rate, self.tr("beats/min"))
        signs.add(self.tr("Weight"), self.weight, "/", self.weight_target,
                  self.tr("kg (now / goal)"))
        signs.add(self.tr("Height"), self.height, "cm", self.bmi_label)
        if self.dm:
            self.foot_pulse = CodeCombo(FOOT_PULSE)
            self.foot_pulse_side = CodeCombo(FOOT_SIDES)
            self.temperature = NumberField("temperature", decimals=True, chars=4)
            signs.add(self.tr("Foot pulse"), self.foot_pulse, self.foot_pulse_side,
                      fields=("foot_pulse", "foot_pulse_side"))
            signs.add(self.tr("Temperature"), self.temperature, "℃")
        self.signs_other = QLineEdit()
        signs.add(self.tr("Other signs"), self.signs_other, fields=("signs_other",), wide=True)
        layout.addWidget(signs)

        life = Section(self.tr("Lifestyle (now / goal for the next visit)"), e)
        self.smoking = NumberField("smoking", chars=3)
        self.smoking_target = NumberField("smoking_target", chars=3)
        self.drinking = NumberField("drinking", decimals=True, chars=3)
        self.drinking_target = NumberField("drinking_target", decimals=True, chars=3)
        self.exercise_times = NumberField("exercise_times", chars=2)
        self.exercise_minutes = NumberField("exercise_minutes", chars=3)
        self.exercise_times_target = NumberField("exercise_times_target", chars=2)
        self.exercise_minutes_target = NumberField("exercise_minutes_target", chars=3)
        life.add(self.tr("Cigarettes a day"), self.smoking, "/", self.smoking_target)
        life.add(self.tr("Liquor a day (liang)"), self.drinking, "/", self.drinking_target)
        life.add(self.tr("Exercise"), self.exercise_times, self.tr("times/week"),
                 self.exercise_minutes, self.tr("min/time"))
        life.add(self.tr("Exercise goal"), self.exercise_times_target, self.tr("times/week"),
                 self.exercise_minutes_target, self.tr("min/time"))
        if self.dm:
            self.staple_food = NumberField("staple_food", chars=4)
            self.staple_food_target = NumberField("staple_food_target", chars=4)
            life.add(self.tr("Staple food (g/day)"), self.staple_food, "/", self.staple_food_target)
        else:
            self.salt = CodeCombo(SALT)
            self.salt_target = CodeCombo(SALT)
            life.add(self.tr("Salt intake"), self.salt, "/", self.salt_target,
                     fields=("salt", "salt_target"))
        self.psychology = CodeCombo(LEVELS)
        self.compliance = CodeCombo(LEVELS)
        life.add(self.tr("Psychological adjustment"), self.psychology, fields=("psychology",))
        life.add(self.tr("Follows medical advice"), self.compliance, fields=("compliance",))
        layout.addWidget(life)

        tests = Section(self.tr("Tests"), e)
        if self.dm:
            self.glucose = NumberField("glucose", decimals=True, chars=4)
            self.hba1c = NumberField("hba1c", decimals=True, chars=4)
            self.hba1c_date = date_field("hba1c_date")
            tests.add(self.tr("Fasting glucose"), self.glucose, "mmol/L")
            tests.add(self.tr("HbA1c"), self.hba1c, "%", self.tr("tested on"), self.hba1c_date)
        self.tests_other = QLineEdit()
        tests.add(self.tr("Other tests"), self.tests_other, fields=("tests_other",), wide=True)
        layout.addWidget(tests)

        drugs = Section(self.tr("Medication"), e)
        self.adherence = CodeCombo(ADHERENCE)
        self.adverse = QCheckBox(self.tr("Adverse drug reaction"))
        self.adverse_text = QLineEdit()
        self.adverse_text.setPlaceholderText(self.tr("Which reaction"))
        self.complication = QCheckBox(self.tr("New or worse complication"))
        drugs.add(self.tr("Adherence"), self.adherence, fields=("adherence",))
        drugs.add("", self.complication)
        drugs.add(self.tr("Reaction"), self.adverse, self.adverse_text,
                  fields=("adverse_text", "adverse_reaction"), focus=self.adverse_text, wide=True)
        if self.dm:
            self.hypoglycemia = CodeCombo(HYPOGLYCEMIA)
            drugs.add(self.tr("Hypoglycaemia"), self.hypoglycemia, fields=("hypoglycemia",))
        self.medications = DrugTable("medications")
        self.medications.set_insulin_allowed(self.dm)
        self.adjustments = DrugTable("adjustments")
        self.adjustments.set_insulin_allowed(self.dm)
        drugs.add(self.tr("Drugs taken"), self.medications, fields=("medications",), wide=True)
        drugs.add(self.tr("Drug changes advised"), self.adjustments, fields=("adjustments",),
                  wide=True)
        layout.addWidget(drugs)

        referral = Section(self.tr("Referral"), e)
        self.referral_reason = QLineEdit()
        self.referral_hospital = QLineEdit()
        self.referral_hospital.setPlaceholderText(self.tr("Hospital and department"))
        self.referral_contact = QLineEdit()
        self.referral_contact.setPlaceholderText(self.tr("Contact person and phone"))
        referral.add(self.tr("Reason"), self.referral_reason, fields=("referral",), wide=True)
        referral.add(self.tr("To"), self.referral_hospital)
        referral.add(self.tr("Contact"), self.referral_contact)
        self.note = QLineEdit()
        referral.add(self.tr("Note"), self.note, fields=("note",), wide=True)
        layout.addWidget(referral)
        layout.addStretch(1)

        for w in self.findChildren(QLineEdit):
            w.textChanged.connect(self.changed)
        for c in self.findChildren(CodeCombo):
            c.currentIndexChanged.connect(self.changed)
        for g in (self.symptoms, self.danger, self.medications, self.adjustments):
            g.changed.connect(self.changed)
        for b in (self.adverse, self.complication):
            b.toggled.connect(self.changed)
        for w in (self.weight, self.weight_target, self.height):
            w.textChanged.connect(self._update_bmi)
        self.adverse.toggled.connect(self._update_adverse)
        self.danger_shown.toggled.connect(self._danger_toggled)
        self._update_adverse()

    def first_field(self) -> QWidget:
        """Where the cursor starts: date and method are already filled in."""
        return self.sbp

    # --- derived display --------------------------------------------------------------

    def _update_bmi(self) -> None:
        height = self.height.safe_value() or self.height_cm
        now = bmi(self.weight.safe_value(), height)
        goal = bmi(self.weight_target.safe_value(), height)
        if now is None and goal is None:
            text = self.tr("BMI: enter weight and height") if not height else ""
        else:
            text = self.tr("BMI %1 / %2").replace("%1", _num(now) or "—").replace("%2", _num(goal) or "—")
        self.bmi_label.setText(text)

    def _danger_toggled(self, on: bool) -> None:
        """The danger-sign list opens when the doctor says there are some; closing clears it."""
        self.danger.setVisible(on)
        if not on and self.danger.values():
            self.danger.set_values([])
            self.changed.emit()

    def _update_adverse(self) -> None:
        self.adverse_text.setEnabled(self.adverse.isChecked())

    # --- loading and reading ----------------------------------------------------------

    def load(self, f: FollowUp, *, known_height: float | None) -> None:
        """Show a visit: a saved one (to correct) or a new one with its defaults."""
        self.height_cm = known_height
        self.visit_date.set_date(f.visit_date)
        self.method.set_code(f.method)
        self.doctor.setText(f.doctor)
        self.symptoms.set_values(f.symptoms)
        self.symptoms_other.setText(f.symptoms_other)
        self.danger.set_values(f.danger_signs)
        self.danger_shown.setChecked(bool(f.danger_signs))
        self.height.set_value(f.height if f.height is not None else known_height)
        for name in _NUMBERS[self.kind]:
            getattr(self, name).set_value(getattr(f, name))
        for name in _CODES[self.kind]:
            getattr(self, name).set_code(getattr(f, name))
        for name in _TEXTS:
            getattr(self, name).setText(getattr(f, name))
        if self.dm:
            self.hba1c_date.set_date(f.hba1c_date)
        self.adverse.setChecked(f.adverse_reaction)
        self.complication.setChecked(f.complication)
        self.medications.set_drugs(f.medications)
        self.adjustments.set_drugs(f.adjustments)
        r = f.referral
        self.referral_reason.setText(r.reason if r else "")
        self.referral_hospital.setText(r.hospital if r else "")
        self.referral_contact.setText(r.contact if r else "")
        self._update_bmi()

    def followup(self, base: FollowUp) -> FollowUp:
        """The visit as typed, on top of `base` (person, kind, decision fields);
        ValidationError naming the field when a number or date cannot be read."""
        values: dict[str, object] = {
            "visit_date": self.visit_date.date(), "method": self.method.code(),
            "doctor": self.doctor.text(), "symptoms": self.symptoms.values(),
            "danger_signs": self.danger.values(), "height": self.height.value(),
            "adverse_reaction": self.adverse.isChecked(),
            "complication": self.complication.isChecked(),
            "medications": self.medications.drugs(), "adjustments": self.adjustments.drugs(),
            "referral": self._referral(),
        }
        if values["visit_date"] is None:
            raise ValidationError(self.tr("Please enter the date of the visit"), field="visit_date")
        for name in _NUMBERS[self.kind]:
            values[name] = getattr(self, name).value()
        for name in _CODES[self.kind]:
            values[name] = getattr(self, name).code()
        for name in _TEXTS:
            values[name] = getattr(self, name).text()
        if self.dm:
            values["hba1c_date"] = self.hba1c_date.date()
        if not self.adverse.isChecked():
            values["adverse_text"] = ""
        return dataclasses.replace(base, **values)

    def draft(self, base: FollowUp, default_day: dt.date) -> FollowUp:
        """The visit as far as it can be read now (for the live suggestion): numbers that do
        not read yet are left out instead of raising."""
        values: dict[str, object] = {
            "visit_date": self.visit_date.safe_date() or default_day,
            "method": self.method.code(), "symptoms": self.symptoms.values(),
            "danger_signs": self.danger.values(), "height": self.height.safe_value(),
            "adverse_reaction": self.adverse.isChecked(),
            "adverse_text": self.adverse_text.text() if self.adverse.isChecked() else "",
            "complication": self.complication.isChecked(),
            "classification": "", "measure": "", "next_date": None,
        }
        for name in ("sbp", "dbp", "heart_rate", "weight", *(("glucose", "temperature") if self.dm else ())):
            values[name] = getattr(self, name).safe_value()
        return dataclasses.replace(base, **values)

    def _referral(self) -> Referral | None:
        parts = (self.referral_reason.text(), self.referral_hospital.text(),
                 self.referral_contact.text())
        return Referral(*parts) if any(p.strip() for p in parts) else None


_COMMON_NUMBERS = ("sbp", "dbp", "weight", "weight_target", "heart_rate", "smoking",
                   "smoking_target", "drinking", "drinking_target", "exercise_times",
                   "exercise_minutes", "exercise_times_target", "exercise_minutes_target")
_NUMBERS = {
    "高血压": _COMMON_NUMBERS,
    DM: (*_COMMON_NUMBERS, "temperature", "glucose", "hba1c", "staple_food", "staple_food_target"),
}
_COMMON_CODES = ("psychology", "compliance", "adherence")
_CODES = {
    "高血压": ("method", *_COMMON_CODES, "salt", "salt_target"),
    DM: ("method", *_COMMON_CODES, "foot_pulse", "foot_pulse_side", "hypoglycemia"),
}
_TEXTS = ("symptoms_other", "signs_other", "tests_other", "adverse_text", "note")


def new_visit(person_id: str, kind: str, day: dt.date, doctor: str,
              previous: FollowUp | None) -> FollowUp:
    """A new visit with the defaults: 门诊, the given day, the signed-in doctor, and the last
    visit's drugs and goals."""
    f = FollowUp(id=None, person_id=person_id, kind=kind, visit_date=day, method="门诊",
                 doctor=doctor)
    if previous is not None:
        f.medications = [dataclasses.replace(d) for d in previous.medications]
        for name in CARRIED_OVER:
            setattr(f, name, getattr(previous, name))
    return f


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
