"""Search latency through the Workspace, against the bare indexed SELECT on the same file."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from app.core.search import normalize_query, pinyin_keys
from app.storage import people as people_repo
from app.storage.workspace import Workspace
from benchmarks.stats import summarize

KINDS = ("initials", "full_pinyin", "id_prefix", "chinese_name")
LIMIT = 50
_TOP = "\U0010ffff"


def sample_queries(path: Path, *, per_kind: int, seed: int) -> dict[str, list[str]]:
    """Queries a doctor would type, drawn from the people in the database."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, id_no FROM people WHERE deleted = 0 ORDER BY record_no").fetchall()
    finally:
        conn.close()
    picked = rng.sample(rows, min(per_kind * len(KINDS), len(rows)))
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for i, (name, id_no) in enumerate(picked):
        kind = KINDS[i % len(KINDS)]
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


def run(path: Path, queries: dict[str, list[str]]) -> dict[str, object]:
    """Per query kind: ours (Workspace.search_people) and two floors.

    floor_index is the bare range scan on search_index (ids only, as many candidates as ours
    reads); floor_rows is the least SQL that returns the same displayed columns for LIMIT matches
    (index range joined to people and households, no sort), on a plain sqlite3 connection.
    """
    ws = Workspace.open(path)
    plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def ours(q: str) -> list[people_repo.PersonHit]:
        return ws.search_people(q, limit=LIMIT)

    def floor_index(q: str) -> list[tuple[str]]:
        n = normalize_query(q)
        return plain.execute(
            "SELECT person_id FROM search_index WHERE token >= ? AND token < ? LIMIT ?",
            (n, n + _TOP, LIMIT)).fetchall()

    def floor_rows(q: str) -> list[tuple[str]]:
        n = normalize_query(q)
        return plain.execute(
            f"SELECT {_ROW_COLUMNS} FROM search_index s JOIN people p ON p.id = s.person_id"
            " JOIN households h ON h.id = p.household_id"
            " WHERE s.token >= ? AND s.token < ? LIMIT ?", (n, n + _TOP, LIMIT)).fetchall()

    fns: dict[str, Callable[[str], object]] = {
        "ours": ours, "floor_index": floor_index, "floor_rows": floor_rows,
    }
    results: dict[str, object] = {}
    every: dict[str, list[float]] = {name: [] for name in fns}
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
                entry[f"{name}_ms"] = summarize(seconds)
            _add_ratios(entry)
            results[kind] = entry
        total: dict[str, object] = {f"{name}_ms": summarize(s) for name, s in every.items()}
        total["method"] = f"每条查询交替运行各方法{REPEATS}次，取最快一次"
        _add_ratios(total)
        results["all"] = total
    finally:
        ws.close()
        plain.close()
    return results


def _add_ratios(entry: dict[str, object]) -> None:
    ours = entry["ours_ms"]
    assert isinstance(ours, dict)
    for floor in ("floor_index", "floor_rows"):
        f = entry[f"{floor}_ms"]
        assert isinstance(f, dict)
        entry[f"ratio_{floor}_p50"] = _ratio(ours, f, "p50")
        entry[f"ratio_{floor}_p95"] = _ratio(ours, f, "p95")
