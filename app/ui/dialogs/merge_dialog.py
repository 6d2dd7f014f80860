"""合并: a possible duplicate person (one resident ID, two files) shown side by side; the doctor
chooses the file to keep, reads what will move to it, and merges (app.storage.person_merge)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.person_merge import MergePlan
from app.storage.changes import Changes
from app.storage.person_merge import PersonSide
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.tasks import TaskRunner


class MergeDialog(QDialog):
    """Both files of a possible duplicate, the choice of the one to keep, and what the merge does."""

    merged = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, conflict_id: int,
                 sides: tuple[PersonSide, PersonSide], plans: dict[str, MergePlan],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.conflict_id = conflict_id
        self.sides = sides
        self.plans = plans
        self.setWindowTitle(self.tr("Possible duplicate resident"))
        intro = QLabel(self.tr(
            "The same resident ID was registered twice, on two PCs. If they are one person, choose "
            "the file to keep: every record of the other file moves to it and the other file is "
            "closed. If they are two people, cancel and correct the ID in the resident's file."))
        intro.setWordWrap(True)
        self.choice = QButtonGroup(self)
        self.keep: list[QRadioButton] = []
        columns = QHBoxLayout()
        for n, side in enumerate(sides):
            box = QGroupBox(self.tr("File %1").replace("%1", str(n + 1)))
            form = QFormLayout(box)
            keep = QRadioButton(self.tr("Keep this file"))
            self.choice.addButton(keep, n)
            self.keep.append(keep)
            form.addRow(keep)
            visits = side.counts["follow_ups"] + side.counts["general_visits"]
            for label, value in (
                    (self.tr("Name"), f"{side.name}  {side.sex}  {side.birth_date}"),
                    (self.tr("Resident ID"), side.id_no),
                    (self.tr("Record no."), side.record_no),
                    (self.tr("Household"), side.household),
                    (self.tr("Phone"), side.phone or "—"),
                    (self.tr("Visits"), str(visits)),
                    (self.tr("Health exams"), str(side.counts["health_exams"])),
                    (self.tr("Claims"), str(side.counts["claims"])),
                    (self.tr("Contracts"), str(side.counts["contract_members"])),
                    (self.tr("Diagnoses"), str(side.counts["diagnoses"]))):
                text = QLabel(value)
                text.setWordWrap(True)
                form.addRow(label, text)
            columns.addWidget(box, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self.choice.idToggled.connect(lambda _id, on: on and self._explain())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.summary.setText(self.tr("Choose the file to keep."))
        self.resize(820, 0)

    def choose(self, index: int) -> None:
        """Keep file `index` (0 or 1), as a click on its button does."""
        self.keep[index].setChecked(True)

    @property
    def survivor(self) -> PersonSide | None:
        n = self.choice.checkedId()
        return self.sides[n] if n >= 0 else None

    def _record_names(self) -> dict[str, str]:
        return {"follow_ups": self.tr("visits"), "general_visits": self.tr("general visits"),
                "health_exams": self.tr("health exams"), "claims": self.tr("claims"),
                "contract_members": self.tr("contract memberships"),
                "service_deliveries": self.tr("services delivered"), "diagnoses": self.tr("diagnoses")}

    def _explain(self) -> None:
        kept = self.survivor
        if kept is None:
            return
        other = self.sides[1 - self.choice.checkedId()]
        plan = self.plans[kept.id]
        names = self._record_names()
        counts = "、".join(f"{names.get(t, t)} {n}" for t, n in plan.moved.items() if t in names)
        lines = [self.tr("Merging moves to file %1 (%2): %3. File %4 is then closed; its record "
                         "number still finds the kept file.")
                 .replace("%1", kept.record_no).replace("%2", kept.name)
                 .replace("%3", counts or self.tr("no other records"))
                 .replace("%4", other.record_no)]
        if plan.dropped:
            lines.append(self.tr("Records both files hold once only (kept from the kept file): %1.")
                         .replace("%1", "、".join(f"{names.get(t, t)} {n}" for t, n in plan.dropped.items())))
        if plan.filled:
            lines.append(self.tr("Empty fields of the kept file filled from the other: %1.")
                         .replace("%1", str(len(plan.filled))))
        if plan.differing:
            lines.append(self.tr("Fields the two files fill differently keep the kept file's value: %1.")
                         .replace("%1", str(len(plan.differing))))
        lines += list(plan.warnings)
        self.summary.setText("\n".join(lines))
        self.merge_button.setEnabled(True)

    def merge(self) -> None:
        from app.storage import person_merge

        kept = self.survivor
        if kept is None:
            return
        self.buttons.setEnabled(False)
        cid, pid = self.conflict_id, kept.id
        self.runner.db(lambda: person_merge.merge_conflict(self.ws, cid, pid)[1],
                       on_done=self._done, on_error=self._failed)

    def _done(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.merged.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)
