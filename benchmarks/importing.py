"""Import benchmark: a 5,000-row county-style poor-household workbook into a fresh township database.

The workbook is read from the (encrypted) benchmark township; the fresh database is made with
`Workspace.create`, so it is encrypted under a new clinic key, as a new clinic's would be.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook

from app.core.households import POVERTY_STATUSES
from app.storage.engine import sqlite3
from app.storage.workspace import Workspace
from benchmarks.dataset import connect

ROWS = 5_000
HEADERS = (
    "户编号", "人编号", "姓名", "证件号码", "性别", "民族", "与户主关系", "文化程度", "健康状况",
    "劳动技能", "是否参加城乡居民基本医疗保险", "贫困户属性", "主要致贫原因", "脱贫年度",
    "帮扶责任人", "联系电话", "所在村", "村民小组",
)
_SQL = """
SELECT h.household_no, p.person_no, p.name, p.id_no, p.sex, p.ethnicity, p.relation, p.education,
       p.health_state, p.labour_skill, p.insurance_type, h.poverty_status, h.poverty_causes,
       h.exit_year, coalesce(hp.name, '') AS helper, coalesce(nullif(p.phone, ''), h.phone) AS phone,
       d.name AS village, h.group_name, h.id AS household_id
FROM households h
JOIN people p ON p.household_id = h.id AND p.deleted = 0 AND p.living_status = '在册'
JOIN divisions d ON d.code = h.village_code
LEFT JOIN help_persons hp ON hp.household_id = h.id AND hp.until IS NULL AND hp.deleted = 0
WHERE h.deleted = 0
ORDER BY h.poverty_status = 'general', h.village_code, h.household_no, p.record_no
"""


def build_workbook(source: Path, dest: Path, rows: int = ROWS) -> int:
    """Write the list as a county would send it: poor households first, whole households only."""
    conn = connect(source)
    conn.row_factory = sqlite3.Row
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("贫困户花名册")
    sheet.append(list(HEADERS))
    written, current = 0, None
    try:
        for r in conn.execute(_SQL):
            if written >= rows and r["household_id"] != current:
                break
            current = r["household_id"]
            sheet.append([
                r["household_no"], r["person_no"], r["name"], r["id_no"],
                {"1": "男", "2": "女"}.get(r["sex"], ""), r["ethnicity"], r["relation"],
                r["education"], r["health_state"], r["labour_skill"],
                "是" if r["insurance_type"] == "城乡居民基本医疗保险" else "否",
                POVERTY_STATUSES[r["poverty_status"]], "、".join(json.loads(r["poverty_causes"])),
                r["exit_year"] or "", r["helper"], r["phone"], r["village"], r["group_name"],
            ])
            written += 1
    finally:
        conn.close()
    wb.save(dest)
    return written


def fresh_database(source: Path, db: Path) -> Workspace:
    """A new (encrypted) database for the source's township, with its villages and nothing else."""
    src = connect(source)
    try:
        scope = src.execute("SELECT value FROM settings WHERE key = 'division_code'").fetchone()[0]
        divisions = src.execute(
            "SELECT code, name FROM divisions WHERE level = 'village' ORDER BY code").fetchall()
        scope_name = src.execute("SELECT name FROM divisions WHERE code = ?", (scope,)).fetchone()[0]
    finally:
        src.close()
    for suffix in ("", "-wal", "-shm", ".keys"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    ws = Workspace.create(db, clinic_name=f"{scope_name}卫生院", division_code=scope,
                          division_name=scope_name)
    for code, name in divisions:
        ws.settings.add_division(code, name)
    return ws


def importer() -> Callable[..., Any] | str:
    """`import_workbook`, or why it cannot be had."""
    try:
        return cast(Callable[..., Any], importlib.import_module("app.storage.importer").import_workbook)
    except (ImportError, AttributeError) as exc:
        return f"app.storage.importer 不可用：{exc}"


def run(source: Path, workdir: Path, *, today: dt.date | None = None) -> dict[str, object]:
    """Time import_workbook on a fresh database with the source's villages; skipped if absent."""
    import_workbook = importer()
    if isinstance(import_workbook, str):
        return {"status": "skipped", "reason": import_workbook}
    xlsx = workdir / "import-5000.xlsx"
    t = time.perf_counter()
    rows = build_workbook(source, xlsx)
    build_s = time.perf_counter() - t
    ws = fresh_database(source, workdir / "import.db")
    calls: list[tuple[object, ...]] = []
    try:
        t = time.perf_counter()
        try:
            report = import_workbook(ws, xlsx, progress=lambda *a: calls.append(a), today=today)
        except Exception as exc:  # the module is new: record why it failed, keep the other figures
            return {"status": "failed", "rows": rows, "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=5)}
        seconds = time.perf_counter() - t
        people = ws.people.count(living_only=False)
        households = ws.households.count()
    finally:
        ws.close()
    return {
        "status": "ok", "rows": rows, "build_workbook_s": round(build_s, 3),
        "import_s": round(seconds, 3), "rows_per_s": round(rows / seconds, 1),
        "rows_imported": getattr(report, "rows_imported", None),
        "problems": len(getattr(report, "problems", [])),
        "warnings": len(getattr(report, "warnings", [])),
        "first_problems": [str(p) for p in getattr(report, "problems", [])[:3]],
        "people_in_db": people, "households_in_db": households,
        "progress_callbacks": len(calls),
        "progress_first_last": [list(calls[0]), list(calls[-1])] if calls else [],
    }
