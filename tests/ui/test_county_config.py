"""设置 shows what the county sent labelled 来自县里, with its version and date, and not editable."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app.core.paths import Paths
from app.storage.workspace import Workspace
from app.sync.protocol import ConfigItem
from app.ui import i18n
from app.ui.pages.settings import SettingsPage
from app.ui.tasks import TaskRunner
from tests.conftest import VILLAGE

PACKAGE = {"code": "XGY", "name": "县高血压包", "tier": "个性化包", "price": "60.00",
           "split": {"医保基金": "40.00", "财政补助": "20.00"}, "services": [{"name": "血压测量", "per_year": 4}]}


def _item(item_id: int, kind: str, key: str, body: dict[str, object]) -> ConfigItem:
    return ConfigItem(id=item_id, kind=kind, key=key, scope=VILLAGE[:6] + "000000", version=item_id + 6,
                      body=json.dumps(body, ensure_ascii=False), published_at="2025-03-01T08:00:00Z",
                      signature="00")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    i18n.install_translators(qapp, "zh_CN")
    yield
    i18n.install_translators(qapp, i18n.SOURCE_LANGUAGE)


@pytest.fixture
def ws(paths: Paths) -> Iterator[Workspace]:
    w = Workspace.create(paths.database, clinic_name="东山村卫生室", division_code=VILLAGE,
                         division_name="东山村")
    w.county_config.apply([_item(1, "setting", "followup_sbp_uncontrolled", {"value": "150"}),
                           _item(2, "service_package", "XGY", {"package": PACKAGE})], scope=VILLAGE)
    yield w
    w.close()


def test_settings_show_the_county_items_as_from_the_county_and_read_only(
        qtbot, chinese: None, ws: Workspace, runner: TaskRunner, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(ws, runner, paths)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.county_table.rowCount() == 2)
    rows = [[page.county_table.item(r, c).text() for c in range(6)] for r in range(2)]
    assert rows[0][:3] == ["规则设置 · 来自县里", "followup_sbp_uncontrolled", "150"]
    assert rows[0][4:] == ["7", "2025-03-01"]
    assert rows[1][0] == "服务包 · 来自县里" and rows[1][2].startswith("县高血压包")

    editor = page.packages_editor
    page.tabs.setCurrentWidget(editor)
    assert editor.county_list.count() == 1 and editor.county_list.item(0).text() == "县高血压包（来自县里）"
    editor.county_list.setCurrentRow(0)
    assert editor.county_banner.isVisible() and not editor.form.isEnabled()
    assert editor.code.text() == "XGY"
    assert editor.county_label.text().startswith("来自县里 · 第 8 版 · 2025-03-01")
    local = editor.list.count()
    editor.copy_button.click()                      # a local draft, its code left to fill in
    assert editor.list.count() == local + 1 and editor.form.isEnabled()
    assert not editor.county_banner.isVisible() and editor.code.text() == ""
    assert editor.name.text() == "县高血压包（本地副本）"
    assert not editor.save_button.isEnabled()
