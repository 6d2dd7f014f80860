"""Claims from the database: a township's year of stored claims settled again in order, each with
the person's year to date (`ws.claims.recompute_year`), against the engine alone on the same
claims already in memory (the floor: no reading, no slip comparison, no list lines)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from app.core.settlement import YearToDate, settle
from app.storage.workspace import Workspace
from benchmarks.dataset import connect, sign_in

TARGETS = {"recompute_year_s": 5.0}


def busiest_full_year(path: Path) -> int:
    """The year with the most claims among the years before the current one (a full year)."""
    conn = connect(path)
    try:
        rows = conn.execute("SELECT settled_year, count(*) FROM claims WHERE settled_year < ?"
                            " GROUP BY 1 ORDER BY 2 DESC", (dt.date.today().year,)).fetchall()
    finally:
        conn.close()
    if not rows:
        raise RuntimeError("the benchmark database has no claims of a full year")
    return int(rows[0][0])


def run(path: Path, *, repeat: int = 3) -> dict[str, object]:
    """Recompute one year `repeat` times (the first is cold); the best time counts."""
    year = busiest_full_year(path)
    sign_in(path)
    with Workspace.open(path) as ws:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            lines = ws.claims.recompute_year(year)
            times.append(time.perf_counter() - started)
        counted = [x for x in lines if x.counts]
        # The floor: the engine over the same claims, already read and in order, sums in memory.
        started = time.perf_counter()
        ytd: dict[str, YearToDate] = {}
        for x in lines:
            c = x.claim
            s = settle(x.settlement.pack, c.engine_input(year_to_date=ytd.get(c.person_id, YearToDate(year=year))))
            if x.counts:
                ytd[c.person_id] = s.year_to_date
        floor = time.perf_counter() - started
    best = min(times)
    return {
        "year": year, "claims": len(lines), "counted": len(counted),
        "people": len({x.claim.person_id for x in lines}),
        "seconds": round(best, 3), "first_s": round(times[0], 3),
        "per_claim_ms": round(best * 1000 / max(1, len(lines)), 3),
        "floor_s": round(floor, 3), "ratio_to_floor": round(best / floor, 1) if floor else None,
        "below_target": sum(1 for x in lines if x.target_met is False),
        "flagged": sum(1 for x in lines if x.flagged),
    }


if __name__ == "__main__":
    import json
    import sys

    from benchmarks.dataset import dataset

    data = dataset(sys.argv[1] if len(sys.argv) > 1 else "township", 7)
    print(json.dumps(run(data.path), ensure_ascii=False, indent=2))
