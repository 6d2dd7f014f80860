"""The command line's contract under bad input: every command, fed odd arguments and damaged files,
exits 0, 1 or 2 with no traceback, and a command that failed has not changed the database."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.cli import build_parser
from app.storage.engine import open_file, sqlite3
from tests.cli_users import sign_in_env, unlocked
from tests.faults.cli import USER, Result, digest, init, run
from tests.roster import write_county_roster

ROOT = Path(__file__).resolve().parents[2]
EXIT_CODES = {0, 1, 2}
SKIPPED = {"init", "demo", "gui"}   # they make a database rather than take input against one


@dataclass(frozen=True)
class Base:
    """A small clinic with one of everything, and the damaged files the commands are fed."""

    home: Path
    refs: tuple[str, ...]
    files: tuple[str, ...]
    folder: str


def _broken_xlsx(good: Path, out: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, data if item.filename == part else src.read(item.filename))
    return out


def _files(folder: Path, roster: Path) -> list[Path]:
    folder.mkdir()
    made = [
        _broken_xlsx(roster, folder / "bad_sheet.xlsx", "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        _broken_xlsx(roster, folder / "bad_types.xlsx", "[Content_Types].xml", b"\x00\xff<Types"),
        _broken_xlsx(roster, folder / "bad_workbook.xlsx", "xl/workbook.xml", b"<workbook>"),
        _broken_xlsx(roster, folder / "bad_styles.xlsx", "xl/styles.xml", b"<styleSheet><numFmts count='x'>"),
    ]
    truncated = folder / "truncated.xlsx"
    truncated.write_bytes(roster.read_bytes()[: roster.stat().st_size // 2])
    made.append(truncated)
    texts = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "nan.json": '{"kind": "高血压", "visit_date": "2026-01-01", "sbp": NaN, "total": NaN}',
        "abc.json": '{"kind": "高血压", "visit_date": "2026-01-01", "sbp": "abc", "dbp": 80}',
        "far.json": '{"kind": "高血压", "visit_date": "9999-12-31", "episode": "住院", "level": "一级", '
                    '"scope": "县域内", "total": "100", "admitted": "9999-12-31"}',
        "types.json": '{"kind": 5, "visit_date": 20260101, "symptoms": "头痛", "medications": [5], '
                      '"referral": "x", "weight": true, "note": ["a"]}',
        "drugs.json": '{"kind": "高血压", "visit_date": "2026-01-01", "medications": [{"name": 1, "dose": "x"}]}',
        "huge.json": '{"total": "1e30", "episode": "住院", "level": "一级", "scope": "县域内", '
                     '"admitted": "2026-01-01", "discharged": "2026-01-02", "hospital": "县医院"}',
        "bigint.json": '{"total": ' + "9" * 5000 + "}",
        "list.json": "[1, 2, 3]",
        "string.json": '"hello"',
        "empty.json": "",
        "history.json": '[{"claim_id": 5, "date": "x"}, null]',
        "policy.toml": "[pack\nname = ",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        made.append(folder / name)
    gbk = folder / "gbk.json"
    gbk.write_bytes('{"kind": "高血压", "visit_date": "2026-01-01", "note": "头晕"}'.encode("gbk"))
    utf16 = folder / "utf16.json"
    utf16.write_bytes('{"note": "头晕"}'.encode("utf-16"))
    binary = folder / "binary.json"
    binary.write_bytes(bytes(range(256)) * 4)
    return [*made, gbk, utf16, binary]


def _refs(home: Path) -> list[str]:
    conn = open_file(unlocked(home / "cunyi.sqlite3", USER))
    try:
        refs = []
        for sql in ("SELECT record_no FROM people LIMIT 3", "SELECT id_no FROM people LIMIT 2",
                    "SELECT household_no FROM households LIMIT 2", "SELECT contract_no FROM contracts",
                    "SELECT name FROM teams", "SELECT id FROM followups", "SELECT id FROM exams",
                    "SELECT id FROM claims"):
            try:
                refs += [str(r[0]) for r in conn.execute(sql) if r[0]]
            except sqlite3.OperationalError:
                continue
        return refs
    finally:
        conn.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Base]:
    root = tmp_path_factory.mktemp("fuzz")
    home = root / "home"
    init(home)
    roster = write_county_roster(root / "花名册.xlsx")
    assert run(home, "import-xlsx", str(roster.path)).code == 0
    person = _refs(home)[0]
    for args in (["teams", "--add", "一队", "--leader", "王医生", "--phone", "13800000000"],
                 ["sign", "001", "--team", "一队", "--package", "JC", "--today", "2026-03-01"],
                 ["followup", "add", person, "--kind", "高血压", "--date", "2026-03-01", "--sbp", "150",
                  "--dbp", "95", "--today", "2026-03-01"],
                 ["exam", "add", person, "--date", "2026-03-01", "--today", "2026-03-01"]):
        r = run(home, *args)
        assert r.code == 0, (args, r.err)
    files = _files(root / "files", roster.path)
    folder = root / "a folder"
    folder.mkdir()
    with open_file(unlocked(home / "cunyi.sqlite3", USER)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield Base(home, tuple(_refs(home)), tuple(str(f) for f in files), str(folder))


# --- the arguments --------------------------------------------------------------------------

# No NUL: a process's arguments cannot hold one (the files fed to the commands do).
NASTY = ["", " ", "0", "-1", "1e30", "NaN", "Infinity", "-Infinity", "9" * 40, "1.2.3", "0.001",
         "9999-12-31", "10000-01-01", "0001-01-01", "2026-02-30", "2026-03-01", "张\u202e三", "\u200b",
         "a\x07b", "\ufeff", "路" * 5000, "氨氯地平片:1:1.2.3mg", "氨氯地平片:²:5mg", "x:1:5mg:y",
         "胰岛素:3:1e30U", "130/80", "300/20", "基本医保=1e30", "基本医保=NaN", "=", "姓名=", "%s%n", "{}",
         "--", "-", "高血压", "JC", "住院", "一级", "县域内"]
NUMBERS = ["0", "-1", "1e30", "nan", "inf", "-inf", "9" * 40, "150", "3.5", "1e-400", "x"]
DATES = ["9999-12-31", "1899-12-31", "2200-01-01", "0001-01-01", "2026-02-30", "2026-03-01", "x"]


def _value(action: argparse.Action, base: Base, scratch: Path) -> st.SearchStrategy[str]:
    """Values for one argument: its own choices, the clinic's references, files, numbers, dates."""
    kind = getattr(action.type, "__name__", "")
    text = st.text(st.characters(blacklist_characters="\x00"), max_size=12)
    pools: list[st.SearchStrategy[str]] = [st.sampled_from(NASTY), text]
    if action.choices:
        pools.append(st.sampled_from([str(c) for c in action.choices]))
    if kind in ("int", "float"):
        pools = [st.sampled_from(NUMBERS), st.integers(-10**20, 10**20).map(str)]
    elif kind == "parse_date":
        pools = [st.sampled_from(DATES), st.dates().map(str)]
    else:
        outputs = [str(scratch / "out.pdf"), str(scratch / "out.xlsx"), str(scratch / "missing" / "x.pdf"),
                   base.folder]
        pools += [st.sampled_from(base.refs), st.sampled_from([*base.files, *outputs])]
    return st.one_of(*pools)


