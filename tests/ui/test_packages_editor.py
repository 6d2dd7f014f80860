"""设置 › 服务包: a form checked as it is typed, saved to the active list, and TOML import/export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.contracts import PackageConditions
from app.core.paths import Paths
from app.storage.packages import load_packages, packages_to_toml, parse_packages
from app.storage.workspace import Workspace
from app.ui.pages.packages_editor import PackagesEditor
from app.ui.pages.settings import SettingsPage
from app.ui.tasks import TaskRunner
from tests.conftest import VILLAGE
from tests.ui.conftest import type_text


@pytest.fixture
def ws(paths: Paths) -> Iterator[Workspace]:
    w = Workspace.create(paths.database, clinic_name="东山村卫生室", division_code=VILLAGE,
                         division_name="东山村")
    yield w
    w.close()


@pytest.fixture
def editor(qtbot, ws: Workspace, runner: TaskRunner, paths: Paths) -> PackagesEditor:  # type: ignore[no-untyped-def]
    page = SettingsPage(ws, runner, paths)
    qtbot.addWidget(page)
    page.resize(1366, 680)
    page.show()
    qtbot.waitUntil(lambda: page.packages_editor.list.count() == 5)
    page.tabs.setCurrentWidget(page.packages_editor)
    return page.packages_editor


def _select(editor: PackagesEditor, name: str) -> None:
    row = next(i for i in range(editor.list.count()) if editor.list.item(i).text().endswith(name))
    editor.list.setCurrentRow(row)


def test_a_split_that_does_not_add_up_is_shown_next_to_it_and_cannot_be_saved(
        qtbot, editor: PackagesEditor, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    before = ws.contracts.packages_text()
    _select(editor, "高血压包")
    assert editor.split["个人"].text() == "20.00" and editor.save_button.isEnabled()
    editor.split["个人"].clear()
    type_text(qtbot, editor.split["个人"], "25.00")
    assert editor.errors["split"].isVisible()
    assert editor.errors["split"].text() == "各付费方合计 65.00 元，应等于价格 60.00 元"
    assert "65.00" in editor.split_total.text()
    assert not editor.save_button.isEnabled() and not editor.export_button.isEnabled()
    assert editor.list.currentItem().text() == "⚠ 高血压包"
    editor.save()
    assert ws.contracts.packages_text() == before                       # nothing was written
    editor.price.clear()
    type_text(qtbot, editor.price, "65.00")                   # now the split adds up
    assert not editor.errors["split"].isVisible() and editor.save_button.isEnabled()

    editor.age_min.setText("65")
    editor.age_max.setText("6")
    assert editor.errors["age"].isVisible() and "最小年龄65岁大于最大年龄6岁" in editor.errors["age"].text()
    editor.age_min.clear()
    editor.age_max.clear()
    assert not editor.errors["age"].isVisible()


def test_the_edited_form_is_saved_with_its_conditions(qtbot, editor: PackagesEditor,
                                                       ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    _select(editor, "老年人包")
    editor.name.setText("老年人健康包")
    editor.groups["贫困人口"].setChecked(True)
    editor.add_package()
    assert not editor.save_button.isEnabled()                 # the new one is empty
    assert editor.errors["price"].isVisible()
    editor.code.setText("YCF")
    editor.name.setText("孕产妇包")
    editor.price.setText("20.00")
    editor.split["基本公卫经费"].setText("20.00")
    editor.services.item(0, 0).setText("产后访视")
    editor.services.item(0, 1).setText("2")
    editor.groups["孕产妇"].setChecked(True)
    assert editor.save_button.isEnabled(), editor.status.text()
    editor.save_button.click()
    qtbot.waitUntil(lambda: "6" in editor.status.text())
    saved = {p.code: p for p in ws.contracts.packages()}
    assert saved["LNR"].name == "老年人健康包"
    assert saved["LNR"].conditions == PackageConditions(age_min=65, groups=("贫困人口",))
    assert saved["YCF"].conditions.groups == ("孕产妇",)
    assert [(s.name, s.per_year) for s in saved["YCF"].services] == [("产后访视", 2)]


def test_the_list_round_trips_through_a_toml_file(qtbot, editor: PackagesEditor, tmp_path: Path,
                                                  ws: Workspace, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "县服务包.toml"
    editor.export_file(out)
    assert parse_packages(out.read_text(encoding="utf-8"), source=out.name) == load_packages()
    assert out.read_text(encoding="utf-8") == packages_to_toml(load_packages())

    other = PackagesEditor(ws, runner)
    qtbot.addWidget(other)
    other.import_file(out)
    assert other.packages() == load_packages()
    assert "5" in other.status.text()

    bad = tmp_path / "坏.toml"
    bad.write_text(out.read_text(encoding="utf-8").replace('"10.00"', '"1O.00"', 1), encoding="utf-8")
    other.import_file(bad)
    assert "坏.toml" in other.status.text() and other.packages() == load_packages()  # kept as it was
