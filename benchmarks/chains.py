"""The cost of the chain rule (app.storage.chains) on the township's reads of current rows.

Figures, each the best of 3 runs, repeated 10 times (p50): the 工作台 (`care.tasks`), the patient
register (`care.patients`, the follow-up list over every patient's visits), the current
follow-ups counted in one statement with `current()`, and 300 people's follow-up histories.
Floor: the same count with the condition before the rule (live, nothing supersedes it).
`python -m benchmarks.chains DB [--forks N]` runs it on a database (use a copy: with `--forks`,
N forks are written into it first, each a second correction of a visit from another PC).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import app
from app.storage.followups import current
from app.storage.workspace import Workspace
from benchmarks.dataset import sign_in

RUNS, REPEATS = 10, 3
OLD = ("f.deleted = 0 AND NOT EXISTS (SELECT 1 FROM follow_ups newer"
       " WHERE newer.supersedes = f.id AND newer.deleted = 0)")


def _p50(fn: Callable[[], object]) -> float:
    fn()
    samples = []
    for _ in range(RUNS):
        best = float("inf")
        for _ in range(REPEATS):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        samples.append(best * 1000)
    return round(statistics.median(samples), 1)


def _fork(ws: Workspace, n: int) -> None:
    """Give n corrected visits a second correction stamped by another PC."""
    rows = ws.conn.execute("SELECT * FROM follow_ups WHERE supersedes IS NOT NULL AND deleted = 0"
                           " LIMIT ?", (n,)).fetchall()
    with ws.transaction():
        for i, r in enumerate(rows):
            row = dict(r)
            row.update(id=f"{r['id'][:19]}{i:04x}-ffffffffffff", version_instance="other-pc",
                       version_counter=i + 1, sbp=(r["sbp"] or 120) + 1)
            cols = list(row)
            ws.conn.execute(f"INSERT INTO follow_ups ({', '.join(cols)}) VALUES"
                            f" ({', '.join('?' for _ in cols)})", [row[c] for c in cols])


def run(path: Path, forks: int = 0) -> dict[str, object]:
    sign_in(path)
    ws = Workspace.open(path)
    try:
        if forks:
            _fork(ws, forks)
        today = dt.date.fromisoformat(ws.conn.execute("SELECT max(visit_date) FROM follow_ups").fetchone()[0])
        people = [r[0] for r in ws.conn.execute(
            "SELECT DISTINCT person_id FROM follow_ups ORDER BY person_id LIMIT 300")]
        count = f"SELECT count(*) FROM follow_ups f WHERE {current('follow_ups', 'f')}"
        return {
            "code": str(Path(app.__file__).parent.parent),
            "follow_ups": ws.conn.execute("SELECT count(*) FROM follow_ups").fetchone()[0],
            "current": ws.conn.execute(count).fetchone()[0],
            "count_current_ms": _p50(lambda: ws.conn.execute(count).fetchone()),
            "floor_count_ms": _p50(lambda: ws.conn.execute(
                f"SELECT count(*) FROM follow_ups f WHERE {OLD}").fetchone()),
            "tasks_ms": _p50(lambda: ws.care.tasks(today)),
            "patients_ms": _p50(lambda: ws.care.patients(today)),
            "histories_300_ms": _p50(lambda: [ws.care.followups(p) for p in people]),
        }
    finally:
        ws.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--forks", type=int, default=0)
    args = parser.parse_args()
    print(run(args.db, args.forks))
