"""工作台: what is due on a day — follow-ups, referral checks, exams, results to give back and
contracts to renew — with counts per kind and per village group; a line opens its form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import tasks as t
from app.core.errors import ValidationError
from app.core.tasks import TaskLine, TaskList
from app.storage.changes import Changes
from app.storage.workspace import Workspace
from app.ui.dialogs.care_dialogs import ReturnedDialog
from app.ui.dialogs.dissolve_dialog import RenewDialog
from app.ui.dialogs.exam_dialog import ExamDialog
from app.ui.dialogs.followup_dialog import FollowUpDialog
from app.ui.errors import show_error
from app.ui.models.tasks import TaskTableModel, detail_text, line_key
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import BAD_STYLE
from app.ui.widgets.form_fields import date_field
from app.ui.widgets.tables import record_table

TASK_TABLES = frozenset({"follow_ups", "referral_results", "health_exams", "exam_returns",
                         "contracts", "people", "diagnoses", "households", "settings"})
FOLLOWUP_KINDS = frozenset(t.FOLLOWUP_KINDS.values())
CHIP_STYLE = """
QPushButton[chip="true"] { border: 1px solid #c5ccd3; border-radius: 14px; padding: 4px 10px;
                          background: #ffffff; }
QPushButton[chip="true"]:checked { background: #2f6fb2; color: white; border-color: #2f6fb2; }
QPushButton[chip="late"] { border: 1px solid #e6b0aa; border-radius: 14px; padding: 4px 10px;
                          background: #fdecea; color: #b03a2e; }
QPushButton[chip="late"]:checked { background: #b03a2e; color: white; border-color: #b03a2e; }
"""

CHIPS: dict[str, Callable[[TaskLine], bool]] = {
    "all": lambda line: True,
    "due": lambda line: line.kind in FOLLOWUP_KINDS and not line.overdue,
    "overdue": lambda line: line.overdue,           # every kind, as the heading counts them
    "referral": lambda line: line.kind == t.REFERRAL,
    "exam": lambda line: line.kind == t.EXAM,
    "returns": lambda line: line.kind == t.EXAM_RETURN,
    "contract": lambda line: line.kind == t.CONTRACT,
}


def group_label(line: TaskLine, many_villages: bool) -> str:
    return f"{line.village}{line.group}" if many_villages else line.group


class WorktablePage(QWidget):
    """The day's task list; the day is a field so another day can be looked at."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, *, today: dt.date | None = None,
                 doctor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.doctor = doctor
        self._today = today
        self.task_list: TaskList | None = None
        self.loading = False
        self.dialog: QDialog | None = None
        self.chip = "all"
        self.group: str | None = None
        self.group_order: dict[str, int] = {}
        self._generation = 0
        self._build()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def day(self) -> dt.date:
        """The day the list is for (the date field, today when it cannot be read)."""
        return self.day_field.safe_date() or self.today

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(CHIP_STYLE)
        self.heading = QLabel(self.tr("Tasks of the day"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.day_field = date_field("day")
        self.day_field.set_date(self.today)
        self.today_button = QPushButton(self.tr("Today"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)   # long texts wrap rather than widen the window
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("Day")))
        top.addWidget(self.day_field)
        top.addWidget(self.today_button)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)

        self.chip_group = QButtonGroup(self)
        self.chip_group.setExclusive(True)
        self.chips: dict[str, QPushButton] = {}
        chips = QHBoxLayout()
        chips.setSpacing(6)
        for key in CHIPS:
            b = QPushButton()
            b.setCheckable(True)
            b.setProperty("chip", "late" if key == "overdue" else "true")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            self.chip_group.addButton(b)
            self.chips[key] = b
            chips.addWidget(b)
            b.clicked.connect(lambda _on, k=key: self.set_chip(k))
        chips.addStretch(1)
        self.chips["all"].setChecked(True)

        self.model = TaskTableModel(self)
        self.table = record_table(self.model, ("欧阳建国", "62292310420100001", "十二组",
                                               "体检结果反馈", "2024-12-31", "逾期 100 天",
                                               "告知体检结果"), stretch=7)
        self.groups = QTableWidget(0, 3)
        self.groups.setHorizontalHeaderLabels([self.tr("Group"), self.tr("Count"),
                                               self.tr("Overdue")])
        self.groups.verticalHeader().setVisible(False)
        self.groups.verticalHeader().setDefaultSectionSize(28)
        self.groups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col in (1, 2):
            self.groups.setColumnWidth(col, metrics.horizontalAdvance("任务数") + 18)
        self.groups.setFixedWidth(metrics.horizontalAdvance("全部小组") + 2 * (
            metrics.horizontalAdvance("任务数") + 18) + 24)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        groups = QVBoxLayout()
        groups.addWidget(QLabel(self.tr("By village group")))
        groups.addWidget(self.groups, 1)
        body.addLayout(groups)

        self.open_button = QPushButton(self.tr("Open form…"))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(self.tr("Double-click a line or press Enter to open its form."))
        hint.setStyleSheet("color: #5d6d7e;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.detail, 1)
        bottom.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(chips)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.day_field.editingFinished.connect(self.refresh)
        self.day_field.returnPressed.connect(self.refresh)
        self.today_button.clicked.connect(self.show_today)
        self.table.activated.connect(lambda _i: self.open_current())  # double-click or Enter
        self.open_button.clicked.connect(self.open_current)
        self.groups.itemSelectionChanged.connect(self._group_chosen)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.refresh()

    def set_day(self, day: dt.date) -> None:
        self.day_field.set_date(day)
        self.refresh()

    def show_today(self) -> None:
        self.set_day(self.today)

    def refresh(self) -> None:
        """Compute the task list for the chosen day on the worker."""
        try:
            self.day_field.date()
        except ValidationError as exc:  # the list stays on today; the field says why
            self.day_field.setStyleSheet(BAD_STYLE)
            self.day_field.setToolTip(exc.message)
        else:
            self.day_field.setStyleSheet("")
            self.day_field.setToolTip("")
        self._generation += 1
        generation, ws, day = self._generation, self.ws, self.day
        self.loading = True
        self.runner.db(lambda: (ws.care.tasks(day), ws.households.group_names()),
                       on_done=lambda r: self._loaded(generation, *r),
                       on_error=lambda exc: self._failed(generation, exc))

    def on_changes(self, changes: Changes) -> None:
        if changes.tables & TASK_TABLES:
            self.refresh()

    def _loaded(self, generation: int, tasks: TaskList, groups: list[str]) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.task_list = tasks
        self.group_order = {g: i for i, g in enumerate(groups)}
        self._show()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading = False
            show_error(self, exc)

    # --- filters ------------------------------------------------------------------------

    def set_chip(self, key: str) -> None:
        self.chip = key
        self.chips[key].setChecked(True)
        self._show()

    def set_group(self, group: str | None) -> None:
        self.group = group
        self._show()

    def _group_chosen(self) -> None:
        items = self.groups.selectedItems()
        if items:
            value = items[0].data(Qt.ItemDataRole.UserRole)
            self.set_group(str(value) if value else None)

    def _in_group(self, lines: list[TaskLine]) -> list[TaskLine]:
        many = len({line.village for line in lines}) > 1
        return [line for line in lines if self.group is None or group_label(line, many) == self.group]

    def _show(self) -> None:
        tasks = self.task_list
        if tasks is None:
            return
        keep = self.current_key()
        lines = self._in_group(tasks.lines)
        for key, test in CHIPS.items():
            self.chips[key].setText(f"{self._chip_name(key)} {sum(1 for ln in lines if test(ln))}")
        shown = [line for line in lines if CHIPS[self.chip](line)]
        self.model.set_lines(shown)
        # The heading counts the same lines as the chips: those of the chosen group.
        overdue = sum(1 for line in lines if line.overdue)
        self.summary.setText(self.tr("%1 tasks, %2 overdue").replace("%1", str(len(lines)))
                             .replace("%2", str(overdue)))
        self._show_groups(tasks.lines)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _chip_name(self, key: str) -> str:
        return {
            "all": self.tr("All"), "due": self.tr("Follow-ups due"),
            "overdue": self.tr("Overdue"), "referral": self.tr("Referrals to check"),
            "exam": self.tr("Yearly exam not done"), "returns": self.tr("Exam result not given"),
            "contract": self.tr("Contracts expiring"),
        }[key]

    def _show_groups(self, lines: list[TaskLine]) -> None:
        many = len({line.village for line in lines}) > 1
        totals: dict[str, list[int]] = {}
        for line in lines:
            counts = totals.setdefault(group_label(line, many), [0, 0])
            counts[0] += 1
            counts[1] += line.overdue
        rows = [(None, self.tr("All groups"), len(lines), sum(1 for line in lines if line.overdue))]
        order = self.group_order
        rows += [(g, g, n, late) for g, (n, late) in
                 sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]
        self.groups.blockSignals(True)
        self.groups.setRowCount(len(rows))
        for r, (value, name, n, late) in enumerate(rows):
            for c, text in enumerate((name, str(n), str(late))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == 2 and late:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.groups.setItem(r, c, item)
            if value == self.group:
                self.groups.selectRow(r)
        self.groups.blockSignals(False)

    # --- opening a line's form -------------------------------------------------------------

    def current_line(self) -> TaskLine | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.line(index.row()) if index.isValid() else None

    def current_key(self) -> str | None:
        line = self.current_line()
        return line_key(line) if line else None

    def _update_buttons(self) -> None:
        line = self.current_line()
        self.open_button.setEnabled(line is not None)
        self.detail.setText(f"{line.name}：{detail_text(line)}" if line else "")

    def open_current(self) -> None:
        line = self.current_line()
        if line is not None:
            self.open_line(line)

    def open_line(self, line: TaskLine) -> None:
        """Open the form that does the task, with the person filled in."""
        common = {"today": self.today, "day": self.day, "doctor": self.doctor, "parent": self}
        if line.form.startswith("followup:"):
            kind = line.form.split(":", 1)[1]
            self._open(FollowUpDialog(self.ws, self.runner, line.person_id, kind=kind, **common))
        elif line.form == "referral-check" and line.ref_id:
            self._open(FollowUpDialog(self.ws, self.runner, line.person_id,
                                      referral_id=line.ref_id, **common))
        elif line.form == "exam" and line.kind == t.EXAM_RETURN and line.ref_id:
            ws, eid = self.ws, line.ref_id
            self.runner.db(lambda: ws.care.exam(eid), on_error=lambda exc: show_error(self, exc),
                           on_done=lambda exam: self._open(ReturnedDialog(
                               self.ws, self.runner, exam, line.name, today=self.today, parent=self)))
        elif line.form == "exam":
            self._open(ExamDialog(self.ws, self.runner, line.person_id, **common))
        elif line.form == "contract" and line.ref_id:
            ws, cid = self.ws, line.ref_id
            self.runner.db(lambda: ws.contracts.get(cid), on_error=lambda exc: show_error(self, exc),
                           on_done=lambda c: self._open(RenewDialog(
                               self.ws, self.runner, c, head=line.name, today=self.today,
                               parent=self)))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)  # type: ignore[attr-defined]
        dialog.open()

    def _saved(self, changes: Changes) -> None:
        self.changed.emit(changes)
        self.refresh()
