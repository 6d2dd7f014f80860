"""The import wizard for the county's poor-household list: file, columns, progress, result."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.errors import CunyiError
from app.core.importing import FIELDS, REQUIRED_FIELDS
from app.storage.workspace import Workspace
from app.ui.dialogs.first_run import error_label, hint_label
from app.ui.errors import show_error
from app.ui.outputs import chosen_output
from app.ui.screen_fit import fit_to_screen
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

NOT_MAPPED = ""
PREVIEW_DELAY_MS = 300
ASK_COLOUR = QColor("#fff3c4")


def _item(text: object) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def _read_only_table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fit_columns(table: QTableWidget, padding: int = 16) -> None:
    """Size columns to their contents with a little room (the last one may stretch)."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, table.columnWidth(column) + padding)


class _ProgressRelay(QObject):
    """Carries progress from the database worker to the UI thread (a queued signal)."""

    changed = Signal(int, int)


class FilePage(QWizardPage):
    """Choose the .xlsx file; its header and first rows are read at once."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preview: Any = None
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(self.tr(
            "The poor-household list from the county, as an Excel workbook (.xlsx)."
        ))
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("No file chosen"))
        browse = QPushButton(self.tr("Choose file…"))
        browse.clicked.connect(self.browse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(hint_label(self.tr(
            "Households and residents already on file are matched by ID number and updated; "
            "nothing is deleted. Rows with problems are skipped and listed at the end."
        )))
        layout.addStretch(1)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the poor-household list"), self.path.text(),
            self.tr("Excel workbooks (*.xlsx)"),
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Read the header and the first rows of `path` (off the UI thread)."""
        from app.storage.importer import preview

        self.path.setText(str(path))
        self.preview = None
        self.error.clear()
        self.status.setText(self.tr("Reading the file…"))
        self.completeChanged.emit()
        self.runner.io(lambda: preview(path), on_done=self._previewed, on_error=self._failed)

    def _previewed(self, result: Any) -> None:
        if str(result.path) != self.path.text():
            return  # an older file's answer arriving late
        self.preview = result
        self.status.setText(
            self.tr("Sheet “%1”: %2 rows, %3 columns.")
            .replace("%1", result.sheet_title)
            .replace("%2", str(result.row_count))
            .replace("%3", str(len(result.headers)))
        )
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.clear()
        if isinstance(exc, CunyiError):
            self.error.setText(str(exc))
        else:
            show_error(self, exc)

    def isComplete(self) -> bool:
        return self.preview is not None


