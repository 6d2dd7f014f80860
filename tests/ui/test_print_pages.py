"""打印… from the pages that print, on their own data: what reaches the printer is the form on
white paper (协议书 and 明白卡 from 签约, 随访表 from 随访, 结算单 from 结算)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.ui.printed import assert_prints_like, press_print
from tests.ui.test_care import follow_ups_page
from tests.ui.test_claims import TODAY as CLAIMS_TODAY
from tests.ui.test_claims import _page as claims_page
from tests.ui.test_claims import _person, _stay
from tests.ui.test_contracts import _signed_page
from tests.ui.test_worktable import controlled_visit, patient

LEFT = Qt.MouseButton.LeftButton


def _printed(qtbot, monkeypatch, preview: PdfPreviewDialog | None, out: Path, what: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.waitExposed(preview)
    assert_prints_like(preview.path, press_print(qtbot, monkeypatch, preview, out), what)
    preview.close()


def test_the_agreement_and_the_card_print_as_the_forms(  # type: ignore[no-untyped-def]
        qtbot, workspace, runner, monkeypatch, tmp_path: Path) -> None:
    page = _signed_page(qtbot, workspace, runner, tmp_path)
    qtbot.mouseClick(page.agreement_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=15_000)
    agreement = page.preview
    _printed(qtbot, monkeypatch, agreement, tmp_path / "协议书-printed.pdf", "协议书")
    qtbot.mouseClick(page.card_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not agreement and page.preview is not None
                    and page.preview.isVisible(), timeout=15_000)
    _printed(qtbot, monkeypatch, page.preview, tmp_path / "明白卡-printed.pdf", "明白卡")


def test_the_followup_sheet_prints_as_the_form(  # type: ignore[no-untyped-def]
        qtbot, workspace, runner, monkeypatch, tmp_path: Path) -> None:
    controlled_visit(workspace, patient(workspace, "王福贵", "031"))
    page = follow_ups_page(qtbot, workspace, runner)
    page.table.selectRow(0)
    page._update_buttons()
    qtbot.mouseClick(page.print_button, LEFT)
    qtbot.waitUntil(lambda: page.print_hook.preview is not None, timeout=15_000)
    _printed(qtbot, monkeypatch, page.print_hook.preview, tmp_path / "随访表.pdf", "随访表")


def test_the_settlement_form_prints_as_the_form(  # type: ignore[no-untyped-def]
        qtbot, workspace, runner, monkeypatch, tmp_path: Path) -> None:
    pid = _person(workspace)
    page = claims_page(qtbot, workspace, runner)
    page.print_dir = tmp_path / "print"
    workspace.claims.add_claim(_stay(pid, settlement_no="ZY2024-0311"), today=CLAIMS_TODAY)
    page.refresh()
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.mouseClick(page.print_button, LEFT)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=15_000)
    _printed(qtbot, monkeypatch, page.preview, tmp_path / "结算单.pdf", "结算单")