def _commands() -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found[" ".join(prefix)] = parser
            return
        for name, sub in subs[0].choices.items():
            if not prefix and name in SKIPPED:
                continue
            walk(sub, (*prefix, name))

    walk(build_parser(), ())
    return found


COMMANDS = _commands()


@st.composite
def command_lines(draw: st.DrawFn, base: Base, scratch: Path) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    argv = name.split()
    for action in COMMANDS[name]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            count = {"+": draw(st.integers(1, 2)), "?": draw(st.integers(0, 1))}.get(str(action.nargs), 1)
            argv += [draw(_value(action, base, scratch)) for _ in range(count)]
            continue
        if not (action.required or draw(st.integers(0, 2)) == 0):
            continue
        flag = action.option_strings[-1]
        if action.nargs == 0:
            argv.append(flag)
        else:
            for _ in range(draw(st.integers(1, 2)) if isinstance(action, argparse._AppendAction) else 1):
                argv += [flag, draw(_value(action, base, scratch))]
    return argv


def _fresh(base: Base, where: Path) -> Path:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(base.home, where / "home")
    (where / "scratch").mkdir()
    return where / "home"


def _assert_contract(r: Result, before: str, database: Path, argv: list[str]) -> None:
    assert r.code in EXIT_CODES, (argv, r.code, r.err[-500:])
    assert "Traceback" not in r.err and "Traceback" not in r.out, (argv, r.err[-800:])
    if r.code != 0:
        assert digest(database) == before, f"{argv} failed ({r.err.strip()[:200]}) but changed the database"