class MappingPage(QWizardPage):
    """Which column of the file holds which field; the guess is shown for the user to confirm."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preview: Any = None
        self.combos: dict[str, QComboBox] = {}
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr(
            "Check which column of the file holds each item. Items marked required must be chosen."
        ))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Start import"))

        self.fields = QTableWidget(len(FIELDS), 3)
        self.fields.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Required"), self.tr("Column in the file")]
        )
        self.fields.verticalHeader().setVisible(False)
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fields.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, name in enumerate(FIELDS):
            self.fields.setItem(row, 0, _item(name))
            required = _item(self.tr("Required") if name in REQUIRED_FIELDS else "")
            if name in REQUIRED_FIELDS:
                required.setForeground(Qt.GlobalColor.darkRed)
            self.fields.setItem(row, 1, required)
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[name] = combo
            self.fields.setCellWidget(row, 2, combo)

        self.questions: dict[str, QComboBox] = {}
        self.ask = QGroupBox(self.tr("Which is it?"))
        self.ask_form = QFormLayout(self.ask)
        self.ask.hide()
        self.problem = error_label()
        self.sample = _read_only_table(0)
        self.sample.horizontalHeader().setStretchLastSection(False)
        self.sample.setMinimumHeight(110)
        self._repreview = QTimer(self)
        self._repreview.setSingleShot(True)
        self._repreview.setInterval(PREVIEW_DELAY_MS)
        self._repreview.timeout.connect(self._refresh_sample)

        layout = QVBoxLayout(self)
        layout.addWidget(self.ask)
        layout.addWidget(self.fields, 3)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel(self.tr("The first rows, as they will be read:")))
        layout.addWidget(self.sample, 1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        preview = wizard.file_page.preview
        if preview is self.preview:
            return
        self.preview = preview
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(not imported)"), NOT_MAPPED)
            for header in preview.headers:
                if header:
                    combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(name, NOT_MAPPED))))
            combo.blockSignals(False)
        self._ask(preview.ambiguous)
        self._show_sample(preview)
        self._check()

    def _ask(self, ambiguous: list[Any]) -> None:
        """Put a question for each column whose header fits more than one item, and mark the
        items it could be; the import waits until each is answered."""
        while self.ask_form.rowCount():
            self.ask_form.removeRow(0)
        self.questions.clear()
        for row in range(self.fields.rowCount()):
            self.fields.item(row, 0).setBackground(QColor(Qt.GlobalColor.transparent))
        names = list(self.combos)
        for a in ambiguous:
            question = QComboBox()
            question.addItem(self.tr("(please choose)"), NOT_MAPPED)
            for choice in a.choices:
                question.addItem(choice, choice)
            question.currentIndexChanged.connect(lambda _=0, h=a.header: self._answered(h))
            self.questions[a.header] = question
            self.ask_form.addRow(
                self.tr("Column “%1” (column %2) could be any of these items:")
                .replace("%1", a.header).replace("%2", a.letter), question)
            for choice in a.choices:
                item = self.fields.item(names.index(choice), 0)
                item.setBackground(ASK_COLOUR)
                item.setToolTip(self.tr("Column “%1” could hold this item: please choose above.")
                                .replace("%1", a.header))
        self.ask.setVisible(bool(ambiguous))
        if ambiguous:
            first = self.fields.item(names.index(ambiguous[0].choices[0]), 0)
            QTimer.singleShot(0, lambda: self.fields.scrollToItem(first))

    def _answered(self, header: str) -> None:
        """Give the column to the item chosen, and take it from the other items it could be."""
        question = self.questions[header]
        chosen = str(question.currentData() or NOT_MAPPED)
        if not chosen:
            self._check()
            return
        for index in range(1, question.count()):
            name = str(question.itemData(index))
            combo = self.combos[name]
            if name == chosen:
                combo.setCurrentIndex(max(0, combo.findData(header)))
            elif combo.currentData() == header:
                combo.setCurrentIndex(0)
        self._check()

    def mapping(self) -> dict[str, str]:
        """Field -> header for every field ("" where the user chose not to import it)."""
        return {name: str(combo.currentData() or NOT_MAPPED) for name, combo in self.combos.items()}

    def _mapping_changed(self) -> None:
        self._check()
        self._repreview.start()

    def _problem_text(self) -> str:
        unanswered = [h for h, q in self.questions.items() if not q.currentData()]
        if unanswered:
            return self.tr("Please say which item the column “%1” holds.").replace("%1", unanswered[0])
        mapping = self.mapping()
        missing = [f for f in REQUIRED_FIELDS if not mapping.get(f)]
        if missing:
            return self.tr("Please choose the column for: %1").replace("%1", "、".join(missing))
        seen: dict[str, str] = {}
        for name, header in mapping.items():
            if header and header in seen:
                return (self.tr("Column “%1” is chosen for both “%2” and “%3”.")
                        .replace("%1", header).replace("%2", seen[header]).replace("%3", name))
            seen[header] = name
        return ""

    def _check(self) -> None:
        self.problem.setText(self._problem_text())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None and not self._problem_text()

    def _refresh_sample(self) -> None:
        from app.storage.importer import preview

        if self.preview is None:
            return
        path, mapping = self.preview.path, self.mapping()
        self.runner.io(lambda: preview(path, mapping=mapping), on_done=self._show_sample,
                       on_error=lambda exc: show_error(self, exc))

    def _show_sample(self, preview: Any) -> None:
        fields = [f for f in FIELDS if f in preview.mapping]
        self.sample.clear()
        self.sample.setColumnCount(len(fields))
        self.sample.setHorizontalHeaderLabels(fields)
        self.sample.setRowCount(len(preview.sample))
        for row, cells in enumerate(preview.sample):
            for column, name in enumerate(fields):
                self.sample.setItem(row, column, _item(cells.get(name, "")))
        _fit_columns(self.sample, 8)


class ProgressPage(QWizardPage):
    """The import itself, on the database worker, with a progress bar that moves."""

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.runner = runner
        self.report: Any = None
        self.running = False
        self.setTitle(self.tr("Importing"))
        self.setSubTitle(self.tr("Please wait while the rows are imported."))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.status = QLabel()
        self.error = error_label()
        self.relay = _ProgressRelay(self)
        self.relay.changed.connect(self._progress)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        from app.storage.importer import import_workbook

        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        path = wizard.file_page.preview.path
        mapping = wizard.mapping_page.mapping()
        self.report = None
        self.running = True
        self.error.clear()
        self.bar.setRange(0, 0)
        self.status.setText(self.tr("Reading the rows…"))
        ws, emit = self.ws, self.relay.changed.emit
        self.runner.db(
            lambda: import_workbook(ws, path, mapping=mapping, progress=emit),
            on_done=self._done, on_error=self._failed,
        )

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(self.tr("%1 of %2 rows").replace("%1", str(done))
                            .replace("%2", str(total)))

    def _done(self, report: Any) -> None:
        self.running = False
        self.report = report
        self.bar.setRange(0, max(report.rows_read, 1))
        self.bar.setValue(self.bar.maximum())
        self.status.setText(self.tr("Done."))
        self.completeChanged.emit()
        wizard = self.wizard()
        if isinstance(wizard, ImportWizard):
            wizard.imported.emit(report)
            wizard.next()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.clear()
        if isinstance(exc, CunyiError):
            self.error.setText(str(exc))
        else:
            self.error.setText(self.tr("The import failed; nothing more was written."))
            show_error(self, exc)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.report is not None


class ResultPage(QWizardPage):
    """What was imported, the rows that were not (and why), and notes about the others."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.report: Any = None
        self.setTitle(self.tr("Result"))
        self.setSubTitle(self.tr("What was imported, and the rows that need a look."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = _read_only_table(4)
        self.problems.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Name"), self.tr("ID number"), self.tr("Problem")]
        )
        self.warnings = _read_only_table(4)
        self.warnings.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Name"), self.tr("ID number"), self.tr("Note")]
        )
        self.skipped = _read_only_table(4)
        self.skipped.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Name"), self.tr("ID number"), self.tr("Reason")]
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems, self.tr("Rows not imported"))
        self.tabs.addTab(self.warnings, self.tr("Notes"))
        self.tabs.addTab(self.skipped, self.tr("Rows skipped"))
        self.save_button = QPushButton(self.tr("Save the problem list…"))
        self.save_button.clicked.connect(self.choose_save_path)
        self.saved = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        report = wizard.progress_page.report
        self.report = report
        self.summary.setText(report.summary())
        for table, entries in ((self.problems, report.problems), (self.warnings, report.warnings),
                               (self.skipped, report.skipped)):
            table.setRowCount(len(entries))
            for row, p in enumerate(entries):
                for column, value in enumerate((p.row_number, p.name, p.id_no, p.reason)):
                    table.setItem(row, column, _item(value))
            _fit_columns(table)
        self.tabs.setTabText(0, self.tr("Rows not imported (%1)").replace("%1", str(len(report.problems))))
        self.tabs.setTabText(1, self.tr("Notes (%1)").replace("%1", str(len(report.warnings))))
        self.tabs.setTabText(2, self.tr("Rows skipped (%1)").replace("%1", str(len(report.skipped))))
        self.save_button.setEnabled(bool(report.problems or report.warnings))

    def choose_save_path(self) -> None:
        start = ""
        wizard = self.wizard()
        if isinstance(wizard, ImportWizard) and wizard.file_page.preview is not None:
            source = wizard.file_page.preview.path
            start = str(source.with_name(source.stem + "-问题清单.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the problem list"), start,
                                              self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.save_problems(Path(name if name.lower().endswith(".xlsx") else name + ".xlsx"))

    def save_problems(self, path: Path) -> None:
        """Write the rows not imported and the notes to an .xlsx (off the UI thread)."""
        wizard = self.wizard()
        places = wizard.ws.settings.protected_places() if isinstance(wizard, ImportWizard) else None
        out = chosen_output(self, path, places)
        if out is None:
            return
        report = self.report
        self.save_button.setEnabled(False)
        self.runner.io(lambda: report.write_xlsx(out), on_done=lambda _: self._saved(out),
                       on_error=self._save_failed)

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        self.saved.setText(self.tr("Saved to %1").replace("%1", str(path)))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_error(self, exc)


class ImportWizard(QWizard):
    """Import the county's poor-household list; `imported` carries the ImportReport."""

    imported = Signal(object)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(self.tr("Import the poor-household list"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(runner)
        self.mapping_page = MappingPage(runner)
        self.progress_page = ProgressPage(ws, runner)
        self.result_page = ResultPage(runner)
        for page in (self.file_page, self.mapping_page, self.progress_page, self.result_page):
            self.addPage(page)
        fit_to_screen(self, 860, 680)

    def reject(self) -> None:
        if self.progress_page.running:
            return  # the import finishes (or fails) on its own; it cannot be stopped half-way
        super().reject()
