"""The command line as a script or a shell pipe uses it: set-up codes, backups, closed pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_users import DEMO, sign_in_env
from tests.dbfiles import stray_files
from tests.e2e.test_cli import ROOT, cunyi

INIT = ("init", "--clinic", "东山村卫生室", "--village-name", "东山村", "--user", "doctor",
        "--password", "secret1")


def test_init_warns_about_an_unknown_division_code_but_creates_the_database(tmp_path):
    home = tmp_path / "h"
    r = cunyi(home, *INIT, "--division", "123456789012")
    assert r.returncode == 0, r.stderr
    assert "123456" in r.stderr and "更正" in r.stderr
    assert (home / "cunyi.sqlite3").exists()


@pytest.mark.parametrize(("code", "reason"), [("992923104201", "前两位 99"),
                                              ("622923104000", "村段为000")])
def test_init_refuses_an_impossible_division_code_in_one_line(tmp_path, code, reason):
    home = tmp_path / "h"
    r = cunyi(home, *INIT, "--division", code)
    assert r.returncode == 1 and reason in r.stderr and r.stderr.count("\n") == 1
    assert not (home / "cunyi.sqlite3").exists()


def test_init_with_a_known_code_says_nothing_on_stderr(tmp_path):
    r = cunyi(tmp_path / "h", *INIT, "--division", "622923104201")
    assert r.returncode == 0 and r.stderr == ""


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    r = cunyi(home, "demo")
    assert r.returncode == 0, r.stderr
    return home


def test_restore_says_which_backup_is_now_the_data_and_leaves_one_file_each(tmp_path):
    home = tmp_path / "h"
    assert cunyi(home, *INIT, "--division", "622923104201").returncode == 0
    assert cunyi(home, "backup").returncode == 0
    backup = json.loads(cunyi(home, "backup", "--list", "--json").stdout)[0]
    r = cunyi(home, "restore", backup["path"], "--yes")
    assert r.returncode == 0, r.stderr
    assert "恢复成功" in r.stdout and Path(backup["path"]).name in r.stdout
    assert "before_restore" in r.stdout and "没有删除" in r.stdout
    made = json.loads(cunyi(home, "backup", "--list", "--json").stdout)
    assert sorted(b["reason"] for b in made) == ["before_restore", "manual"]
    assert stray_files(home / "backups") == []


def _piped_into_a_reader_that_stops(home: Path, *args: str, read: int) -> tuple[int, str]:
    """Run a command with stdout into a pipe whose reader reads `read` bytes, then closes it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["CUNYI_HOME"] = str(home)
    env.update(sign_in_env(DEMO))                 # the demo home's user
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    if read:
        proc.stdout.read(read)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("args", [("tasks", "--json"), ("search", "王"), ("backup", "--list"),
                                  ("claims", "list", "--json"), ("contracts", "--json"), ("id-check", "11010519491231002X")])
def test_a_reader_that_closes_early_gets_no_traceback(demo_home, args):
    code, err = _piped_into_a_reader_that_stops(demo_home, *args, read=0)
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""
    assert code == 141


def test_tasks_json_into_head_ends_quietly(demo_home):
    code, err = _piped_into_a_reader_that_stops(demo_home, "tasks", "--json", read=200)
    assert err == "" and code == 141
