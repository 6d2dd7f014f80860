"""The hidden start-up check the packaged build is tested with, run here from the venv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import cunyi


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("smoke") / "home"
    r = cunyi(home, "demo", "--size", "village", "--seed", "7")
    assert r.returncode == 0, r.stderr
    return home


def smoke(home: Path, report: Path, password: str, timeout: str) -> int:
    r = cunyi(home, "gui", "--demo", env={
        "QT_QPA_PLATFORM": "offscreen", "CUNYI_SMOKE_TEST": str(report),
        "CUNYI_SMOKE_PASSWORD": password, "CUNYI_SMOKE_TIMEOUT": timeout})
    return r.returncode


def test_signs_in_reports_the_household_list_and_exits_0(demo_home: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert smoke(demo_home, report, "demo123", "120") == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] and data["households"] > 0
    assert data["qt_look_in"] == "查找范围(&L)："
    assert report.with_suffix(".png").stat().st_size > 10_000


def test_a_list_that_never_fills_ends_in_a_timeout_and_exit_3(demo_home: Path,
                                                              tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert smoke(demo_home, report, "wrong password", "3") == 3
    assert json.loads(report.read_text(encoding="utf-8"))["ok"] is False
