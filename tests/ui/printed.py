"""What a printer receives from 打印…, compared with the form's own PDF.

The printed file and the ReportLab source are both rasterized with pdftoppm at 300 dpi and
compared: how much of each page is white, the box that holds all ink, and whether each inked
pixel of one has ink on or next to it in the other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from app.ui.widgets import pdf_preview
from app.ui.widgets.pdf_preview import PdfPreviewDialog

DPI = 300  # rasters compared at the resolution a laser printer prints
MM = DPI / 25.4
DARK = 128  # a raster pixel darker than this is ink
WHITE = 230  # lighter than this is paper
NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


def rasterize(pdf: Path) -> list[Image.Image]:
    """Every page of a PDF as a grayscale image at DPI, through poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    with tempfile.TemporaryDirectory(prefix="cunyi-raster-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), f"{tmp}/page"], check=True)
        files = sorted(Path(tmp).glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [Image.open(path).convert("L") for path in files]


def white_share(page: Image.Image) -> float:
    counts = page.histogram()
    return sum(counts[WHITE:]) / (page.width * page.height)


def ink(page: Image.Image) -> Image.Image:
    """255 where the page is dark, 0 elsewhere."""
    return page.point([255 if v < DARK else 0 for v in range(256)])


def matched(a: Image.Image, b: Image.Image) -> float:
    """Share of a's ink pixels that have ink of b on them or on a neighbouring pixel."""
    near = b
    for dx, dy in NEIGHBOURS:
        near = ImageChops.lighter(near, ImageChops.offset(b, dx, dy))
    return ImageChops.multiply(a, near).histogram()[255] / max(1, a.histogram()[255])


class FilePrintDialog:
    """Stands in for QPrintDialog: the doctor picks 打印到文件 (PDF) and presses 打印."""

    target: Path

    def __init__(self, printer: QPrinter, parent: object = None) -> None:
        self.printer = printer

    def setMinMax(self, low: int, high: int) -> None:
        pass

    def exec(self) -> QDialog.DialogCode:
        self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer.setOutputFileName(str(self.target))
        return QDialog.DialogCode.Accepted


def press_print(qtbot, monkeypatch, dialog: PdfPreviewDialog, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """Press the shown preview's 打印… button and choose 打印到文件 `out` in the print dialog."""
    FilePrintDialog.target = out
    monkeypatch.setattr(pdf_preview, "QPrintDialog", FilePrintDialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert out.exists() and out.stat().st_size > 0
    return out


def image_dpi(pdf: Path) -> list[float]:
    """For each page, the resolution of the widest image drawn on it (pixels per inch of paper)."""
    found: list[float] = []
    for page in PdfReader(pdf).pages:
        inches = float(page.mediabox.width) / 72
        resources: Any = page["/Resources"]
        images: list[Any] = [x.get_object() for x in resources.get("/XObject", {}).values()]
        widths = [int(x["/Width"]) for x in images if x["/Subtype"] == "/Image"]
        found.append(max(widths, default=0) / inches)
    return found


def assert_prints_like(source: Path, printed: Path, what: str) -> None:
    """The printed PDF is the source on white paper: same pages and paper, 300 dpi, ink in place."""
    # The same pages on paper of the same size, at a resolution a laser printer needs.
    src_pages, out_pages = PdfReader(source).pages, PdfReader(printed).pages
    assert len(out_pages) == len(src_pages)
    for s, o in zip(src_pages, out_pages, strict=True):
        assert abs(float(o.mediabox.width) - float(s.mediabox.width)) < 2
        assert abs(float(o.mediabox.height) - float(s.mediabox.height)) < 2
    assert all(dpi >= 299 for dpi in image_dpi(printed)), image_dpi(printed)

    want, got = rasterize(source), rasterize(printed)
    for number, (w, g) in enumerate(zip(want, got, strict=True), start=1):
        where = f"{what} page {number}"
        # (a) White paper with black ink on it, not a black sheet.
        assert white_share(g) > 0.85, f"{where}: the page is not white ({white_share(g):.0%})"
        # (b) The ink sits where the form puts it: the same box (within 1 mm) and the same strokes.
        assert abs(g.width - w.width) <= 1 and abs(g.height - w.height) <= 1  # A4 in whole points
        size = (0, 0, min(g.width, w.width), min(g.height, w.height))
        w_ink, g_ink = ink(w.crop(size)), ink(g.crop(size))
        w_box, g_box = w_ink.getbbox(), g_ink.getbbox()
        assert g_box is not None, f"{where}: nothing is printed"
        assert w_box is not None
        assert all(abs(a - b) <= MM for a, b in zip(g_box, w_box, strict=True)), (
            f"{where}: ink box {g_box} is not the form's {w_box}")
        printed_share, form_share = matched(w_ink, g_ink), matched(g_ink, w_ink)
        assert printed_share > 0.9, f"{where}: only {printed_share:.0%} of the form is printed"
        assert form_share > 0.9, f"{where}: only {form_share:.0%} of the ink is the form's"
