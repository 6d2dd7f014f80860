"""The yearly health exam (健康体检表 essentials) in four tabs: general state and the physical
items, lifestyle, tests, and the evaluation with its advice. Field names are the core's."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import exams as x
from app.core.errors import ValidationError
from app.core.exams import HealthExam
from app.core.followups import bmi
from app.ui.widgets.fields import CodeCombo
from app.ui.widgets.form_fields import CheckGroup, FieldErrors, NumberField, Section, date_field

MULTI = {"symptoms": x.SYMPTOMS, "abdomen": x.ABDOMEN, "diet": x.DIET, "guidance": x.GUIDANCE,
         "risk_control": x.RISK_CONTROL}


class ExamForm(QTabWidget):
    """Every field of one exam; `exam(base)` reads them back onto a HealthExam."""

    changed = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.numbers: dict[str, NumberField] = {}
        self.codes: dict[str, CodeCombo] = {}
        self.texts: dict[str, QLineEdit] = {}
        self.checks: dict[str, CheckGroup] = {}
        self.addTab(self._page(self._general(), self._physical()), self.tr("General and physical"))
        self.addTab(self._page(self._lifestyle()), self.tr("Lifestyle"))
        self.addTab(self._page(*self._tests()), self.tr("Tests"))
        self.addTab(self._page(self._evaluation()), self.tr("Evaluation and advice"))
        for w in self.numbers.values():
            w.textChanged.connect(self.changed)
        for name in ("height", "weight"):
            self.numbers[name].textChanged.connect(self._update_bmi)

    # --- field makers -------------------------------------------------------------------

    def _num(self, name: str, *, decimals: bool = True, chars: int = 5) -> NumberField:
        self.numbers[name] = NumberField(name, decimals=decimals, chars=chars)
        return self.numbers[name]

    def _code(self, name: str, options: Sequence[str]) -> CodeCombo:
        self.codes[name] = CodeCombo(options)
        return self.codes[name]

    def _text(self, name: str, placeholder: str = "") -> QLineEdit:
        self.texts[name] = QLineEdit()
        self.texts[name].setPlaceholderText(placeholder)
        return self.texts[name]

    def _multi(self, name: str, columns: int, exclusive: str = "") -> CheckGroup:
        self.checks[name] = CheckGroup(MULTI[name], columns=columns, exclusive=exclusive)
        return self.checks[name]

    def _page(self, *sections: QWidget) -> QScrollArea:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        for s in sections:
            layout.addWidget(s)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        return scroll

    # --- sections -----------------------------------------------------------------------

    def _general(self) -> Section:
        e = self.errors
        s = Section(self.tr("General state"), e, columns=3)
        self.exam_date = date_field("exam_date")
        self.doctor = self._text("doctor")
        s.add(self.tr("Exam date"), self.exam_date)
        s.add(self.tr("Doctor"), self.doctor, fields=("doctor",))
        s.add(self.tr("Temperature"), self._num("temperature", chars=4), "℃")
        s.add(self.tr("Pulse"), self._num("pulse", decimals=False, chars=3), self.tr("/min"))
        s.add(self.tr("Breathing"), self._num("respiration", decimals=False, chars=3), self.tr("/min"))
        s.add(self.tr("Waist"), self._num("waist", chars=4), "cm")
        s.add(self.tr("BP left"), self._num("sbp_left", decimals=False, chars=3), "/",
              self._num("dbp_left", decimals=False, chars=3), "mmHg")
        s.add(self.tr("BP right"), self._num("sbp_right", decimals=False, chars=3), "/",
              self._num("dbp_right", decimals=False, chars=3), "mmHg")
        self.bmi_label = QLabel()
        s.add(self.tr("Height"), self._num("height", chars=4), "cm")
        s.add(self.tr("Weight"), self._num("weight", chars=4), "kg", self.bmi_label)
        s.add(self.tr("Symptoms"), self._multi("symptoms", 7, exclusive="无症状"),
              fields=("symptoms",), wide=True)
        s.add(self.tr("Other symptoms"), self._text("symptoms_other"), fields=("symptoms_other",),
              wide=True)
        return s

    def _physical(self) -> Section:
        s = Section(self.tr("Physical examination"), self.errors, columns=3)
        s.add(self.tr("Skin"), self._code("skin", x.SKIN), fields=("skin",))
        s.add(self.tr("Lymph nodes"), self._code("lymph_nodes", x.LYMPH_NODES), fields=("lymph_nodes",))
        s.add(self.tr("Heart rate"), self._num("heart_rate", decimals=False, chars=3), self.tr("/min"))
        s.add(self.tr("Rhythm"), self._code("heart_rhythm", x.HEART_RHYTHM), fields=("heart_rhythm",))
        s.add(self.tr("Murmur"), self._code("heart_murmur", x.PRESENT), fields=("heart_murmur",))
        s.add(self.tr("Barrel chest"), self._code("barrel_chest", x.BARREL_CHEST), fields=("barrel_chest",))
        s.add(self.tr("Breath sounds"), self._code("breath_sounds", x.BREATH_SOUNDS),
              fields=("breath_sounds",))
        s.add(self.tr("Rales"), self._code("rales", x.RALES), fields=("rales",))
        s.add(self.tr("Abdomen"), self._multi("abdomen", 5), fields=("abdomen",), wide=True)
        s.add(self.tr("Other findings"), self._text("findings_other"), fields=("findings_other",),
              wide=True)
        return s

    def _lifestyle(self) -> Section:
        s = Section(self.tr("Lifestyle"), self.errors)
        s.add(self.tr("Exercise"), self._code("exercise", x.EXERCISE),
              self._num("exercise_minutes", decimals=False, chars=3), self.tr("min each time"),
              fields=("exercise",))
        s.add(self.tr("Smoking"), self._code("smoking", x.SMOKING),
              self._num("cigarettes_per_day", decimals=False, chars=3), self.tr("a day"),
              fields=("smoking",))
        s.add(self.tr("Drinking"), self._code("drinking", x.DRINKING),
              self._num("drinking_liang", chars=3), self.tr("liang a day"), fields=("drinking",))
        s.add(self.tr("Diet"), self._multi("diet", 6), fields=("diet",), wide=True)
        return s

    def _tests(self) -> tuple[Section, ...]:
        blood = Section(self.tr("Blood and urine"), self.errors, columns=3)
        for name, label, unit in (("hb", self.tr("Haemoglobin"), "g/L"),
                                  ("wbc", self.tr("White cells"), "×10⁹/L"),
                                  ("plt", self.tr("Platelets"), "×10⁹/L"),
                                  ("glucose", self.tr("Fasting glucose"), "mmol/L")):
            blood.add(label, self._num(name), unit)
        for name, label in (("urine_protein", self.tr("Urine protein")),
                            ("urine_glucose", self.tr("Urine glucose")),
                            ("urine_ketone", self.tr("Urine ketones")),
                            ("urine_blood", self.tr("Urine blood"))):
            blood.add(label, self._code(name, x.URINE), fields=(name,))
        chem = Section(self.tr("Liver, kidney and lipids"), self.errors, columns=3)
        for name, label, unit in (
                ("alt", self.tr("ALT"), "U/L"), ("ast", self.tr("AST"), "U/L"),
                ("albumin", self.tr("Albumin"), "g/L"), ("tbil", self.tr("Total bilirubin"), "μmol/L"),
                ("dbil", self.tr("Direct bilirubin"), "μmol/L"),
                ("creatinine", self.tr("Creatinine"), "μmol/L"), ("urea", self.tr("Urea"), "mmol/L"),
                ("potassium", self.tr("Potassium"), "mmol/L"), ("sodium", self.tr("Sodium"), "mmol/L"),
                ("tc", self.tr("Total cholesterol"), "mmol/L"), ("tg", self.tr("Triglycerides"), "mmol/L"),
                ("ldl", self.tr("LDL cholesterol"), "mmol/L"), ("hdl", self.tr("HDL cholesterol"), "mmol/L")):
            chem.add(label, self._num(name), unit)
        other = Section(self.tr("ECG and ultrasound"), self.errors)
        other.add(self.tr("ECG"), self._code("ecg", x.NORMALITY), self._text("ecg_text"),
                  fields=("ecg", "ecg_text"), wide=True)
        other.add(self.tr("Ultrasound"), self._code("ultrasound", x.NORMALITY),
                  self._text("ultrasound_text"), fields=("ultrasound", "ultrasound_text"), wide=True)
        return blood, chem, other

    def _evaluation(self) -> Section:
        s = Section(self.tr("Evaluation and advice"), self.errors)
        s.add(self.tr("Conclusion"), self._code("conclusion", x.CONCLUSIONS), fields=("conclusion",))
        self.result_returned_on = date_field("result_returned_on")
        s.add(self.tr("Result given back on"), self.result_returned_on)
        s.add(self.tr("Abnormal findings"), self._text("abnormalities"), fields=("abnormalities",),
              wide=True)
        s.add(self.tr("Health guidance"), self._multi("guidance", 3), fields=("guidance",), wide=True)
        s.add(self.tr("Risk factors to control"), self._multi("risk_control", 7),
              fields=("risk_control",), wide=True)
        s.add(self.tr("Weight goal"), self._num("weight_goal", chars=4), "kg")
        s.add(self.tr("Vaccine advised"), self._text("vaccine"), fields=("vaccine",))
        s.add(self.tr("Advice"), self._text("advice"), fields=("advice",), wide=True)
        s.add(self.tr("Note"), self._text("note"), fields=("note",), wide=True)
        return s

    def _update_bmi(self) -> None:
        value = bmi(self.numbers["weight"].safe_value(), self.numbers["height"].safe_value())
        self.bmi_label.setText(self.tr("BMI %s") % f"{value:g}" if value is not None else "")

    # --- loading and reading ----------------------------------------------------------

    def load(self, e: HealthExam) -> None:
        self.exam_date.set_date(e.exam_date)
        self.result_returned_on.set_date(e.result_returned_on)
        for name, w in self.numbers.items():
            w.set_value(getattr(e, name))
        for name, c in self.codes.items():
            c.set_code(getattr(e, name))
        for name, t in self.texts.items():
            t.setText(getattr(e, name))
        for name, g in self.checks.items():
            g.set_values(getattr(e, name))
        self._update_bmi()

    def exam(self, base: HealthExam) -> HealthExam:
        """The exam as typed on top of `base`; ValidationError naming the field that cannot be read."""
        day = self.exam_date.date()
        if day is None:
            raise ValidationError(self.tr("Please enter the exam date"), field="exam_date")
        values: dict[str, object] = {"exam_date": day,
                                     "result_returned_on": self.result_returned_on.date()}
        values.update({name: w.value() for name, w in self.numbers.items()})
        values.update({name: c.code() for name, c in self.codes.items()})
        values.update({name: t.text() for name, t in self.texts.items()})
        values.update({name: g.values() for name, g in self.checks.items()})
        return dataclasses.replace(base, **values)
