"""The county list of service packages: a TOML file, validated with messages naming file and field.

The active list lives in the database setting `contract_packages` (the TOML text of the clinic's
edited copy); without it, resources/packages/default.toml is used. Contracts keep a snapshot of
the packages they were signed with, so editing the list never changes a signed contract.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core.contracts import (
    PackageConditions,
    PackageService,
    ServicePackage,
    money,
    validate_package,
)
from app.core.errors import ValidationError

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "resources" / "packages" / "default.toml"
SETTING = "contract_packages"


def package_from_dict(data: Mapping[str, Any], *, where: str = "") -> ServicePackage:
    """A package from its TOML table or stored JSON object; `where` prefixes every message."""
    at = f"{where}服务包“{data.get('code', '?')}”"
    for key in ("code", "name", "tier", "price", "services"):
        if key not in data:
            raise ValidationError(f"{at}缺少字段 {key}", field=key)
    services = []
    for i, s in enumerate(data["services"], start=1):
        if isinstance(s, str):
            services.append(PackageService(s, 0))
            continue
        if not isinstance(s, Mapping) or "name" not in s:
            raise ValidationError(f"{at}的第{i}项服务（services）应写成 {{ name = \"…\", per_year = N }}",
                                  field="services")
        per_year = s.get("per_year", 0)
        if not isinstance(per_year, int) or isinstance(per_year, bool):
            raise ValidationError(f"{at}的“{s['name']}”每年次数（per_year）应为整数", field="services")
        services.append(PackageService(str(s["name"]), per_year))
    split_raw = data.get("split", {})
    if not isinstance(split_raw, Mapping):
        raise ValidationError(f"{at}的付费方分担（split）应为表", field="split")
    split = {str(k): money(v, what=f"{at}中{k}的金额") for k, v in split_raw.items()}
    p = ServicePackage(
        code=str(data["code"]), name=str(data["name"]), tier=str(data["tier"]),
        services=tuple(services), price=money(data["price"], what=f"{at}的价格（price）"), split=split,
        conditions=conditions_from_dict(data.get("conditions", {}), at=at),
    )
    return validate_package(p, where=where)


def conditions_from_dict(raw: object, *, at: str) -> PackageConditions:
    """A package's `conditions` table: diagnoses, age_min, age_max, groups (all optional)."""
    if not isinstance(raw, Mapping):
        raise ValidationError(f"{at}的适用条件（conditions）应为表", field="conditions")
    unknown = set(raw) - {"diagnoses", "age_min", "age_max", "groups"}
    if unknown:
        raise ValidationError(f"{at}的适用条件中有不认识的字段：{'、'.join(sorted(unknown))}"
                              "（可用 diagnoses、age_min、age_max、groups）", field="conditions")
    lists = {}
    for key, what in (("diagnoses", "适用病种"), ("groups", "适用人群")):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(f"{at}的{what}（{key}）应写成文字列表，如 [\"高血压\"]", field=key)
        lists[key] = tuple(value)
    ages: dict[str, int | None] = {}
    for key, what in (("age_min", "最小年龄"), ("age_max", "最大年龄")):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValidationError(f"{at}的{what}（{key}）应为整数岁", field="age")
        ages[key] = value
    return PackageConditions(diagnoses=lists["diagnoses"], age_min=ages["age_min"],
                             age_max=ages["age_max"], groups=lists["groups"])


def conditions_to_dict(c: PackageConditions) -> dict[str, Any]:
    """The non-empty parts of a package's conditions, as stored and written to TOML."""
    out: dict[str, Any] = {}
    if c.diagnoses:
        out["diagnoses"] = list(c.diagnoses)
    if c.age_min is not None:
        out["age_min"] = c.age_min
    if c.age_max is not None:
        out["age_max"] = c.age_max
    if c.groups:
        out["groups"] = list(c.groups)
    return out


def package_to_dict(p: ServicePackage) -> dict[str, Any]:
    """A package as a JSON-ready object (amounts as text, so no float ever touches money)."""
    out: dict[str, Any] = {
        "code": p.code, "name": p.name, "tier": p.tier, "price": str(p.price),
        "services": [{"name": s.name, "per_year": s.per_year} for s in p.services],
        "split": {k: str(v) for k, v in p.split.items() if v != Decimal("0.00")},
    }
    if not p.conditions.empty:
        out["conditions"] = conditions_to_dict(p.conditions)
    return out


def parse_packages(text: str, *, source: str) -> list[ServicePackage]:
    """Every package of a TOML text; errors name `source` and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{source} 不是有效的TOML文件：{exc}") from None
    tables = data.get("package")
    if not isinstance(tables, list) or not tables:
        raise ValidationError(f"{source} 中没有服务包（应有 [[package]] 表）")
    packages: list[ServicePackage] = []
    for table in tables:
        p = package_from_dict(table, where=f"{source}：")
        if any(q.code == p.code for q in packages):
            raise ValidationError(f"{source}：服务包代码“{p.code}”重复", field="code")
        packages.append(p)
    return packages


def load_packages(path: Path = DEFAULT_FILE) -> list[ServicePackage]:
    """The packages of a TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"无法读取服务包文件 {path}：{exc.strerror}") from None
    return parse_packages(text, source=path.name)


HEADER = """# 家庭医生签约服务包列表（由“设置 › 服务包”导出）
#
# code 代码；name 名称；tier 类别（基础包/个性化包）；price 每人每年价格（元，精确到分）；
# split 付费方分担（医保基金、基本公卫经费、财政补助、个人），合计必须等于 price；
# services 服务内容，per_year 为每人每年次数，0 表示按需；
# conditions 适用对象（可省略）：diagnoses 病种、age_min/age_max 周岁年龄（含两端）、groups 人群类型。
"""


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _inline(mapping: Mapping[str, Any]) -> str:
    parts = []
    for key, value in mapping.items():
        if isinstance(value, list):
            rendered = "[" + ", ".join(_text(v) for v in value) + "]"
        elif isinstance(value, int):
            rendered = str(value)
        else:
            rendered = _text(str(value))
        parts.append(f"{_text(key) if not key.isascii() else key} = {rendered}")
    return "{ " + ", ".join(parts) + " }"


def packages_to_toml(packages: Sequence[ServicePackage], *, header: str = HEADER) -> str:
    """The TOML text of a package list, readable by `parse_packages` (amounts written as text)."""
    out = [header]
    for p in packages:
        d = package_to_dict(p)
        out += ["[[package]]", f"code = {_text(p.code)}", f"name = {_text(p.name)}",
                f"tier = {_text(p.tier)}", f"price = {_text(d['price'])}",
                f"split = {_inline(d['split'])}", "services = ["]
        out += [f"    {_inline(s)}," for s in d["services"]]
        out.append("]")
        if "conditions" in d:
            out.append(f"conditions = {_inline(d['conditions'])}")
        out.append("")
    return "\n".join(out)
