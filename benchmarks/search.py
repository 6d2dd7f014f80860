"""Search latency through the Workspace, against the bare indexed SELECT on the same file.

`python -m benchmarks.search --size village|township` measures search alone and writes
results/search-<size>-<time>.json; `make bench` measures it along with everything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from app.core.search import digit_run, normalize_query, pinyin_keys
from app.storage import people as people_repo
from app.storage.engine import sqlite3
from app.storage.workspace import Workspace
from benchmarks.dataset import connect, sign_in
from benchmarks.stats import machine_info, summarize

NAME_KINDS = ("initials", "full_pinyin", "id_prefix", "chinese_name")
DIGIT_KINDS = ("id_tail", "id_inside", "phone_tail")
KINDS = NAME_KINDS + DIGIT_KINDS
LIMIT = 50
SCAN_QUERIES = 40
_TOP = "\U0010ffff"


def sample_queries(path: Path, *, per_kind: int, seed: int) -> dict[str, list[str]]:
    """Queries a doctor would type, drawn from the people in the database.

    Digit runs: the last 4-6 characters of an ID (its X included), a 4-6 digit run from inside
    an ID (never its start or its end), the last 4 digits of a phone.
    """
    rng = random.Random(seed)
    conn = connect(path)
    try:
        rows = conn.execute(
            "SELECT name, id_no, phone FROM people WHERE deleted = 0 ORDER BY record_no").fetchall()
    finally:
        conn.close()
    picked = rng.sample(rows, min(per_kind * len(NAME_KINDS), len(rows)))
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for i, (name, id_no, _phone) in enumerate(picked):
        kind = NAME_KINDS[i % len(NAME_KINDS)]
        if len(out[kind]) >= per_kind:
            continue
        full, initials = pinyin_keys(name)
        if kind == "initials":
            out[kind].append(min(initials)[: rng.choice((2, 3))])
        elif kind == "full_pinyin":
            out[kind].append(min(full))
        elif kind == "id_prefix":
            out[kind].append(id_no[: rng.randint(10, 14)])
        else:
            out[kind].append(name)
    ids = [r[1] for r in rows if len(r[1]) == 18]
    phones = [r[2].replace("-", "") for r in rows if len(r[2].replace("-", "")) >= 7]
    for id_no in rng.sample(ids, min(per_kind, len(ids))):
        out["id_tail"].append(id_no[-rng.randint(4, 6):])
    for id_no in rng.sample(ids, min(per_kind, len(ids))):
        length = rng.randint(4, 6)
        start = rng.randint(1, len(id_no) - length - 1)
        out["id_inside"].append(id_no[start:start + length])
    for phone in rng.sample(phones, min(per_kind, len(phones))):
        out["phone_tail"].append(phone[-4:])
    return out


REPEATS = 3


def _time(fn: Callable[[str], object], queries: list[str]) -> tuple[list[float], int]:
    seconds, hits = [], 0
    for q in queries:
        t = time.perf_counter()
        result = fn(q)
        seconds.append(time.perf_counter() - t)
        hits += len(result) if isinstance(result, list) else 0
    return seconds, hits


def _interleaved(fns: dict[str, Callable[[str], object]], queries: list[str]
                 ) -> tuple[dict[str, list[float]], int]:
    """Each query through every function in turn, REPEATS times; the fastest run per query counts.

    Interleaving spreads noise from other processes evenly over ours and the floors; the minimum
    drops scheduler stalls that say nothing about the code.
    """
    best: dict[str, list[float]] = {name: [] for name in fns}
    hits = 0
    for q in queries:
        for name, fn in fns.items():
            runs = []
            for _ in range(REPEATS):
                t = time.perf_counter()
                result = fn(q)
                runs.append(time.perf_counter() - t)
            best[name].append(min(runs))
            if name == "ours" and isinstance(result, list):
                hits += len(result)
    return best, hits


_ROW_COLUMNS = """p.id, p.household_id, p.name, p.sex, coalesce(p.birth_date, '') AS birth_date,
    p.id_no, p.record_no, p.phone, p.relation, p.living_status, h.group_name, h.village_code"""


def _ratio(ours: dict[str, float], floor: dict[str, float], key: str) -> float | None:
    return round(ours[key] / floor[key], 2) if floor[key] else None


def _candidates(q: str) -> tuple[str, list[object]]:
    """The bare index lookups of a query: the token range and, for a run of digits, the tails'."""
    n = normalize_query(q)
    sql = "SELECT person_id FROM (SELECT person_id FROM search_index WHERE token >= ? AND token < ? LIMIT ?)"
    params: list[object] = [n, n + _TOP, LIMIT]
    run = digit_run(q)
    if run:
        sql += (" UNION ALL SELECT person_id FROM"
                " (SELECT person_id FROM search_digits WHERE run >= ? AND run < ? LIMIT ?)")
        params += [run, run + _TOP, LIMIT]
    return sql, params


