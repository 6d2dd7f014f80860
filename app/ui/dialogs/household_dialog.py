"""The household form (家庭档案): address, poverty status and causes, help person, living conditions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.households import (
    FUELS,
    HOUSING,
    KITCHEN_EXHAUST,
    LIVESTOCK_PENS,
    POVERTY_CAUSES,
    POVERTY_STATUSES,
    TOILETS,
    WATER_SOURCES,
    HelpPerson,
    Household,
)
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner
from app.ui.unsaved import UnsavedGuard
from app.ui.widgets.fields import CodeCombo


class HouseholdDialog(QDialog):
    """Create or edit a household; saving runs on the database worker."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, household: Household, *,
                 villages: list[tuple[str, str]], groups: list[str],
                 helper: HelpPerson | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.household = household
        self.old_helper = helper
        self.new_id: str | None = None
        self.setWindowTitle(self.tr("New household") if household.id is None else self.tr("Edit household"))

        self.village = CodeCombo(villages, blank=None)
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems(groups)
        self.household_no = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.status = CodeCombo(POVERTY_STATUSES.items(), blank=None)
        self.exit_year = QSpinBox()
        self.exit_year.setRange(2012, 2100)
        self.exit_year.setSpecialValueText(self.tr("None"))
        self.causes = {name: QCheckBox(name) for name in POVERTY_CAUSES}
        self.helper_name = QLineEdit()
        self.helper_unit = QLineEdit()
        self.helper_phone = QLineEdit()
        self.housing = CodeCombo(HOUSING)
        self.water = CodeCombo(WATER_SOURCES)
        self.toilet = CodeCombo(TOILETS)
        self.fuel = CodeCombo(FUELS)
        self.kitchen_exhaust = CodeCombo(KITCHEN_EXHAUST)
        self.livestock_pen = CodeCombo(LIVESTOCK_PENS)
        self.note = QLineEdit()

        main = QGroupBox(self.tr("Household"))
        g = QGridLayout(main)
        _pairs(g, 0, [
            (self.tr("Village"), self.village, self.tr("Village group"), self.group),
            (self.tr("Household no."), self.household_no, self.tr("Phone"), self.phone),
            (self.tr("Address"), self.address, self.tr("Note"), self.note),
            (self.tr("Poverty status"), self.status, self.tr("Year out of poverty"), self.exit_year),
        ])
        g.addWidget(QLabel(self.tr("Causes of poverty")), 4, 0)
        causes = QGridLayout()
        for i, box in enumerate(self.causes.values()):
            causes.addWidget(box, i // 6, i % 6)
        g.addLayout(causes, 4, 1, 1, 3)

        helper_box = QGroupBox(self.tr("Help person"))
        hg = QGridLayout(helper_box)
        _pairs(hg, 0, [
            (self.tr("Name"), self.helper_name, self.tr("Work unit"), self.helper_unit),
            (self.tr("Phone"), self.helper_phone, "", QWidget()),
        ])

        living = QGroupBox(self.tr("Living conditions"))
        lg = QGridLayout(living)
        _pairs(lg, 0, [
            (self.tr("Housing"), self.housing, self.tr("Drinking water"), self.water),
            (self.tr("Toilet"), self.toilet, self.tr("Cooking fuel"), self.fuel),
            (self.tr("Kitchen exhaust"), self.kitchen_exhaust, self.tr("Livestock pen"), self.livestock_pen),
        ])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(main)
        layout.addWidget(helper_box)
        layout.addWidget(living)
        layout.addWidget(self.buttons)
        self._load(household, helper)
        self.guard = UnsavedGuard(self)

    def reject(self) -> None:
        """取消, Esc or closing the window asks first when the form has edits."""
        if self.guard.may_close():
            super().reject()

    def _load(self, h: Household, helper: HelpPerson | None) -> None:
        if h.village_code:
            self.village.set_code(h.village_code)
        self.group.setCurrentText(h.group_name)
        self.household_no.setText(h.household_no)
        self.address.setText(h.address)
        self.phone.setText(h.phone)
        self.status.set_code(h.poverty_status)
        self.exit_year.setValue(h.exit_year or self.exit_year.minimum())
        for name, box in self.causes.items():
            box.setChecked(name in h.poverty_causes)
        for combo, value in ((self.housing, h.housing), (self.water, h.water), (self.toilet, h.toilet),
                             (self.fuel, h.fuel), (self.kitchen_exhaust, h.kitchen_exhaust),
                             (self.livestock_pen, h.livestock_pen)):
            combo.set_code(value)
        self.note.setText(h.note)
        if helper is not None:
            self.helper_name.setText(helper.name)
            self.helper_unit.setText(helper.unit)
            self.helper_phone.setText(helper.phone)

    def value(self) -> Household:
        """The household as typed."""
        year = self.exit_year.value()
        return replace(
            self.household,
            village_code=self.village.code(),
            group_name=self.group.currentText().strip(),
            household_no=self.household_no.text().strip(),
            address=self.address.text().strip(),
            phone=self.phone.text().strip(),
            poverty_status=self.status.code(),
            poverty_causes=[n for n, b in self.causes.items() if b.isChecked()],
            exit_year=None if year == self.exit_year.minimum() else year,
            housing=self.housing.code(), water=self.water.code(), toilet=self.toilet.code(),
            fuel=self.fuel.code(), kitchen_exhaust=self.kitchen_exhaust.code(),
            livestock_pen=self.livestock_pen.code(), note=self.note.text().strip(),
        )

    def helper(self) -> HelpPerson | None:
        name = self.helper_name.text().strip()
        if not name:
            return None
        return HelpPerson(name=name, unit=self.helper_unit.text().strip(),
                          phone=self.helper_phone.text().strip())

    def save(self) -> None:
        household = self.value()
        helper = self.helper()
        old = self.old_helper
        helper_changed = helper is not None and (
            old is None or (old.name, old.unit, old.phone) != (helper.name, helper.unit, helper.phone)
        )
        ws = self.ws

        def write() -> tuple[str, Changes]:
            if household.id is None:
                hid, changes = ws.households.add(household)
            else:
                hid, changes = str(household.id), ws.households.update(household)
            if helper_changed and helper is not None:
                changes.merge(ws.households.set_help_person(hid, helper))
            return hid, changes

        self.buttons.setEnabled(False)
        self.runner.db(write, on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[str, Changes]) -> None:
        self.buttons.setEnabled(True)
        self.new_id = result[0]
        self.saved.emit(result[1])
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)


def _pairs(grid: QGridLayout, first_row: int, rows: list[tuple[str, QWidget, str, QWidget]]) -> None:
    for r, (left, lw, right, rw) in enumerate(rows, start=first_row):
        grid.addWidget(QLabel(left), r, 0)
        grid.addWidget(lw, r, 1)
        if right:
            grid.addWidget(QLabel(right), r, 2)
        grid.addWidget(rw, r, 3)
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)
