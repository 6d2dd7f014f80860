"""Year-to-date sums of a person's earlier claims (本年度累计), and reversal (冲账).

Per-year deductibles, yearly caps, yearly progressive bands and yearly personal ceilings depend on
the earlier claims of the year. They come in as `PriorClaim`s: a recorded result, either from the
engine (`Settlement.as_prior()`) or typed in from a hospital's slip. `year_to_date` sums them,
skipping a reversed claim (`reversed`) and the reversal entry that cancels it (`reverses`), so a
reversed claim no longer counts toward deductibles, caps or ceilings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LayerTotals:
    """One layer's sums over earlier claims of the year."""

    deductible_used: Decimal = ZERO
    paid: Decimal = ZERO
    above: Decimal = ZERO  # the base above the deductible, for yearly progressive bands

    def plus(self, other: LayerTotals) -> LayerTotals:
        return LayerTotals(self.deductible_used + other.deductible_used, self.paid + other.paid,
                           self.above + other.above)


@dataclass(frozen=True)
class PriorLayer:
    """One layer line of an earlier claim: its amount, deductible taken and base."""

    name: str
    amount: Decimal
    deductible_used: Decimal = ZERO
    base: Decimal = ZERO


@dataclass(frozen=True)
class PriorClaim:
    """An earlier claim of the person, as recorded. `reversed` marks a claim cancelled by 冲账;
    a reversal entry names the claim it cancels in `reverses`."""

    settled_on: dt.date
    total: Decimal
    self_pay: Decimal
    layers: tuple[PriorLayer, ...] = ()
    episode: str = "住院"
    claim_id: str = ""
    reversed: bool = False
    reverses: str = ""

    @property
    def reimbursed(self) -> Decimal:
        return sum((line.amount for line in self.layers), ZERO)


@dataclass(frozen=True)
class YearToDate:
    """The person's sums over the earlier claims of one year (本年度累计)."""

    year: int | None = None
    claims: int = 0
    inpatient_stays: int = 0
    total: Decimal = ZERO
    reimbursed: Decimal = ZERO
    self_pay: Decimal = ZERO
    self_pay_by_episode: Mapping[str, Decimal] = field(default_factory=dict)
    layers: Mapping[str, LayerTotals] = field(default_factory=dict)

    def layer(self, name: str) -> LayerTotals:
        return self.layers.get(name, LayerTotals())

    def self_pay_in(self, episodes: Iterable[str]) -> Decimal:
        """Self-pay of the earlier claims of these episode kinds (all kinds when empty)."""
        kinds = set(episodes)
        return sum((v for k, v in self.self_pay_by_episode.items() if not kinds or k in kinds), ZERO)

    def add(self, prior: PriorClaim) -> YearToDate:
        """These sums with one more claim counted."""
        layers = dict(self.layers)
        for line in prior.layers:
            above = max(ZERO, line.base - line.deductible_used)
            layers[line.name] = self.layer(line.name).plus(
                LayerTotals(line.deductible_used, line.amount, above))
        by_episode = dict(self.self_pay_by_episode)
        by_episode[prior.episode] = by_episode.get(prior.episode, ZERO) + prior.self_pay
        return replace(
            self, year=self.year if self.year is not None else prior.settled_on.year,
            claims=self.claims + 1, inpatient_stays=self.inpatient_stays + (prior.episode == "住院"),
            total=self.total + prior.total, reimbursed=self.reimbursed + prior.reimbursed,
            self_pay=self.self_pay + prior.self_pay, self_pay_by_episode=by_episode, layers=layers,
        )


def counted(priors: Iterable[PriorClaim]) -> list[PriorClaim]:
    """The claims that still count: neither reversed nor cancelled by a reversal, nor reversals."""
    items = list(priors)
    cancelled = {p.reverses for p in items if p.reverses}
    return [p for p in items
            if not p.reversed and not p.reverses and not (p.claim_id and p.claim_id in cancelled)]


def year_to_date(priors: Iterable[PriorClaim], year: int, *, until: dt.date | None = None,
                 excluding: str = "") -> YearToDate:
    """The sums over the counted claims settled in `year`, on or before `until` if given, leaving
    out the claim `excluding` (the one being settled again, so it never counts toward itself)."""
    ytd = YearToDate(year=year)
    for prior in counted(priors):
        if prior.settled_on.year != year or (until is not None and prior.settled_on > until):
            continue
        if not excluding or prior.claim_id != excluding:
            ytd = ytd.add(prior)
    return ytd
