"""Claims as JSON: reading a claim typed from a hospital slip (`cunyi claims add --from`), and the
record and its slip-versus-estimate comparison written out (`--json`). Money is text with two
decimals ("37400.00"); a JSON number is read as an exact decimal, never a binary fraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.core.claims import SLIP, Claim, LayerCheck, money
from app.core.errors import ValidationError
from app.core.limits import check_date

CLAIM_FILE_KEYS = (
    "source", "episode", "hospital", "level", "scope", "referred", "admitted", "discharged", "date",
    "diagnosis", "disease", "total", "out_of_catalogue", "fees", "paid", "self_pay",
    "settlement_no", "categories", "county", "note",
)
NAMES = {"total": "医疗总费用", "out_of_catalogue": "目录外费用", "self_pay": "个人自付"}


def _date(value: Any, key: str, where: str) -> dt.date:
    try:
        return check_date(dt.date.fromisoformat(str(value).strip()[:40]), f"{where}{key}", field=key)
    except ValueError:
        raise ValidationError(f"{where}{key} 应写成 YYYY-MM-DD（如 2024-03-01），现在是 {str(value)[:40]!r}",
                              field=key) from None


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValidationError(f"{where}{key} 应为文字，现在是 {value!r}", field=key)
    return value


def _amounts(data: Mapping[str, Any], key: str, where: str) -> dict[str, Decimal]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValidationError(f"{where}{key} 应为对象，如 {{\"基本医保\": \"37400.00\"}}", field=key)
    return {str(k): money(v, f"{where}{key}.{k}", key) for k, v in value.items()}


def claim_from_json(data: Any, *, person_id: str, where: str = "") -> Claim:
    """A claim from its JSON object (keys in CLAIM_FILE_KEYS; see docs/claims.md). Messages start
    with `where` and name the key; the full checks are `check_claim`'s."""
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}应为一个JSON对象 {{ … }}")
    for key in data:
        if key not in CLAIM_FILE_KEYS:
            raise ValidationError(f"{where}不认识的字段“{key}”（可用：{'、'.join(CLAIM_FILE_KEYS)}）",
                                  field=str(key))
    for key in ("episode", "level", "scope", "total"):
        if key not in data:
            raise ValidationError(f"{where}缺少 {key}", field=key)
    admitted = data.get("admitted", data.get("date"))
    discharged = data.get("discharged", data.get("date", admitted))
    if admitted is None:
        raise ValidationError(f"{where}缺少日期：住院写 admitted 和 discharged，门诊写 date", field="admitted")
    categories = data.get("categories")
    if categories is not None and (not isinstance(categories, list)
                                   or not all(isinstance(c, str) for c in categories)):
        raise ValidationError(f"{where}categories 应为文字的列表，如 [\"建档立卡\"]", field="categories")
    referred = data.get("referred", False)
    if not isinstance(referred, bool):
        raise ValidationError(f"{where}referred 应为 true 或 false", field="referred")
    self_pay = data.get("self_pay")
    return Claim(
        person_id=person_id, source=_text(data, "source", where) or SLIP,
        episode=_text(data, "episode", where), hospital=_text(data, "hospital", where),
        level=_text(data, "level", where), scope=_text(data, "scope", where), referred=referred,
        admitted=_date(admitted, "admitted", where), discharged=_date(discharged, "discharged", where),
        diagnosis=_text(data, "diagnosis", where), disease=_text(data, "disease", where),
        total=money(data["total"], f"{where}total（医疗总费用）", "total"),
        out_of_catalogue=money(data.get("out_of_catalogue", 0), f"{where}out_of_catalogue（目录外费用）",
                               "out_of_catalogue"),
        fees=_amounts(data, "fees", where), paid=_amounts(data, "paid", where),
        self_pay=None if self_pay is None else money(self_pay, f"{where}self_pay（个人自付）", "self_pay"),
        settlement_no=_text(data, "settlement_no", where),
        categories=None if categories is None else tuple(categories),
        county=_text(data, "county", where), note=_text(data, "note", where),
    )


def _text_map(values: Mapping[str, Decimal]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


def claim_json(c: Claim) -> dict[str, Any]:
    """The stored record as JSON (the keys of the claim file, plus id, person, entry and reversal)."""
    return {
        "id": c.id, "person_id": c.person_id, "source": c.source, "episode": c.episode,
        "hospital": c.hospital, "level": c.level, "scope": c.scope, "referred": c.referred,
        "admitted": c.admitted.isoformat(), "discharged": c.discharged.isoformat(), "days": c.days,
        "diagnosis": c.diagnosis, "disease": c.disease, "total": str(c.total),
        "out_of_catalogue": str(c.out_of_catalogue), "fees": _text_map(c.fees),
        "paid": _text_map(c.paid), "self_pay": None if c.self_pay is None else str(c.self_pay),
        "settlement_no": c.settlement_no, "categories": list(c.categories or ()), "county": c.county,
        "note": c.note, "entered_by": c.entered_by, "reverses": c.reverses, "reason": c.reason,
    }


def checks_json(checks: list[LayerCheck] | tuple[LayerCheck, ...]) -> list[dict[str, Any]]:
    """The slip-versus-estimate lines as JSON (difference = slip − estimate)."""
    return [{"name": k.name, "estimate": str(k.estimate),
             "slip": None if k.slip is None else str(k.slip),
             "difference": None if k.difference is None else str(k.difference),
             "flagged": k.flagged} for k in checks]
