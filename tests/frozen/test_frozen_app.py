"""The packaged app as a clinic PC runs it: the frozen executables, not the venv.

Skipped unless the bundle exists (dist/cunyi, or the folder CUNYI_FROZEN_APP names);
`make package-test` builds it and runs these. Every `cunyi print` form is printed from demo data
and each PDF is rasterized and looked at; the GUI is started offscreen until the household list
has rows (app/ui/smoke.py reports what it saw).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import app
from app.storage.engine import open_file
from tests.cli_users import DEMO, unlocked

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("CUNYI_FROZEN_APP") or ROOT / "dist" / "cunyi")
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
GUI_EXE = BUNDLE / f"cunyi{EXE_SUFFIX}"
CLI_EXE = BUNDLE / f"cunyi-cli{EXE_SUFFIX}"  # the console twin; on Windows the GUI one has none
DEMO_USER, DEMO_PASSWORD = "demo", "demo123"   # app.demo.DEMO_USER

pytestmark = pytest.mark.skipif(not GUI_EXE.exists(),
                                reason=f"no frozen build at {BUNDLE} (run make package-test)")

# Each form of `cunyi print`, with the words its title puts on the page.
FORMS = {
    "contract": "家庭医生签约服务协议书",
    "card": "明白卡",
    "contracts": "家庭医生签约服务协议书",
    "followups": "随访服务记录表",
    "exam": "健康体检结果告知单",
    "referral": "双向转诊（转出）单",
    "settlement": "结算单",
}


def run(exe: Path, home: Path | None, *args: str, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run a frozen executable as a user would: no display, a home folder of its own."""
    full = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH", "PYTHONHOME")}
    if home is not None:
        full["CUNYI_HOME"] = str(home)
    full.update(CUNYI_USER=DEMO_USER, CUNYI_PASSWORD=DEMO_PASSWORD)  # every home here is a demo
    full.update(env or {})
    return subprocess.run([str(exe), *args], env=full, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout,
                          cwd=home.parent if home is not None else BUNDLE)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo village made by the frozen CLI, with one household signed so contracts print."""
    h = tmp_path_factory.mktemp("frozen") / "home"
    out = ok(run(CLI_EXE, h, "demo", "--size", "village", "--seed", "7"))
    assert "演示数据已生成" in out
    ok(run(CLI_EXE, h, "teams", "--add", "红旗村团队", "--leader", "王院长",
           "--phone", "13900000000", "--doctor", "李医生"))
    ok(run(CLI_EXE, h, "sign", head_record_no(h), "--team", "红旗村团队", "--package", "JC"))
    return h


def query(home: Path, sql: str) -> str:
    """One value from the demo database, read-only (to find a record each form can print)."""
    with open_file(unlocked(home / "cunyi.sqlite3", DEMO), read_only=True) as db:
        row = db.execute(sql).fetchone()
    assert row is not None, sql
    return str(row[0])


def head_record_no(home: Path) -> str:
    return query(home, "SELECT record_no FROM people WHERE relation = '户主' AND record_no != '' "
                       "ORDER BY record_no LIMIT 1")


def form_args(home: Path, form: str) -> list[str]:
    """The arguments that print `form` from the demo village."""
    if form in ("contract", "contracts"):
        contract = json.loads(ok(run(CLI_EXE, home, "contracts", "--json")))[0]
        return [contract["contract_no"]] if form == "contract" else ["--group", contract["group"]]
    if form == "card":
        return [head_record_no(home)]
    if form == "followups":
        return [query(home, "SELECT p.record_no FROM follow_ups f JOIN people p "
                            "ON p.id = f.person_id ORDER BY f.visit_date DESC LIMIT 1")]
    if form == "exam":
        return [query(home, "SELECT id FROM health_exams ORDER BY exam_date DESC LIMIT 1")]
    if form == "referral":
        return [query(home, "SELECT id FROM follow_ups WHERE refers = 1 LIMIT 1")]
    if form == "settlement":
        return [json.loads(ok(run(CLI_EXE, home, "claims", "list", "--json")))[0]["id"]]
    raise AssertionError(f"no arguments known for `cunyi print {form}`")


def look_at(pdf: Path) -> tuple[float, float]:
    """(share of white, share of ink) of the first page at 50 dpi, as pdftoppm renders it."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-gray", "-png", str(pdf),
                    str(pdf.with_suffix(""))], check=True, timeout=60)
    png = next(pdf.parent.glob(pdf.stem + "*.png"))
    counts = Image.open(png).convert("L").histogram()
    total = sum(counts)
    return sum(counts[231:]) / total, sum(counts[:100]) / total


