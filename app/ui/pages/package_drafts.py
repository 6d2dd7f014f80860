"""The text of one service package as typed in 设置 › 服务包, and its check field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.core.contracts import PACKAGE_TIERS, ServicePackage, money
from app.core.errors import ValidationError
from app.storage.packages import package_from_dict, package_to_dict

FIELDS = ("code", "name", "tier", "price", "split", "services", "age", "diagnoses", "groups")


@dataclass
class Draft:
    """One package as typed: every value is the text in its field."""

    code: str = ""
    name: str = ""
    tier: str = PACKAGE_TIERS[1]
    price: str = ""
    split: dict[str, str] = field(default_factory=dict)
    services: list[tuple[str, str]] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    age_min: str = ""
    age_max: str = ""


def draft_of(p: ServicePackage) -> Draft:
    """The form's text for a package."""
    d = package_to_dict(p)
    c = p.conditions
    return Draft(p.code, p.name, p.tier, d["price"], dict(d["split"]),
                 [(s.name, str(s.per_year)) for s in p.services], list(c.diagnoses), list(c.groups),
                 "" if c.age_min is None else str(c.age_min), "" if c.age_max is None else str(c.age_max))


def check_draft(d: Draft, other_codes: set[str]) -> tuple[ServicePackage | None, dict[str, str]]:
    """The package a draft makes, or None, and a message per field that is wrong."""
    errors: dict[str, str] = {}
    if d.code.strip() and d.code.strip() in other_codes:
        errors["code"] = f"代码“{d.code.strip()}”已被另一个服务包使用"
    price = None
    try:
        price = money(d.price or "", what="价格")
    except ValidationError as exc:
        errors["price"] = "请填写价格（元，如 30.00）" if not d.price.strip() else str(exc)
    shares: dict[str, Decimal] = {}
    for payer, text in d.split.items():
        if text.strip():
            try:
                shares[payer] = money(text, what=payer)
            except ValidationError as exc:
                errors["split"] = str(exc)
    if price is not None and "split" not in errors:
        total = sum(shares.values(), Decimal("0.00"))
        if total != price:
            errors["split"] = f"各付费方合计 {total} 元，应等于价格 {price} 元"
    services: list[dict[str, object]] = []
    for name, per_year in d.services:
        if not name.strip() and not per_year.strip():
            continue
        text = per_year.strip() or "0"
        if not text.isdigit():
            errors["services"] = f"“{name.strip() or '?'}”的每年次数应为整数（0 表示按需）"
        services.append({"name": name.strip(), "per_year": int(text) if text.isdigit() else 0})
    ages: dict[str, int] = {}
    for key, text, what in (("age_min", d.age_min, "最小年龄"), ("age_max", d.age_max, "最大年龄")):
        if text.strip():
            if text.strip().isdigit():
                ages[key] = int(text.strip())
            else:
                errors["age"] = f"{what}应为整数岁，不限请留空"
    if errors:
        return None, errors
    conditions: dict[str, object] = {"diagnoses": d.diagnoses, "groups": d.groups, **ages}
    data = {"code": d.code.strip(), "name": d.name.strip(), "tier": d.tier, "price": d.price,
            "split": {k: v for k, v in d.split.items() if v.strip()}, "services": services,
            "conditions": conditions}
    try:
        return package_from_dict(data), {}
    except ValidationError as exc:
        key = exc.field if exc.field in FIELDS else "code"
        return None, {key: str(exc)}


def is_money(text: str) -> bool:
    """Whether a text is an amount of money."""
    try:
        money(text)
    except ValidationError:
        return False
    return True
