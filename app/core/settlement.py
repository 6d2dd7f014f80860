"""The settlement cascade (一站式结算): a county policy pack applied to one claim.

`settle(pack, claim)` is pure. It takes the claim (`ClaimInput`, with the person's year-to-date
sums in `claim.year_to_date`) and returns a `Settlement`: the point-of-care waivers, then one
`LayerResult` per layer of the pack in its order, each working on what the earlier layers left,
then the personal self-pay, the 实际报销比例 and, for a person some county target is for (by person
category: poor and monitored people, not ordinary residents), whether it is met.

Money is Decimal, rounded half-up to the fen once per layer. Invariant, to the fen:
`total = waived + Σ layer amounts + self_pay`; no layer pays more than its base or less than 0.

Year-to-date: per-year deductibles, yearly caps, yearly progressive bands and yearly personal
ceilings depend on the person's earlier claims of the year. `year_to_date(priors, year)` (from
app.core.yearly, re-exported here) sums them from `PriorClaim`s (a recorded result: from this
engine via `Settlement.as_prior()`, or typed in from a hospital slip) and skips reversed claims
(冲账). The engine never reads them itself: the caller puts the sums in `claim.year_to_date`.

JSON and the readable explanation live in app.core.settlement_text (`to_json`, `explain`).

A layer on 全部 (all remaining cost) is counted against the policy-scope part first, then the
rest: the layers after it on 政策范围内 see only the policy-scope cost still unpaid. (Counting it in
proportion instead would let a larger bill end with a smaller self-pay when such a layer has a
deductible.) Person categories combine in the person's favour: the lowest deductible and the
largest uplift among the person's categories apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.core.errors import ValidationError
from app.core.policy import (
    EPISODES,
    FEE_CATEGORIES,
    LEVELS,
    SCOPES,
    Band,
    Conditions,
    Layer,
    PolicyPack,
)
from app.core.yearly import (
    ZERO,
    LayerTotals,
    PriorClaim,
    PriorLayer,
    YearToDate,
    counted,
    year_to_date,
)

__all__ = [
    "ClaimInput", "LayerResult", "LayerTotals", "PriorClaim", "PriorLayer", "Settlement",
    "WaiverResult", "YearToDate", "check_claim", "counted", "settle", "year_to_date",
]

FEN = Decimal("0.01")
HUNDRED = Decimal(100)


def fen(value: Decimal) -> Decimal:
    """Rounded half-up to the fen."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    """Money as printed: 37,400.00."""
    return f"{value:,.2f}"


def percent(ratio: Decimal) -> str:
    """A fraction as a percentage without trailing zeros: 0.80 → 80%, 0.655 → 65.5%."""
    return f"{(ratio * HUNDRED).normalize():f}%"


def fraction_text(ratio: Decimal) -> str:
    """A fraction as text with at least two decimals: 0.8 → "0.80", 0.655 → "0.655"."""
    return str(ratio.quantize(FEN) if ratio == ratio.quantize(FEN) else ratio.normalize())


# --- the claim ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimInput:
    """One medical episode to settle. Amounts in 元 (Decimal). `categories` are person categories
    (an empty set means 普通); `fees` the charged amounts by fee category, used by the waivers;
    `disease` the 大病 code or name, matched against a layer's disease list."""

    episode: str
    level: str
    scope: str
    admitted: dt.date
    discharged: dt.date
    total: Decimal
    out_of_catalogue: Decimal = ZERO
    categories: frozenset[str] = frozenset()
    referred: bool = False
    fees: Mapping[str, Decimal] = field(default_factory=dict)
    diagnosis: str = ""
    disease: str = ""
    year_to_date: YearToDate = field(default_factory=YearToDate)
    claim_id: str = ""

    @property
    def date(self) -> dt.date:
        """The settlement date: the discharge date (the visit date for outpatient claims)."""
        return self.discharged

    @property
    def person(self) -> frozenset[str]:
        return self.categories or frozenset({"普通"})


