"""Medical claims (就医结算): the recorded fact of one episode, its checks, and the slip-versus-
estimate comparison.

A `Claim` is append-only. It is either typed from the hospital's settlement slip (`source`
结算单, with each payer's amount as printed in `paid`, by layer name) or an estimate made before
the patient goes (`source` 预估, no amounts). A reversal (冲账) is a new `Claim` whose `reverses`
names the cancelled one, with a reason; nothing is ever overwritten.

The engine (app.core.settlement) settles a claim against the county pack; `compare` puts that
estimate beside what the slip says, layer by layer, and flags any difference above a tolerance.
`person_categories` turns a household's poverty status and a person's assistance categories into
the engine's person categories (人员类别).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType

from app.core.errors import ValidationError
from app.core.ids import RecordId
from app.core.limits import check_money, check_text
from app.core.policy import CATEGORIES, EPISODES, FEE_CATEGORIES, LEVELS, SCOPES, category_name
from app.core.settlement import (
    ClaimInput,
    PriorClaim,
    PriorLayer,
    Settlement,
    YearToDate,
    fen,
    yuan,
)
from app.core.text import clean

ZERO = Decimal("0.00")
SOURCES: tuple[str, ...] = ("结算单", "预估")
SLIP, ESTIMATE = SOURCES
DEFAULT_TOLERANCE = Decimal("0.01")
SELF_PAY = "个人自付"
# A person with a disability of these grades is in the county category 重度残疾 when the pack has it.
SEVERE_DISABILITY = "重度残疾"
SEVERE_GRADES = frozenset({"一级", "二级"})


def money(value: object, what: str, name: str, *, positive: bool = False) -> Decimal:
    """An amount in 元: not negative, at most two decimals, within MONEY_MAX; floats refused."""
    return check_money(value, what, field=name, positive=positive)


@dataclass(frozen=True)
class Claim:
    """One medical episode as recorded: an inpatient stay, an outpatient or a chronic-outpatient
    (门诊慢特病) settlement. Amounts in 元 (Decimal, to the fen).

    `paid` is each payer's amount as printed on the hospital's slip, keyed by the pack's layer
    name; `self_pay` the slip's 个人自付. Both are empty for an estimate (`source` 预估).
    `categories` are the person's categories at the time (None: derived from the file when stored).
    `county` names the policy pack's county (filled in from the pack chosen when stored).
    A reversal row has `reverses` (the cancelled claim's id) and a `reason`."""

    person_id: str
    episode: str
    level: str
    scope: str
    admitted: dt.date
    discharged: dt.date
    total: Decimal
    hospital: str = ""
    out_of_catalogue: Decimal = ZERO
    referred: bool = False
    diagnosis: str = ""
    disease: str = ""
    fees: Mapping[str, Decimal] = field(default_factory=dict)
    paid: Mapping[str, Decimal] = field(default_factory=dict)
    self_pay: Decimal | None = None
    source: str = SLIP
    settlement_no: str = ""
    categories: tuple[str, ...] | None = None
    county: str = ""
    note: str = ""
    entered_by: str = ""
    reverses: str | None = None
    reason: str = ""
    id: RecordId | None = None

    @property
    def date(self) -> dt.date:
        """The settlement date (the discharge date; the visit date for outpatient claims)."""
        return self.discharged

    @property
    def year(self) -> int:
        return self.discharged.year

    @property
    def days(self) -> int:
        """Days in hospital as slips count them: discharge − admission, at least 1."""
        return max(1, (self.discharged - self.admitted).days)

    @property
    def is_estimate(self) -> bool:
        return self.source == ESTIMATE

    @property
    def is_reversal(self) -> bool:
        return bool(self.reverses)

    @property
    def has_slip_amounts(self) -> bool:
        return bool(self.paid) or self.self_pay is not None

    def engine_input(self, *, year_to_date: YearToDate | None = None) -> ClaimInput:
        """The claim as the settlement engine takes it."""
        return ClaimInput(
            episode=self.episode, level=self.level, scope=self.scope, admitted=self.admitted,
            discharged=self.discharged, total=self.total, out_of_catalogue=self.out_of_catalogue,
            categories=frozenset(c for c in self.categories or () if c != "普通"),
            referred=self.referred, fees=dict(self.fees), diagnosis=self.diagnosis,
            disease=self.disease, year_to_date=year_to_date or YearToDate(),
            claim_id=str(self.id or ""),
        )


def check_claim(c: Claim, *, today: dt.date, known_categories: Sequence[str] = CATEGORIES) -> Claim:
    """Validate a claim before it is stored or estimated; return it with text tidied and money
    to the fen. Every error names the field."""
    for value, choices, name, what in (
        (c.episode, EPISODES, "episode", "就医类型"), (c.level, LEVELS, "level", "医院级别"),
        (c.scope, SCOPES, "scope", "就医地范围"), (c.source, SOURCES, "source", "来源"),
    ):
        if value not in choices:
            raise ValidationError(f"{what}应为 {'、'.join(choices)} 之一，现在是“{value}”", field=name)
    if not c.person_id:
        raise ValidationError("请选择就医的居民", field="person_id")
    hospital = check_text(c.hospital, "医疗机构名称", "line", field="hospital")
    if c.source == SLIP and not hospital:
        raise ValidationError("请填写医疗机构名称（结算单上的医院）", field="hospital")
    if c.discharged < c.admitted:
        what = "出院日期" if c.episode == "住院" else "结算日期"
        raise ValidationError(f"{what} {c.discharged} 早于入院（就诊）日期 {c.admitted}", field="discharged")
    if c.source == SLIP and c.discharged > today:
        raise ValidationError(f"结算单的出院（结算）日期 {c.discharged} 在今天之后；"
                              "还没去就医请记为预估", field="discharged")
    total = money(c.total, "医疗总费用", "total", positive=True)
    outside = money(c.out_of_catalogue, "目录外费用", "out_of_catalogue")
    if outside > total:
        raise ValidationError(f"目录外费用 {yuan(outside)} 超过医疗总费用 {yuan(total)}",
                              field="out_of_catalogue")
    fees = _fees(c.fees, total)
    paid, self_pay = _slip(c, total)
    categories = None
    if c.categories is not None:
        categories = tuple(dict.fromkeys(category_name(x, known=known_categories) for x in c.categories))
    reason = check_text(c.reason, "冲账原因", "line", field="reason")
    if c.reverses and not reason:
        raise ValidationError("冲账须写明原因", field="reason")
    return replace(
        c, hospital=hospital, total=total, out_of_catalogue=outside, fees=MappingProxyType(fees),
        paid=MappingProxyType(paid), self_pay=self_pay, categories=categories,
        diagnosis=check_text(c.diagnosis, "诊断", "line", field="diagnosis"),
        disease=check_text(c.disease, "大病病种代码", "short", field="disease").upper(),
        settlement_no=check_text(c.settlement_no, "结算单号", "short", field="settlement_no"),
        note=check_text(c.note, "备注", "note", field="note"), reason=reason,
    )


def _fees(fees: Mapping[str, object], total: Decimal) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for name, amount in fees.items():
        if name not in FEE_CATEGORIES:
            raise ValidationError(f"不认识的费用类别“{name}”（可用：{'、'.join(FEE_CATEGORIES)}）",
                                  field="fees")
        out[name] = money(amount, f"费用“{name}”", "fees")
    if sum(out.values(), ZERO) > total:
        raise ValidationError(f"分类费用合计 {yuan(sum(out.values(), ZERO))} 超过医疗总费用 {yuan(total)}",
                              field="fees")
    return out


def _slip(c: Claim, total: Decimal) -> tuple[dict[str, Decimal], Decimal | None]:
    if c.source == ESTIMATE and (c.paid or c.self_pay is not None):
        raise ValidationError("预估不应填写结算单上的报销金额；已结算的请记为结算单", field="paid")
    paid: dict[str, Decimal] = {}
    for name, amount in c.paid.items():
        if not clean(name):
            raise ValidationError("结算单上每一项报销都要写明是哪一层（如 基本医保）", field="paid")
        paid[clean(name)] = money(amount, f"结算单上的“{name}”", "paid")
    if sum(paid.values(), ZERO) > total:
        raise ValidationError(f"结算单上各项报销合计 {yuan(sum(paid.values(), ZERO))} 超过医疗总费用 "
                              f"{yuan(total)}", field="paid")
    self_pay = None if c.self_pay is None else money(c.self_pay, "结算单上的个人自付", "self_pay")
    if self_pay is not None and self_pay + sum(paid.values(), ZERO) > total:
        raise ValidationError(f"结算单上的报销合计加个人自付 {yuan(self_pay + sum(paid.values(), ZERO))} "
                              f"超过医疗总费用 {yuan(total)}", field="self_pay")
    return paid, self_pay


# --- the person's categories ----------------------------------------------------------------


def person_categories(poverty_status: str, assistance: Iterable[str] = (),
                      disability_grade: str = "", *,
                      known: Sequence[str] = (*CATEGORIES, SEVERE_DISABILITY)) -> tuple[str, ...]:
    """The engine's person categories from the household's poverty status (a code of
    households.POVERTY_STATUSES), the person's assistance categories (people.ASSISTANCE) and a
    disability grade. Only categories in `known` are kept; none left means ("普通",)."""
    found: list[str] = []
    if poverty_status and poverty_status != "general":
        found.append(category_name(poverty_status))
    for item in assistance:
        if item in ("低保", "特困"):
            found.append(item)
        elif item == "残疾" and disability_grade in SEVERE_GRADES:
            found.append(SEVERE_DISABILITY)
    kept = [c for c in dict.fromkeys(found) if c in known and c != "普通"]
    return tuple(kept) or ("普通",)


# --- slip versus estimate ---------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCheck:
    """One payer (or 个人自付) line: the engine's estimate beside the slip's amount."""

    name: str
    estimate: Decimal
    slip: Decimal | None
    difference: Decimal | None
    flagged: bool


def compare(s: Settlement, claim: Claim, *, tolerance: Decimal = DEFAULT_TOLERANCE) -> list[LayerCheck]:
    """Each layer's estimate beside the slip (slip − estimate), flagged when the difference is above
    the tolerance; layers the slip names that the pack lacks and the 个人自付 line follow. Empty when
    the claim carries no slip amounts."""
    if not claim.has_slip_amounts:
        return []
    out = []
    paid = dict(claim.paid)
    listed = bool(paid)
    for line in s.layers:
        slip = paid.pop(line.name, ZERO if listed else None)
        out.append(_check(line.name, line.amount, slip, tolerance))
    for name, amount in paid.items():
        out.append(_check(name, ZERO, amount, tolerance))
    if claim.self_pay is not None:
        out.append(_check(SELF_PAY, s.self_pay, claim.self_pay, tolerance))
    return out


def _check(name: str, estimate: Decimal, slip: Decimal | None, tolerance: Decimal) -> LayerCheck:
    if slip is None:
        return LayerCheck(name, estimate, None, None, False)
    diff = slip - estimate
    return LayerCheck(name, estimate, slip, diff, abs(diff) > tolerance)


def tolerance_from(text: str) -> Decimal:
    """The comparison tolerance from its setting text (元); the default when empty."""
    if not text.strip():
        return DEFAULT_TOLERANCE
    return money(text, "核对容差（claim_tolerance）", "claim_tolerance")


# --- what counts for the year -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a claim settled to, as the year's sums count it: the slip's amounts where the claim
    has them (the hospital's settlement is authoritative), else the engine's estimate."""

    layers: Mapping[str, Decimal]
    reimbursed: Decimal
    self_pay: Decimal
    from_slip: bool


def outcome(s: Settlement, claim: Claim) -> Outcome:
    """The amounts that stand for this claim."""
    if not claim.paid and claim.self_pay is None:
        return Outcome(MappingProxyType({x.name: x.amount for x in s.layers if x.applies}),
                       s.reimbursed, s.self_pay, False)
    layers = dict(claim.paid) if claim.paid else {x.name: x.amount for x in s.layers if x.applies}
    reimbursed = sum(layers.values(), ZERO)
    self_pay = claim.self_pay if claim.self_pay is not None else max(ZERO, s.total - s.waived - reimbursed)
    return Outcome(MappingProxyType(layers), reimbursed, self_pay, True)


def as_prior(s: Settlement, claim: Claim) -> PriorClaim:
    """The claim as an earlier claim of the year for the next one: the amounts that stand (slip or
    estimate), with the deductible used and the base from the engine."""
    result = outcome(s, claim)
    engine = {x.name: x for x in s.layers if x.applies}
    layers = []
    for name, amount in result.layers.items():
        line = engine.get(name)
        layers.append(PriorLayer(name, amount, line.deductible_used if line else ZERO,
                                 line.base if line else ZERO))
    return PriorClaim(settled_on=claim.date, total=claim.total, self_pay=result.self_pay,
                      layers=tuple(layers), episode=claim.episode, claim_id=str(claim.id or ""))


def ratio_actual(total: Decimal, self_pay: Decimal) -> Decimal:
    """实际报销比例 in percent to two places: (total − self-pay) / total."""
    return fen((total - self_pay) * 100 / total) if total else ZERO
