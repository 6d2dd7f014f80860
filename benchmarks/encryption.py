"""Encryption at rest: the same work on the encrypted township and on a plain copy, in one run.

A plain copy is exported from the encrypted database (`sqlcipher_export` into a database attached
with an empty key, user_version copied) beside it, so both files sit on the same disk. Then, in
this process, alternating which goes first:

- search: `ws.people.search` over the search benchmark's query set, best of 3 per query;
- 工作台: `Workspace.care.tasks(today)` over the township, as benchmarks/care.py times it;
- import: the 5,000-row workbook of benchmarks/importing.py, each time into a fresh copy of an
  empty township database (encrypted, and its plain export);
- opening: `Workspace.sign_in` on the encrypted file (key file unwrap + open + checks + audit),
  split into the unwrap (`keyring.load` + `Keyring.unlock`) and `Workspace.open`; the floor is
  the plain copy's `Workspace.open` + `authenticate`.

Issue 10's targets: each encrypted figure ≤ 1.2× the plain one; signing in ≤ 0.5 s.
`python -m benchmarks.encryption --size village` runs it alone on a cached database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from app.demo import DEMO_USER
from app.storage import keyring
from app.storage.engine import open_file
from app.storage.workspace import Workspace
from benchmarks import care, importing, search
from benchmarks.dataset import copy_database, sign_in
from benchmarks.stats import summarize

RATIO = 1.2
TARGETS = {"encryption_search_p95_ratio": RATIO, "encryption_tasks_p95_ratio": RATIO,
           "encryption_import_ratio": RATIO, "encryption_sign_in_s": 0.5}
OPENS = 5
PROBE_CACHE_KIB = 128 * 1024    # a page cache that holds what the 工作台 reads (for information)
PROBE_RUNS = 5
IMPORTS = 2             # per kind; the order alternates, so each kind goes first once
KINDS = ("encrypted", "plain")


def export_plain(source: Path, dest: Path) -> float:
    """Write a plain copy of the (unlocked) encrypted database `source` to `dest`; the seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    conn = open_file(source, isolation_level=None)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        try:
            conn.execute("SELECT sqlcipher_export('plain')")
            conn.execute(f"PRAGMA plain.user_version = {version}")
        finally:
            conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    return time.perf_counter() - started


def _order(i: int) -> tuple[str, ...]:
    return KINDS if i % 2 == 0 else KINDS[::-1]


def _pair(encrypted: float, plain: float, unit: str, **extra: object) -> dict[str, object]:
    ratio = round(encrypted / plain, 3) if plain else None
    return {"encrypted": encrypted, "plain": plain, "unit": unit, "ratio": ratio,
            "met": None if ratio is None else ratio <= RATIO, **extra}


@contextlib.contextmanager
def _both(paths: dict[str, Path]) -> Iterator[dict[str, Workspace]]:
    opened: dict[str, Workspace] = {}
    try:
        for kind in KINDS:
            opened[kind] = Workspace.open(paths[kind])
        yield opened
    finally:
        for ws in opened.values():
            ws.close()


