"""The CLI as a script would use it: a real process, a real home folder, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_users import DEMO, INIT_USER, sign_in_env
from tests.conftest import make_id

ROOT = Path(__file__).resolve().parents[2]


def cunyi(home: Path, *args: str, env: dict[str, str] | None = None,
          input: str | None = None,
          user: tuple[str, str] | None = INIT_USER) -> subprocess.CompletedProcess[str]:
    """`cunyi ARGS…` in its own process, signed in as `user` through CUNYI_USER/CUNYI_PASSWORD."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CUNYI_USER", "CUNYI_PASSWORD")}
    full_env["CUNYI_HOME"] = str(home)
    full_env.update(sign_in_env(user))
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, input=input, timeout=120)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    r = cunyi(h, "init", "--clinic", "红旗村卫生室", "--division", "622923104201",
              "--village-name", "红旗村", "--user", "doctor", "--password", "secret1")
    assert r.returncode == 0, r.stderr
    return h


def test_init_creates_the_database_and_refuses_to_overwrite(home):
    assert (home / "cunyi.sqlite3").exists()
    r = cunyi(home, "init", "--clinic", "x", "--division", "622923104201", "--village-name", "x",
              "--user", "u", "--password", "secret1")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "已存在" in r.stderr


def test_init_with_a_bad_division_code_writes_nothing(tmp_path):
    h = tmp_path / "h"
    r = cunyi(h, "init", "--clinic", "x", "--division", "12345", "--village-name", "x",
              "--user", "u", "--password", "secret1")
    assert r.returncode == 1 and "区划代码" in r.stderr
    assert not (h / "cunyi.sqlite3").exists()


def test_id_check_reports_each_id_and_fails_on_a_bad_one(tmp_path):
    good = make_id()
    r = cunyi(tmp_path, "id-check", good, "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)[0]["sex"] == "男"
    r = cunyi(tmp_path, "id-check", good, good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert r.returncode == 1 and "校验位" in r.stdout
    r = cunyi(tmp_path, "id-check", "110105491231002")
    assert "11010519491231002X" in r.stdout


def test_search_on_an_empty_home_says_what_to_do(tmp_path):
    r = cunyi(tmp_path / "empty", "search", "zs")
    assert r.returncode == 1
    assert "cunyi init" in r.stderr and r.stderr.count("\n") == 1


def test_backup_list_and_restore(home):
    r = cunyi(home, "backup")
    assert r.returncode == 0, r.stderr
    r = cunyi(home, "backup", "--list", "--json")
    backups = json.loads(r.stdout)
    assert len(backups) == 1
    r = cunyi(home, "restore", backups[0]["path"])
    assert r.returncode == 1 and "--yes" in r.stderr
    r = cunyi(home, "restore", backups[0]["path"], "--yes")
    assert r.returncode == 0, r.stderr


def test_gui_without_a_display_says_so_in_one_line(home):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    full = dict(env, CUNYI_HOME=str(home))
    r = subprocess.run([sys.executable, "-m", "app", "gui"], cwd=ROOT, env=full,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "offscreen" in r.stderr
    assert "Traceback" not in r.stderr


def test_every_command_has_help(tmp_path):
    from app.cli import build_parser

    r = cunyi(tmp_path, "--help")
    assert r.returncode == 0
    for name in ("init", "demo", "gui", "import-xlsx", "export-xlsx", "search", "id-check",
                 "backup", "restore"):
        assert name in r.stdout
        assert cunyi(tmp_path, name, "--help").returncode == 0
    assert build_parser().prog == "cunyi"


def test_demo_then_search_export_and_reimport(tmp_path):
    h = tmp_path / "demo"
    r = cunyi(h, "demo", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["people"] > 1000
    r = cunyi(h, "demo")
    assert r.returncode == 1 and "--force" in r.stderr
    r = cunyi(h, "search", "wang", "--json", "--limit", "5", user=DEMO)
    hits = json.loads(r.stdout)
    assert hits and all("王" in x["name"] or "汪" in x["name"] for x in hits)
    r = cunyi(h, "search", hits[0]["id_no"][-6:], "--json", user=DEMO)   # an ID's last six digits
    assert r.returncode == 0 and hits[0]["id"] in [x["id"] for x in json.loads(r.stdout)]
    out = tmp_path / "export.xlsx"
    r = cunyi(h, "export-xlsx", str(out), user=DEMO)
    assert r.returncode == 0, r.stderr and out.exists()
    r = cunyi(h, "import-xlsx", str(out), "--json", user=DEMO)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["problems"] == []
    assert report["people_created"] == 0 and report["people_updated"] == 0
    assert report["households_created"] == 0


def test_import_of_a_missing_file_fails_in_one_line(home, tmp_path):
    r = cunyi(home, "import-xlsx", str(tmp_path / "nope.xlsx"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1
