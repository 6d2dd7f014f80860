"""家庭档案: the searchable household list and one household's file with its members."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.households import POVERTY_CAUSES, POVERTY_STATUSES, HelpPerson, Household
from app.core.people import Person
from app.storage.changes import Changes
from app.storage.engine import sqlite3
from app.storage.households import HouseholdFilter
from app.storage.moved_out import MovedOut
from app.storage.workspace import Workspace
from app.ui.dialogs.household_dialog import HouseholdDialog
from app.ui.dialogs.move_dialog import MarkStatusDialog, MoveDialog
from app.ui.dialogs.person_dialog import PersonDialog, new_member
from app.ui.dialogs.sign_dialog import SignDialog
from app.ui.errors import show_error
from app.ui.models.households import HouseholdTableModel
from app.ui.models.members import MemberTableModel
from app.ui.tasks import TaskRunner
from app.ui.widgets.tables import record_table

HOUSEHOLD_TABLES = frozenset({"households", "people", "poverty_events", "help_persons", "divisions"})
SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class HouseholdDetail:
    """Everything the detail pane shows about one household, read in one go on the worker."""

    household: Household
    village_name: str
    helper: HelpPerson | None
    history: list[sqlite3.Row]
    members: list[Person]
    moved: MovedOut | None = None     # moved to a village outside this PC's scope (the county said)


def load_detail(ws: Workspace, household_id: str) -> HouseholdDetail:
    """Read one household's file (runs on the database worker)."""
    h = ws.households.get(household_id)
    moved = ws.sync.moved_out(household_id)
    return HouseholdDetail(
        household=h, village_name=ws.settings.division_name(h.village_code),
        helper=ws.households.current_help_person(household_id),
        history=ws.households.poverty_history(household_id), members=ws.households.members(household_id),
        moved=moved[0] if moved else None,
    )