def check_claim(pack: PolicyPack, claim: ClaimInput) -> None:
    """Refuse a claim the pack cannot settle, naming the field."""
    for value, choices, name, what in (
        (claim.episode, EPISODES, "episode", "就医类型"), (claim.level, LEVELS, "level", "医院级别"),
        (claim.scope, SCOPES, "scope", "就医地范围"),
    ):
        if value not in choices:
            raise ValidationError(f"{what}（{name}）应为 {'、'.join(choices)} 之一，现在是“{value}”",
                                  field=name)
    for category in claim.categories:
        if category not in pack.categories:
            raise ValidationError(f"人员类别“{category}”不在政策包 {pack.source or pack.name} 的类别中"
                                  f"（{'、'.join(pack.categories)}）", field="categories")
    if claim.discharged < claim.admitted:
        raise ValidationError(f"出院日期 {claim.discharged} 早于入院日期 {claim.admitted}", field="discharged")
    if claim.total <= 0:
        raise ValidationError(f"医疗总费用（total）应大于0，现在是 {claim.total}", field="total")
    if not ZERO <= claim.out_of_catalogue <= claim.total:
        raise ValidationError(f"目录外费用（out_of_catalogue）应在 0 到总费用 {claim.total} 之间，"
                              f"现在是 {claim.out_of_catalogue}", field="out_of_catalogue")
    _check_fees(claim)


def _check_fees(claim: ClaimInput) -> None:
    for name, amount in claim.fees.items():
        if name not in FEE_CATEGORIES:
            raise ValidationError(f"不认识的费用类别“{name}”（可用：{'、'.join(FEE_CATEGORIES)}）",
                                  field="fees")
        if amount < 0:
            raise ValidationError(f"费用“{name}”不能为负数：{amount}", field="fees")
    if sum(claim.fees.values(), ZERO) > claim.total:
        raise ValidationError(f"分类费用（fees）合计 {sum(claim.fees.values(), ZERO)} 超过医疗总费用 "
                              f"{claim.total}", field="fees")


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WaiverResult:
    """A fee waived at the point of care: `amount` of the charged `fee` is not billed."""

    fee: str
    charged: Decimal
    ratio: Decimal
    amount: Decimal
    name: str = ""


