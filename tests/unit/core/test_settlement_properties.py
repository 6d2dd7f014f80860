"""Properties of the cascade over random packs and claims: the money adds up to the fen, no layer
pays below 0 or above its base, and a larger bill never leaves the person paying less."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from types import MappingProxyType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.policy import (
    BASES,
    CATEGORIES,
    EPISODES,
    LEVELS,
    SCOPES,
    Band,
    Conditions,
    DeductibleOverride,
    HospitalRate,
    Layer,
    PolicyPack,
    Waiver,
)
from app.core.policy_targets import Target
from app.core.settlement import ClaimInput, LayerTotals, YearToDate, settle

FEN = Decimal("0.01")
DAY = dt.date(2024, 6, 1)
FEES = ("普通挂号费", "检查费", "床位费", "治疗费")

money = st.integers(0, 30_000_000).map(lambda n: Decimal(n).scaleb(-2))
small_money = st.integers(0, 2_000_000).map(lambda n: Decimal(n).scaleb(-2))
ratios = st.integers(0, 100).map(lambda n: Decimal(n) / 100)
categories = st.frozensets(st.sampled_from(CATEGORIES), max_size=3)


@st.composite
def bands(draw: st.DrawFn) -> tuple[Band, ...]:
    cuts = sorted(draw(st.sets(st.integers(1, 200_000), max_size=3)))
    edges = [Decimal(0), *(Decimal(c) for c in cuts)]
    uppers: list[Decimal | None] = [*edges[1:], None]
    return tuple(Band(lo, hi, draw(ratios)) for lo, hi in zip(edges, uppers, strict=True))


@st.composite
def conditions(draw: st.DrawFn) -> Conditions:
    return Conditions(
        categories=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=2)),
        exclude_categories=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=1)),
        episodes=draw(st.frozensets(st.sampled_from(EPISODES), max_size=2)),
    )


@st.composite
def ratio_layer(draw: st.DrawFn, name: str) -> Layer:
    banded = draw(st.booleans())
    rows = draw(st.lists(st.builds(HospitalRate, st.one_of(st.none(), st.sampled_from(LEVELS)),
                                   st.one_of(st.none(), st.sampled_from(SCOPES)),
                                   st.none() if banded else st.one_of(st.none(), ratios),
                                   st.one_of(st.none(), small_money)), max_size=2))
    overrides = draw(st.dictionaries(st.sampled_from(CATEGORIES), st.one_of(
        st.builds(DeductibleOverride, amount=small_money), st.builds(DeductibleOverride, share=ratios)),
        max_size=2))
    return Layer(
        name=name, base=draw(st.sampled_from(BASES)), conditions=draw(conditions()),
        deductible=draw(small_money), deductible_per=draw(st.sampled_from(("每次", "每年"))),
        deductible_by_category=MappingProxyType(overrides),
        ratio=None if banded else draw(ratios), bands=draw(bands()) if banded else (),
        bands_per=draw(st.sampled_from(("每次", "每年"))), by_hospital=tuple(rows),
        uplift=MappingProxyType(draw(st.dictionaries(st.sampled_from(CATEGORIES),
                                                     st.integers(-20, 20).map(Decimal), max_size=2))),
        unreferred_penalty=Decimal(draw(st.integers(0, 20))),
        cap=draw(st.one_of(st.none(), money)),
        cap_exempt=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=1)),
    )


@st.composite
def ceiling_layer(draw: st.DrawFn, name: str) -> Layer:
    by_scope = draw(st.dictionaries(st.sampled_from(SCOPES), small_money, max_size=4))
    share = draw(st.one_of(st.none(), ratios)) if by_scope else draw(ratios)
    return Layer(name=name, kind="兜底", base=draw(st.sampled_from(BASES)),
                 conditions=draw(conditions()), ceiling_by_scope=MappingProxyType(by_scope),
                 ceiling_share=share)


@st.composite
def packs(draw: st.DrawFn) -> PolicyPack:
    kinds = draw(st.lists(st.sampled_from(("比例", "比例", "兜底")), min_size=1, max_size=6))
    layers = tuple(draw(ceiling_layer(f"L{i}") if k == "兜底" else ratio_layer(f"L{i}"))
                   for i, k in enumerate(kinds))
    waivers = tuple(Waiver(fee, draw(ratios), conditions=draw(conditions()))
                    for fee in draw(st.sets(st.sampled_from(FEES), max_size=3)))
    return PolicyPack(name="随机", county="随机县", valid_from=dt.date(2024, 1, 1),
                      valid_to=dt.date(2024, 12, 31), layers=layers, waivers=waivers,
                      targets=(Target(CATEGORIES, MappingProxyType({"住院": Decimal("0.9")})),))


@st.composite
def claims(draw: st.DrawFn, pack: PolicyPack) -> ClaimInput:
    total = draw(st.integers(1, 50_000_000).map(lambda n: Decimal(n).scaleb(-2)))
    out = Decimal(draw(st.integers(0, int(total * 100)))).scaleb(-2)
    fees: dict[str, Decimal] = {}
    room = total
    for fee in draw(st.sets(st.sampled_from(FEES), max_size=3)):
        fees[fee] = Decimal(draw(st.integers(0, int(room * 100)))).scaleb(-2)
        room -= fees[fee]
    totals = {x.name: LayerTotals(draw(small_money), draw(money), draw(money))
              for x in pack.layers if draw(st.booleans())}
    ytd = YearToDate(year=2024, claims=len(totals), self_pay=draw(small_money),
                     self_pay_by_episode=MappingProxyType({"住院": draw(small_money)}),
                     layers=MappingProxyType(totals))
    return ClaimInput(
        episode=draw(st.sampled_from(EPISODES)), level=draw(st.sampled_from(LEVELS)),
        scope=draw(st.sampled_from(SCOPES)), admitted=DAY, discharged=DAY, total=total,
        out_of_catalogue=out, categories=draw(categories), referred=draw(st.booleans()),
        fees=fees, year_to_date=ytd,
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[PolicyPack, ClaimInput]:
    pack = draw(packs())
    return pack, draw(claims(pack))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_money_adds_up_to_the_fen_and_no_layer_pays_below_zero_or_above_its_base(case):
    pack, claim = case
    s = settle(pack, claim)
    assert s.waived + sum(x.amount for x in s.layers) + s.self_pay == claim.total
    for value in (s.waived, s.self_pay, *(x.amount for x in s.layers)):
        assert value == value.quantize(FEN)
    for line in s.layers:
        assert Decimal(0) <= line.amount <= line.base
        assert Decimal(0) <= line.deductible_used <= line.base
    assert s.self_pay >= 0 and Decimal(0) <= s.ratio_actual <= 100


@SETTINGS
@given(cases(), st.integers(0, 5_000_000), st.integers(0, 5_000_000))
def test_a_larger_bill_never_means_a_smaller_self_pay(case, more_in_scope, more_outside):
    pack, claim = case
    inside, outside = Decimal(more_in_scope).scaleb(-2), Decimal(more_outside).scaleb(-2)
    larger = dataclasses.replace(claim, total=claim.total + inside + outside,
                                 out_of_catalogue=claim.out_of_catalogue + outside)
    assert settle(pack, larger).self_pay >= settle(pack, claim).self_pay