class HouseholdsPage(QWidget):
    """Search households as you type; see and change one household and its members."""

    changed = Signal(object)
    open_person = Signal(str)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.model = HouseholdTableModel(ws, runner, self)
        self.members_model = MemberTableModel(self)
        self.detail: HouseholdDetail | None = None
        self._current: str | None = None
        self._select_after: str | None = None
        self._query_generation = 0
        self._detail_generation = 0
        self._villages: list[tuple[str, str]] = []
        self._groups: list[str] = []
        self.searching = False
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Search: name, pinyin initials, record no., or any 4+ digits of an ID or phone"))
        self.search.setToolTip(self.tr(
            "Type a name, its pinyin or initials, a health-record number, or any 4 or more digits"
            " in a row of an ID or phone number (such as its last 4)"))
        self.search.setClearButtonEnabled(True)
        self.village = QComboBox()
        self.group = QComboBox()
        self.status = QComboBox()
        self.cause = QComboBox()
        self.village.addItem(self.tr("All villages"), "")
        self.group.addItem(self.tr("All groups"), "")
        self.status.addItem(self.tr("All statuses"), "")
        for code, name in POVERTY_STATUSES.items():
            self.status.addItem(name, code)
        self.cause.addItem(self.tr("All causes"), "")
        for cause in POVERTY_CAUSES:
            self.cause.addItem(cause, cause)
        for combo in (self.village, self.group, self.status, self.cause):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel()
        self.new_button = QPushButton(self.tr("New household"))

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.village)
        bar.addWidget(self.group)
        bar.addWidget(self.status)
        bar.addWidget(self.cause)
        bar.addWidget(self.count_label)
        bar.addWidget(self.new_button)

        self.table = record_table(self.model, ("6229231042010001", "欧阳建国", "62292310420100001",
                                               "十二组", "建档立卡贫困户", "因病、因残", "人数",
                                               "13800000000"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 370])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_query)
        self.village.currentIndexChanged.connect(self._village_changed)
        for combo in (self.group, self.status, self.cause):
            combo.currentIndexChanged.connect(self.run_query)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_household())
        self.new_button.clicked.connect(self.new_household)

    def _build_detail(self) -> QWidget:
        pane = QWidget()
        self.title = QLabel(self.tr("Choose a household on the left"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.moved_label = QLabel()
        self.moved_label.setWordWrap(True)
        self.moved_label.setStyleSheet("QLabel { background: #fff4e0; border: 1px solid #e0b060;"
                                       " padding: 6px; }")
        self.moved_label.setVisible(False)
        self.info: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        labels = [
            ("place", self.tr("Village / group")), ("household_no", self.tr("Household no.")),
            ("address", self.tr("Address")), ("phone", self.tr("Phone")),
            ("status", self.tr("Poverty status")), ("causes", self.tr("Causes of poverty")),
            ("helper", self.tr("Help person")), ("history", self.tr("Status history")),
            ("living", self.tr("Living conditions")),
        ]
        for key, text in labels:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info[key] = value
            form.addRow(text + "：", value)
        self.edit_button = QPushButton(self.tr("Edit household"))
        self.sign_button = QPushButton(self.tr("Sign contract…"))

        self.members = QTableView()
        self.members.setModel(self.members_model)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.verticalHeader().setVisible(False)
        self.members.verticalHeader().setDefaultSectionSize(28)
        self.members.horizontalHeader().setStretchLastSection(True)
        for col, sample in enumerate(("欧阳建国", "外孙女", "性别", "100", "62292319650312001X",
                                      "62292310420100001")):
            self.members.setColumnWidth(col, self.fontMetrics().horizontalAdvance(sample) + 14)
        self.members.doubleClicked.connect(lambda _i: self.edit_member())

        self.add_member_button = QPushButton(self.tr("Add member"))
        self.edit_member_button = QPushButton(self.tr("Edit member"))
        self.move_button = QPushButton(self.tr("Move to another household"))
        self.head_button = QPushButton(self.tr("Make head"))
        self.mark_button = QPushButton(self.tr("Moved out / died…"))
        self.open_button = QPushButton(self.tr("Open resident file"))
        buttons = QGridLayout()
        for i, b in enumerate((self.add_member_button, self.edit_member_button, self.open_button,
                               self.move_button, self.head_button, self.mark_button)):
            buttons.addWidget(b, i // 3, i % 3)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sign_button)
        top.addWidget(self.edit_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.moved_label)
        left.addLayout(form)
        left.addStretch(1)
        members_title = QLabel(self.tr("Members"))
        members_title.setStyleSheet("font-weight: bold;")
        right = QVBoxLayout()
        right.addWidget(members_title)
        right.addWidget(self.members, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(pane)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(left, 2)
        layout.addSpacing(12)
        layout.addLayout(right, 3)

        self.edit_button.clicked.connect(self.edit_household)
        self.sign_button.clicked.connect(self.sign_household)
        self.add_member_button.clicked.connect(self.add_member)
        self.edit_member_button.clicked.connect(self.edit_member)
        self.move_button.clicked.connect(self.move_member)
        self.head_button.clicked.connect(self.make_head)
        self.mark_button.clicked.connect(self.mark_member)
        self.open_button.clicked.connect(self._open_person)
        self.members.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()
        return pane

    # --- workspace and refresh --------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        """Use another open database (after a restore)."""
        self.ws = ws
        self.model.set_workspace(ws)
        self._show_detail(None)
        self.refresh()

    def refresh(self) -> None:
        """Reload the code lists and the list of households."""
        self._load_lists()
        self.run_query()

    def on_changes(self, changes: Changes) -> None:
        """Refresh what this page shows after a mutation anywhere in the window."""
        if not changes.tables & HOUSEHOLD_TABLES:
            return
        self.model.invalidate()
        self._load_lists()
        self.run_query()

    def _load_lists(self) -> None:
        ws = self.ws
        self.runner.db(lambda: (ws.settings.villages(), ws.households.group_names()),
                       on_done=self._lists_loaded)

    def _lists_loaded(self, lists: tuple[list[tuple[str, str]], list[str]]) -> None:
        self._villages, self._groups = lists
        _refill(self.village, [(name, code) for code, name in self._villages])
        self._fill_groups()

    def _village_changed(self) -> None:
        ws, village = self.ws, str(self.village.currentData() or "")
        self.runner.db(lambda: ws.households.group_names(village), on_done=self._groups_loaded)
        self.run_query()

    def _groups_loaded(self, groups: list[str]) -> None:
        self._groups = groups
        self._fill_groups()

    def _fill_groups(self) -> None:
        before = self.group.currentData()
        _refill(self.group, [(g, g) for g in self._groups])
        if before and self.group.currentData() != before:
            self.run_query()

    # --- the list -----------------------------------------------------------------------

    def current_filter(self) -> HouseholdFilter:
        return HouseholdFilter(
            query=self.search.text().strip(),
            village_code=str(self.village.currentData() or ""),
            group_name=str(self.group.currentData() or ""),
            poverty_status=str(self.status.currentData() or ""),
            cause=str(self.cause.currentData() or ""),
        )

    def run_query(self) -> None:
        """Ask the worker for the ids that pass the filter; a newer query makes older ones stale."""
        self._timer.stop()
        self._query_generation += 1
        generation = self._query_generation
        f = self.current_filter()
        ws = self.ws
        self.searching = True
        self.runner.db(lambda: ws.households.ids(f),
                       on_done=lambda ids: self._ids_loaded(generation, ids))

    def _ids_loaded(self, generation: int, ids: list[str]) -> None:
        if generation != self._query_generation:
            return
        self.searching = False
        keep = self._select_after or self._current
        self._select_after = None
        self.model.set_ids(ids)
        self.count_label.setText(self.tr("%d households") % len(ids))
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and len(ids) == 1:
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))
            self.show_household(self.model.household_id(row) or "")
        elif keep:
            self._show_detail(None)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hid = self.model.household_id(current.row()) if current.isValid() else None
        if hid and hid != self._current:
            self.show_household(hid)

    def select_household(self, household_id: str) -> None:
        """Show a household, clearing the filters if it is not listed."""
        if self.model.row_of(household_id) < 0:
            self._select_after = household_id
            for combo in (self.village, self.group, self.status, self.cause):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.run_query()
        else:
            self._select_after = household_id
            self.run_query()

    # --- the detail pane --------------------------------------------------------------

    def show_household(self, household_id: str) -> None:
        self._current = household_id
        self._detail_generation += 1
        generation = self._detail_generation
        ws = self.ws
        self.runner.db(lambda: load_detail(ws, household_id),
                       on_done=lambda d: self._detail_loaded(generation, d),
                       on_error=lambda exc: self._detail_failed(generation, exc))

    def _detail_loaded(self, generation: int, detail: HouseholdDetail) -> None:
        if generation == self._detail_generation:
            self._show_detail(detail)

    def _detail_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._detail_generation:
            self._show_detail(None)
            show_error(self, exc)

    def _show_detail(self, detail: HouseholdDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self._current = None
            self.title.setText(self.tr("Choose a household on the left"))
            for label in self.info.values():
                label.clear()
            self.moved_label.setVisible(False)
            self.members_model.set_people([])
            self._update_buttons()
            return
        h = detail.household
        head = next((m for m in detail.members if m.id == h.head_id), None)
        self.title.setText(self.tr("Household of %s") % head.name if head else self.tr("Household without a head"))
        self.info["place"].setText(" ".join(filter(None, [detail.village_name, h.group_name])))
        self.info["household_no"].setText(h.household_no)
        self.info["address"].setText(h.address)
        self.info["phone"].setText(h.phone)
        status = POVERTY_STATUSES.get(h.poverty_status, h.poverty_status)
        if h.exit_year:
            status += " " + self.tr("(out of poverty in %d)") % h.exit_year
        self.info["status"].setText(status)
        self.info["causes"].setText("、".join(h.poverty_causes))
        helper = detail.helper
        self.info["helper"].setText(
            " ".join(filter(None, [helper.name, helper.unit, helper.phone])) if helper else self.tr("None"))
        self.info["history"].setText("；".join(
            f"{r['since']} {POVERTY_STATUSES.get(r['status'], r['status'])}"
            + (f"（{r['note']}）" if r["note"] else "") for r in detail.history))
        self.info["living"].setText(" ".join(filter(None, [h.housing, h.water, h.toilet, h.fuel])))
        self._show_moved(detail.moved)
        selected = self.current_member()
        self.members_model.set_people(detail.members)
        row = next((i for i, m in enumerate(detail.members) if selected and m.id == selected.id), -1)
        if row >= 0:
            self.members.selectRow(row)
        self._update_buttons()

    def _show_moved(self, moved: MovedOut | None) -> None:
        """A household the county says moved to a village outside this PC's scope: still readable
        here, no longer edited here."""
        if moved is None:
            self.moved_label.setVisible(False)
            return
        text = self.tr("This household has moved to %1; this PC no longer looks after it.") \
            .replace("%1", moved.place)
        if moved.pending:
            text += self.tr(" %1 changes made here were not taken by the county; see Sync.") \
                .replace("%1", str(moved.pending))
        self.moved_label.setText(text)
        self.moved_label.setVisible(True)

    def current_member(self) -> Person | None:
        index = self.members.selectionModel().currentIndex()
        return self.members_model.person(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        has_household = self.detail is not None
        editable = has_household and self.detail is not None and self.detail.moved is None
        member = self.current_member()
        self.edit_button.setEnabled(editable)
        self.sign_button.setEnabled(editable)
        self.add_member_button.setEnabled(editable)
        self.open_button.setEnabled(member is not None)
        for b in (self.edit_member_button, self.move_button, self.mark_button):
            b.setEnabled(member is not None and editable)
        self.head_button.setEnabled(member is not None and editable and member.relation != "户主"
                                    and member.living_status == "在册")

    # --- actions ------------------------------------------------------------------------

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def new_household(self) -> HouseholdDialog:
        village = str(self.village.currentData() or "") or (self._villages[0][0] if self._villages else "")
        dialog = HouseholdDialog(self.ws, self.runner, Household(id=None, village_code=village),
                                 villages=self._villages, groups=self._groups, parent=self)

        def saved(changes: Changes) -> None:
            self.select_household(str(dialog.new_id))
            self._saved(changes)

        dialog.saved.connect(saved)
        dialog.open()
        return dialog

    def edit_household(self) -> HouseholdDialog | None:
        if self.detail is None:
            return None
        dialog = HouseholdDialog(self.ws, self.runner, self.detail.household,
                                 villages=self._villages, groups=self._groups,
                                 helper=self.detail.helper, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def sign_household(self) -> SignDialog | None:
        if self.detail is None or self.detail.household.id is None:
            return None
        dialog = SignDialog(self.ws, self.runner, str(self.detail.household.id), parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def add_member(self) -> PersonDialog | None:
        if self.detail is None or self.detail.household.id is None:
            return None
        person = new_member(str(self.detail.household.id), first=not self.detail.members)
        dialog = PersonDialog(self.ws, self.runner, person, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def edit_member(self) -> PersonDialog | None:
        member = self.current_member()
        if member is None:
            return None
        dialog = PersonDialog(self.ws, self.runner, member, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def move_member(self) -> MoveDialog | None:
        member = self.current_member()
        if member is None:
            return None
        dialog = MoveDialog(self.ws, self.runner, member, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def mark_member(self) -> MarkStatusDialog | None:
        member = self.current_member()
        if member is None:
            return None
        dialog = MarkStatusDialog(self.ws, self.runner, member, parent=self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def make_head(self) -> None:
        member = self.current_member()
        if member is None or member.id is None or member.household_id is None:
            return
        ws, hid, pid = self.ws, str(member.household_id), str(member.id)
        self.runner.db(lambda: ws.households.set_head(hid, pid), on_done=self._saved,
                       on_error=lambda exc: show_error(self, exc))

    def _open_person(self) -> None:
        member = self.current_member()
        if member is not None and member.id is not None:
            self.open_person.emit(str(member.id))


def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    """Replace a filter combo's choices after its first 'all' entry, keeping the choice."""
    before = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for label, data in items:
        combo.addItem(label, data)
    index = combo.findData(before) if before else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
