"""签约: sign one household with a team — packages, members, date — with the fee split shown live."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
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
    contract_fees,
)
from app.core.errors import ValidationError
from app.core.households import POVERTY_STATUSES, Household
from app.core.ids import RecordId
from app.core.people import Person
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import DateField


@dataclass(frozen=True)
class SignContext:
    """What the dialog needs, read in one go on the database worker."""

    household: Household
    members: list[Person]
    teams: list[Team]
    packages: list[ServicePackage]


def load_context(ws: Workspace, household_id: str) -> SignContext:
    """Read the household, its members, the teams and the package list (on the worker)."""
    return SignContext(ws.household(household_id), ws.members(household_id), ws.teams(), ws.packages())


class SignDialog(QDialog):
    """Choose a team, packages and members; 签约 writes the contract on the worker."""

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
        self.package_boxes: dict[str, QCheckBox] = {}
        self.fee_labels: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Sign a family-doctor contract"))
        self._build()
        self.runner.db(lambda: load_context(ws, household_id), on_done=self._loaded,
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

        self.packages_box = QGroupBox(self.tr("Service packages (price per person per year)"))
        self.packages_layout = QVBoxLayout(self.packages_box)

        self.members_list = QListWidget()
        self.members_list.setMinimumHeight(120)
        self.members_list.setSpacing(3)
        self.signed_on = DateField(field="signed_on")
        self.signed_on.set_date(self.today)
        self.signed_on.setMaximumWidth(160)

        fees = QGroupBox(self.tr("Fees"))
        grid = QGridLayout(fees)
        for row, payer in enumerate((*PAYERS, "total")):
            name = self.tr("Total") if payer == "total" else payer
            label = QLabel(name + "：")
            value = QLabel("0.00")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if payer == "total":
                label.setStyleSheet("font-weight: bold;")
                value.setStyleSheet("font-weight: bold;")
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(QLabel(self.tr("yuan")), row, 2)
            self.fee_labels[payer] = value
        self.poor_note = QLabel()
        self.poor_note.setWordWrap(True)
        self.poor_note.setStyleSheet("color: #1b7f3b;")
        grid.addWidget(self.poor_note, len(PAYERS) + 1, 0, 1, 3)
        grid.setColumnStretch(3, 1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Team"), team_row)
        form.addRow("", self.team_form)
        form.addRow(self.tr("Signing date"), self.signed_on)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.packages_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Members covered")))
        right.addWidget(self.members_list, 1)
        right.addWidget(fees)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(12)
        body.addLayout(right, 2)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 860, 560)

        self.new_team_button.toggled.connect(self.team_form.setVisible)
        self.members_list.itemChanged.connect(lambda _i: self.update_fees())
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
        status = POVERTY_STATUSES.get(h.poverty_status, "") if h.poverty_status else ""
        self.title.setText("  ".join(filter(None, [self.tr("Household of %s") % name, h.household_no,
                                                   h.group_name, status])))
        self._fill_teams(context.teams)
        for p in context.packages:
            box = QCheckBox(self.tr("%1 — %2 yuan").replace("%1", p.name).replace("%2", str(p.price)))
            services = QLabel("、".join(s.name for s in p.services))
            services.setWordWrap(True)
            services.setStyleSheet("color: #5d6d7e; margin-left: 24px;")
            box.setChecked(p.tier == "基础包")
            box.toggled.connect(lambda _on: self.update_fees())
            self.package_boxes[p.code] = box
            self.packages_layout.addWidget(box)
            self.packages_layout.addWidget(services)
        self.members_list.blockSignals(True)
        for m in context.members:
            if m.living_status != "在册":
                continue
            item = QListWidgetItem(f"{m.name}（{m.relation}）")
            item.setData(Qt.ItemDataRole.UserRole, str(m.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.members_list.addItem(item)
        self.members_list.blockSignals(False)
        if h.is_poor:
            self.poor_note.setText(self.tr(
                "Poor household: the personal share is paid by 财政补助, the resident pays nothing."))
        self.poor_note.setVisible(h.is_poor)
        self.loaded = True
        self.update_fees()

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

    def chosen_packages(self) -> list[ServicePackage]:
        packages = self.context.packages if self.context else []
        return [p for p in packages if self.package_boxes[p.code].isChecked()]

    def chosen_members(self) -> list[str]:
        items = (self.members_list.item(i) for i in range(self.members_list.count()))
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items
                if i.checkState() == Qt.CheckState.Checked]

    def fees(self) -> dict[str, Decimal]:
        poor = bool(self.context and self.context.household.is_poor)
        return contract_fees(self.chosen_packages(), len(self.chosen_members()), poor=poor)

    def update_fees(self) -> None:
        """Recompute each payer's share for the chosen packages and members."""
        fees = self.fees()
        for payer in PAYERS:
            self.fee_labels[payer].setText(str(fees[payer]))
        self.fee_labels["total"].setText(str(sum(fees.values(), Decimal("0.00"))))
        highlight = "color: #1b7f3b; font-weight: bold;" if self.poor_note.isVisible() else ""
        self.fee_labels[PERSONAL].setStyleSheet(highlight)
        self.fee_labels[FINANCE].setStyleSheet("")
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.loaded and self.team.currentIndex() >= 0
                           and bool(self.chosen_packages()) and bool(self.chosen_members()))

    # --- actions ------------------------------------------------------------------------

    def create_team(self) -> None:
        members = [TeamMember("团队长", self.leader_name.text(), self.leader_phone.text())]
        if self.doctor_name.text().strip():
            members.append(TeamMember("乡村医生", self.doctor_name.text(), self.doctor_phone.text()))
        team = Team(id=None, name=self.team_name.text(), township_code="", members=members)
        ws = self.ws
        self.add_team_button.setEnabled(False)

        def add() -> tuple[str, list[Team]]:
            tid, _changes = ws.add_team(team)
            return str(tid), ws.teams()

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
        ws, hid = self.ws, self.household_id
        team_id = str(self.team.currentData() or "")
        codes = [p.code for p in self.chosen_packages()]
        members = self.chosen_members()
        self.buttons.setEnabled(False)
        self.runner.db(lambda: ws.sign_household(hid, team_id, codes, signed_on, members),
                       on_done=self._done, on_error=self._failed)

    def _done(self, result: tuple[RecordId, Changes]) -> None:
        self.buttons.setEnabled(True)
        self.new_id, changes = result
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)