def test_version_of_both_executables() -> None:
    # A windowed Windows program has no stdout; there only the console twin can answer.
    for exe in (CLI_EXE,) if sys.platform == "win32" else (GUI_EXE, CLI_EXE):
        assert ok(run(exe, None, "--version")).strip() == f"cunyi {app.__version__}"


def test_search_finds_a_demo_resident(home: Path) -> None:
    record = head_record_no(home)
    out = ok(run(CLI_EXE, home, "search", record))
    assert record in out


def test_the_installed_app_writes_encrypted_files(home: Path) -> None:
    # SQLCipher and the key sealing came into the bundle: the database is not plain SQLite, no ID
    # number can be read in it, its key file is beside it, and both are the owner's only.
    import re
    import stat

    db = home / "cunyi.sqlite3"
    keys = home / "cunyi.sqlite3.keys"
    assert not db.read_bytes().startswith(b"SQLite format 3")
    ids = {r.encode() for r in query(home, "SELECT group_concat(id_no, ',') FROM people").split(",") if r}
    assert len(ids) > 100 and not ids & set(re.findall(rb"\d{17}[\dX]", db.read_bytes()))
    assert keys.exists()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 and stat.S_IMODE(keys.stat().st_mode) == 0o600


def test_search_by_pinyin_uses_the_bundled_dictionary(home: Path) -> None:
    hits = json.loads(ok(run(CLI_EXE, home, "search", "wang", "--json", "--limit", "5")))
    assert hits and all(hit["name"][0] in "王汪" for hit in hits)


