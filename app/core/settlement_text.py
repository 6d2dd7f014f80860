"""Settlements as data and as text: the JSON shape, claims and earlier claims read from JSON
objects, and the line-by-line Chinese explanation a doctor reads.

The JSON formats are documented in docs/policy.md. Money is text ("37400.00") or a whole number;
a float is refused so that no binary fraction ever touches money.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.core.errors import ValidationError
from app.core.limits import check_date, check_money
from app.core.policy import CATEGORIES, category_name
from app.core.policy_targets import target_people
from app.core.settlement import (
    ClaimInput,
    PriorClaim,
    PriorLayer,
    YearToDate,
    fraction_text,
    percent,
    yuan,
)

if TYPE_CHECKING:
    from app.core.settlement import LayerResult, Settlement

CLAIM_KEYS = ("claim_id", "county", "categories", "episode", "level", "scope", "referred", "admitted",
              "discharged", "date", "diagnosis", "disease", "total", "out_of_catalogue", "fees")


# --- reading ------------------------------------------------------------------------------


def _money(value: Any, what: str) -> Decimal:
    return check_money(value, what, field=what)


def _date(value: Any, what: str) -> dt.date:
    try:
        return check_date(dt.date.fromisoformat(str(value)[:40]), what, field=what)
    except ValueError:
        raise ValidationError(f"{what}应写成 YYYY-MM-DD，现在是 {value!r}", field=what) from None


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(f"{where}缺少 {key}（文字）", field=key)
    return value.strip()


def claim_from_json(data: Any, *, where: str = "", ytd: YearToDate | None = None,
                    categories: Sequence[str] = CATEGORIES) -> ClaimInput:
    """A claim from its JSON object (see docs/policy.md); messages start with `where`.
    `categories` are the person categories known (a pack's `categories`, with its extras)."""
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}应为一个JSON对象 {{ … }}")
    for key in data:
        if key not in CLAIM_KEYS:
            raise ValidationError(f"{where}不认识的字段“{key}”（可用：{'、'.join(CLAIM_KEYS)}）", field=key)
    for key in ("episode", "level", "scope", "total"):
        if key not in data:
            raise ValidationError(f"{where}缺少 {key}", field=key)
    admitted = data.get("admitted", data.get("date"))
    discharged = data.get("discharged", data.get("date", admitted))
    if admitted is None:
        raise ValidationError(f"{where}缺少日期：住院写 admitted 和 discharged，门诊写 date", field="date")
    people = data.get("categories", [])
    if not isinstance(people, list):
        raise ValidationError(f"{where}categories 应为列表，如 [\"建档立卡\", \"低保\"]", field="categories")
    fees = data.get("fees", {})
    if not isinstance(fees, Mapping):
        raise ValidationError(f"{where}fees 应为对象，如 {{\"床位费\": \"300.00\"}}", field="fees")
    return ClaimInput(
        episode=_text(data, "episode", where), level=_text(data, "level", where),
        scope=_text(data, "scope", where),
        admitted=_date(admitted, f"{where}admitted"), discharged=_date(discharged, f"{where}discharged"),
        total=_money(data["total"], f"{where}total"),
        out_of_catalogue=_money(data.get("out_of_catalogue", 0), f"{where}out_of_catalogue"),
        categories=frozenset(category_name(c, known=categories) for c in people),
        referred=bool(data.get("referred", False)),
        fees={str(k): _money(v, f"{where}fees.{k}") for k, v in fees.items()},
        diagnosis=_text(data, "diagnosis", where, required=False),
        disease=_text(data, "disease", where, required=False),
        year_to_date=ytd or YearToDate(), claim_id=_text(data, "claim_id", where, required=False),
    )


def prior_from_json(data: Any, *, where: str = "") -> PriorClaim:
    """An earlier claim from its JSON object: the output of `cunyi settle --json`, or the same
    keys typed from a hospital slip (date, total, self_pay, episode, layers)."""
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}应为一个JSON对象 {{ … }}")
    for key in ("date", "total", "self_pay"):
        if key not in data:
            raise ValidationError(f"{where}缺少 {key}", field=key)
    layers = data.get("layers", [])
    if not isinstance(layers, list) or not all(isinstance(x, Mapping) for x in layers):
        raise ValidationError(f"{where}layers 应为对象的列表", field="layers")
    return PriorClaim(
        settled_on=_date(data["date"], f"{where}date"), total=_money(data["total"], f"{where}total"),
        self_pay=_money(data["self_pay"], f"{where}self_pay"),
        layers=tuple(_prior_layer(x, f"{where}layers[{i + 1}].") for i, x in enumerate(layers)
                     if x.get("applies", True)),
        episode=str(data.get("episode", "住院")), claim_id=str(data.get("claim_id", "")),
        reversed=bool(data.get("reversed", False)), reverses=str(data.get("reverses", "")),
    )


def _prior_layer(data: Mapping[str, Any], where: str) -> PriorLayer:
    return PriorLayer(
        name=_text(data, "name", where), amount=_money(data.get("amount", 0), f"{where}amount"),
        deductible_used=_money(data.get("deductible_used", 0), f"{where}deductible_used"),
        base=_money(data.get("base", 0), f"{where}base"),
    )


