"""设置 › 服务包: the county's package list as a form, checked as it is typed, with TOML import/export.

Each package is kept as the text typed (a Draft) and checked by the same rules that read the TOML
file (app.storage.packages → app.core.contracts), so a message names the field it is shown next
to. Only a list without errors can be saved or exported.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.contracts import PACKAGE_GROUPS, PACKAGE_TIERS, PAYERS, ServicePackage
from app.core.errors import CunyiError
from app.core.people import CONDITIONS
from app.storage.county_config import CountyItem
from app.storage.packages import (
    packages_to_toml,
    parse_packages,
)
from app.storage.workspace import Workspace
from app.ui.errors import show_error
from app.ui.outputs import save_output
from app.ui.pages.package_drafts import Draft, check_draft, draft_of, is_money
from app.ui.tasks import TaskRunner
from app.ui.widgets.fields import BAD_STYLE, error_label

COUNTY_STYLE = "background: #eaf2fb; border: 1px solid #9cbbe0; padding: 6px;"


class PackagesEditor(QWidget):
    """The package list with one package's form beside it; 保存, 导入…, 导出…."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.drafts: list[Draft] = []
        self.county: list[tuple[ServicePackage, CountyItem]] = []
        self.current = -1
        self._filling = False
        self.errors: dict[str, QLabel] = {}
        self._build()
        self.set_county([])

    # --- layout ------------------------------------------------------------------------

    def _error(self, key: str) -> QLabel:
        label = error_label()
        self.errors[key] = label
        return label

    def _build(self) -> None:
        self.county_title = QLabel(self.tr("From the county (read-only)"))
        self.county_list = QListWidget()
        self.county_list.setMaximumWidth(200)
        self.county_list.setMaximumHeight(120)
        self.local_title = QLabel(self.tr("This clinic's packages"))
        self.list = QListWidget()
        self.list.setMaximumWidth(200)
        self.add_button = QPushButton(self.tr("New package"))
        self.remove_button = QPushButton(self.tr("Delete"))
        left = QVBoxLayout()
        left.addWidget(self.county_title)
        left.addWidget(self.county_list)
        left.addWidget(self.local_title)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)

        self.code = QLineEdit()
        self.code.setMaximumWidth(120)
        self.name = QLineEdit()
        self.tier = QComboBox()
        self.tier.addItems(list(PACKAGE_TIERS))
        self.price = QLineEdit()
        self.price.setMaximumWidth(120)
        basics = QFormLayout()
        basics.addRow(self.tr("Code"), self.code)
        basics.addRow("", self._error("code"))
        basics.addRow(self.tr("Name"), self.name)
        basics.addRow("", self._error("name"))
        basics.addRow(self.tr("Tier"), self.tier)
        basics.addRow(self.tr("Price (yuan per person per year)"), self.price)
        basics.addRow("", self._error("price"))

        split_box = QGroupBox(self.tr("Who pays (yuan)"))
        split_grid = QGridLayout(split_box)
        self.split: dict[str, QLineEdit] = {}
        for i, payer in enumerate(PAYERS):
            edit = QLineEdit()
            edit.setMaximumWidth(100)
            edit.setPlaceholderText("0.00")
            self.split[payer] = edit
            r, c = divmod(i, 2)
            split_grid.addWidget(QLabel(payer), r, c * 2)
            split_grid.addWidget(edit, r, c * 2 + 1)
        self.split_total = QLabel()
        split_grid.addWidget(self.split_total, 2, 0, 1, 4)
        split_grid.addWidget(self._error("split"), 3, 0, 1, 4)

        self.services = QTableWidget(0, 2)
        self.services.setHorizontalHeaderLabels([self.tr("Service"), self.tr("Times a year (0: as needed)")])
        self.services.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.services.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.services.verticalHeader().setVisible(False)
        self.services.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.services.setMinimumHeight(150)
        self.add_service = QPushButton(self.tr("Add service"))
        self.remove_service = QPushButton(self.tr("Remove service"))
        services_box = QGroupBox(self.tr("Services"))
        sv = QVBoxLayout(services_box)
        sv.addWidget(self.services, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_service)
        row.addWidget(self.remove_service)
        row.addStretch(1)
        sv.addLayout(row)
        sv.addWidget(self._error("services"))

        conditions = QGroupBox(self.tr("For whom (leave empty: every resident)"))
        cv = QVBoxLayout(conditions)
        cv.addWidget(QLabel(self.tr("Diagnosis (any of):")))
        self.diagnoses = self._boxes(CONDITIONS, cv, 4)
        cv.addWidget(self._error("diagnoses"))
        ages = QHBoxLayout()
        self.age_min = QLineEdit()
        self.age_max = QLineEdit()
        for edit in (self.age_min, self.age_max):
            edit.setMaximumWidth(60)
            edit.setPlaceholderText(self.tr("any"))
        ages.addWidget(QLabel(self.tr("Age from")))
        ages.addWidget(self.age_min)
        ages.addWidget(QLabel(self.tr("to")))
        ages.addWidget(self.age_max)
        ages.addWidget(QLabel(self.tr("years (both included, on the signing day)")))
        ages.addStretch(1)
        cv.addLayout(ages)
        cv.addWidget(self._error("age"))
        cv.addWidget(QLabel(self.tr("Group (any of):")))
        self.groups = self._boxes(PACKAGE_GROUPS, cv, 4)
        cv.addWidget(self._error("groups"))

        col_a = QVBoxLayout()
        col_a.addLayout(basics)
        col_a.addWidget(split_box)
        col_a.addWidget(services_box, 1)
        col_b = QVBoxLayout()
        col_b.addWidget(conditions)
        col_b.addStretch(1)
        form = QWidget()
        cols = QHBoxLayout(form)
        cols.addLayout(col_a, 1)
        cols.addLayout(col_b, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        self.form = form

        self.county_label = QLabel()
        self.county_label.setObjectName("county_label")
        self.county_label.setWordWrap(True)
        self.county_label.setStyleSheet(COUNTY_STYLE)
        self.copy_button = QPushButton(self.tr("Copy as a local package"))
        self.copy_button.setToolTip(self.tr(
            "A county package cannot be changed here; a copy with a new code can."))
        banner = QHBoxLayout()
        banner.addWidget(self.county_label, 1)
        banner.addWidget(self.copy_button)
        self.county_banner = QWidget()
        self.county_banner.setLayout(banner)
        self.county_banner.setVisible(False)
        right = QVBoxLayout()
        right.addWidget(self.county_banner)
        right.addWidget(scroll, 1)

        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)

        self.save_button = QPushButton(self.tr("Save"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.status, 1)

        hint = QLabel(self.tr(
            "The county's list of family-doctor service packages. Signed contracts keep the packages "
            "they were signed with; changes apply to new contracts. The list can be exchanged as a "
            "TOML file. Packages the county sends when this PC syncs come first and cannot be "
            "changed here."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        self.list.currentRowChanged.connect(self._select)
        self.county_list.currentRowChanged.connect(self._select_county)
        self.copy_button.clicked.connect(self.copy_county_package)
        self.add_button.clicked.connect(self.add_package)
        self.remove_button.clicked.connect(self.remove_package)
        self.add_service.clicked.connect(self._add_service_row)
        self.remove_service.clicked.connect(self._remove_service_row)
        for edit in (self.code, self.name, self.price, self.age_min, self.age_max, *self.split.values()):
            edit.textChanged.connect(self._edited)
        self.tier.currentIndexChanged.connect(self._edited)
        self.services.itemChanged.connect(self._edited)
        for box in (*self.diagnoses.values(), *self.groups.values()):
            box.toggled.connect(self._edited)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button.clicked.connect(lambda: self.export_file())

    def _boxes(self, names: tuple[str, ...], into: QVBoxLayout, per_row: int) -> dict[str, QCheckBox]:
        grid = QGridLayout()
        boxes = {}
        for i, name in enumerate(names):
            box = QCheckBox(name)
            grid.addWidget(box, *divmod(i, per_row))
            boxes[name] = box
        into.addLayout(grid)
        return boxes

    # --- list ----------------------------------------------------------------------------

    def set_text(self, toml_text: str) -> None:
        """Show the packages of a TOML text (the stored list); an unreadable one is shown as an error."""
        try:
            packages = parse_packages(toml_text, source=self.tr("the stored list"))
        except CunyiError as exc:
            self._status(str(exc), bad=True)
            packages = []
        self.set_packages(packages)

    def set_packages(self, packages: list[ServicePackage]) -> None:
        self.drafts = [draft_of(p) for p in packages]
        self.current = -1
        self.list.clear()
        self.list.addItems([d.name for d in self.drafts])
        if self.drafts:
            self.list.setCurrentRow(0)
        self._select(self.list.currentRow())
        self._check_all()

    def set_county(self, packages: list[tuple[ServicePackage, CountyItem]]) -> None:
        """Show the packages the county sent (read-only), above the clinic's own."""
        self.county = list(packages)
        self.county_list.clear()
        for p, item in self.county:
            self.county_list.addItem(self.tr("%1 (from the county)").replace("%1", p.name))
            self.county_list.item(self.county_list.count() - 1).setToolTip(self._county_text(item))
        for widget in (self.county_title, self.county_list, self.local_title):
            widget.setVisible(bool(self.county))
        if self.county_banner.isVisible() and not self.county:
            self.county_banner.setVisible(False)

    def _county_text(self, item: CountyItem) -> str:
        return (self.tr("From the county · version %1 · %2. Sent by the county when this PC "
                        "synced; it cannot be changed here.")
                .replace("%1", str(item.version)).replace("%2", item.date))

    def _select_county(self, row: int) -> None:
        """Show a county package, read-only, with where it came from."""
        if row < 0 or row >= len(self.county):
            self.county_banner.setVisible(False)
            return
        self.list.setCurrentRow(-1)
        self._select(-1)
        package, item = self.county[row]
        self._fill(draft_of(package))
        for label in self.errors.values():
            label.setVisible(False)
        self.county_label.setText(self._county_text(item))
        self.county_banner.setVisible(True)

    def copy_county_package(self) -> None:
        """A local draft made from the county package shown, with the code left to fill in."""
        row = self.county_list.currentRow()
        if row < 0 or row >= len(self.county):
            return
        d = draft_of(self.county[row][0])
        d.code = ""
        d.name = self.tr("%1 (local copy)").replace("%1", d.name)
        self.drafts.append(d)
        self.list.addItem(d.name)
        self.list.setCurrentRow(len(self.drafts) - 1)

    def _select(self, row: int) -> None:
        self.current = row
        self.form.setEnabled(row >= 0)
        if row < 0:
            return
        self.county_banner.setVisible(False)
        self.county_list.blockSignals(True)
        self.county_list.setCurrentRow(-1)
        self.county_list.blockSignals(False)
        self._fill(self.drafts[row])
        self._edited()

    def _fill(self, d: Draft) -> None:
        self._filling = True
        self.code.setText(d.code)
        self.name.setText(d.name)
        self.tier.setCurrentText(d.tier)
        self.price.setText(d.price)
        for payer, edit in self.split.items():
            edit.setText(d.split.get(payer, ""))
        self.services.setRowCount(0)
        for name, per_year in d.services:
            self._add_service_row(name, per_year)
        for name, box in self.diagnoses.items():
            box.setChecked(name in d.diagnoses)
        for name, box in self.groups.items():
            box.setChecked(name in d.groups)
        self.age_min.setText(d.age_min)
        self.age_max.setText(d.age_max)
        self._show_total(d)
        self._filling = False

    def add_package(self) -> None:
        self.drafts.append(Draft(services=[("", "0")]))
        self.list.addItem(self.tr("(new package)"))
        self.list.setCurrentRow(len(self.drafts) - 1)

    def remove_package(self) -> None:
        row = self.current
        if row < 0:
            return
        del self.drafts[row]
        self.current = -1
        self.list.takeItem(row)
        self._select(self.list.currentRow())
        self._check_all()

    def _add_service_row(self, name: str = "", per_year: str = "0") -> None:
        self.services.blockSignals(True)
        r = self.services.rowCount()
        self.services.insertRow(r)
        self.services.setItem(r, 0, QTableWidgetItem(name if isinstance(name, str) else ""))
        self.services.setItem(r, 1, QTableWidgetItem(per_year))
        self.services.blockSignals(False)
        self._edited()

    def _remove_service_row(self) -> None:
        rows = sorted({i.row() for i in self.services.selectedIndexes()}, reverse=True)
        for r in rows or [self.services.rowCount() - 1]:
            if r >= 0:
                self.services.removeRow(r)
        self._edited()

    # --- checking --------------------------------------------------------------------------

    def _read_form(self) -> Draft:
        services = []
        for r in range(self.services.rowCount()):
            name, times = self.services.item(r, 0), self.services.item(r, 1)
            services.append((name.text() if name else "", times.text() if times else ""))
        return Draft(self.code.text(), self.name.text(), self.tier.currentText(), self.price.text(),
                     {payer: edit.text() for payer, edit in self.split.items()}, services,
                     [n for n, b in self.diagnoses.items() if b.isChecked()],
                     [n for n, b in self.groups.items() if b.isChecked()],
                     self.age_min.text(), self.age_max.text())

    def _edited(self) -> None:
        if self._filling or self.current < 0:
            return
        d = self._read_form()
        self.drafts[self.current] = d
        _package, errors = self._check(self.current)
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self._show_total(d)
        self._check_all()

    def _show_total(self, d: Draft) -> None:
        total = sum((Decimal(t) for t in (v.strip() for v in d.split.values()) if is_money(t)),
                    Decimal("0.00"))
        self.split_total.setText(self.tr("Total %s yuan") % f"{total:.2f}")

    def _check(self, row: int) -> tuple[ServicePackage | None, dict[str, str]]:
        others = {d.code.strip() for i, d in enumerate(self.drafts) if i != row}
        return check_draft(self.drafts[row], others)

    def _check_all(self) -> list[ServicePackage] | None:
        """Mark the list's bad packages; the packages when every one is good, else None."""
        good: list[ServicePackage] = []
        bad = 0
        for i, d in enumerate(self.drafts):
            package, errors = self._check(i)
            item = self.list.item(i)
            if item is not None:
                item.setText(("⚠ " if errors else "") + (d.name.strip() or self.tr("(new package)")))
            if package is None:
                bad += 1
            else:
                good.append(package)
        ok = bad == 0 and bool(self.drafts)
        self.save_button.setEnabled(ok)
        self.export_button.setEnabled(ok)
        if bad:
            self._status(self.tr("%n package(s) still have errors (marked ⚠).", "", bad), bad=True)
        elif not self.drafts:
            self._status(self.tr("The list needs at least one package."), bad=True)
        elif self.status.styleSheet() == BAD_STYLE:
            self._status("")
        return good if ok else None

    def packages(self) -> list[ServicePackage] | None:
        return self._check_all()

    def _status(self, text: str, *, bad: bool = False) -> None:
        self.status.setStyleSheet(BAD_STYLE if bad else "")
        self.status.setText(text)

    # --- saving, import, export ----------------------------------------------------------------

    def save(self) -> None:
        """Make the form's list the active one (written as TOML, checked again on the worker)."""
        packages = self.packages()
        if packages is None:
            return
        ws, text = self.ws, packages_to_toml(packages)

        def saved(count: int) -> None:
            self.save_button.setEnabled(True)
            self._status(self.tr("Saved: %n package(s).", "", count))
            self.saved.emit(count)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            if isinstance(exc, CunyiError):
                self._status(str(exc), bad=True)
            else:
                show_error(self, exc)

        self.save_button.setEnabled(False)
        self.runner.db(lambda: (ws.contracts.set_packages(text), len(ws.contracts.packages()))[1],
                       on_done=saved, on_error=failed)

    def import_file(self, path: Path | None = None) -> None:
        """Load a TOML file into the form (saved only with 保存)."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Import service packages"), "",
                                                  self.tr("TOML files (*.toml)"))
            if not name:
                return
            path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
            packages = parse_packages(text, source=path.name)
        except OSError as exc:
            self._status(self.tr("Cannot read %1: %2").replace("%1", str(path))
                         .replace("%2", exc.strerror or ""), bad=True)
            return
        except CunyiError as exc:
            self._status(str(exc), bad=True)
            return
        self.set_packages(packages)
        self._status(self.tr("Imported %n package(s) from %1; check them and save.", "", len(packages))
                     .replace("%1", path.name))

    def export_file(self, path: Path | None = None) -> None:
        """Write the form's list as a TOML file."""
        packages = self.packages()
        if packages is None:
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, self.tr("Export service packages"),
                                                  "packages.toml", self.tr("TOML files (*.toml)"))
            if not name:
                return
            path = Path(name)
        text = packages_to_toml(packages)
        if save_output(self, path, self.ws.settings.protected_places(),
                       lambda tmp: tmp.write_text(text, encoding="utf-8")) is None:
            return
        self._status(self.tr("Exported to %s") % path)