def run(path: Path, queries: dict[str, list[str]]) -> dict[str, object]:
    """Per query kind: ours (Workspace.people.search) and two floors.

    floor_index is the bare lookup of the ids (the token range scan on search_index, and for a
    run of digits also the range scan on search_digits, as many candidates as ours reads);
    floor_rows is the least SQL that returns the same displayed columns for LIMIT matches (those
    ranges joined to people and households, no ranking, no sort), on a bare connection to
    the same (encrypted) file. For runs of digits, scan_ms is the same match without an index (instr over
    every person's ID and phone), on SCAN_QUERIES queries, for information.
    """
    sign_in(path)
    ws = Workspace.open(path)
    plain = connect(path)

    def ours(q: str) -> list[people_repo.PersonHit]:
        return ws.people.search(q, limit=LIMIT)

    def floor_index(q: str) -> list[tuple[str]]:
        sql, params = _candidates(q)
        return plain.execute(sql, params).fetchall()

    def floor_rows(q: str) -> list[tuple[str]]:
        sql, params = _candidates(q)
        return plain.execute(
            f"SELECT {_ROW_COLUMNS} FROM ({sql}) AS c JOIN people p ON p.id = c.person_id"
            " JOIN households h ON h.id = p.household_id LIMIT ?", [*params, LIMIT]).fetchall()

    def scan(q: str) -> list[tuple[str]]:
        run = digit_run(q) or ""
        return plain.execute(
            f"SELECT {_ROW_COLUMNS} FROM people p JOIN households h ON h.id = p.household_id"
            " WHERE p.deleted = 0 AND (instr(lower(p.id_no), ?) OR instr(replace(p.phone, '-', ''), ?))"
            " LIMIT ?", (run, run, LIMIT)).fetchall()

    fns: dict[str, Callable[[str], object]] = {
        "ours": ours, "floor_index": floor_index, "floor_rows": floor_rows,
    }
    results: dict[str, object] = {}
    every: dict[str, list[float]] = {name: [] for name in fns}
    digits: dict[str, list[float]] = {name: [] for name in fns}
    try:
        warm = [q for qs in queries.values() for q in qs[:10]]
        for fn in fns.values():             # page cache and statement caches
            _time(fn, warm)
        for kind, qs in queries.items():
            entry: dict[str, object] = {"queries": len(qs), "examples": qs[:3]}
            best, hits = _interleaved(fns, qs)
            entry["mean_hits"] = round(hits / max(1, len(qs)), 1)
            for name, seconds in best.items():
                every[name] += seconds
                if kind in DIGIT_KINDS:
                    digits[name] += seconds
                entry[f"{name}_ms"] = summarize(seconds)
            _add_ratios(entry)
            if kind in DIGIT_KINDS:
                entry["scan_ms"] = summarize(_time(scan, qs[:SCAN_QUERIES])[0])
            results[kind] = entry
        method = f"每条查询交替运行各方法{REPEATS}次，取最快一次"
        for key, pool in (("digit_runs", digits), ("all", every)):
            total: dict[str, object] = {f"{name}_ms": summarize(s) for name, s in pool.items()}
            total["method"] = method
            _add_ratios(total)
            results[key] = total
        results["index"] = _index_size(plain)
    finally:
        ws.close()
        plain.close()
    return results


def _index_size(conn: sqlite3.Connection) -> dict[str, object]:
    """Rows and megabytes of the two search indexes (dbstat, when SQLite has it)."""
    out: dict[str, object] = {}
    for table in ("search_index", "search_index_person", "search_digits"):
        entry: dict[str, object] = {}
        if not table.endswith("_person"):
            entry["rows"] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        try:
            size = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (table,)).fetchone()[0]
            entry["mb"] = round((size or 0) / 1e6, 1)
        except sqlite3.OperationalError:
            entry["mb"] = None
        out[table] = entry
    return out


def _add_ratios(entry: dict[str, object]) -> None:
    ours = entry["ours_ms"]
    assert isinstance(ours, dict)
    for floor in ("floor_index", "floor_rows"):
        f = entry[f"{floor}_ms"]
        assert isinstance(f, dict)
        entry[f"ratio_{floor}_p50"] = _ratio(ours, f, "p50")
        entry[f"ratio_{floor}_p95"] = _ratio(ours, f, "p95")


def summary_lines(result: dict[str, object]) -> list[str]:
    """The search figures as a small table: p50/p95 of ours and the floors, and the ratios."""
    lines = [f"{'查询类型':<14}{'p50 ms':>9}{'p95 ms':>9}{'行下限p50':>11}{'行下限p95':>11}"
             f"{'×p95':>7}{'无索引p95':>11}"]
    for kind in (*KINDS, "digit_runs", "all"):
        e = result[kind]
        assert isinstance(e, dict)
        o, f = e["ours_ms"], e["floor_rows_ms"]
        scan = e.get("scan_ms", {}).get("p95", "")
        lines.append(f"{kind:<16}{o['p50']:>9.3f}{o['p95']:>9.3f}{f['p50']:>13.3f}{f['p95']:>13.3f}"
                     f"{e['ratio_floor_rows_p95'] or 0:>8.2f}{scan:>13}")
    return lines


def main(argv: list[str] | None = None) -> int:
    from benchmarks.dataset import DEFAULT_CACHE, dataset

    p = argparse.ArgumentParser(prog="python -m benchmarks.search", description="村医搜索基准")
    p.add_argument("--size", default="township", choices=("village", "township", "county"))
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--queries", type=int, default=200, help="每类查询的条数")
    p.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    args = p.parse_args(argv)
    data = dataset(args.size, args.seed, cache_dir=args.cache_dir)
    queries = sample_queries(data.path, per_kind=args.queries, seed=args.seed)
    result = {
        "machine": machine_info(),
        "dataset": {"size": data.size, "seed": data.seed, "people": data.people,
                    "households": data.households},
        "search": run(data.path, queries),
    }
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = folder / f"search-{args.size}-{stamp}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{data.size}: {data.people} 人 / {data.households} 户")
    print("\n".join(summary_lines(result["search"])))
    print(f"→ {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
