"""数据同步: whether this PC is enrolled, what is still to send, sync now, and the conflicts.

The sync itself runs in the background (app.ui.background_sync: a thread and a connection of its
own, shared with the window's timer), so the doctor goes on editing while it runs (the database
worker is never held by it). The page says whether the county answered and when the next try is,
and lists the households that moved out of this PC's scope with the changes the county no longer
takes. Conflicts are listed with this PC's value and the other side's; keeping one writes it
through the ordinary tracked path and the choice reaches the county at the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import AuthError, NotFoundError
from app.storage.changes import Changes
from app.storage.moved_out import MovedOut
from app.storage.workspace import Workspace
from app.ui.background_sync import BackgroundSync, SyncState
from app.ui.background_sync import http_county as _http_county
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner

CountyFactory = Callable[[str], Any]


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    copied: bool
    server: str
    scope: str
    station: int | None
    unsynced: int
    last_sync: str
    conflicts: list[Any]
    instance: str
    labels: dict[int, str]
    people: dict[int, tuple[Any, Any]] = field(default_factory=dict)   # both files of a duplicate
    moved: list[MovedOut] = field(default_factory=list)


FIELD_NAMES = {"phone": "联系电话", "name": "姓名", "note": "备注", "address": "住址",
               "id_no": "证件号码", "living_status": "人员状态", "deleted": "删除", "group_name": "村民小组",
               "status": "状态", "sbp": "收缩压", "dbp": "舒张压"}
KIND_NAMES = {"field": "字段不同", "fork": "同一记录被两次更正", "duplicate_person": "可能重复的居民",
              "duplicate_household": "可能重复的家庭", "second_successor": "两次续约或交接",
              "double_reversal": "两次冲账", "slip_twice": "结算单录入两次",
              "two_live_contracts": "同一团队两份有效协议"}
TABLE_NAMES = {"people": "居民", "households": "家庭", "contracts": "签约", "follow_ups": "随访",
               "health_exams": "体检", "claims": "结算", "divisions": "区划", "teams": "团队"}


class EnrolDialog(QDialog):
    """The county server's address and the one-time code the county gave."""

    def __init__(self, parent: QWidget | None = None, server: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Enrol with the county"))
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("https://county.example:8470")
        self.code = QLineEdit()
        self.code.setPlaceholderText("K7QM-2XPA-9RTD")
        form = QFormLayout()
        form.addRow(self.tr("County server"), self.server)
        form.addRow(self.tr("Enrolment code"), self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Ask the county for a one-time enrolment code for this PC.")))
        layout.addLayout(form)
        layout.addWidget(buttons)


class SyncPage(QWidget):
    """Status, enrolment, sync now, and the conflicts of this PC's village."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None, *,
                 county_factory: CountyFactory = _http_county,
                 service: BackgroundSync | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.county_factory = county_factory
        # The window's background sync, or (a page on its own) one that syncs only when asked.
        self.service = service or BackgroundSync(ws.path, ws.user, county_factory=county_factory,
                                                 parent=self)
        self.service.state_changed.connect(self._background_changed)
        self.service.synced.connect(self._synced)
        self.service.failed.connect(self._failed)
        self.status: SyncStatus | None = None
        self.syncing = False

        self.state_label = QLabel()
        self.server_label = QLabel()
        self.connection_label = QLabel()
        self.connection_label.setWordWrap(True)
        self.unsynced_label = QLabel()
        self.last_label = QLabel()
        box = QGroupBox(self.tr("Sync with the county"))
        form = QFormLayout(box)
        form.addRow(self.tr("State"), self.state_label)
        form.addRow(self.tr("County server"), self.server_label)
        form.addRow(self.tr("Connection"), self.connection_label)
        form.addRow(self.tr("Not yet synced"), self.unsynced_label)
        form.addRow(self.tr("Last sync"), self.last_label)

        self.enrol_button = QPushButton(self.tr("Enrol…"))
        self.enrol_button.clicked.connect(self.enrol)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.sync_now)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.moved_label = QLabel()
        self.moved_label.setWordWrap(True)
        self.moved_label.setTextFormat(Qt.TextFormat.PlainText)
        self.moved_label.setStyleSheet("QLabel { background: #fff4e0; border: 1px solid #e0b060;"
                                       " padding: 6px; }")
        self.moved_label.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.enrol_button)
        row.addWidget(self.sync_button)
        row.addWidget(self.progress, 1)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Record"), self.tr("Field"), self.tr("This PC"), self.tr("Other side"),
            self.tr("Now"), self.tr("Kind")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.keep_mine = QPushButton(self.tr("Keep this PC's value"))
        self.keep_theirs = QPushButton(self.tr("Keep the other value"))
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setToolTip(self.tr("One resident registered twice: keep one file and move "
                                             "every record of the other to it"))
        self.merge_button.clicked.connect(self.merge)
        self.merge_dialog: Any = None
        self.table.itemSelectionChanged.connect(self._selection_changed)
        conflicts = QGroupBox(self.tr("Conflicts"))
        c_layout = QVBoxLayout(conflicts)
        explained = QLabel(self.tr(
            "The same field was changed differently on two PCs. The county kept one value and set "
            "the other aside; choose which one the record keeps. A resident registered on two PCs "
            "is merged into the file you keep."))
        explained.setWordWrap(True)
        c_layout.addWidget(explained)
        c_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addWidget(self.merge_button)
        buttons.addStretch(1)
        c_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.moved_label)
        layout.addWidget(conflicts, 1)

    def showEvent(self, event: Any) -> None:
        """Read the state when the page is shown (not when the window is built)."""
        super().showEvent(event)
        self.refresh()

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.db(self._read, on_done=self._show, on_error=self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        """A state that cannot be read (the database closing under it) is said on the page, not in
        a dialog that would stop everything."""
        self.result_label.setText(str(exc))

    def _read(self) -> SyncStatus:
        me = self.ws.sync.identity()
        conflicts = self.ws.sync.conflicts()
        return SyncStatus(me is not None, self.ws.sync.enrolled_elsewhere(), me.server_url if me else "",
                          me.scope if me else "", me.station if me else None, self.ws.sync.unsynced(),
                          self.ws.sync.last_sync(), conflicts, self.ws.instance_id,
                          {c.id: self._label(c) for c in conflicts},
                          {c.id: files for c in conflicts if _duplicate(c) and (files := self._files(c))},
                          self.ws.sync.moved_out())

    def _files(self, c: Any) -> tuple[Any, Any] | None:
        """Both files of a possible duplicate person, this PC's own first when it made one (None
        while one of them has not arrived here yet)."""
        from app.storage import person_merge

        held = self.ws.conn.execute("SELECT count(*) FROM people WHERE id IN (?, ?)",
                                    (c.row_id, c.other_row_id)).fetchone()[0]
        if held < 2:
            return None
        a, b = (person_merge.side(self.ws, pid) for pid in (c.row_id, c.other_row_id))
        issued = dict(self.ws.conn.execute("SELECT id, record_issuer FROM people WHERE id IN (?, ?)",
                                           (a.id, b.id)).fetchall())
        return (b, a) if issued.get(b.id) == self.ws.instance_id != issued.get(a.id) else (a, b)

    def _label(self, c: Any) -> str:
        """The record as people know it: a resident's or household's name where there is one."""
        where = {"people": "SELECT name FROM people WHERE id = ?",
                 "households": "SELECT p.name FROM households h JOIN people p ON p.id = h.head_id"
                               " WHERE h.id = ?"}.get(c.table)
        name = self.ws.conn.execute(where, (c.row_id,)).fetchone() if where else None
        return f"{TABLE_NAMES.get(c.table, c.table)} {name[0] if name else c.row_id[-8:]}"

    def _show(self, status: SyncStatus) -> None:
        self.status = status
        if status.copied:
            self.state_label.setText(self.tr("This database was copied from another enrolled PC: "
                                             "enrol again with a new code before syncing"))
        elif status.enrolled:
            self.state_label.setText(self.tr("Enrolled: %1, station %2").replace("%1", status.scope)
                                     .replace("%2", str(status.station)))
        else:
            self.state_label.setText(self.tr("Not enrolled yet: ask the county for an enrolment code"))
        self.server_label.setText(status.server or "—")
        self.unsynced_label.setText(self.tr("%1 changes").replace("%1", str(status.unsynced)))
        self.last_label.setText(local_time(status.last_sync) if status.last_sync else self.tr("never"))
        self.sync_button.setEnabled(status.enrolled and not self.syncing)
        self._background_changed(self.service.state)
        self._show_moved(status.moved)
        self.table.setRowCount(len(status.conflicts))
        for i, c in enumerate(status.conflicts):
            mine, theirs = (c.lost, c.kept) if c.lost_instance == status.instance else (c.kept, c.lost)
            cells = [status.labels.get(c.id, c.row_id), FIELD_NAMES.get(c.field or "", c.field or ""),
                     _text(mine), _text(theirs), _text(c.kept), KIND_NAMES.get(c.kind, c.kind)]
            if c.id in status.people:
                first, second = status.people[c.id]
                cells[1:5] = [self.tr("Resident ID %1").replace("%1", first.id_no), self._file(first),
                              self._file(second), self.tr("two files")]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(i, j, item)
        self._selection_changed()

    def _file(self, side: Any) -> str:
        """One file of a possible duplicate in a cell: its number, household and records."""
        visits = side.counts["follow_ups"] + side.counts["general_visits"]
        return (self.tr("%1 (%2), %3 visits, %4 claims").replace("%1", side.record_no)
                .replace("%2", side.household).replace("%3", str(visits))
                .replace("%4", str(side.counts["claims"])))

    def _selected(self) -> Any:
        row = self.table.currentRow()
        if row < 0 or self.status is None or self.table.item(row, 0) is None:
            return None
        cid = int(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        return next((c for c in self.status.conflicts if c.id == cid), None)

    def _selection_changed(self) -> None:
        """Keep a value for a field conflict; merge for a possible duplicate person."""
        c = self._selected()
        has = self.status is not None and bool(self.status.conflicts)
        duplicate = c is not None and _duplicate(c)
        self.keep_mine.setEnabled(has and not duplicate)
        self.keep_theirs.setEnabled(has and not duplicate)
        self.merge_button.setEnabled(duplicate)

    # --- acting -------------------------------------------------------------------------------

    def enrol(self) -> None:
        if not self.ws.users.acting().is_admin:
            show_error(self, AuthError(self.tr("Only an administrator can enrol this PC with the county.")))
            return
        dialog = EnrolDialog(self, self.status.server if self.status else "")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        server, code = dialog.server.text().strip(), dialog.code.text().strip()
        self.enrol_with(server, code)

    def enrol_with(self, server: str, code: str) -> None:
        from app.sync.enrol import enrol

        def work() -> Any:
            county = self.county_factory(server)
            return enrol(self.ws, county, code, server_url=server)

        self.runner.db(work, on_done=self._enrolled, on_error=lambda e: show_error(self, e))

    def _enrolled(self, answer: Any) -> None:
        self.result_label.setText(self.tr("Enrolled with the county: %1, station %2")
                                  .replace("%1", answer.scope).replace("%2", str(answer.station)))
        self.refresh()

    def sync_now(self) -> None:
        """Sync now, in the background (the window's timer waits while this one runs)."""
        if self.syncing or self.status is None or not self.status.enrolled:
            return
        self.service.user = self.ws.user
        if not self.service.sync_now():
            return                       # one is running already: its end is shown here too
        self.result_label.setText(self.tr("Syncing… you can go on working."))

    def _background_changed(self, state: SyncState) -> None:
        """The background sync started, moved on, ended, or was rescheduled."""
        self.syncing = state.running
        self.progress.setVisible(state.running)
        self.sync_button.setEnabled(bool(self.status and self.status.enrolled) and not state.running)
        if state.running:
            self.connection_label.setText(self.tr("Syncing: %1 sent, %2 received so far")
                                          .replace("%1", str(state.pushed)).replace("%2", str(state.pulled)))
        elif state.unreachable:
            self.connection_label.setText(self._unreachable_text(state))
        elif state.next_at is not None:
            self.connection_label.setText(self.tr("Syncs by itself; next at %1")
                                          .replace("%1", f"{state.next_at:%H:%M}"))
        elif self.status is not None and self.status.enrolled:
            self.connection_label.setText(self.tr("Syncs when you press Sync now"))
        else:
            self.connection_label.setText("—")

    def _unreachable_text(self, state: SyncState) -> str:
        text = self.tr("County server cannot be reached")
        if state.next_at is not None:
            text += self.tr("; trying again at %1").replace("%1", f"{state.next_at:%H:%M}")
        return text

    def _synced(self, result: Any) -> None:
        text = self.tr("Sync done: %1 sent, %2 received, %3 conflicts").replace(
            "%1", str(result.pushed)).replace("%2", str(result.pulled)).replace("%3", str(result.conflicts))
        if result.refused:
            text += "\n" + self.tr("The county did not take: %1").replace("%1", "；".join(result.refused[:5]))
        self.result_label.setText(text)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.result_label.setText(str(exc))     # the 连接 row says when the next try is
        self.refresh()

    def _show_moved(self, moved: list[MovedOut]) -> None:
        """Households that left this PC's scope, and what to do with changes the county refuses."""
        lines = []
        for m in moved:
            who = self.tr("household of %1").replace("%1", m.head) if m.head else m.household_id[-8:]
            line = self.tr("%1: this household has moved to %2; this PC no longer looks after it.") \
                .replace("%1", who).replace("%2", m.place)
            if m.pending:
                line += self.tr(
                    " %1 changes made here were not taken by the county; they stay on this PC. "
                    "Tell the doctor of %2 (or the county) what they were, so they can enter them.") \
                    .replace("%1", str(m.pending)).replace("%2", m.place)
            lines.append(line)
        self.moved_label.setText("\n".join(lines))
        self.moved_label.setVisible(bool(lines))

    def resolve(self, side: str) -> None:
        row = self.table.currentRow()
        if row < 0 or self.status is None:
            return
        cid = int(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        c = next(c for c in self.status.conflicts if c.id == cid)
        own = "lost" if c.lost_instance == self.status.instance else "kept"
        choice = own if side == "mine" else ("kept" if own == "lost" else "lost")
        self.runner.db(lambda: self.ws.sync.resolve(cid, choice), on_done=lambda _: self.refresh(),
                       on_error=lambda e: show_error(self, e))

    def merge(self) -> None:
        """Open the merge of the selected possible duplicate: both files side by side."""
        from app.storage import person_merge

        c = self._selected()
        if c is None or not _duplicate(c):
            return
        cid = c.id

        def read() -> Any:
            a, b = person_merge.conflict_pair(self.ws, cid)
            sides = self._files(c)
            if sides is None:
                raise NotFoundError("这两份档案中有一份还没有同步到本机：请先同步，再合并")
            return cid, sides, {a: person_merge.plan(self.ws, a, b), b: person_merge.plan(self.ws, b, a)}

        self.runner.db(read, on_done=self._open_merge, on_error=lambda e: show_error(self, e))

    def _open_merge(self, found: Any) -> None:
        from app.ui.dialogs.merge_dialog import MergeDialog

        cid, sides, plans = found
        self.merge_dialog = MergeDialog(self.ws, self.runner, cid, sides, plans, self)
        self.merge_dialog.merged.connect(self._merged)
        self.merge_dialog.open()

    def _merged(self, changes: Changes) -> None:
        self.result_label.setText("\n".join(changes.warnings))
        self.refresh()
        self.changed.emit(changes)

    def on_changes(self, changes: Changes) -> None:
        if self.isVisible():
            self.refresh()


def _duplicate(c: Any) -> bool:
    return bool(c.kind == "duplicate_person" and c.other_row_id)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def local_time(stamp: str) -> str:
    """A stored UTC time (ISO) as this PC's local time, to the minute."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return f"{when.astimezone():%Y-%m-%d %H:%M}"