# --- the tests ------------------------------------------------------------------------------


@settings(max_examples=220, deadline=3000, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_command_keeps_the_contract_under_fuzzed_arguments(base: Base, tmp_path: Path,
                                                                 data: st.DataObject) -> None:
    home = _fresh(base, tmp_path / "run")
    argv = data.draw(command_lines(base, tmp_path / "run" / "scratch"))
    database = home / "cunyi.sqlite3"
    before = digest(database)
    r = run(home, *argv)
    event(f"exit {r.code}")
    _assert_contract(r, before, database, argv)


def _cases(base: Base) -> list[list[str]]:
    f = {Path(x).name: x for x in base.files}
    person = base.refs[0]
    claim = ["--episode", "门诊", "--hospital", "县医院", "--level", "一级", "--scope", "县域内",
             "--admitted", "2026-01-01", "--discharged", "2026-01-02"]
    return [
        ["import-xlsx", f["bad_sheet.xlsx"]], ["import-xlsx", f["bad_types.xlsx"]],
        ["import-xlsx", f["bad_workbook.xlsx"]], ["import-xlsx", f["bad_styles.xlsx"]],
        ["import-xlsx", f["truncated.xlsx"]],
        ["import-xlsx", f["bad_sheet.xlsx"], "--report", base.folder],
        ["claims", "add", person, *claim, "--total", "1e30"],
        ["claims", "add", person, *claim, "--total", "NaN"],
        ["claims", "add", person, *claim, "--total", "Infinity"],
        ["claims", "add", person, "--from", f["huge.json"]],
        ["claims", "add", person, "--from", f["far.json"]],
        ["claims", "add", person, "--from", f["deep.json"]],
        ["claims", "estimate", person, "--from", f["bigint.json"]],
        ["followup", "add", person, "--kind", "高血压", "--date", "2026-03-02", "--today", "2026-03-02",
         "--drug", "氨氯地平片:1:1.2.3mg"],
        ["followup", "add", person, "--from", f["abc.json"], "--today", "2026-03-02"],
        ["followup", "add", person, "--from", f["types.json"], "--today", "2026-03-02"],
        ["followup", "add", person, "--from", f["drugs.json"], "--today", "2026-03-02"],
        ["followup", "add", person, "--from", f["far.json"]],
        ["followup", "add", person, "--from", f["deep.json"]],
        ["followup", "add", person, "--from", f["binary.json"]],
        ["followup", "add", person, "--from", f["nan.json"], "--today", "2026-03-02"],
        ["followup", "add", person, "--kind", "高血压", "--date", "2026-03-02", "--weight", "nan",
         "--today", "2026-03-02"],
        ["exam", "add", person, "--from", f["types.json"], "--today", "2026-03-02"],
        ["settle", "--policy", str(ROOT / "resources" / "policies"), "--claim", f["deep.json"]],
        ["settle", "--policy", str(ROOT / "resources" / "policies"), "--claim", f["gbk.json"]],
        ["settle", "--policy", str(ROOT / "resources" / "policies"), "--claim", base.folder],
        ["policy", "check", f["policy.toml"]],
        ["diagnosis", "add", person, "高血压", "--hospital", "县医院\u202e", "--note", "x" * 100_000],
        ["teams", "--add", "二队", "--leader", "张\u202e三"],
        ["teams", "--add", "路" * 100_000, "--leader", "张三"],
        ["export-xlsx", base.folder],
        ["backup", "--to", f["gbk.json"]],
    ]


def test_each_input_the_probe_broke_gives_one_line_and_leaves_the_database(base: Base, tmp_path: Path) -> None:
    for i, argv in enumerate(_cases(base)):
        home = _fresh(base, tmp_path / f"case{i}")
        database = home / "cunyi.sqlite3"
        before = digest(database)
        r = run(home, *argv)
        _assert_contract(r, before, database, argv)
        assert r.code == 1, (argv, r.code, r.out[-300:], r.err)
        assert len(r.err.strip().splitlines()) == 1, (argv, r.err)
        assert r.err.startswith("错误："), (argv, r.err)


def test_an_unexpected_fault_is_logged_with_its_traceback_and_shown_in_one_line(
        base: Base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.storage.contracts import ContractsRepo

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a fault nobody expected")

    monkeypatch.setattr(ContractsRepo, "teams", broken)
    home = _fresh(base, tmp_path / "crash")
    r = run(home, "teams")
    assert r.code == 70
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
    log = home / "logs" / "cunyi.log"
    assert str(log) in r.err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: a fault nobody expected" in text


def _cunyi(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["CUNYI_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    env.update(sign_in_env(USER))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=home.parent, env=env, capture_output=True,
                          text=True, timeout=60)


def test_real_processes_keep_the_contract(base: Base, tmp_path: Path) -> None:
    home = _fresh(base, tmp_path / "proc")
    database = home / "cunyi.sqlite3"
    before = digest(database)
    f = {Path(x).name: x for x in base.files}
    for argv in (["import-xlsx", f["bad_sheet.xlsx"]], ["followup", "add", base.refs[0], "--from", f["deep.json"]],
                 ["claims", "add", base.refs[0], "--total", "1e30", "--episode", "门诊", "--hospital", "县医院",
                  "--level", "一级", "--scope", "县域内", "--admitted", "2026-01-01", "--discharged", "2026-01-02"]):
        r = _cunyi(home, *argv)
        assert r.returncode == 1 and "Traceback" not in r.stderr, (argv, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, (argv, r.stderr)
    assert digest(database) == before


def test_a_database_locked_past_the_busy_timeout_is_one_line(base: Base, tmp_path: Path) -> None:
    home = _fresh(base, tmp_path / "lock")
    database = home / "cunyi.sqlite3"
    holder = open_file(unlocked(database, USER), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        r = _cunyi(home, "teams", "--add", "三队", "--leader", "赵医生")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "数据库正被其他程序使用" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert waited >= 9
    assert "三队" not in json.dumps(run(home, "teams", "--json").out, ensure_ascii=False)


def _filled(name: str, base: Base, scratch: Path) -> list[str]:
    """The command with its required arguments given plausible values."""
    argv = name.split()
    for action in COMMANDS[name]._actions:
        if isinstance(action, argparse._HelpAction) or not (action.required or not action.option_strings):
            continue
        if action.nargs == "?":
            continue
        value = str(action.choices[0]) if action.choices else base.refs[0]
        if action.option_strings and action.option_strings[-1] in ("--out", "--claim"):
            value = str(scratch / "out.pdf")
        argv += [action.option_strings[-1], value] if action.option_strings else [value]
    return argv


def test_every_number_and_date_option_at_its_extremes_keeps_the_contract(base: Base, tmp_path: Path) -> None:
    home = _fresh(base, tmp_path / "extremes")
    database = home / "cunyi.sqlite3"
    before = digest(database)
    for name in sorted(COMMANDS):
        if name.split()[0] in ("backup", "restore") or name in ("followup add", "exam add", "claims add"):
            continue  # these write when they succeed; their numbers are fuzzed above
        for action in COMMANDS[name]._actions:
            if getattr(action.type, "__name__", "") not in ("int", "float", "parse_date") or not action.option_strings:
                continue
            for extreme in ("9" * 40, "-" + "9" * 40, "1e400", "10000-01-01"):
                argv = [*_filled(name, base, tmp_path), action.option_strings[-1], extreme]
                r = run(home, *argv)
                assert r.code in EXIT_CODES and "Traceback" not in r.err, (argv, r.code, r.err[-300:])
    assert digest(database) == before
