"""The print preview: opens a rendered agreement, pages through it, prints and saves it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from app.printing.agreement import render_agreement
from app.printing.samples import sample_agreement
from app.ui.widgets.pdf_preview import PdfPreviewDialog


def _agreement(tmp_path: Path) -> Path:
    out = tmp_path / "agreement.pdf"
    render_agreement(sample_agreement(), out)
    return out


def test_preview_shows_the_page_count_and_pages_through(qtbot, tmp_path: Path) -> None:
    pdf = _agreement(tmp_path)
    dialog = PdfPreviewDialog(pdf, title="协议书")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    pages = dialog.page_count()
    assert pages >= 2
    assert str(pages) in dialog.page_total.text()
    assert not dialog.previous.isEnabled()
    dialog.page.setValue(2)
    qtbot.waitUntil(lambda: dialog.view.pageNavigator().currentPage() == 1)
    assert dialog.previous.isEnabled()


def test_printing_draws_every_page_into_the_printer(qtbot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(_agreement(tmp_path))
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialog.print_to(printer)
    assert out.stat().st_size > 10_000
    copy = PdfPreviewDialog(out)
    qtbot.addWidget(copy)
    assert copy.page_count() == dialog.page_count()


def test_save_as_copies_the_file(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    pdf = _agreement(tmp_path)
    dialog = PdfPreviewDialog(pdf)
    qtbot.addWidget(dialog)
    target = tmp_path / "saved" / "协议书.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_copy()
    assert target.read_bytes() == pdf.read_bytes()


def test_a_stopped_print_job_stops_after_the_page_in_hand(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QProgressDialog

    from app.ui.widgets import page_printer, pdf_preview

    drawn: list[int] = []
    real = page_printer.page_image

    def counted(document: QPdfDocument, index: int, dpi: int) -> QImage:
        drawn.append(index)
        return real(document, index, dpi)

    monkeypatch.setattr(page_printer, "page_image", counted)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)  # 停止打印 pressed
    errors: list[object] = []
    monkeypatch.setattr(pdf_preview, "show_error", lambda *a: errors.append(a))
    dialog = PdfPreviewDialog(_agreement(tmp_path))
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert page_printer.print_with_progress(dialog, dialog.document, printer) == "stopped"
    dialog.print_to(printer)
    assert drawn == [0, 0] and errors == []


def test_save_as_refuses_the_clinics_database(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from app.storage.outputs import places_for
    from app.ui import outputs

    pdf = _agreement(tmp_path)
    db = tmp_path / "clinic" / "cunyi.sqlite3"
    db.parent.mkdir()
    db.write_bytes(b"the clinic")
    dialog = PdfPreviewDialog(pdf, places=lambda: places_for(db))
    qtbot.addWidget(dialog)
    shown: list[str] = []
    monkeypatch.setattr(outputs, "show_error", lambda _parent, exc: shown.append(str(exc)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(db), ""))
    dialog.save_copy()
    assert db.read_bytes() == b"the clinic"
    assert len(shown) == 1 and "数据库" in shown[0]