def priors_from_json(data: Any, *, where: str = "") -> list[PriorClaim]:
    """Earlier claims from a JSON list, or an object with a "claims" list."""
    items = data.get("claims") if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise ValidationError(f"{where}应为结算结果的列表 [ … ]，或 {{\"claims\": [ … ]}}")
    return [prior_from_json(x, where=f"{where}第{i + 1}条：") for i, x in enumerate(items)]


# --- writing ------------------------------------------------------------------------------


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _layer_json(x: LayerResult) -> dict[str, Any]:
    return {
        "name": x.name, "kind": x.kind, "applies": x.applies, "base": str(x.base),
        "deductible": str(x.deductible), "deductible_used": str(x.deductible_used),
        "ratio": None if x.ratio is None else fraction_text(x.ratio), "limit": _opt(x.limit),
        "amount": str(x.amount), "rule": x.rule, "notes": list(x.notes),
    }


def ytd_json(y: YearToDate) -> dict[str, Any]:
    return {
        "year": y.year, "claims": y.claims, "inpatient_stays": y.inpatient_stays,
        "total": str(y.total), "reimbursed": str(y.reimbursed), "self_pay": str(y.self_pay),
        "layers": {name: {"deductible_used": str(t.deductible_used), "paid": str(t.paid)}
                   for name, t in y.layers.items()},
    }


def settlement_json(s: Settlement) -> dict[str, Any]:
    """The JSON-ready dict of a settlement (see Settlement.to_json)."""
    c, p = s.claim, s.pack
    return {
        "claim_id": c.claim_id, "date": c.date.isoformat(), "episode": c.episode, "level": c.level,
        "scope": c.scope, "referred": c.referred, "categories": sorted(c.categories),
        "admitted": c.admitted.isoformat(), "discharged": c.discharged.isoformat(),
        "pack": {"name": p.name, "county": p.county, "version": p.version, "source": p.source,
                 "example": p.example, "valid_from": p.valid_from.isoformat(),
                 "valid_to": p.valid_to.isoformat()},
        "total": str(s.total), "out_of_catalogue": str(s.out_of_catalogue),
        "policy_scope": str(s.policy_scope), "waived": str(s.waived),
        "waivers": [{"fee": w.fee, "name": w.name, "charged": str(w.charged),
                     "ratio": fraction_text(w.ratio), "amount": str(w.amount)} for w in s.waivers],
        "layers": [_layer_json(x) for x in s.layers],
        "reimbursed": str(s.reimbursed), "self_pay": str(s.self_pay),
        "ratio_actual": str(s.ratio_actual), "target": _opt(s.target), "target_met": s.target_met,
        "year_to_date": ytd_json(s.year_to_date),
    }


def explain(s: Settlement) -> list[str]:
    """The settlement line by line, in Chinese, as `cunyi settle` prints it."""
    c = s.claim
    who = "、".join(x for x in s.pack.categories if x in c.categories) or "普通"
    referral = "已转诊" if c.referred else "未转诊"
    lines = [
        f"政策包：{s.pack.title}",
        f"{c.episode}　{c.level}医院　{c.scope}　{referral}　人员类别：{who}　{c.admitted} 至 {c.discharged}",
        f"医疗总费用 {yuan(s.total)}，其中目录外 {yuan(c.out_of_catalogue)}，"
        f"政策范围内 {yuan(c.total - c.out_of_catalogue)}",
    ]
    for w in s.waivers:
        label = f"（{w.name}）" if w.name else ""
        lines.append(f"减免{label}：{w.fee} {yuan(w.charged)} × {percent(w.ratio)} = {yuan(w.amount)}")
    if s.waived:
        lines.append(f"减免后：政策范围内 {yuan(s.policy_scope)}，目录外 {yuan(s.out_of_catalogue)}")
    for i, x in enumerate(s.layers, start=1):
        lines.append(f"{i}. {x.name}：{x.rule}")
        lines += [f"   {note}" for note in x.notes]
    lines.append(f"报销合计 {yuan(s.reimbursed)}" + (f"，减免 {yuan(s.waived)}" if s.waived else "")
                 + f"，个人自付 {yuan(s.self_pay)}")
    lines.append(f"实际报销比例 {s.ratio_actual}%" + _target_text(s))
    y = s.year_to_date
    lines.append(f"本年累计（含本次）：{y.claims} 次就医（住院 {y.inpatient_stays} 次），"
                 f"报销 {yuan(y.reimbursed)}，个人自付 {yuan(y.self_pay)}")
    if s.pack.example:
        lines.append("注意：所用政策包是示例数值，并非任何县的正式标准。")
    lines.append("（按政策包估算，以医疗机构的结算单为准。）")
    return lines


def _target_text(s: Settlement) -> str:
    if s.target is None:
        return f"（{no_target_reason(s)}）"
    return f"（目标 {s.target.normalize():f}%，{'达标' if s.target_met else '未达标'}）"



def no_target_reason(s: Settlement) -> str:
    """Why a settlement is not judged against a county target: none for the episode kind, or
    none for this person's categories (the target is for poor and monitored people)."""
    people = target_people(s.pack.targets, s.claim.episode)
    if not people:
        return f"政策包未定{s.claim.episode}的目标"
    who = "、".join(x for x in s.pack.categories if x in s.claim.person) or "普通"
    return f"县定目标只针对{'、'.join(people)}，{who}人员不适用"
