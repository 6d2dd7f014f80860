"""Start to a usable household list: sign in (or open), list ids, fetch the first page of rows.

The database is encrypted, so a fresh interpreter signs in as the demo user, as a doctor does at
start: CUNYI_USER and CUNYI_PASSWORD are passed to the child, and its open time includes the key
file unwrap. In this process the key is unlocked once (benchmarks.dataset.sign_in) beforehand.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.demo import DEMO_USER
from app.storage.workspace import Workspace
from benchmarks.dataset import connect, sign_in

PAGE = 50
REPEATS = 5

# Run in a fresh interpreter so imports, opening and the schema check are all counted.
_CHILD = f"""
import json, os, sys, time
t0 = time.perf_counter()
from app.storage.workspace import Workspace
t1 = time.perf_counter()
if os.environ.get("CUNYI_USER"):
    ws, _ = Workspace.sign_in(sys.argv[1], os.environ["CUNYI_USER"], os.environ["CUNYI_PASSWORD"])
else:
    ws = Workspace.open(sys.argv[1])
t2 = time.perf_counter()
ids = ws.households.ids()
rows = ws.households.rows(ids[:{PAGE}])
t3 = time.perf_counter()
ws.close()
print(json.dumps({{"import_s": t1 - t0, "open_s": t2 - t1, "first_page_s": t3 - t2,
                  "total_s": t3 - t0, "ids": len(ids), "rows": len(rows)}}))
"""


# The same, as a doctor sees it: the real main window, offscreen, until the first rows are shown.
_WINDOW_CHILD = """
import json, os, sys, time
t0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from app.core.paths import resolve
from app.storage.workspace import Workspace
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
t1 = time.perf_counter()
app = QApplication([])
if os.environ.get("CUNYI_USER"):
    ws, user = Workspace.sign_in(sys.argv[1], os.environ["CUNYI_USER"], os.environ["CUNYI_PASSWORD"])
else:
    ws = Workspace.open(sys.argv[1])
    user = ws.users.list()[0]
runner = TaskRunner()
window = MainWindow(ws, user, runner, resolve(os.path.dirname(sys.argv[1])))
window.show()
model = window.households.model
while not (model.rowCount() > 0 and model.cached_row(model.household_id(0)) is not None):
    app.processEvents()
    time.sleep(0.001)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "window_s": t2 - t1, "total_s": t2 - t0,
                  "rows": model.rowCount()}))
runner.wait()
ws.close()
"""


def _in_process(path: Path) -> dict[str, float]:
    sign_in(path)
    t0 = time.perf_counter()
    ws = Workspace.open(path)
    t1 = time.perf_counter()
    ids = ws.households.ids()
    t2 = time.perf_counter()
    rows = ws.households.rows(ids[:PAGE])
    t3 = time.perf_counter()
    ws.close()
    assert len(rows) == min(PAGE, len(ids))
    return {"open_s": t1 - t0, "ids_s": t2 - t1, "rows_s": t3 - t2, "total_s": t3 - t0}


def _floor(path: Path) -> float:
    """The same two statements on a bare connection: ordered ids, then 50 rows by id."""
    sign_in(path)
    t0 = time.perf_counter()
    conn = connect(path)
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM households WHERE deleted = 0"
        " ORDER BY village_code, group_name, household_no = '', household_no, id")]
    marks = ",".join("?" * min(PAGE, len(ids)))
    conn.execute(
        f"SELECT h.*, p.name FROM households h LEFT JOIN people p ON p.id = h.head_id"
        f" WHERE h.id IN ({marks})", ids[:PAGE]).fetchall()
    conn.close()
    return time.perf_counter() - t0


def _median(samples: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(s[k] for s in samples), 4) for k in samples[0]}


def run(path: Path) -> dict[str, object]:
    """Median of a few runs, in a fresh interpreter and in this one, with the plain-SQLite floor."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "CUNYI_USER": DEMO_USER[0], "CUNYI_PASSWORD": DEMO_USER[1]}
    fresh = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=root, env=env,
                             capture_output=True, text=True, check=True)
        fresh.append(json.loads(out.stdout))
    counts = {"households": fresh[0]["ids"], "page_rows": fresh[0]["rows"]}
    for s in fresh:
        del s["ids"], s["rows"]
    window = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", _WINDOW_CHILD, str(path)], cwd=root, env=env,
                             capture_output=True, text=True, check=True, timeout=120)
        window.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for s in window:
        del s["rows"]
    warm = [_in_process(path) for _ in range(REPEATS)]
    floor = statistics.median(_floor(path) for _ in range(REPEATS))
    in_process = _median(warm)
    return {
        **counts,
        "fresh_interpreter_s": _median(fresh),
        "fresh_interpreter_with_window_s": _median(window),
        "in_process_s": in_process,
        "floor_s": round(floor, 4),
        "ratio_in_process_to_floor": round(in_process["total_s"] / floor, 2) if floor else None,
        "note": "文件已在系统缓存中（未清空页缓存）；with_window 含Qt主窗口启动到首屏数据显示",
    }