@dataclass(frozen=True)
class LayerResult:
    """One layer's line. `base` is what the layer worked on; `deductible` the deductible that
    applied to the person and `deductible_used` the part taken in this claim; `ratio` the final
    ratio (None for bands and for 兜底); `limit` the personal ceiling (兜底 only); `rule` the
    arithmetic as a doctor reads it; `notes` why (overrides, uplifts, caps, year-to-date)."""

    name: str
    kind: str
    applies: bool
    base: Decimal
    amount: Decimal
    rule: str
    deductible: Decimal = ZERO
    deductible_used: Decimal = ZERO
    ratio: Decimal | None = None
    limit: Decimal | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settlement:
    """The whole settlement of one claim. `ratio_actual` and `target` are percentages to two
    places (90.03); `target` is None when no county target is for this person and episode, and
    then `target_met` is None (not judged); `year_to_date` includes this claim."""

    pack: PolicyPack
    claim: ClaimInput
    waivers: tuple[WaiverResult, ...]
    waived: Decimal
    policy_scope: Decimal
    out_of_catalogue: Decimal
    layers: tuple[LayerResult, ...]
    reimbursed: Decimal
    self_pay: Decimal
    ratio_actual: Decimal
    target: Decimal | None
    target_met: bool | None
    year_to_date: YearToDate

    @property
    def total(self) -> Decimal:
        return self.claim.total

    def layer(self, name: str) -> LayerResult:
        return next(line for line in self.layers if line.name == name)

    def as_prior(self, *, claim_id: str = "") -> PriorClaim:
        """This result as an earlier claim, for the year-to-date of the person's next claim."""
        return PriorClaim(
            settled_on=self.claim.date, total=self.total, self_pay=self.self_pay,
            layers=tuple(PriorLayer(x.name, x.amount, x.deductible_used, x.base)
                         for x in self.layers if x.applies),
            episode=self.claim.episode, claim_id=claim_id or self.claim.claim_id,
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; money as text ("37400.00"). `cunyi settle --history` reads it back."""
        from app.core.settlement_text import settlement_json

        return settlement_json(self)


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Left:
    """What is still unpaid: the policy-scope part and everything."""

    policy: Decimal
    all: Decimal

    def after(self, amount: Decimal) -> _Left:
        """What is left once a layer paid `amount`, taken from the policy-scope part first."""
        return _Left(self.policy - min(amount, self.policy), self.all - amount)


def settle(pack: PolicyPack, claim: ClaimInput) -> Settlement:
    """Apply the pack to the claim: waivers, then each layer in order, then the totals."""
    check_claim(pack, claim)
    if not pack.covers(claim.date):
        raise ValidationError(f"结算日期 {claim.date} 不在政策包 {pack.title} 的时期内", field="date")
    waivers = _waivers(pack, claim)
    waived = sum((w.amount for w in waivers), ZERO)
    in_scope = claim.total - claim.out_of_catalogue
    policy = in_scope - min(waived, in_scope)
    left = _Left(policy, claim.total - waived)
    out_of_catalogue = left.all - policy
    lines: list[LayerResult] = []
    for layer in pack.layers:
        line = _apply(layer, claim, left)
        lines.append(line)
        left = left.after(line.amount)
    return _finish(pack, claim, waivers, waived, policy, out_of_catalogue, tuple(lines), left.all)


def _finish(pack: PolicyPack, claim: ClaimInput, waivers: tuple[WaiverResult, ...], waived: Decimal,
            policy: Decimal, out_of_catalogue: Decimal, lines: tuple[LayerResult, ...],
            self_pay: Decimal) -> Settlement:
    ratio = fen((claim.total - self_pay) * HUNDRED / claim.total)
    goal = pack.target_for(claim.person, claim.episode)
    target = fen(goal * HUNDRED) if goal is not None else None
    result = Settlement(
        pack=pack, claim=claim, waivers=waivers, waived=waived, policy_scope=policy,
        out_of_catalogue=out_of_catalogue, layers=lines,
        reimbursed=sum((x.amount for x in lines), ZERO), self_pay=self_pay, ratio_actual=ratio,
        target=target, target_met=None if target is None else ratio >= target,
        year_to_date=claim.year_to_date,
    )
    return replace(result, year_to_date=claim.year_to_date.add(result.as_prior()))


def _waivers(pack: PolicyPack, claim: ClaimInput) -> tuple[WaiverResult, ...]:
    out = []
    for fee, charged in claim.fees.items():
        waiver = next((w for w in pack.waivers
                       if w.fee == fee and _why_not(w.conditions, claim) is None), None)
        if waiver is not None and charged > 0:
            out.append(WaiverResult(fee, charged, waiver.ratio, fen(charged * waiver.ratio), waiver.name))
    return tuple(out)


def _why_not(c: Conditions, claim: ClaimInput) -> str | None:
    """Why conditions exclude the claim, in Chinese; None when they do not."""
    person = claim.person
    if c.categories and not person & c.categories:
        return f"仅限{'、'.join(sorted(c.categories))}"
    if person & c.exclude_categories:
        return f"不含{'、'.join(sorted(person & c.exclude_categories))}"
    for values, value, what in ((c.episodes, claim.episode, ""), (c.levels, claim.level, "医院"),
                                (c.scopes, claim.scope, "就医")):
        if values and value not in values:
            return f"仅限{'、'.join(sorted(values))}{what}"
    if c.diseases and not _has_disease(c.diseases, claim):
        shown = "、".join(c.diseases[:5]) + (f"等{len(c.diseases)}种" if len(c.diseases) > 5 else "")
        return f"仅限病种：{shown}"
    return None


def _has_disease(diseases: tuple[str, ...], claim: ClaimInput) -> bool:
    code = claim.disease.strip().upper()
    return any((code and code.startswith(d.upper())) or (d and d in claim.diagnosis) for d in diseases)


def _apply(layer: Layer, claim: ClaimInput, left: _Left) -> LayerResult:
    base = left.policy if layer.base == "政策范围内" else left.all
    reason = _why_not(layer.conditions, claim)
    if reason is not None:
        return LayerResult(layer.name, layer.kind, False, base, ZERO, f"不适用：{reason}")
    if layer.kind == "兜底":
        return _ceiling(layer, claim, base, left.all)
    return _ratio(layer, claim, base)


def _deductible(layer: Layer, claim: ClaimInput) -> tuple[Decimal, list[str]]:
    rate = layer.hospital_rate(claim.level, claim.scope)
    normal = rate.deductible if rate is not None and rate.deductible is not None else layer.deductible
    overrides = layer.deductible_by_category
    amount, category = min((overrides[c].apply(normal) if c in overrides else normal, c)
                           for c in claim.person)
    if amount == normal:
        return normal, []
    return amount, [f"{category}起付线 {yuan(amount)}（一般 {yuan(normal)}）"]


def _adjustment(layer: Layer, claim: ClaimInput) -> tuple[Decimal, list[str]]:
    """Percentage points added to the ratio: the largest uplift, less an unreferred penalty."""
    notes = []
    points, category = max((layer.uplift.get(c, Decimal(0)), c) for c in claim.person)
    if points:
        change = "提高" if points > 0 else "降低"
        notes.append(f"{category}{change}{abs(points).normalize():f}个百分点")
    if (layer.unreferred_penalty and not claim.referred and claim.scope in layer.referral_scopes):
        points -= layer.unreferred_penalty
        notes.append(f"{claim.scope}就医未转诊，降低{layer.unreferred_penalty.normalize():f}个百分点")
    return points, notes


def _clamped(ratio: Decimal, points: Decimal) -> Decimal:
    return min(Decimal(1), max(Decimal(0), ratio + points / HUNDRED))


def _ratio(layer: Layer, claim: ClaimInput, base: Decimal) -> LayerResult:
    deductible, notes = _deductible(layer, claim)
    ytd = claim.year_to_date.layer(layer.name)
    still = deductible
    if layer.deductible_per == "每年" and deductible:
        still = max(ZERO, deductible - ytd.deductible_used)
        if ytd.deductible_used:
            notes.append(f"年度起付线 {yuan(deductible)}，本年此前已扣 {yuan(ytd.deductible_used)}，"
                         + (f"尚余 {yuan(still)}" if still else "已扣满"))
    used = min(base, still)
    above = base - used
    points, why = _adjustment(layer, claim)
    label = "起付线" if used == deductible else "本年尚余起付线"
    start = f"({yuan(base)} − {label} {yuan(used)})" if used else yuan(base)
    if layer.bands:
        offset = ytd.above if layer.bands_per == "每年" else ZERO
        raw, expr = _banded(layer.bands, offset, above, points)
        if why:
            notes.append(f"各段比例：{'，'.join(why)}")
        if offset:
            notes.append(f"本年起付线以上此前已累计 {yuan(offset)}，接着分段计算")
        rule = f"{start} = {yuan(above)}，分段：{expr}" if used else f"分段：{expr}"
        ratio = None
    else:
        rate = layer.hospital_rate(claim.level, claim.scope)
        normal = rate.ratio if rate is not None and rate.ratio is not None else layer.ratio
        ratio = _clamped(normal or Decimal(0), points)
        if why:
            notes.append(f"比例 {percent(normal or Decimal(0))}，{'，'.join(why)}，为 {percent(ratio)}")
        raw, rule = above * ratio, f"{start} × {percent(ratio)}"
    amount = fen(raw)
    rule = f"{rule} = {yuan(amount)}"
    if not above:
        rule = _nothing_above(layer, base, deductible, still)
    amount, rule = _capped(layer, claim, amount, rule, ytd, notes)
    return LayerResult(layer.name, layer.kind, True, base, amount, rule, deductible, used, ratio,
                       notes=tuple(notes))


def _nothing_above(layer: Layer, base: Decimal, deductible: Decimal, still: Decimal) -> str:
    """Why a layer pays nothing when its base does not pass the deductible, in words: the base,
    the deductible it falls short of (what remains of a yearly one) and what is counted now."""
    if not base:
        return "基数为 0.00（无可报销的费用），本层不报销"
    yearly = layer.deductible_per == "每年"
    if still < deductible:
        what = f"本年尚余起付线 {yuan(still)}"
    else:
        what = f"{'年度' if yearly else ''}起付线 {yuan(deductible)}"
    verdict = "刚好等于" if base == still else "未达"
    text = f"基数 {yuan(base)} {verdict}{what}，本层不报销"
    if yearly:
        left = still - base
        text += f"；本次计入起付线 {yuan(base)}，" + (f"本年起付线尚余 {yuan(left)}" if left else "本年起付线已扣满")
    return text


def _banded(bands: tuple[Band, ...], offset: Decimal, above: Decimal,
            points: Decimal) -> tuple[Decimal, str]:
    """The progressive amount for `above`, whose slices start at `offset` within the bands."""
    total, parts = Decimal(0), []
    start, end = offset, offset + above
    for band in bands:
        lo = max(start, band.lower)
        hi = end if band.upper is None else min(end, band.upper)
        if hi > lo:
            ratio = _clamped(band.ratio, points)
            total += (hi - lo) * ratio
            parts.append(f"{yuan(hi - lo)} × {percent(ratio)}")
    return total, " + ".join(parts) or f"{yuan(ZERO)}"


def _capped(layer: Layer, claim: ClaimInput, amount: Decimal, rule: str, ytd: LayerTotals,
            notes: list[str]) -> tuple[Decimal, str]:
    if layer.cap is None:
        return amount, rule
    if claim.person & layer.cap_exempt:
        notes.append(f"{'、'.join(sorted(claim.person & layer.cap_exempt))}不设封顶线")
        return amount, rule
    room = max(ZERO, layer.cap - ytd.paid)
    if amount <= room:
        return amount, rule
    notes.append(f"年度封顶线 {yuan(layer.cap)}，本年此前已付 {yuan(ytd.paid)}，还可付 {yuan(room)}")
    if not room:
        return room, f"{rule}；但本年已付满年度封顶线 {yuan(layer.cap)}，本次支付 0.00"
    return room, f"{rule}；年度封顶线 {yuan(layer.cap)} 只剩 {yuan(room)}，本次支付 {yuan(room)}"


def _ceiling(layer: Layer, claim: ClaimInput, base: Decimal, personal: Decimal) -> LayerResult:
    limits, notes = [], []
    yearly = layer.ceiling_by_scope.get(claim.scope)
    if yearly is not None:
        before = claim.year_to_date.self_pay_in(layer.conditions.episodes)
        limits.append(max(ZERO, yearly - before))
        notes.append(f"{claim.scope}年度个人自付上限 {yuan(yearly)}" +
                     (f"，本年此前已自付 {yuan(before)}" if before else ""))
    if layer.ceiling_share is not None:
        limits.append(fen(claim.total * layer.ceiling_share))
        notes.append(f"个人自付不超过总费用的 {percent(layer.ceiling_share)}：{yuan(limits[-1])}")
    if not limits:
        return LayerResult(layer.name, layer.kind, False, base, ZERO,
                           f"不适用：{claim.scope}就医没有个人自付上限")
    limit = min(limits)
    # A yearly ceiling partly used by earlier claims is named as what is left of it.
    label = "本年尚余上限" if yearly is not None and limit == limits[0] and limit < yearly else "上限"
    if personal <= limit:
        return LayerResult(layer.name, layer.kind, True, base, ZERO,
                           f"个人负担 {yuan(personal)} 未超过{label} {yuan(limit)}，无需兜底",
                           limit=limit, notes=tuple(notes))
    excess = personal - limit
    rule = f"个人负担 {yuan(personal)} − {label} {yuan(limit)} = {yuan(excess)}"
    if excess > base:
        rule += f"，只兜底政策范围内的剩余 {yuan(base)}"
    return LayerResult(layer.name, layer.kind, True, base, min(excess, base), rule,
                       limit=limit, notes=tuple(notes))
