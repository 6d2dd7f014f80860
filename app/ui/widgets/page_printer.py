"""Sending a PDF's pages to a printer as black ink on white paper, each at its own size, at 300 dpi.

QtPdf renders pages only to bitmaps (so a printer gets page images, not vectors), and it leaves
all the PDF does not paint transparent: alpha 0, colour black. Dropping the alpha channel, as a
plain conversion to grayscale does, turns that paper black; so each page is first laid on an
opaque white sheet. The forms are black on white, so the sheet is then cut to one bit per pixel
(threshold, no dither): a laser printer gets sharp text and lines, and an A4 page is ~1 MB in
memory and ~80 KB in a PDF instead of 9 MB and ~1.2 MB (Qt's PDF writer stores 8-bit images as
colour JPEG). Pages are made and sent one at a time, so a long batch holds one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QCoreApplication, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

PRINT_DPI = 300  # what a laser printer needs for 6.5 pt text; finer printers get this and scale
PROGRESS_AFTER_MS = 1500  # a job that takes longer shows its progress and a stop button
_BLACK_WHITE = [QColor(Qt.GlobalColor.black).rgba(), QColor(Qt.GlobalColor.white).rgba()]


def match_paper(printer: QPrinter, document: QPdfDocument) -> None:
    """Start the printer on the paper size and orientation of the document's first page."""
    if document.pageCount() < 1:
        return
    points = document.pagePointSize(0)
    size = QPageSize(QSize(round(points.width()), round(points.height())), "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageSize(size)
    landscape = points.width() > points.height()
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                               else QPageLayout.Orientation.Portrait)


def page_image(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """Page `index` as black ink on white paper, one bit per pixel, at `dpi`."""
    points = document.pagePointSize(index)
    size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
    # A 32-bit sheet: Qt blends onto it and cuts it to 1 bit faster than from 8-bit grayscale.
    sheet = QImage(size, QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    painter.drawImage(0, 0, document.render(index, size))
    painter.end()
    ink = sheet.convertToFormat(QImage.Format.Format_Mono,
                                Qt.ImageConversionFlag.ThresholdDither)
    del sheet
    # Qt puts white at index 0; its PDF writer keeps an image at 1 bit only when 0 is black.
    if ink.colorTable() != _BLACK_WHITE:
        ink.invertPixels()
        ink.setColorTable(_BLACK_WHITE)
    return ink


def _target(printer: QPrinter, points: QSizeF) -> QRectF:
    """Where a page of `points` goes on the sheet, in device pixels: actual size, centred, shrunk
    only when the paper is smaller than the page."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    scale = printer.resolution() / 72
    width, height = points.width() * scale, points.height() * scale
    fit = min(1.0, paper.width() / width, paper.height() / height)
    width, height = width * fit, height * fit
    return QRectF(paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2,
                  width, height)


def print_pages(document: QPdfDocument, printer: QPrinter, first: int, last: int,
                step: Callable[[int], bool] | None = None) -> bool:
    """Print pages first…last (1-based), one image per sheet, made and sent one at a time.

    `step(done)` is called after each page; when it returns False the job is aborted. False when
    the printer could not start or the job was stopped.
    """
    printer.setFullPage(True)  # the forms keep their own 15 mm margins; print them at actual size
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    dpi = max(72, min(printer.resolution(), PRINT_DPI))
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        painter.setPen(Qt.GlobalColor.black)
        for done, number in enumerate(range(first, last + 1), start=1):
            if number > first:
                printer.newPage()
            index = number - 1
            painter.drawImage(_target(printer, document.pagePointSize(index)),
                              page_image(document, index, dpi))
            if step is not None and not step(done):
                printer.abort()
                return False
    finally:
        painter.end()
    return True


def print_with_progress(parent: QWidget, document: QPdfDocument,
                        printer: QPrinter) -> Literal["done", "stopped", "failed"]:
    """Print the printer's chosen page range (all pages when none is chosen) over `parent`,
    showing progress and a stop button once the job runs longer than PROGRESS_AFTER_MS."""
    first, last = printer.fromPage(), printer.toPage()
    if first == 0:
        first, last = 1, document.pageCount()
    total = last - first + 1
    if total < 1:
        return "done"

    progress = QProgressDialog(QCoreApplication.translate("PagePrinter", "Printing…"),
                               QCoreApplication.translate("PagePrinter", "Stop"), 0, total, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(PROGRESS_AFTER_MS)
    progress.setAutoReset(False)

    def step(done: int) -> bool:
        label = QCoreApplication.translate("PagePrinter", "Printing page %1 of %2…")
        progress.setLabelText(label.replace("%1", str(done)).replace("%2", str(total)))
        progress.setValue(done)
        return not progress.wasCanceled()

    try:
        finished = print_pages(document, printer, first, last, step)
        stopped = progress.wasCanceled()
    finally:
        progress.close()
        progress.deleteLater()
    if finished:
        return "done"
    return "stopped" if stopped else "failed"
