"""The import wizard: the guessed columns, a progress bar that moves, and the bad rows listed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QWizard

from app.storage.workspace import Workspace
from app.ui.dialogs.import_wizard import ImportWizard
from app.ui.tasks import TaskRunner
from tests.conftest import make_id as shared_make_id

VILLAGE = "522323104201"


def make_id(birth: str, seq: str) -> str:
    return shared_make_id(birth, seq, region="522323")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = Workspace.create(tmp_path / "c.sqlite3", clinic_name="东山村卫生室", division_code=VILLAGE,
                         division_name="东山村")
    yield w
    w.close()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "贫困户花名册.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "户编号", "组别", "名字", "与户主的关系", "公民身份号码", "性别", "户类型"])
    sheet.append([1, "H001", "一组", "张建国", "户主", make_id("19650305", "011"), "男", "脱贫户"])
    sheet.append([2, "H001", "一组", "王秀英", "妻", make_id("19670812", "022"), "女", None])
    sheet.append([3, "H002", "二组", "刘福", "户主", make_id("19580214", "031"), "男", "监测户"])
    sheet.append([4, "H002", "二组", "刘丽", "孙女", "52232320190305999", "女", None])
    sheet.append([5, "H003", "三组", "赵六", "户主", "123", "男", "脱贫户"])
    book.save(path)
    return path


def test_import_wizard_guesses_columns_moves_progress_and_lists_bad_rows(
    qtbot, ws: Workspace, runner: TaskRunner, workbook: Path, tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    wizard = ImportWizard(ws, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    wizard.file_page.set_file(workbook)
    qtbot.waitUntil(lambda: next_button.isEnabled())
    assert "5" in wizard.file_page.status.text()

    wizard.next()
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    mapping = page.mapping()
    assert mapping["姓名"] == "名字"
    assert mapping["证件号码"] == "公民身份号码"
    assert mapping["与户主关系"] == "与户主的关系"
    assert mapping["村民小组"] == "组别"
    assert mapping["联系电话"] == ""
    assert page.sample.rowCount() > 0
    assert page.fields.item(list(page.combos).index("姓名"), 1).text() != ""

    # Un-choosing a required column stops the import until it is chosen again.
    name_combo = page.combos["姓名"]
    name_combo.setCurrentIndex(0)
    assert not page.isComplete()
    assert "姓名" in page.problem.text()
    name_combo.setCurrentIndex(name_combo.findData("名字"))
    assert page.isComplete()

    values: list[int] = []
    bar = wizard.progress_page.bar
    bar.valueChanged.connect(values.append)
    reports: list[object] = []
    wizard.imported.connect(reports.append)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=20_000)

    assert bar.value() == bar.maximum() > 0
    assert len(set(values)) >= 2
    assert len(reports) == 1
    result = wizard.result_page
    assert "新建" in result.summary.text()
    rows = {int(result.problems.item(r, 0).text()) for r in range(result.problems.rowCount())}
    assert {5, 6} <= rows
    names = {result.problems.item(r, 1).text() for r in range(result.problems.rowCount())}
    assert "赵六" in names
    assert ws.people.count() == 3

    target = tmp_path_factory.mktemp("saved") / "问题清单.xlsx"  # outside the data folder
    result.save_problems(target)
    qtbot.waitUntil(lambda: target.exists() and result.saved.text() != "")
    saved = openpyxl.load_workbook(target)
    assert saved.worksheets[0].max_row >= 3


def test_wizard_asks_whose_phone_an_ambiguous_column_holds(
    qtbot, workspace: Workspace, runner: TaskRunner, tmp_path: Path
) -> None:
    from tests.roster import write_county_roster

    roster = write_county_roster(tmp_path / "花名册.xlsx")
    wizard = ImportWizard(workspace, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    wizard.file_page.set_file(roster.path)
    qtbot.waitUntil(lambda: next_button.isEnabled())
    wizard.next()
    page = wizard.mapping_page

    # The column is named, the items it could be are marked, and the import waits for an answer.
    assert page.ask.isVisible()
    assert list(page.questions) == ["联系电话"]
    question = page.questions["联系电话"]
    assert question.currentData() == ""
    label = page.ask_form.labelForField(question)
    assert "联系电话" in label.text() and "M" in label.text()
    names = list(page.combos)
    for field in ("联系电话", "帮扶责任人电话"):
        assert page.fields.item(names.index(field), 0).background().color().name() == "#fff3c4"
    assert page.fields.item(names.index("姓名"), 0).background().color().name() != "#fff3c4"
    assert not page.isComplete() and "联系电话" in page.problem.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    if os.environ.get("CUNYI_SHOTS"):
        wizard.grab().save(str(Path(os.environ["CUNYI_SHOTS"]) / "import_ask.png"))

    question.setCurrentIndex(question.findData("帮扶责任人电话"))
    assert page.mapping()["帮扶责任人电话"] == "联系电话"
    assert page.mapping()["联系电话"] == ""
    assert page.isComplete()
    question.setCurrentIndex(question.findData("联系电话"))
    assert page.mapping()["联系电话"] == "联系电话" and page.mapping()["帮扶责任人电话"] == ""

    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=20_000)
    result = wizard.result_page
    assert result.skipped.rowCount() == len(roster.skipped)
    assert result.problems.rowCount() == len(roster.bad)
    assert workspace.people.count() == len(roster.kept)
    head = workspace.care.find_person(roster.kept["张建国"].id_no)
    assert head.phone == "13800000101"
    if os.environ.get("CUNYI_SHOTS"):
        wizard.grab().save(str(Path(os.environ["CUNYI_SHOTS"]) / "import_result.png"))
