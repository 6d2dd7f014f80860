"""签约: sign one household with a team — packages per member, date — with the fee split shown live.

Each member's packages default to what the fit rule says fits them; a package that does not fit
shows why, and ticking it anyway is the doctor's decision, shown in the grid and in a note below
it, and recorded with the contract's audit entry. After signing the dialog says so and offers to
print the agreement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.contracts import (
    FINANCE,
    PAYERS,
    PERSONAL,
    ServicePackage,
    Team,
    TeamMember,
    choice_fees,
)
from app.core.errors import ValidationError
from app.core.households import POOR_STATUSES, POVERTY_STATUSES, Household
from app.core.ids import RecordId
from app.core.package_fit import MemberFacts
from app.core.people import Person
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import DateField
from app.ui.widgets.package_grid import PackageGrid
from app.ui.widgets.pdf_preview import PdfPreviewDialog, open_preview, print_folder, temp_pdf

if TYPE_CHECKING:
    from app.printing.agreement import AgreementData


@dataclass(frozen=True)
class SignContext:
    """What the dialog needs, read in one go on the database worker."""

    household: Household
    status: str  # the poverty status in force today (from the history)
    members: list[Person]  # 在册 members
    facts: list[MemberFacts]
    teams: list[Team]
    packages: list[ServicePackage]


def load_context(ws: Workspace, household_id: str, today: dt.date) -> SignContext:
    """Read the household, its 在册 members as the fit rule sees them, teams and packages (on the worker)."""
    living = [p for p in ws.households.members(household_id) if p.living_status == "在册"]
    return SignContext(ws.households.get(household_id),
                       ws.households.poverty_status_on(household_id, today), living,
                       ws.contracts.member_facts(household_id, today), ws.contracts.teams(),
                       ws.contracts.packages())


def agreement_item(ws: Workspace, contract_id: str) -> AgreementData:
    """The agreement data of a contract (on the database worker)."""
    from app.printdata.sources import agreement_data

    return agreement_data(ws, contract_id)


class SignDialog(QDialog):
    """Choose a team, the date and each member's packages; 签约 writes the contract on the worker."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, household_id: str, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.household_id = household_id
        self.today = today or dt.date.today()
        self.context: SignContext | None = None
        self.new_id: RecordId | None = None
        self.loaded = False
        self.fee_labels: dict[str, QLabel] = {}
        self.done_box: QMessageBox | None = None
        self.head_name = ""
        self.preview: PdfPreviewDialog | None = None
        self.setWindowTitle(self.tr("Sign a family-doctor contract"))
        self._build()
        self.runner.db(lambda: load_context(ws, household_id, self.today), on_done=self._loaded,
                       on_error=lambda exc: show_error(self, exc))

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self.tr("Loading…"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)

        self.team = QComboBox()
        self.team.setMinimumWidth(260)
        self.new_team_button = QPushButton(self.tr("New team…"))
        self.new_team_button.setCheckable(True)
        team_row = QHBoxLayout()
        team_row.addWidget(self.team, 1)
        team_row.addWidget(self.new_team_button)
        self.team_form = self._build_team_form()
        self.team_form.setVisible(False)

        self.signed_on = DateField(field="signed_on")
        self.signed_on.set_date(self.today)
        self.signed_on.setMaximumWidth(160)

        fees = QGroupBox(self.tr("Fees"))
        grid = QGridLayout(fees)
        for i, payer in enumerate((*PAYERS, "total")):
            name = self.tr("Total") if payer == "total" else payer
            label = QLabel(name + "：")
            value = QLabel("0.00")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if payer == "total":
                label.setStyleSheet("font-weight: bold;")
                value.setStyleSheet("font-weight: bold;")
            row, col = divmod(i, 2)
            grid.addWidget(label, row, col * 3)
            grid.addWidget(value, row, col * 3 + 1)
            grid.addWidget(QLabel(self.tr("yuan")), row, col * 3 + 2)
            self.fee_labels[payer] = value
        self.poor_note = QLabel()
        self.poor_note.setWordWrap(True)
        self.poor_note.setStyleSheet("color: #1b7f3b;")
        grid.addWidget(self.poor_note, 3, 0, 1, 6)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Team"), team_row)
        form.addRow("", self.team_form)
        form.addRow(self.tr("Signing date"), self.signed_on)
        top = QHBoxLayout()
        top.addLayout(form, 3)
        top.addSpacing(12)
        top.addWidget(fees, 2)

        self.grid = PackageGrid()
        self.grid.setMinimumHeight(150)
        hint = QLabel(self.tr(
            "Tick the packages each member signs. Packages that fit a member are ticked; one that "
            "does not fit shows why, and ticking it anyway is recorded as the doctor's decision."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5d6d7e;")
        self.override_note = QLabel()
        self.override_note.setWordWrap(True)
        self.override_note.setStyleSheet("color: #a04000;")
        self.override_note.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Packages per member (price per person per year)")))
        layout.addWidget(hint)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.override_note)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1040, 620)

        self.new_team_button.toggled.connect(self.team_form.setVisible)
        self.grid.changed.connect(self.update_fees)
        self.signed_on.editingFinished.connect(self._date_changed)
        self.team.currentIndexChanged.connect(lambda _i: self._update_ok())
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _build_team_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("New team"))
        self.team_name = QLineEdit()
        self.leader_name = QLineEdit()
        self.leader_phone = QLineEdit()
        self.doctor_name = QLineEdit()
        self.doctor_phone = QLineEdit()
        for phone in (self.leader_phone, self.doctor_phone):
            phone.setPlaceholderText(self.tr("Phone"))
            phone.setMaximumWidth(150)
        self.add_team_button = QPushButton(self.tr("Create team"))
        grid = QGridLayout(box)
        grid.addWidget(QLabel(self.tr("Team name")), 0, 0)
        grid.addWidget(self.team_name, 0, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Team leader")), 1, 0)
        grid.addWidget(self.leader_name, 1, 1)
        grid.addWidget(self.leader_phone, 1, 2)
        grid.addWidget(QLabel(self.tr("Village doctor")), 2, 0)
        grid.addWidget(self.doctor_name, 2, 1)
        grid.addWidget(self.doctor_phone, 2, 2)
        grid.addWidget(self.add_team_button, 3, 2)
        self.add_team_button.clicked.connect(self.create_team)
        return box

    # --- loading ------------------------------------------------------------------------

    def _loaded(self, context: SignContext) -> None:
        self.context = context
        h = context.household
        head = next((m for m in context.members if m.id == h.head_id), None)
        name = head.name if head else self.tr("household without a head")
        self.head_name = name
        status = POVERTY_STATUSES.get(context.status, "") if context.status else ""
        self.title.setText("  ".join(filter(None, [self.tr("Household of %s") % name, h.household_no,
                                                   h.group_name, status])))
        self._fill_teams(context.teams)
        relations = {str(p.id): p.relation for p in context.members}
        self.grid.set_data(context.facts, relations, context.packages, self.today, poor=self.poor)
        if self.poor:
            self.poor_note.setText(self.tr(
                "Poor household: the personal share is paid by 财政补助, the resident pays nothing."))
        self.poor_note.setVisible(self.poor)
        self.loaded = True
        self.update_fees()

    @property
    def poor(self) -> bool:
        return bool(self.context and self.context.status in POOR_STATUSES)

    def _date_changed(self) -> None:
        on = self.signed_on.safe_date()
        if on is not None and self.loaded and on != self.grid.on:
            self.grid.set_signing_date(on)

    def _fill_teams(self, teams: list[Team], select: str | None = None) -> None:
        self.team.blockSignals(True)
        self.team.clear()
        for t in teams:
            leader = t.leader
            self.team.addItem(t.name + (f"（{leader.name}）" if leader else ""), str(t.id))
        index = self.team.findData(select) if select else 0
        self.team.setCurrentIndex(max(index, 0))
        self.team.blockSignals(False)
        self.new_team_button.setChecked(not teams)
        self._update_ok()

    # --- state --------------------------------------------------------------------------

    def chosen_members(self) -> list[str]:
        """The members with at least one package ticked."""
        return list(self.grid.choice())

    def fees(self) -> dict[str, Decimal]:
        choice = {m.person_id: self.grid.chosen_packages(m.person_id) for m in self.grid.members}
        return choice_fees(choice, poor=self.poor)

    def update_fees(self) -> None:
        """Recompute each payer's share from what each member has ticked; show any override."""
        fees = self.fees()
        for payer in PAYERS:
            self.fee_labels[payer].setText(str(fees[payer]))
        self.fee_labels["total"].setText(str(sum(fees.values(), Decimal("0.00"))))
        highlight = "color: #1b7f3b; font-weight: bold;" if self.poor else ""
        self.fee_labels[PERSONAL].setStyleSheet(highlight)
        self.fee_labels[FINANCE].setStyleSheet("")
        overrides = self.grid.overrides()
        self.override_note.setText(self.tr("Signed against the package conditions, by the doctor's "
                                           "decision: %s") % "；".join(
            f"{o.name} {o.package}（{o.reason}）" for o in overrides))
        self.override_note.setVisible(bool(overrides))
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.loaded and self.team.currentIndex() >= 0 and bool(self.grid.choice()))

    # --- actions ------------------------------------------------------------------------

    def create_team(self) -> None:
        members = [TeamMember("团队长", self.leader_name.text(), self.leader_phone.text())]
        if self.doctor_name.text().strip():
            members.append(TeamMember("乡村医生", self.doctor_name.text(), self.doctor_phone.text()))
        team = Team(id=None, name=self.team_name.text(), township_code="", members=members)
        ws = self.ws
        self.add_team_button.setEnabled(False)

        def add() -> tuple[str, list[Team]]:
            tid, _changes = ws.contracts.add_team(team)
            return str(tid), ws.contracts.teams()

        self.runner.db(add, on_done=self._team_added, on_error=self._team_failed)

    def _team_added(self, result: tuple[str, list[Team]]) -> None:
        tid, teams = result
        self.add_team_button.setEnabled(True)
        for field in (self.team_name, self.leader_name, self.leader_phone, self.doctor_name,
                      self.doctor_phone):
            field.clear()
        self._fill_teams(teams, select=tid)
        self.new_team_button.setChecked(False)

    def _team_failed(self, exc: BaseException) -> None:
        self.add_team_button.setEnabled(True)
        show_error(self, exc)

    def save(self) -> None:
        """Sign on the worker; on an error the dialog stays open with everything as typed."""
        try:
            signed_on = self.signed_on.date()
        except ValidationError as exc:
            show_error(self, exc)
            return
        if signed_on is None:
            signed_on = self.today
        if signed_on != self.grid.on:
            self.grid.set_signing_date(signed_on)
        ws, hid = self.ws, self.household_id
        team_id = str(self.team.currentData() or "")
        choice = self.grid.choice()
        overrides = [(o.person_id, o.code) for o in self.grid.overrides()]
        self.buttons.setEnabled(False)
        self.runner.db(lambda: ws.contracts.sign(hid, team_id, [], signed_on, choice=choice,
                                                 overrides=overrides),
                       on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[RecordId, Changes]) -> None:
        self.buttons.setEnabled(True)
        self.new_id, changes = result
        self.saved.emit(changes)
        self._offer_print(len(self.grid.choice()))

    def _offer_print(self, people: int) -> None:
        """Say what was signed and offer the agreement's print preview."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Signed"),
                          self.tr("Signed the household of %1: %n person(s).", "", people)
                          .replace("%1", self.head_name), parent=self)
        box.setInformativeText(self.tr("Print the agreement (two copies) now?"))
        self.print_button = box.addButton(self.tr("Print agreement…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.print_button)
        box.finished.connect(lambda _r: self._after_message(box.clickedButton() is self.print_button))
        self.done_box = box
        box.open()

    def _after_message(self, print_it: bool) -> None:
        if print_it and self.new_id is not None:
            self.print_agreement(str(self.new_id))
        self.accept()

    def print_agreement(self, contract_id: str) -> None:
        """Render the new contract's agreement and open its preview over the dialog's parent."""
        from app.printing.agreement import render_agreement

        ws, out = self.ws, temp_pdf(print_folder(), "agreement")
        owner = self.parentWidget() or self
        title = self.tr("Agreement")

        def shown(_path: object) -> None:
            self.preview = open_preview(owner, out, title, places=ws.settings.protected_places)

        self.runner.db(lambda: agreement_item(ws, contract_id), on_error=lambda e: show_error(owner, e),
                       on_done=lambda data: self.runner.io(
                           lambda: render_agreement(data, out),
                           on_done=shown, on_error=lambda e: show_error(owner, e)))

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)
