"""What a printer receives from 打印…: white paper, black text where the form puts it, at 300 dpi.

Each form is printed through the preview's own button into a PDF "printer" (what Qt's print
dialog does for 打印到文件), then the printed file and the ReportLab source are both rasterized
with pdftoppm at the same resolution and compared: how much of each page is white, the box that
holds all ink, and a coarse grid of inked cells.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from app.printing.gallery import FORMS
from app.ui.widgets import pdf_preview
from app.ui.widgets.pdf_preview import PdfPreviewDialog

DPI = 60  # raster used for comparing; the print itself is made at the printer's resolution
CELL = 12  # grid cell in raster pixels: 5 mm at 60 dpi
DARK = 140  # a raster pixel darker than this is ink
WHITE = 230  # lighter than this is paper
KINDS = ("agreement", "card", "followup-htn", "exam-slip", "referral", "settlement")


@dataclass(frozen=True)
class Raster:
    """One grayscale page: width, height and one byte per pixel (0 black … 255 white)."""

    width: int
    height: int
    pixels: bytes

    def share(self, test: Callable[[int], bool]) -> float:
        table = bytes(1 if test(v) else 0 for v in range(256))
        return self.pixels.translate(table).count(1) / len(self.pixels)

    def ink_box(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom of all ink (pixels darker than DARK)."""
        dark = bytes(1 if v < DARK else 0 for v in range(256))
        rows = [y for y in range(self.height)
                if 1 in self.pixels[y * self.width:(y + 1) * self.width].translate(dark)]
        cols = [x for x in range(self.width)
                if 1 in self.pixels[x::self.width].translate(dark)]
        assert rows and cols, "the page has no ink at all"
        return cols[0], rows[0], cols[-1], rows[-1]

    def grid(self) -> set[tuple[int, int]]:
        """The CELL×CELL cells that hold any ink."""
        cells: set[tuple[int, int]] = set()
        for y in range(self.height):
            row = self.pixels[y * self.width:(y + 1) * self.width]
            for x, v in enumerate(row):
                if v < DARK:
                    cells.add((x // CELL, y // CELL))
        return cells


def rasterize(pdf: Path, stem: str) -> list[Raster]:
    """Every page of a PDF as a grayscale raster at DPI, through poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    prefix = pdf.parent / stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(prefix)], check=True)
    pages: list[Raster] = []
    for path in sorted(pdf.parent.glob(stem + "-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        data = path.read_bytes()
        fields = data.split(maxsplit=4)
        assert fields[0] == b"P5" and fields[3] == b"255"
        width, height = int(fields[1]), int(fields[2])
        pages.append(Raster(width, height, fields[4][-width * height:]))
    return pages


class FilePrintDialog:
    """Stands in for QPrintDialog: the doctor picks 打印到文件 (PDF) and presses 打印."""

    target: Path

    def __init__(self, printer: QPrinter, parent: object = None) -> None:
        self.printer = printer

    def setMinMax(self, low: int, high: int) -> None:  # noqa: N802 (Qt's name)
        pass

    def exec(self) -> QDialog.DialogCode:
        self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer.setOutputFileName(str(self.target))
        return QDialog.DialogCode.Accepted


def print_with_button(qtbot, monkeypatch, source: Path, out: Path) -> PdfPreviewDialog:  # type: ignore[no-untyped-def]
    """Open the preview of `source` and press its 打印… button; the printer writes `out`."""
    FilePrintDialog.target = out
    monkeypatch.setattr(pdf_preview, "QPrintDialog", FilePrintDialog)
    dialog = PdfPreviewDialog(source, title="打印")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert out.exists() and out.stat().st_size > 0
    return dialog


def image_dpi(pdf: Path) -> list[float]:
    """For each page, the resolution of the widest image drawn on it (pixels per inch of paper)."""
    found: list[float] = []
    for page in PdfReader(pdf).pages:
        inches = float(page.mediabox.width) / 72
        xobjects = page["/Resources"].get("/XObject", {})
        widths = [int(x.get_object()["/Width"]) for x in xobjects.values()
                  if x.get_object().get("/Subtype") == "/Image"]
        found.append(max(widths, default=0) / inches)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_the_printer_receives_white_pages_with_the_form_where_it_belongs(
        kind: str, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source.pdf"
    FORMS[kind](source)
    printed = tmp_path / "printed.pdf"
    print_with_button(qtbot, monkeypatch, source, printed)

    # The same pages on paper of the same size, at a resolution a laser printer needs.
    src_pages, out_pages = PdfReader(source).pages, PdfReader(printed).pages
    assert len(out_pages) == len(src_pages)
    for s, o in zip(src_pages, out_pages, strict=True):
        assert abs(float(o.mediabox.width) - float(s.mediabox.width)) < 2
        assert abs(float(o.mediabox.height) - float(s.mediabox.height)) < 2
    assert all(dpi >= 299 for dpi in image_dpi(printed)), image_dpi(printed)

    want, got = rasterize(source, "want"), rasterize(printed, "got")
    for number, (w, g) in enumerate(zip(want, got, strict=True), start=1):
        where = f"{kind} page {number}"
        # (a) White paper with some black ink, not a black sheet.
        assert g.share(lambda v: v >= WHITE) > 0.85, f"{where}: the page is not white"
        assert g.share(lambda v: v < DARK) > 0.005, f"{where}: nothing is printed"
        # (b) The ink sits where the form puts it: same box (within 1.5 mm) and the same cells.
        assert (g.width, g.height) == (w.width, w.height)
        for a, b in zip(g.ink_box(), w.ink_box(), strict=True):
            assert abs(a - b) <= 4, f"{where}: ink box {g.ink_box()} ≠ form's {w.ink_box()}"
        want_cells, got_cells = w.grid(), g.grid()
        differ = len(want_cells ^ got_cells)
        assert differ <= 0.03 * len(want_cells), (
            f"{where}: {differ} of {len(want_cells)} inked cells differ from the form")
