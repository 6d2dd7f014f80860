"""The fields of one medical claim as typed from the hospital's slip (or planned, for an estimate),
each with a place for its error message, and the `Claim` they make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import ESTIMATE, SELF_PAY, SLIP, Claim, money
from app.core.errors import ValidationError
from app.core.policy import EPISODES, FEE_CATEGORIES, LEVELS, SCOPES
from app.ui.widgets.fields import CodeCombo, DateField, error_label

FEE_COLUMNS = 3
SLIP_COLUMNS = 2
# Errors the storage names by a field the form shows somewhere else.
FIELD_ALIASES = {"date": "discharged"}


def money_text(text: str, what: str, field: str) -> Decimal | None:
    """An amount typed by hand (37,400.00 or 37400 元); None when blank."""
    cleaned = "".join(text.split()).replace(",", "").replace("，", "").removesuffix("元")
    return money(cleaned, what, field) if cleaned else None


class MoneyField(QLineEdit):
    """An amount in 元, right-aligned, blank meaning not filled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("0.00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("000,000,000.00") + 20)


class ClaimForm(QWidget):
    """Episode, hospital, dates, diagnosis, costs, fee items and the slip's amounts."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        self.fee_fields: dict[str, MoneyField] = {}
        self.slip_fields: dict[str, MoneyField] = {}
        self.layers: tuple[str, ...] = ()
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _error(self, field: str) -> QLabel:
        label = error_label()
        self.errors[field] = label
        return label

    def _line(self, widget: QWidget, *, expand: bool = False, extra: QWidget | None = None) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(widget, 1 if expand else 0)
        if extra is not None:
            row.addWidget(extra)
        if not expand:
            row.addStretch(1)
        return row

    def _build(self) -> None:
        self.slip_button = QRadioButton(self.tr("From the hospital's settlement slip"))
        self.estimate_button = QRadioButton(self.tr("Estimate only"))
        self.slip_button.setChecked(True)
        self.source_group = QButtonGroup(self)
        for b in (self.slip_button, self.estimate_button):
            self.source_group.addButton(b)
        self.source_row = QWidget()
        source = QHBoxLayout(self.source_row)
        source.setContentsMargins(0, 0, 0, 0)
        source.addWidget(self.slip_button)
        source.addWidget(self.estimate_button)
        source.addStretch(1)

        self.episode = CodeCombo(EPISODES, blank=None)
        self.level = CodeCombo(LEVELS, blank=None)
        self.level.set_code("二级")
        self.scope = CodeCombo(SCOPES, blank=None)
        self.referred = QCheckBox(self.tr("Referred"))
        self.hospital = QLineEdit()
        self.hospital.setPlaceholderText(self.tr("as printed on the slip"))
        self.settlement_no = QLineEdit()
        self.admitted = DateField(field="admitted")
        self.discharged = DateField(field="discharged")
        for date in (self.admitted, self.discharged):
            date.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 40)
        self.diagnosis = QLineEdit()
        self.disease = QLineEdit()
        self.disease.setPlaceholderText(self.tr("e.g. C16.9"))
        self.disease.setMaximumWidth(self.fontMetrics().horizontalAdvance("C16.900") + 30)
        self.total = MoneyField()
        self.out_of_catalogue = MoneyField()
        self.note = QLineEdit()

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        # (label, widget, error field) pairs per row; each error shows in the row underneath.
        rows: list[list[tuple[str, QHBoxLayout, str]]] = [
            [(self.tr("Episode"), self._line(self.episode), "episode"),
             (self.tr("Hospital level"), self._line(self.level), "level")],
            [(self.tr("Where"), self._line(self.scope, extra=self.referred), "scope")],
            [(self.tr("Hospital"), self._line(self.hospital, expand=True), "hospital"),
             (self.tr("Settlement no."), self._line(self.settlement_no, expand=True), "settlement_no")],
            [(self.tr("Admitted (or visit)"), self._line(self.admitted), "admitted"),
             (self.tr("Discharged (settled)"), self._line(self.discharged), "discharged")],
            [(self.tr("Diagnosis"), self._line(self.diagnosis, expand=True), "diagnosis"),
             (self.tr("Major-disease code"), self._line(self.disease), "disease")],
            [(self.tr("Total cost"), self._line(self.total), "total"),
             (self.tr("Out of catalogue"), self._line(self.out_of_catalogue), "out_of_catalogue")],
        ]
        for r, pairs in enumerate(rows):
            for i, (label, line, key) in enumerate(pairs):
                span = 3 if len(pairs) == 1 else 1
                grid.addWidget(QLabel(label), 2 * r, 2 * i)
                grid.addLayout(line, 2 * r, 2 * i + 1, 1, span)
                grid.addWidget(self._error(key), 2 * r + 1, 2 * i + 1, 1, span)
        for wide in (self.hospital, self.diagnosis):
            wide.setMinimumWidth(self.fontMetrics().horizontalAdvance("临夏回族自治州人民医院") + 16)

        self.fees_toggle = QToolButton()
        self.fees_toggle.setText(self.tr("Fee items by category (optional, for fee waivers)"))
        self.fees_toggle.setCheckable(True)
        self.fees_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fees_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.fees_toggle.setAutoRaise(True)
        self.fees_box = QWidget()
        fees = QGridLayout(self.fees_box)
        fees.setContentsMargins(16, 0, 0, 0)
        for i, name in enumerate(FEE_CATEGORIES):
            fee = MoneyField()
            fee.textChanged.connect(self.edited)
            self.fee_fields[name] = fee
            row, col = divmod(i, FEE_COLUMNS)
            fees.addWidget(QLabel(name), row, col * 2)
            fees.addWidget(fee, row, col * 2 + 1)
        fees.addWidget(self._error("fees"), len(FEE_CATEGORIES) // FEE_COLUMNS + 1, 0, 1, FEE_COLUMNS * 2)
        self.fees_box.setVisible(False)
        self.fees_toggle.toggled.connect(self._toggle_fees)

        self.slip_box = QGroupBox(self.tr("Amounts on the slip (optional; compared with the estimate)"))
        slip = QVBoxLayout(self.slip_box)
        self.slip_hint = QLabel(self.tr("Each payer's line appears once the dates choose a policy pack."))
        self.slip_hint.setStyleSheet("color: #5d6d7e;")
        self.slip_grid = QGridLayout()
        self.self_pay = MoneyField()
        slip.addWidget(self.slip_hint)
        slip.addLayout(self.slip_grid)
        slip.addWidget(self._error("paid"))
        slip.addWidget(self._error("self_pay"))
        self._place_slip_fields()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source_row)
        layout.addLayout(grid)
        layout.addWidget(self.fees_toggle)
        layout.addWidget(self.fees_box)
        layout.addWidget(self.slip_box)
        note = QHBoxLayout()
        note.addWidget(QLabel(self.tr("Note")))
        note.addWidget(self.note, 1)
        layout.addLayout(note)

        for combo in (self.episode, self.level, self.scope):
            combo.currentIndexChanged.connect(self.edited)
        for edit in (self.hospital, self.settlement_no, self.admitted, self.discharged,
                     self.diagnosis, self.disease, self.total, self.out_of_catalogue, self.self_pay):
            edit.textChanged.connect(self.edited)
        self.referred.toggled.connect(self.edited)
        self.source_group.buttonToggled.connect(self._source_changed)

    def _toggle_fees(self, shown: bool) -> None:
        self.fees_box.setVisible(shown)
        self.fees_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _source_changed(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.slip_box.setEnabled(self.source == SLIP)
            self.edited.emit()

    # --- the slip's payer lines ---------------------------------------------------------

    def set_layers(self, names: Sequence[str]) -> None:
        """One amount field per payer of the policy pack; what was typed is kept by name."""
        names = tuple(names)
        if names == self.layers:
            return
        typed = {name: f.text() for name, f in self.slip_fields.items()}
        for field in self.slip_fields.values():
            field.deleteLater()
        self.slip_fields = {}
        while self.slip_grid.count():
            item = self.slip_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.self_pay:
                widget.deleteLater()
        self.layers = names
        for name in names:
            field = MoneyField()
            field.setText(typed.get(name, ""))
            field.textChanged.connect(self.edited)
            self.slip_fields[name] = field
        self._place_slip_fields()

    def _place_slip_fields(self) -> None:
        items = [*self.slip_fields.items(), (SELF_PAY, self.self_pay)]
        for i, (name, field) in enumerate(items):
            row, col = divmod(i, SLIP_COLUMNS)
            self.slip_grid.addWidget(QLabel(name), row, col * 2)
            self.slip_grid.addWidget(field, row, col * 2 + 1)
        self.slip_grid.setColumnStretch(SLIP_COLUMNS * 2, 1)
        self.slip_hint.setVisible(not self.slip_fields)

    # --- values -------------------------------------------------------------------------

    @property
    def source(self) -> str:
        return ESTIMATE if self.estimate_button.isChecked() else SLIP

    def set_estimate_only(self) -> None:
        """For a plan before the episode: no slip, nothing stored."""
        self.estimate_button.setChecked(True)
        self.source_row.setVisible(False)
        self.slip_box.setVisible(False)
        self.settlement_no.setEnabled(False)
        self.hospital.setPlaceholderText(self.tr("optional"))

    def claim(self, person_id: str, *, complete: bool = False) -> Claim | None:
        """The claim as typed. Bad text raises ValidationError naming its field. Without the
        person, the total or a date it is None, or with `complete` a ValidationError."""
        total = money_text(self.total.text(), self.tr("Total cost"), "total")
        outside = money_text(self.out_of_catalogue.text(), self.tr("Out of catalogue"), "out_of_catalogue")
        admitted, discharged = self.admitted.date(), self.discharged.date()
        fees = {name: amount for name, f in self.fee_fields.items()
                if (amount := money_text(f.text(), name, "fees")) is not None}
        paid: dict[str, Decimal] = {}
        self_pay = None
        if self.source == SLIP:
            paid = {name: amount for name, f in self.slip_fields.items()
                    if (amount := money_text(f.text(), name, "paid")) is not None}
            self_pay = money_text(self.self_pay.text(), SELF_PAY, "self_pay")
        missing = self._missing(person_id, total, admitted or discharged)
        if missing is not None:
            if complete:
                raise missing
            return None
        assert total is not None
        end = discharged or admitted
        assert end is not None
        return Claim(
            person_id=person_id, episode=self.episode.code(), level=self.level.code(),
            scope=self.scope.code(), admitted=admitted or end, discharged=end, total=total,
            hospital=self.hospital.text(), out_of_catalogue=outside or Decimal("0.00"),
            referred=self.referred.isChecked(), diagnosis=self.diagnosis.text(),
            disease=self.disease.text(), fees=fees, paid=paid, self_pay=self_pay, source=self.source,
            settlement_no=self.settlement_no.text() if self.source == SLIP else "",
            note=self.note.text(),
        )

    def _missing(self, person_id: str, total: Decimal | None, day: dt.date | None) -> ValidationError | None:
        if not person_id:
            return ValidationError(self.tr("Choose the resident first"), field="person_id")
        if total is None:
            return ValidationError(self.tr("Enter the total cost from the slip"), field="total")
        if day is None:
            return ValidationError(self.tr("Enter the discharge (settlement) date"), field="discharged")
        return None

    # --- errors -------------------------------------------------------------------------

    def field_of(self, name: str | None) -> str | None:
        """The form field that shows an error named `name`, or None."""
        name = FIELD_ALIASES.get(name or "", name or "")
        return name if name in self.errors else None

    def show_error(self, field: str, message: str) -> None:
        label = self.errors[field]
        label.setText(message)
        label.setVisible(True)
        if field == "fees":
            self.fees_toggle.setChecked(True)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.setText("")
            label.setVisible(False)

    def error_text(self, field: str) -> str:
        return self.errors[field].text()
