"""Settlement engine figures: one settlement (the worked example and the long-chain pack) against
a straight-line Decimal floor, and a township's year of claims recomputed in order with
year-to-date. Needs no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from app.core.policy import PolicyPack, load_pack
from app.core.settlement import ClaimInput, PriorClaim, settle, year_to_date
from benchmarks.stats import summarize

POLICIES = Path(__file__).resolve().parent.parent / "resources" / "policies"
TARGETS = {"settle_p50_ms": 2.0, "claims_3000_s": 5.0}
FEN = Decimal("0.01")
POOR = ("建档立卡", "脱贫户", "监测户", "低保", "特困")
MAJOR = ("C15.9", "C16.9", "C18.2", "N18.5", "")


def worked_claim() -> ClaimInput:
    return ClaimInput(episode="住院", level="二级", scope="县域内", admitted=dt.date(2024, 3, 1),
                      discharged=dt.date(2024, 3, 10), total=Decimal("50000.00"),
                      out_of_catalogue=Decimal("3000.00"), categories=frozenset({"建档立卡"}))


def long_chain_claim() -> ClaimInput:
    return dataclasses.replace(worked_claim(), total=Decimal("200000.00"),
                               out_of_catalogue=Decimal("60000.00"), level="三级", scope="市域内",
                               referred=True, disease="C15.1")


def floor_worked_example() -> tuple[Decimal, ...]:
    """The worked example as straight-line Decimal arithmetic: the least any engine can do."""
    def fen(x: Decimal) -> Decimal:
        return x.quantize(FEN, rounding=ROUND_HALF_UP)

    total, out = Decimal("50000.00"), Decimal("3000.00")
    scope = total - out
    basic = min(fen(max(scope - Decimal(250), Decimal(0)) * Decimal("0.80")), Decimal(150000))
    left = scope - basic
    major = fen(max(left - Decimal(5000), Decimal(0)) * Decimal("0.65"))
    left -= major
    aid = min(fen(left * Decimal("0.70")), Decimal(30000))
    self_pay = total - basic - major - aid
    ratio = fen((total - self_pay) * 100 / total)
    return basic, major, aid, self_pay, ratio


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    for _ in range(min(n, 50)):
        fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _with_us(seconds: list[float]) -> dict[str, float]:
    """summarize() in ms, plus p50 and p95 in µs from the raw times (ms rounds to whole µs)."""
    out = summarize(seconds)
    us = sorted(s * 1e6 for s in seconds)
    out["p50_us"] = round(statistics.median(us), 1)
    out["p95_us"] = round(us[min(len(us) - 1, max(0, round(0.95 * len(us)) - 1))], 1)
    return out


def township_claims(seed: int = 7, claims: int = 3000, people: int = 1000) -> list[ClaimInput]:
    """A township's year: `claims` episodes of `people` people (each at least once), in date order."""
    rng = random.Random(seed)
    persons = []
    for n in range(people):
        poor = rng.random() < 0.25
        cats = frozenset(rng.sample(POOR, rng.choice((1, 1, 2)))) if poor else frozenset()
        persons.append((f"P{n:05d}", cats, rng.choice(MAJOR) if poor else ""))
    out = []
    for i in range(claims):
        pid, cats, disease = persons[i % people] if i < people else rng.choice(persons)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(350))
        inpatient = rng.random() < 0.7
        total = Decimal(rng.randrange(30_000, 8_000_000 if inpatient else 300_000)).scaleb(-2)
        out.append(ClaimInput(
            episode="住院" if inpatient else "门诊慢特病", level=rng.choice(("一级", "二级", "二级", "三级")),
            scope=rng.choice(("县域内", "县域内", "县域内", "市域内", "省域内")), referred=rng.random() < 0.6,
            admitted=day, discharged=day + dt.timedelta(days=rng.randrange(1, 15) if inpatient else 0),
            total=total, out_of_catalogue=(total * Decimal(rng.randrange(0, 15)) / 100).quantize(FEN),
            categories=cats, disease=disease, claim_id=f"{pid}-{i:05d}",
        ))
    return sorted(out, key=lambda c: (c.date, c.claim_id))


def recompute_year(pack: PolicyPack, claims: list[ClaimInput]) -> dict[str, object]:
    """Settle every claim in date order, each with the year-to-date of that person's earlier ones."""
    history: dict[str, list[PriorClaim]] = {}
    start = time.perf_counter()
    self_pay = Decimal(0)
    for c in claims:
        person = c.claim_id.split("-")[0]
        earlier = history.setdefault(person, [])
        ytd = year_to_date(earlier, c.date.year, until=c.date)
        result = settle(pack, dataclasses.replace(c, year_to_date=ytd))
        earlier.append(result.as_prior())
        self_pay += result.self_pay
    seconds = time.perf_counter() - start
    return {"claims": len(claims), "people": len(history), "seconds": round(seconds, 3),
            "per_claim_ms": round(seconds * 1000 / len(claims), 3), "self_pay_total": str(self_pay)}


def run(n: int = 2000, seed: int = 7) -> dict[str, object]:
    """Every settlement figure, as a JSON-ready dict."""
    start = time.perf_counter()
    worked = load_pack(POLICIES / "worked-example.toml")
    chain = load_pack(POLICIES / "example-qiyang-style.toml")
    load_ms = round((time.perf_counter() - start) * 1000 / 2, 3)  # per pack
    one, long_one = worked_claim(), long_chain_claim()
    assert settle(worked, one).self_pay == floor_worked_example()[3] == Decimal("4983.00")
    ours = _with_us(_timed(lambda: settle(worked, one), n))
    floor = _with_us(_timed(floor_worked_example, n))
    chain_ms = _with_us(_timed(lambda: settle(chain, long_one), n))
    year = recompute_year(chain, township_claims(seed))
    return {
        "pack_load_ms": load_ms,
        "worked_example_ms": ours,
        "floor_ms": floor,
        "ratio_to_floor": round(ours["p50"] / floor["p50"], 1) if floor["p50"] else None,
        "long_chain_ms": chain_ms,
        "long_chain_layers": len(chain.layers),
        "year": year,
        "targets": TARGETS,
    }


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
