"""The county's configuration on the clinic: files read as the clinic reads them, items applied all
together or not at all, the nearest scope winning, and a file from before schema 17 upgraded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from app.core.errors import ValidationError
from app.storage.config_items import read_config_file
from app.storage.db import connect
from app.storage.migrations import LATEST_VERSION, migrate
from app.storage.workspace import Workspace
from tests.conftest import VILLAGE

COUNTY = VILLAGE[:6] + "000000"


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    key: str
    scope: str
    version: int
    body: str
    published_at: str = "2025-03-01T08:00:00Z"
    withdrawn: bool = False
    signature: str = "00"


def setting(item_id: int, key: str, value: str, *, scope: str = COUNTY, version: int | None = None,
            withdrawn: bool = False) -> Item:
    return Item(item_id, "setting", key, scope, version or item_id, json.dumps({"value": value}),
                withdrawn=withdrawn)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = Workspace.create(tmp_path / "c.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                         division_name="红旗村")
    yield w
    w.close()


def test_a_package_list_in_toml_makes_one_item_per_package(tmp_path: Path) -> None:
    from app.storage.packages import DEFAULT_FILE

    entries = read_config_file(DEFAULT_FILE)
    assert [e.kind for e in entries] == ["service_package"] * 5
    assert entries[0].key == "JC" and entries[0].body["package"]["price"] == "30.00"


def test_settings_are_read_flat_or_by_area_and_checked_together(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("followup_recheck_days = 100\n[followup]\nroutine_days = 180\n", encoding="utf-8")
    entries = read_config_file(path)
    assert {e.key: e.body["value"] for e in entries} == {"followup_recheck_days": "100",
                                                        "followup_routine_days": "180"}
    path.write_text("followup_recheck_days = 100\n", encoding="utf-8")       # longer than 90 days
    with pytest.raises(ValidationError, match=r"rules\.toml：复查天数应小于常规随访间隔"):
        read_config_file(path)


def test_items_apply_together_and_a_bad_one_leaves_everything_as_it_was(ws: Workspace) -> None:
    good = setting(1, "followup_sbp_uncontrolled", "150")
    bad = Item(2, "service_package", "X", COUNTY, 2, json.dumps({"package": {"code": "X"}}))
    with pytest.raises(ValidationError, match="缺少字段"):
        ws.county_config.apply([good, bad], scope=VILLAGE)
    assert ws.county_config.items() == [] and ws.county_config.after() == 0
    assert ws.county_config.apply([good], scope=VILLAGE).stored == 1
    assert ws.settings.get("followup_sbp_uncontrolled") == "150" and ws.county_config.after() == 1


def test_settings_that_together_break_a_rule_are_refused(ws: Workspace) -> None:
    ws.settings.update(followup_sbp_danger="160")
    with pytest.raises(ValidationError, match=r"合起来不符合规则.*没有采用"):
        ws.county_config.apply([setting(1, "followup_sbp_uncontrolled", "165")], scope=VILLAGE)
    assert ws.county_config.after() == 0


def test_the_nearest_scope_wins_and_its_withdrawal_uncovers_the_county_value(ws: Workspace) -> None:
    ws.county_config.apply([setting(1, "tasks_window_days", "20"),
                            setting(2, "tasks_window_days", "10", scope=VILLAGE),
                            setting(3, "tasks_window_days", "5", scope=VILLAGE[:9] + "202")],
                           scope=VILLAGE)
    assert ws.settings.get("tasks_window_days") == "10" and ws.care.task_settings().window_days == 10
    assert ws.county_config.apply([setting(2, "tasks_window_days", "10", scope=VILLAGE, version=4,
                                           withdrawn=True)], scope=VILLAGE).withdrawn == 1
    assert ws.settings.all()["tasks_window_days"] == "20"


def test_a_file_from_before_schema_17_gets_the_table_and_keeps_its_settings(tmp_path: Path) -> None:
    path = tmp_path / "v16.sqlite3"
    conn = connect(path)
    migrate(conn, target=16)
    old = Workspace(sqlite_utils.Database(conn), path)
    assert old.settings.get("followup_sbp_uncontrolled", "x") == "x"      # no table yet: the clinic's
    with old.transaction():
        old.settings.set(followup_sbp_uncontrolled="145")
    assert migrate(conn) == LATEST_VERSION
    assert old.settings.get("followup_sbp_uncontrolled") == "145" and old.county_config.items() == []
    conn.close()
