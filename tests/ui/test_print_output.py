"""打印… of every form kind: the printer receives white pages with the form where it belongs.

Each form is printed through the preview's own button into a PDF "printer" (what Qt's print
dialog does for 打印到文件) and compared with the ReportLab source (tests/ui/printed.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.printing.gallery import FORMS
from app.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.ui.printed import assert_prints_like, press_print

KINDS = ("agreement", "card", "followup-htn", "exam-slip", "referral", "settlement")


@pytest.mark.parametrize("kind", KINDS)
def test_the_printer_receives_white_pages_with_the_form_where_it_belongs(  # type: ignore[no-untyped-def]
        kind: str, qtbot, monkeypatch, tmp_path: Path) -> None:
    source = tmp_path / "source.pdf"
    FORMS[kind](source)
    dialog = PdfPreviewDialog(source, title="打印")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    printed = press_print(qtbot, monkeypatch, dialog, tmp_path / "printed.pdf")
    assert_prints_like(source, printed, kind)
