"""The county list of service packages: a TOML file, validated with messages naming file and field.

The active list lives in the database setting `contract_packages` (the TOML text of the clinic's
edited copy); without it, resources/packages/default.toml is used. Contracts keep a snapshot of
the packages they were signed with, so editing the list never changes a signed contract.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core.contracts import PackageService, ServicePackage, money, validate_package
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
    )
    return validate_package(p, where=where)


def package_to_dict(p: ServicePackage) -> dict[str, Any]:
    """A package as a JSON-ready object (amounts as text, so no float ever touches money)."""
    return {
        "code": p.code, "name": p.name, "tier": p.tier, "price": str(p.price),
        "services": [{"name": s.name, "per_year": s.per_year} for s in p.services],
        "split": {k: str(v) for k, v in p.split.items() if v != Decimal("0.00")},
    }


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
