"""就医结算录入: type a claim from the hospital's slip (or plan one), with the settlement worked
out line by line as you type and the slip's amounts checked against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import ESTIMATE, Claim, LayerCheck, check_claim, compare
from app.core.errors import CunyiError, ValidationError
from app.core.identity import age_on
from app.core.ids import RecordId
from app.core.people import SEXES
from app.core.settlement import Settlement
from app.printing.care_models import Patient
from app.printing.layout import PrintCancelled
from app.printing.settlement import SettlementFormData, render_settlement
from app.printing.settlement_data import form_from_settlement
from app.storage.changes import Changes
from app.storage.people import PersonHit
from app.storage.workspace import Workspace
from app.ui.dialogs.claim_form import ClaimForm
from app.ui.errors import show_error
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner
from app.ui.unsaved import UnsavedGuard
from app.ui.widgets.fields import BAD_STYLE
from app.ui.widgets.pdf_preview import PdfPreviewDialog, open_preview, print_folder, temp_pdf
from app.ui.widgets.settlement_panel import SettlementPanel

ESTIMATE_DELAY_MS = 300
SEARCH_DELAY_MS = 200
# Problems of the claim as it would be stored that are worth showing while typing; the others
# (a missing hospital name, say) wait for 保存.
LIVE_FIELDS = frozenset({"paid", "self_pay", "discharged", "fees", "total", "out_of_catalogue"})


@dataclass(frozen=True)
class Estimate:
    """One live estimate: the engine's settlement, the slip beside it, and what saving would
    refuse (None when the claim could be stored as it is)."""

    settlement: Settlement
    checks: tuple[LayerCheck, ...]
    problem: CunyiError | None


def estimate_claim(ws: Workspace, draft: Claim, today: dt.date) -> Estimate:
    """Settle the draft without writing (on the database worker): as an estimate, so the numbers
    show before every slip field is filled, then compared with the slip and checked in full."""
    planned = replace(draft, source=ESTIMATE, paid={}, self_pay=None, settlement_no="")
    s = ws.claims.estimate(planned, today=today)
    checks = tuple(compare(s, draft, tolerance=ws.claims.tolerance()))
    problem = None
    try:
        check_claim(draft, today=today, known_categories=ws.claims.shelf().categories)
    except ValidationError as exc:
        problem = exc
    return Estimate(s, checks, problem)


@dataclass(frozen=True)
class PersonInfo:
    """The chosen resident as the dialog names them."""

    id: str
    name: str
    record_no: str
    group: str


def person_info(ws: Workspace, person_id: str) -> PersonInfo:
    p = ws.people.get(person_id)
    h = ws.households.get(str(p.household_id))
    return PersonInfo(str(p.id), p.name, p.record_no, h.group_name)


def estimate_form(ws: Workspace, s: Settlement, person_id: str, hospital: str) -> SettlementFormData:
    """The printed form of an estimate for this resident (on the database worker)."""

    p = ws.people.get(person_id)
    h = ws.households.get(str(p.household_id))
    patient = Patient(name=p.name, record_no=p.record_no, sex=SEXES.get(p.sex, ""),
                      age=age_on(p.birth_date, s.claim.admitted) if p.birth_date else None,
                      id_no=p.id_no, phone=p.phone, address=h.address,
                      record_provisional=p.record_provisional)
    return form_from_settlement(
        s, patient, hospital=hospital, insurance_type=p.insurance_type, insurance_no=p.insurance_no,
        village=ws.settings.division_name(h.village_code) + (h.group_name or ""))


class ClaimDialog(QDialog):
    """Enter a claim (保存 writes it) or, with `estimate_only`, work one out and print it."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, person_id: str | None = None,
                 estimate_only: bool = False, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.today = today or dt.date.today()
        self.estimate_only = estimate_only
        self.person_id = ""
        self.person: PersonInfo | None = None
        self.latest: Estimate | None = None
        self.new_id: RecordId | None = None
        self.estimating = False
        self.searching = False
        self.preview: PdfPreviewDialog | None = None
        self._generation = 0
        self._search_generation = 0
        self.setWindowTitle(self.tr("Estimate a settlement") if estimate_only else self.tr("New claim"))
        self._build()
        if estimate_only:
            self.form.set_estimate_only()
        if person_id:
            self.runner.db(lambda: person_info(ws, person_id), on_done=self._chosen,
                           on_error=lambda exc: show_error(self, exc))
        self.refresh_estimate()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.person_search = QLineEdit()
        self.person_search.setPlaceholderText(self.tr("Find the resident: name, pinyin initials, ID or record no."))
        self.person_search.setClearButtonEnabled(True)
        self.person_results = QListWidget()
        self.person_results.setMaximumHeight(self.fontMetrics().height() * 5 + 16)
        self.person_results.setVisible(False)
        self.person_label = QLabel(self.tr("No resident chosen"))
        font = self.person_label.font()
        font.setBold(True)
        self.person_label.setFont(font)
        self.person_error = QLabel()
        self.person_error.setStyleSheet(BAD_STYLE)
        self.person_error.setWordWrap(True)
        self.person_error.setVisible(False)

        self.form = ClaimForm()
        inner = QWidget()
        left = QVBoxLayout(inner)
        left.setContentsMargins(0, 0, 8, 0)
        left.addWidget(self.person_search)
        left.addWidget(self.person_results)
        left.addWidget(self.person_label)
        left.addWidget(self.person_error)
        left.addWidget(self.form)
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.panel = SettlementPanel()
        body = QHBoxLayout()
        body.addWidget(scroll, 9)
        body.addSpacing(8)
        body.addWidget(self.panel, 10)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Save"))
        self.print_button = QPushButton(self.tr("Print estimate…"))
        self.close_button = QPushButton(self.tr("Close") if self.estimate_only else self.tr("Cancel"))
        self.save_button.setDefault(True)
        if self.estimate_only:
            self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1320, 720)
        # The form adds a field per payer once the policy is known, so edits are what the
        # doctor types (the form's `edited`), not a comparison of its fields.
        self.guard = UnsavedGuard(self, inputs=False)
        self.form.edited.connect(self.guard.touch)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ESTIMATE_DELAY_MS)
        self._timer.timeout.connect(self.refresh_estimate)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.form.edited.connect(self._timer.start)
        self.person_search.textChanged.connect(self._search_timer.start)
        self.person_search.returnPressed.connect(self.run_search)
        self.person_results.currentItemChanged.connect(self._result_picked)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_estimate)
        self.close_button.clicked.connect(self.reject)

    # --- the resident -------------------------------------------------------------------

    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.person_search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not query:
            self.person_results.clear()
            self.person_results.setVisible(False)
            return
        ws = self.ws
        self.searching = True
        self.runner.db(lambda: ws.people.search(query, limit=30),
                       on_done=lambda hits: self._found(generation, hits),
                       on_error=lambda exc: show_error(self, exc))

    def _found(self, generation: int, hits: list[PersonHit]) -> None:
        if generation != self._search_generation:
            return
        self.searching = False
        self.person_results.blockSignals(True)
        self.person_results.clear()
        for h in hits:
            parts = [h.name, SEXES.get(h.sex, ""), h.birth_date, h.group_name, h.record_no]
            if h.living_status != "在册":
                parts.append(h.living_status)
            item = QListWidgetItem("　".join(p for p in parts if p))
            item.setData(Qt.ItemDataRole.UserRole, PersonInfo(h.id, h.name, h.record_no, h.group_name))
            self.person_results.addItem(item)
        self.person_results.blockSignals(False)
        self.person_results.setVisible(True)
        if not hits:
            self.person_results.addItem(self.tr("Nobody found"))

    def _result_picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        info = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(info, PersonInfo):
            self._chosen(info)

    def _chosen(self, info: PersonInfo) -> None:
        self.person_id = info.id
        self.person = info
        self._show_person()
        self.person_error.setVisible(False)
        self.refresh_estimate()

    def _show_person(self, categories: str = "") -> None:
        info = self.person
        if info is None:
            return
        text = "  ".join(filter(None, [info.name, info.record_no, info.group]))
        if categories:
            text += "  " + self.tr("category: %s") % categories
        self.person_label.setText(text)

    # --- the live estimate --------------------------------------------------------------

    def _show_problem(self, exc: CunyiError) -> bool:
        """Put a message next to its field; False when no field of the dialog shows it."""
        if exc.field == "person_id":
            self.person_error.setText(str(exc))
            self.person_error.setVisible(True)
            return True
        field = self.form.field_of(exc.field)
        if field is None:
            return False
        self.form.show_error(field, str(exc))
        return True

    def refresh_estimate(self) -> None:
        """Settle what is typed so far on the worker; older answers are dropped."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.form.clear_errors()
        self.person_error.setVisible(False)
        self.print_button.setEnabled(False)
        try:
            draft = self.form.claim(self.person_id)
        except ValidationError as exc:
            self.estimating = False
            self._show_problem(exc)
            self.panel.clear(self.tr("Correct the field marked in red to see the settlement."), bad=True)
            return
        if draft is None:
            self.estimating = False
            self.panel.clear(self.tr("Choose the resident, then enter the dates and the total cost: "
                                     "the settlement is worked out as you type."))
            return
        ws, today = self.ws, self.today
        self.estimating = True
        self.runner.db(lambda: estimate_claim(ws, draft, today),
                       on_done=lambda result: self._estimated(generation, result),
                       on_error=lambda exc: self._estimate_failed(generation, exc))

    def _estimated(self, generation: int, result: Estimate) -> None:
        if generation != self._generation:
            return
        self.estimating = False
        self.latest = result
        s = result.settlement
        self.panel.show_settlement(s, result.checks)
        self.form.set_layers([x.name for x in s.layers])
        self._show_person("、".join(sorted(s.claim.person)))
        problem = result.problem
        if problem is not None and problem.field in LIVE_FIELDS:
            self._show_problem(problem)
        self.print_button.setEnabled(True)

    def _estimate_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.estimating = False
        self.latest = None
        if not isinstance(exc, CunyiError):
            self.panel.clear()
            show_error(self, exc)
            return
        shown = self._show_problem(exc)
        self.panel.clear(self.tr("Correct the field marked in red to see the settlement.") if shown
                         else str(exc), bad=True)

    # --- saving and printing ------------------------------------------------------------

    def reject(self) -> None:
        """关闭, Esc or closing the window asks first when a slip was typed and not saved."""
        if self.guard.may_close():
            super().reject()

    def save(self) -> None:
        """Store the claim on the worker; on an error the dialog stays open as typed."""
        self._timer.stop()
        self.form.clear_errors()
        self.person_error.setVisible(False)
        try:
            claim = self.form.claim(self.person_id, complete=True)
        except ValidationError as exc:
            self._show_problem(exc)
            return
        assert claim is not None
        ws, today = self.ws, self.today
        self.save_button.setEnabled(False)
        self.runner.db(lambda: ws.claims.add_claim(claim, today=today), on_done=self._saved,
                       on_error=self._save_failed)

    def _saved(self, result: tuple[RecordId, Changes]) -> None:
        self.save_button.setEnabled(True)
        self.new_id, changes = result
        self.saved.emit(changes)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, CunyiError) and self._show_problem(exc):
            return
        show_error(self, exc)

    def print_estimate(self) -> None:
        """The 一站式结算单 of the estimate, marked as such, in the print preview."""
        if self.latest is None or self.person is None:
            return

        ws, s, pid, hospital = self.ws, self.latest.settlement, self.person_id, self.form.hospital.text()
        out = temp_pdf(print_folder(), "estimate")
        title = self.tr("Estimate for %s") % self.person.name
        self.print_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            if not isinstance(exc, PrintCancelled):
                show_error(self, exc)

        self.runner.db(lambda: estimate_form(ws, s, pid, hospital), on_error=failed,
                       on_done=lambda data: self.runner.io(
                           lambda: render_settlement(data, out),
                           on_done=lambda _p: self._open_preview(out, title), on_error=failed))

    def _open_preview(self, path: Path, title: str) -> None:
        self.print_button.setEnabled(True)
        self.preview = open_preview(self, path, title, places=self.ws.settings.protected_places)
