"""Thresholds kept in the clinic's settings table: one frozen dataclass per area, one key per field.

A field `x` of an area with prefix `p` is stored under the key `p_x` as text. Missing keys take the
dataclass default, so a new threshold never needs a migration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from app.core.errors import ValidationError

T = TypeVar("T")


def load_settings(cls: type[T], prefix: str, values: Mapping[str, str]) -> T:
    """An instance of the settings dataclass `cls` from stored text values (defaults for the rest)."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        key = f"{prefix}_{f.name}"
        if key not in values:
            continue
        kwargs[f.name] = parse_value(key, values[key], f.default)
    return cls(**kwargs)


def parse_value(key: str, text: str, default: object) -> int | float:
    """A setting's text as the type of its default (a whole number or a decimal)."""
    raw = str(text).strip()
    try:
        if isinstance(default, int) and not isinstance(default, bool):
            return int(raw)
        return float(raw)
    except ValueError:
        kind = "整数" if isinstance(default, int) else "数字"
        raise ValidationError(f"设置项 {key} 应为{kind}，现在是“{text}”", field=key) from None


def dump_settings(obj: object, prefix: str) -> dict[str, str]:
    """The settings dataclass as key → text, ready for the settings table."""
    return {f"{prefix}_{f.name}": str(getattr(obj, f.name))
            for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def setting_keys(cls: type, prefix: str) -> list[str]:
    return [f"{prefix}_{f.name}" for f in dataclasses.fields(cls)]
