"""Print preview: a PDF shown with QtPdf, printed through Qt's print dialog, or saved as a copy."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CunyiError
from app.core.outputs import ProtectedPlaces
from app.ui.errors import show_error
from app.ui.outputs import save_output
from app.ui.screen_fit import fit_to_screen
from app.ui.widgets.page_printer import match_paper, print_with_progress

_print_folder: Path | None = None
Places = Callable[[], ProtectedPlaces]    # asked when saving: where a copy must not go


def print_folder() -> Path:
    """One temporary folder per run for the PDFs made to preview; removed when the app exits."""
    global _print_folder
    if _print_folder is None:
        _print_folder = Path(tempfile.mkdtemp(prefix="cunyi-print-"))
        atexit.register(shutil.rmtree, _print_folder, True)
    return _print_folder


def temp_pdf(folder: Path, stem: str) -> Path:
    """A new, empty PDF file name in `folder` (made if missing), starting with `stem`."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".pdf", prefix=stem + "-", dir=folder)
    os.close(handle)
    return Path(name)


def open_preview(parent: QWidget, path: Path, title: str,
                 places: Places | None = None) -> PdfPreviewDialog | None:
    """Open the preview of a written PDF over `parent`; a file Qt cannot read is shown as an error.

    `places` gives the clinic's protected places, where 另存为PDF refuses to write.
    """
    try:
        preview = PdfPreviewDialog(path, title=title, save_name=f"{title}.pdf", parent=parent,
                                   places=places)
    except CunyiError as exc:
        show_error(parent, exc)
        return None
    preview.open()
    return preview


ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


class PdfPreviewDialog(QDialog):
    """Shows one PDF file page by page; 打印… sends it to a printer, 另存为PDF copies it."""

    def __init__(self, path: Path | str, *, title: str = "", save_name: str = "",
                 parent: QWidget | None = None, places: Places | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.places = places
        self.save_name = save_name or self.path.name
        self.setWindowTitle(title or self.tr("Print preview"))
        self.document = QPdfDocument(self)
        error = self.document.load(str(self.path))
        if error != QPdfDocument.Error.None_:
            raise CunyiError(self.tr("Cannot open the PDF file %s") % self.path)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setStyleSheet("background: #6b7178;")
        self._build()
        fit_to_screen(self, 900, 860)

    def _build(self) -> None:
        self.page = QSpinBox()
        self.page.setRange(1, max(self.page_count(), 1))
        self.page_total = QLabel(self.tr("of %d pages") % self.page_count())
        self.previous = QPushButton(self.tr("Previous"))
        self.next = QPushButton(self.tr("Next"))
        self.zoom = QComboBox()
        self.zoom.addItem(self.tr("Fit width"), 0.0)
        self.zoom.addItem(self.tr("Whole page"), -1.0)
        for factor in ZOOMS:
            self.zoom.addItem(f"{factor:.0%}", factor)
        self.print_button = QPushButton(self.tr("Print…"))
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.close_button = QPushButton(self.tr("Close"))
        self.print_button.setDefault(True)
        bar = QHBoxLayout()
        bar.addWidget(self.previous)
        bar.addWidget(QLabel(self.tr("Page")))
        bar.addWidget(self.page)
        bar.addWidget(self.page_total)
        bar.addWidget(self.next)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("Zoom")))
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.page.valueChanged.connect(self.go_to)
        self.previous.clicked.connect(lambda: self.page.setValue(self.page.value() - 1))
        self.next.clicked.connect(lambda: self.page.setValue(self.page.value() + 1))
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_copy)
        self.close_button.clicked.connect(self.reject)
        self._page_changed(0)

    def page_count(self) -> int:
        return self.document.pageCount()

    # --- navigation ---------------------------------------------------------------------

    def go_to(self, number: int) -> None:
        """Show page `number` (1-based)."""
        index = min(max(number, 1), max(self.page_count(), 1)) - 1
        if index != self.view.pageNavigator().currentPage():
            self.view.pageNavigator().jump(index, QPointF(), self.view.pageNavigator().currentZoom())

    def _page_changed(self, index: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(index + 1)
        self.page.blockSignals(False)
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < self.page_count() - 1)

    def _zoom_changed(self) -> None:
        factor = float(self.zoom.currentData())
        if factor == 0.0:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif factor < 0:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(factor)

    # --- output -------------------------------------------------------------------------

    def print_document(self) -> None:
        """打印…: Qt's print dialog on the document's paper size, then every chosen page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.save_name)
        match_paper(printer, self.document)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the chosen pages (all when none are chosen) as black on white at 300 dpi."""
        if print_with_progress(self, self.document, printer) == "failed":
            show_error(self, CunyiError(self.tr("The printer could not be started.")))

    def save_copy(self) -> None:
        start = str(Path.home() / self.save_name)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), start,
                                              self.tr("PDF file (*.pdf)"))
        if not path:
            return
        save_output(self, path, self.places() if self.places else None,
                    lambda tmp: shutil.copyfile(self.path, tmp))