def _best(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def _search(paths: dict[str, Path], queries: dict[str, list[str]]) -> dict[str, object]:
    """Every query on both files in turn, best of search.REPEATS each; p95 over all queries."""
    flat = [q for qs in queries.values() for q in qs]
    seconds: dict[str, list[float]] = {k: [] for k in KINDS}
    differ = 0
    with _both(paths) as ws:
        for kind in KINDS:               # page and statement caches
            for q in flat[:: max(1, len(flat) // 70)]:
                ws[kind].people.search(q, limit=search.LIMIT)
        for i, q in enumerate(flat):
            found: dict[str, object] = {}
            for kind in _order(i):
                s, hits = _best(partial(ws[kind].people.search, q, limit=search.LIMIT),
                                search.REPEATS)
                seconds[kind].append(s)
                found[kind] = [h.id for h in hits] if isinstance(hits, list) else hits
            differ += found["encrypted"] != found["plain"]
    summary = {k: summarize(v) for k, v in seconds.items()}
    return _pair(summary["encrypted"]["p95"], summary["plain"]["p95"], "ms",
                 queries=len(flat), encrypted_ms=summary["encrypted"], plain_ms=summary["plain"],
                 different_results=differ,
                 method=f"每条查询两库交替各运行{search.REPEATS}次取最快，p95 为全部查询的")


def _tasks(paths: dict[str, Path], today: dt.date, *, runs: int = care.TASK_RUNS,
           cache_kib: int | None = None) -> dict[str, object]:
    """The township's 工作台 on both files, `runs` samples each, best of care.REPEATS.

    `cache_kib` sets both connections' page cache first (the engine's default otherwise).
    """
    seconds: dict[str, list[float]] = {k: [] for k in KINDS}
    totals: dict[str, set[int]] = {k: set() for k in KINDS}
    with _both(paths) as ws:
        for kind in KINDS:
            if cache_kib is not None:
                ws[kind].conn.execute(f"PRAGMA cache_size = -{cache_kib}")
            _best(partial(ws[kind].care.tasks, today), 2)
        cache = ws["encrypted"].conn.execute("PRAGMA cache_size").fetchone()[0]
        for i in range(runs):
            for kind in _order(i):
                s, tasks = _best(partial(ws[kind].care.tasks, today), care.REPEATS)
                seconds[kind].append(s)
                totals[kind].add(getattr(tasks, "total", -1))
    summary = {k: summarize(v) for k, v in seconds.items()}
    return _pair(summary["encrypted"]["p95"], summary["plain"]["p95"], "ms",
                 lines=sorted(totals["encrypted"]), same_lines=totals["encrypted"] == totals["plain"],
                 encrypted_ms=summary["encrypted"], plain_ms=summary["plain"], cache_size=cache,
                 method=f"{runs} 次，两库交替，每次各运行{care.REPEATS}遍取最快")


def _import_once(template: Path, db: Path, xlsx: Path, today: dt.date | None,
                 import_workbook: Callable[..., Any]) -> tuple[float, int]:
    copy_database(template, db)
    ws = Workspace.open(db)
    try:
        t = time.perf_counter()
        import_workbook(ws, xlsx, progress=lambda *a: None, today=today)
        seconds = time.perf_counter() - t
        people = ws.people.count(living_only=False)
    finally:
        ws.close()
    for suffix in ("", "-wal", "-shm", ".keys"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return seconds, people


def _imports(source: Path, workdir: Path, today: dt.date | None) -> dict[str, object]:
    """The 5,000-row workbook into fresh copies of an empty township database, encrypted and plain."""
    import_workbook = importing.importer()
    if isinstance(import_workbook, str):
        return {"status": "skipped", "reason": import_workbook, "met": None}
    xlsx = workdir / "import-5000.xlsx"
    rows = importing.build_workbook(source, xlsx)
    templates = {"encrypted": workdir / "empty-encrypted.db", "plain": workdir / "empty-plain.db"}
    importing.fresh_database(source, templates["encrypted"]).close()   # its key stays unlocked
    export_plain(templates["encrypted"], templates["plain"])
    seconds: dict[str, list[float]] = {k: [] for k in KINDS}
    people: dict[str, set[int]] = {k: set() for k in KINDS}
    for i in range(IMPORTS):
        for kind in _order(i):
            s, n = _import_once(templates[kind], workdir / f"import-{kind}.db", xlsx, today,
                                import_workbook)
            seconds[kind].append(round(s, 3))
            people[kind].add(n)
    best = {k: min(v) for k, v in seconds.items()}
    return _pair(best["encrypted"], best["plain"], "s", status="ok", rows=rows,
                 samples_s=seconds, people=sorted(people["encrypted"]),
                 same_people=people["encrypted"] == people["plain"],
                 method=f"每库 {IMPORTS} 次，先后交替，各导入一份空库的新副本，取最快一次")


def _opening(paths: dict[str, Path]) -> dict[str, object]:
    """Signing in to the encrypted file, its two parts, and the plain open + authenticate floor."""
    samples: dict[str, list[float]] = {k: [] for k in
                                       ("sign_in", "unwrap", "open", "plain_open", "plain_auth")}
    enc, plain = paths["encrypted"], paths["plain"]
    for _ in range(OPENS):
        t = time.perf_counter()
        ws, _user = Workspace.sign_in(enc, *DEMO_USER)
        samples["sign_in"].append(time.perf_counter() - t)
        ws.close()
        t = time.perf_counter()
        ring = keyring.load(enc)
        secret = ring.unlock(*DEMO_USER) if ring else None
        samples["unwrap"].append(time.perf_counter() - t)
        assert secret is not None, "the demo user cannot unlock the benchmark database"
        t = time.perf_counter()
        ws = Workspace.open(enc)
        samples["open"].append(time.perf_counter() - t)
        ws.close()
        t = time.perf_counter()
        ws = Workspace.open(plain)
        t1 = time.perf_counter()
        ws.users.authenticate(*DEMO_USER)
        samples["plain_auth"].append(time.perf_counter() - t1)
        samples["plain_open"].append(t1 - t)
        ws.close()
    med = {k: round(statistics.median(v), 4) for k, v in samples.items()}
    floor = round(med["plain_open"] + med["plain_auth"], 4)
    target = TARGETS["encryption_sign_in_s"]
    return {"sign_in_s": med["sign_in"], "unwrap_s": med["unwrap"], "open_s": med["open"],
            "plain_open_s": med["plain_open"], "plain_authenticate_s": med["plain_auth"],
            "floor_s": floor, "ratio_to_floor": round(med["sign_in"] / floor, 2) if floor else None,
            "target_s": target, "met": med["sign_in"] <= target,
            "method": f"各 {OPENS} 次取中位数；sign_in = 读密钥文件并解封 + 打开 + 检查 + 记审计"}


def _sizes(paths: dict[str, Path]) -> dict[str, object]:
    mb = {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()}
    return {"encrypted_mb": mb["encrypted"], "plain_mb": mb["plain"],
            "ratio": round(mb["encrypted"] / mb["plain"], 3) if mb["plain"] else None,
            "key_file_bytes": keyring.keyring_path(paths["encrypted"]).stat().st_size}


def run(path: Path, queries: dict[str, list[str]], *, today: dt.date | None = None,
        skip_import: bool = False) -> dict[str, object]:
    """Every pair of figures, encrypted against plain, on `path` and a plain copy made beside it."""
    sign_in(path)
    started = time.perf_counter()
    day = today or dt.date.today()
    with tempfile.TemporaryDirectory(prefix="encryption-", dir=path.parent) as tmp:
        work = Path(tmp)
        paths = {"encrypted": path, "plain": work / "plain.db"}
        export_s = export_plain(path, paths["plain"])
        with contextlib.closing(open_file(path, read_only=True)) as conn:
            cipher = conn.execute("PRAGMA cipher_version").fetchone()
        result: dict[str, object] = {
            "sqlcipher": cipher[0] if cipher else None, "export_plain_s": round(export_s, 2),
            "sizes": _sizes(paths), "opening": _opening(paths),
            "search": _search(paths, queries), "tasks": _tasks(paths, day),
            # Every page the cache misses is decrypted again: the same 工作台 with a larger cache.
            "tasks_large_cache": _tasks(paths, day, runs=PROBE_RUNS, cache_kib=PROBE_CACHE_KIB),
        }
        result["import"] = ({"status": "skipped", "reason": "--skip-import", "met": None}
                            if skip_import else _imports(path, work, today))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def check(result: dict[str, Any]) -> dict[str, dict[str, object]]:
    """The encryption figures against issue 10's targets."""
    out: dict[str, dict[str, object]] = {}
    for name, key in (("encryption_search_p95_ratio", "search"),
                      ("encryption_tasks_p95_ratio", "tasks"),
                      ("encryption_import_ratio", "import")):
        part = result.get(key, {})
        out[name] = {"value": part.get("ratio"), "target": TARGETS[name], "met": part.get("met")}
        if part.get("status") not in (None, "ok"):
            out[name]["status"] = part["status"]
    opening = result.get("opening", {})
    out["encryption_sign_in_s"] = {"value": opening.get("sign_in_s"),
                                   "target": TARGETS["encryption_sign_in_s"],
                                   "met": opening.get("met")}
    return out


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The encryption figures: each pair with its ratio, opening and the file sizes."""
    lines = [f"加密（SQLCipher {result['sqlcipher']}）与明文副本（导出 {result['export_plain_s']} 秒）："]
    rows = result["import"].get("rows", importing.ROWS)
    for label, key in (("搜索 p95", "search"), ("工作台 p95", "tasks"), (f"导入{rows}行", "import")):
        p = result[key]
        if p.get("status") not in (None, "ok"):
            lines.append(f"  {label}：{p['status']}（{p.get('reason')}）")
            continue
        lines.append(f"  {label}：加密 {p['encrypted']} {p['unit']}，明文 {p['plain']} {p['unit']}，"
                     f"×{p['ratio']}（目标 ≤ {RATIO}）")
    big = result["tasks_large_cache"]
    lines.append(f"  工作台 p95，页缓存 {PROBE_CACHE_KIB // 1024} MB（参考）：加密 {big['encrypted']} ms，"
                 f"明文 {big['plain']} ms，×{big['ratio']}（默认页缓存 {result['tasks']['cache_size']}）")
    o, s = result["opening"], result["sizes"]
    lines.append(f"  登录（解封+打开）：{o['sign_in_s']:.3f} 秒（解封 {o['unwrap_s']:.3f}，打开 "
                 f"{o['open_s']:.3f}）；明文打开+验证密码 {o['floor_s']:.3f} 秒（目标 ≤ {o['target_s']}）")
    lines.append(f"  文件：加密 {s['encrypted_mb']} MB，明文 {s['plain_mb']} MB，"
                 f"密钥文件 {s['key_file_bytes']} 字节")
    return lines


def main(argv: list[str] | None = None) -> int:
    from benchmarks.dataset import DEFAULT_CACHE, dataset
    from benchmarks.stats import machine_info

    p = argparse.ArgumentParser(prog="python -m benchmarks.encryption", description="加密数据库基准")
    p.add_argument("--size", default="township", choices=("village", "township", "county"))
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--queries", type=int, default=200, help="每类查询的条数")
    p.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    p.add_argument("--skip-import", action="store_true")
    args = p.parse_args(argv)
    data = dataset(args.size, args.seed, cache_dir=args.cache_dir)
    started = time.perf_counter()
    queries = search.sample_queries(data.path, per_kind=args.queries, seed=args.seed)
    out = run(data.path, queries, skip_import=args.skip_import)
    out["seconds_with_queries"] = round(time.perf_counter() - started, 1)
    result = {"machine": machine_info(), "dataset": {"size": data.size, "people": data.people},
              "encryption": out, "targets": check(out)}
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"encryption-{args.size}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print("\n".join(summary_lines(out)))
    print(f"→ {path}（{out['seconds_with_queries']} 秒）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