def test_excel_export_reads_back_unchanged(home: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "名单.xlsx"
    ok(run(CLI_EXE, home, "export-xlsx", str(sheet)))
    report = json.loads(ok(run(CLI_EXE, home, "import-xlsx", str(sheet), "--json")))
    assert report["problems"] == []
    assert report["people_created"] == report["people_updated"] == 0


def test_every_print_form_is_smoke_tested() -> None:
    out = ok(run(CLI_EXE, None, "print", "--help"))
    offered = set(re.findall(r"^ {4}(\w+)", out, flags=re.MULTILINE))
    assert offered == set(FORMS)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_prints_ink_on_white_paper(home: Path, form: str, tmp_path: Path) -> None:
    out = tmp_path / f"{form}.pdf"
    ok(run(CLI_EXE, home, "print", form, *form_args(home, form), "-o", str(out)))
    assert out.stat().st_size > 1000
    reader = PdfReader(out)
    assert len(reader.pages) >= 1
    assert FORMS[form] in "".join(reader.pages[0].extract_text().split())
    white, ink = look_at(out)
    assert white > 0.80, f"{form}: only {white:.0%} of the page is white"
    assert ink > 0.003, f"{form}: no ink on the page ({ink:.2%})"


def test_bundle_has_fonts_translations_and_qt_plugins() -> None:
    internal = BUNDLE / "_internal"
    for font in ("wqy-microhei.ttc", "HanaMinA-extA.ttf", "HanaMinB-extB.ttf",
                 "LICENSE-hanazono.txt"):
        assert (internal / "resources" / "fonts" / font).is_file(), font
    for folder in ("packages", "policies", "templates"):
        assert any((internal / "resources" / folder).glob("*.toml")), folder
    assert (internal / "resources" / "i18n" / "main_zh_CN.qm").is_file()
    qt = internal / "PySide6" / "Qt"
    assert (qt / "translations" / "qtbase_zh_CN.qm").is_file()
    plugins = {p.stem.removeprefix("lib") for p in (qt / "plugins").rglob("*.*")}
    needed = {"qoffscreen", "qminimal", "qxcb", "cupsprintersupport"} if sys.platform == "linux" \
        else {"qoffscreen", "qminimal", "qwindows", "windowsprintersupport"}
    assert needed <= plugins


def test_bundle_leaves_the_county_server_out() -> None:
    """A clinic PC runs no county server: neither its modules nor its libraries are packed."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    modules = list(readers.CArchiveReader(str(CLI_EXE)).open_embedded_archive("PYZ.pyz").toc)
    assert "app.cli.people" in modules      # the archive is the one the app's modules are in
    server = ("app.server", "app.cli.county", "psycopg", "psycopg_binary", "fastapi", "starlette",
              "uvicorn")
    assert [m for m in modules if m.split(".")[0] in server or m.startswith(server)] == []
    internal = {p.name.split("-")[0].split(".")[0] for p in (BUNDLE / "_internal").iterdir()}
    assert internal.isdisjoint(server)


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("ldd") is None,
                    reason="checks ELF libraries with ldd")
def test_every_bundled_library_finds_what_it_links_against() -> None:
    internal = BUNDLE / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing = {}
    for lib in sorted(internal.rglob("*.so*")):
        if lib.is_symlink() or not lib.is_file():
            continue
        out = subprocess.run(["ldd", str(lib)], env=env, capture_output=True, text=True).stdout
        lost = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if lost:
            missing[str(lib.relative_to(internal))] = lost
    assert not missing


def start_gui(home: Path, report: Path, platform: str, *wrapper: str,
              ) -> subprocess.CompletedProcess[str]:
    """The frozen GUI signed in as the demo user, until it lists households (or times out)."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
           "CUNYI_HOME": str(home), "QT_QPA_PLATFORM": platform, "CUNYI_SMOKE_TEST": str(report),
           "CUNYI_SMOKE_PASSWORD": DEMO_PASSWORD, "CUNYI_SMOKE_TIMEOUT": "120"}
    if platform == "offscreen":
        env.pop("DISPLAY", None)
    return subprocess.run([*wrapper, str(GUI_EXE), "gui", "--demo"], env=env, capture_output=True,
                          text=True, timeout=180, cwd=home.parent)


@pytest.fixture(scope="module")
def gui_report(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Start the frozen GUI offscreen, signed in as the demo user, until it lists households."""
    report = tmp_path_factory.mktemp("gui") / "report.json"
    result = start_gui(home, report, "offscreen")
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    assert result.returncode == 0, f"exit {result.returncode}: {data}\n{result.stderr}"
    yield data


def test_gui_lists_the_demo_households(gui_report: dict) -> None:
    assert gui_report["ok"] and gui_report["households"] > 0
    assert gui_report["print_sources"], "the care pages' print buttons would stay disabled"
    assert Path(gui_report["screenshot"]).stat().st_size > 10_000


def test_gui_loads_the_chinese_catalogues_qts_included(gui_report: dict) -> None:
    assert "qtbase_zh_CN.qm" in gui_report["translations"]
    assert "main_zh_CN.qm" in gui_report["translations"]
    assert gui_report["qt_detail_view"] == "详情视图"       # Qt's own catalogue
    assert gui_report["qt_look_in"] == "查找范围(&L)："      # our supplement to it
    assert gui_report["window_title"].endswith("村医")             # "<clinic> — 村医"


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("xvfb-run") is None,
                    reason="needs xvfb-run for an X server")
def test_gui_starts_on_an_x_display(home: Path, tmp_path: Path) -> None:
    # The xcb platform plugin and every X library it loads are in the bundle and work.
    report = tmp_path / "report.json"
    result = start_gui(home, report, "xcb", "xvfb-run", "-a", "-s", "-screen 0 1366x768x24")
    assert result.returncode == 0, f"{result.stderr}\n{report.read_text() if report.exists() else ''}"
    assert json.loads(report.read_text(encoding="utf-8"))["households"] > 0
