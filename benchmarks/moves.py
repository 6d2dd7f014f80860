"""Moving a household with years of history to another village of the township.

- ours: `ws.households.update` with a new village code, on a copy of the database, for the
  households with the most follow-ups: the household row, then every row under it re-partitioned
  one tracked UPDATE per table (a version and an outbox entry per row), the audit line, committed.
- floor: on another copy with the guard triggers dropped, the least SQL that re-labels the same
  rows: one bare `UPDATE … SET partition` per table with the same conditions (no versions, no
  outbox, no checks), committed.

`python -m benchmarks.moves [DB]` runs it alone on the cached township.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.storage.partitions import HOUSEHOLD_TABLES, under
from app.storage.workspace import Workspace
from benchmarks.dataset import connect, copy_database, sign_in
from benchmarks.stats import summarize

HOUSEHOLDS = 5
TARGETS = {"household_move_s": 1.0}


def _busiest(ws: Workspace, n: int) -> list[tuple[str, str]]:
    """(household id, village) of the n households whose people have the most follow-ups."""
    return [(r[0], r[1]) for r in ws.conn.execute(
        "SELECT p.household_id, h.village_code FROM follow_ups f JOIN people p ON p.id = f.person_id"
        " JOIN households h ON h.id = p.household_id WHERE h.deleted = 0"
        " GROUP BY p.household_id ORDER BY count(*) DESC, p.household_id LIMIT ?", (n,))]


def _rows_under(ws: Workspace, household_id: str) -> int:
    total = 0
    for table in HOUSEHOLD_TABLES:
        condition = under(table, "households")
        total += int(ws.conn.execute(f"SELECT count(*) FROM {table} WHERE {condition}",
                                     {"root": household_id}).fetchone()[0])
    return total


def run(db: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cunyi-moves-") as tmp:
        ours_path, floor_path = Path(tmp) / "ours.sqlite3", Path(tmp) / "floor.sqlite3"
        copy_database(db, ours_path)
        copy_database(db, floor_path)
        sign_in(ours_path)                  # the copies share the township's key
        ws = Workspace.open(ours_path)
        try:
            villages = [code for code, _ in ws.settings.villages()]
            picked = _busiest(ws, HOUSEHOLDS)
            moves = [(hid, villages[(villages.index(v) + 1) % len(villages)]) for hid, v in picked]
            ours, rows, years = [], [], []
            for hid, village in moves:
                rows.append(_rows_under(ws, hid))
                span = ws.conn.execute(
                    "SELECT min(visit_date), max(visit_date) FROM follow_ups WHERE person_id IN"
                    " (SELECT id FROM people WHERE household_id = ?)", (hid,)).fetchone()
                years.append(int(span[1][:4]) - int(span[0][:4]) + 1)
                before = ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0]
                h = ws.households.get(hid)
                h.village_code = village
                started = time.perf_counter()
                ws.households.update(h)
                ours.append(time.perf_counter() - started)
                stamped = ws.conn.execute("SELECT counter FROM local_instance").fetchone()[0] - before
                assert stamped == rows[-1], (stamped, rows[-1])   # every row took a version
        finally:
            ws.close()
        conn = connect(floor_path, read_only=False)
        conn.isolation_level = None
        try:
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name LIKE '%tracked%'").fetchall():
                conn.execute(f'DROP TRIGGER "{name}"')
            floor = []
            for hid, village in moves:
                started = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE households SET village_code = ? WHERE id = ?", (village, hid))
                for table in HOUSEHOLD_TABLES:
                    conn.execute(f"UPDATE {table} SET partition = :village WHERE "
                                 f"{under(table, 'households')}", {"root": hid, "village": village})
                conn.execute("COMMIT")
                floor.append(time.perf_counter() - started)
        finally:
            conn.close()
    o, f = summarize(ours), summarize(floor)
    return {"households": len(moves), "rows_moved": rows, "years_of_history": years,
            "ours_ms": o, "floor_ms": f,
            "ratio_to_floor_p50": round(o["p50"] / f["p50"], 1) if f["p50"] else None,
            "max_s": round(max(ours), 3)}


def summary_line(r: dict[str, Any]) -> str:
    return (f"迁户到本乡镇另一村（{r['households']} 户，各 {min(r['years_of_history'])}–"
            f"{max(r['years_of_history'])} 年历史，{min(r['rows_moved'])}–{max(r['rows_moved'])} 行）："
            f"p50 {r['ours_ms']['p50']:.1f} ms，最长 {r['max_s'] * 1000:.1f} ms；"
            f"裸 UPDATE 下限 p50 {r['floor_ms']['p50']:.1f} ms（×{r['ratio_to_floor_p50']}）")


def check(r: dict[str, Any]) -> dict[str, Any]:
    target = TARGETS["household_move_s"]
    return {"household_move_s": {"value": r["max_s"], "target": target, "met": r["max_s"] <= target}}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        db = Path(args[0])
    else:
        from benchmarks.dataset import dataset

        db = dataset("township", 7).path
    result = run(db)
    print(summary_line(result))
    print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
