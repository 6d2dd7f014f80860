"""Reference ranges for the exam slip's marks (↑ ↓ 异常), read from a TOML file of example defaults.

The bundled file (resources/templates/lab_ranges.toml) holds common adult values as examples; a
health centre replaces them with the ranges on its own laboratory's reports.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core.errors import ValidationError
from app.printing.fonts import resource_path

HIGH, LOW, ABNORMAL = "↑", "↓", "异常"


@dataclass(frozen=True)
class Bounds:
    """A numeric range: below `low` is low, above `high` or at/above `below` is high."""

    low: Decimal | None = None
    high: Decimal | None = None
    below: Decimal | None = None

    def shown(self) -> str:
        """The range as printed: 3.9～6.1, <5.2, ≥1.0, ≤21."""
        upper = f"<{self.below}" if self.below is not None else (
            f"≤{self.high}" if self.high is not None else "")
        if self.low is not None and self.high is not None:
            return f"{self.low}～{self.high}"
        if self.low is not None and self.below is not None:
            return f"{self.low}～<{self.below}"
        if self.low is not None:
            return f"≥{self.low}"
        return upper

    def judge(self, value: Decimal) -> str:
        """↑, ↓ or "" for a value."""
        if self.low is not None and value < self.low:
            return LOW
        if (self.high is not None and value > self.high) or (
                self.below is not None and value >= self.below):
            return HIGH
        return ""


@dataclass(frozen=True)
class Reference:
    """One item's unit and normal range, possibly by sex, or its normal words."""

    group: str
    name: str
    unit: str = ""
    bounds: Bounds | None = None
    male: Bounds | None = None
    female: Bounds | None = None
    normal: tuple[str, ...] = ()
    text: bool = False  # a described result (心电图, B超): marked only as the doctor says

    def for_sex(self, sex: str) -> Bounds | None:
        """The range for 男 / 女; the common range, or None, otherwise."""
        if sex == "男" and self.male is not None:
            return self.male
        if sex == "女" and self.female is not None:
            return self.female
        return self.bounds

    def shown(self, sex: str) -> str:
        """The range as printed for a person of this sex."""
        if self.normal:
            return self.normal[0]
        bounds = self.for_sex(sex)
        if bounds is not None:
            return bounds.shown()
        if self.male is not None and self.female is not None:
            return f"男{self.male.shown()} 女{self.female.shown()}"
        return ""

    def judge(self, value: Decimal | str, sex: str) -> str:
        """↑ / ↓ for numbers out of range, 异常 for a qualitative result not among the normal words."""
        if self.text:
            return ""
        if isinstance(value, str):
            word = value.strip()
            if self.normal:
                return "" if word in self.normal else ABNORMAL
            try:
                value = Decimal(word)
            except ArithmeticError:
                return ""
        bounds = self.for_sex(sex)
        return bounds.judge(value) if bounds is not None else ""


@dataclass(frozen=True)
class ReferenceBook:
    """All items of the file, by name, in file order; and whether they are only examples."""

    items: dict[str, Reference]
    example: bool
    note: str

    def get(self, name: str) -> Reference | None:
        """The reference of an item, or None when the file does not list it."""
        return self.items.get(name)

    def order(self, name: str) -> int:
        """Where an item stands in the file (unknown items go last)."""
        names = list(self.items)
        return names.index(name) if name in names else len(names)


def _dec(raw: Any) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def _bounds(raw: dict[str, Any] | None) -> Bounds | None:
    if not raw or not any(k in raw for k in ("low", "high", "below")):
        return None
    return Bounds(_dec(raw.get("low")), _dec(raw.get("high")), _dec(raw.get("below")))


def load_ranges(path: str | Path | None = None) -> ReferenceBook:
    """Read a reference-range file (TOML); the bundled example when no path is given."""
    source = Path(path) if path else resource_path("templates", "lab_ranges.toml")
    if source is None or not source.is_file():
        raise ValidationError(f"找不到参考范围文件：{source or 'lab_ranges.toml'}")
    raw = tomllib.loads(source.read_text(encoding="utf-8"), parse_float=Decimal)
    items: dict[str, Reference] = {}
    for entry in raw.get("item", []):
        if "name" not in entry or "group" not in entry:
            raise ValidationError(f"参考范围文件 {source.name} 中有一项缺少 group 或 name。")
        items[entry["name"]] = Reference(
            group=entry["group"], name=entry["name"], unit=entry.get("unit", ""),
            bounds=_bounds(entry), male=_bounds(entry.get("male")),
            female=_bounds(entry.get("female")), normal=tuple(entry.get("normal", ())),
            text=bool(entry.get("text", False)))
    return ReferenceBook(items, bool(raw.get("example", False)), raw.get("note", ""))
