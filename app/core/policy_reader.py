"""Reading the values of a parsed TOML file with messages that name the file, line and field.

`Reader` wraps one file's text: each getter takes the table that holds a value and the value's
path (`("layer", "基本医保", "ratio")`), converts it (money, ratio, percentage points, dates, code
lists) and raises a ValidationError such as
`示例.toml 第12行 layer."基本医保".ratio：比例应在 0 到 1 之间（如 0.80 或 "80%"），现在是 1.5`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from app.core.errors import ValidationError
from app.core.limits import MONEY_MAX
from app.core.tomllines import KeyPath, key_lines

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POSITION = re.compile(r"^(?P<what>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_PROBLEMS = {
    "Invalid date or datetime": "日期无效，应写成 YYYY-MM-DD（如 2024-01-01），且是真实的日期",
    "Expected newline or end of document after a statement": "这一行写法有误（日期是否写成了 YYYY-MM-DD？）",
    "Cannot overwrite a value": "同一个字段写了两次",
    "Cannot declare": "同一个表写了两次",
    "Invalid value": "值的写法无效（文字要加引号，如 \"基本医保\"）",
    "Invalid statement": "这一行不是“字段 = 值”的形式",
    "Unclosed array": "方括号没有闭合",
    "Expected ']' at the end of a table declaration": "表头应以 ] 结束，如 [layer.\"基本医保\"]",
    "Invalid initial character for a key part": "字段名写法有误（中文名要加引号）",
}


def nearest(text: str, options: Sequence[str]) -> str | None:
    """The option most like `text` (a likely typo), if any is close."""
    hits = difflib.get_close_matches(text, list(options), n=1, cutoff=0.5)
    return hits[0] if hits else None


def dotted(path: KeyPath) -> str:
    """A key path as written in TOML: `layer."基本医保".bands[2].ratio` (indexes from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            name = part if _BARE.fullmatch(part) else f'"{part}"'
            out += f".{name}" if out else name
    return out


def toml_error(source: str, exc: tomllib.TOMLDecodeError, text: str = "") -> str:
    """A TOML syntax error in Chinese, with its line and, when one is written there, its field."""
    m = _TOML_POSITION.match(str(exc))
    if not m:
        return f"{source} 不是有效的TOML文件：{exc}"
    what, line = m.group("what"), int(m.group("line"))
    problem = next((zh for en, zh in _TOML_PROBLEMS.items() if what.startswith(en)), what)
    paths = [p for p, n in key_lines(text).lines.items() if n == line]
    field = f" {dotted(max(paths, key=len))}" if paths else ""
    return f"{source} 第{line}行{field}：{problem}（第{m.group('col')}列）"


def _number_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value).strip()


class Reader:
    """The values of one TOML text, converted and checked; errors name file, line and field."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.where = key_lines(text)

    def fail(self, path: KeyPath, problem: str) -> ValidationError:
        line = self.where.line_of(path)
        at = f"{self.source} 第{line}行" if line else self.source
        field = dotted(path)
        return ValidationError(f"{at} {field}：{problem}" if field else f"{at}：{problem}", field=field)

    def known(self, table: Mapping[str, Any], path: KeyPath, keys: Sequence[str]) -> None:
        """Refuse a key that is not one of `keys`, suggesting the nearest known one."""
        for key in table:
            if key not in keys:
                hint = nearest(key, keys)
                tip = f"，是不是 {hint}？" if hint else f"；这里可用的字段：{'、'.join(keys)}"
                raise self.fail((*path, key), f"不认识的字段“{key}”{tip}")

    def table(self, value: Any, path: KeyPath, *, required: bool = False) -> Mapping[str, Any]:
        if value is None and not required:
            return {}
        if value is None:
            raise self.fail(path[:-1], f"缺少 [{dotted(path)}] 表")
        if not isinstance(value, Mapping):
            raise self.fail(path, "应为一个表（[…] 或 { … }）")
        return value

    def rows(self, data: Mapping[str, Any], path: KeyPath) -> list[Mapping[str, Any]]:
        value = data.get(str(path[-1]))
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(path, "应为表的列表，如 [ { … }, { … } ] 或多个 [[…]] 表")
        return value

    def member(self, value: str, path: KeyPath, choices: Sequence[str]) -> str:
        if value not in choices:
            hint = nearest(value, choices)
            tip = f"，是不是“{hint}”？" if hint else ""
            raise self.fail(path, f"不认识“{value}”{tip}（可用：{'、'.join(choices)}）")
        return value

    def text(self, data: Mapping[str, Any], path: KeyPath, *, required: bool = True) -> str:
        key = str(path[-1])
        if key not in data:
            if required:
                raise self.fail(path[:-1], f"缺少 {key}")
            return ""
        value = data[key]
        if not isinstance(value, str):
            raise self.fail(path, "应为加引号的文字")
        if required and not value.strip():
            raise self.fail(path, "不能为空")
        return value.strip()

    def choice(self, data: Mapping[str, Any], path: KeyPath, choices: Sequence[str],
               *, default: str | None = None) -> str:
        key = str(path[-1])
        if key not in data and default is not None:
            return default
        return self.member(self.text(data, path), path, choices)

    def texts(self, data: Mapping[str, Any], path: KeyPath, choices: Sequence[str] | None = None,
              *, default: Sequence[str] = ()) -> list[str]:
        key = str(path[-1])
        if key not in data:
            return list(default)
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "应为文字的列表，如 [\"建档立卡\", \"低保\"]")
        items = [v.strip() for v in value]
        if choices is not None:
            for item in items:
                self.member(item, path, choices)
        return items

    def flag(self, data: Mapping[str, Any], path: KeyPath) -> bool:
        value = data.get(str(path[-1]), False)
        if not isinstance(value, bool):
            raise self.fail(path, "应为 true 或 false")
        return value

    def date(self, data: Mapping[str, Any], path: KeyPath) -> dt.date:
        key = str(path[-1])
        if key not in data:
            raise self.fail(path[:-1], f"缺少 {key}（日期，如 {key} = 2024-01-01）")
        value = data[key]
        if isinstance(value, dt.datetime):
            raise self.fail(path, "只写日期，不写时间（如 2024-01-01）")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise self.fail(path, f"日期应写成 YYYY-MM-DD（如 2024-01-01），现在是 {value!r}") from None

    def _decimal(self, value: Any, path: KeyPath, what: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(path, f"{what}应为数字")
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            raise self.fail(path, f"{what}应为数字，现在是 {value!r}") from None
        if not number.is_finite():
            raise self.fail(path, f"{what}应为数字，现在是 {value!r}")
        return number

    def money(self, data: Mapping[str, Any], path: KeyPath) -> Decimal:
        """An amount in 元, to the fen: a whole number or text (`250`, `"250.50"`), never a float."""
        value = data[str(path[-1])]
        if isinstance(value, float):
            raise self.fail(path, f"金额请写成整数或加引号的文字（如 \"{value}\"），"
                                  "不要写成小数，以免误差")
        amount = self._decimal(value, path, "金额")
        if amount < 0:
            raise self.fail(path, f"金额不能为负数，现在是 {amount}")
        if amount > MONEY_MAX:
            raise self.fail(path, f"金额超出上限 {MONEY_MAX} 元，现在是 {amount}")
        if amount != amount.quantize(Decimal("0.01")):
            raise self.fail(path, f"金额最多精确到分（两位小数），现在是 {amount}")
        return amount.quantize(Decimal("0.01"))

    def ratio(self, data: Mapping[str, Any], path: KeyPath) -> Decimal:
        """A fraction from 0 to 1, written `0.80` or `"80%"`."""
        value = data[str(path[-1])]
        if isinstance(value, str) and value.strip().endswith("%"):
            share = self._decimal(value.strip()[:-1], path, "比例") / 100
        else:
            share = self._decimal(value, path, "比例")
        if not 0 <= share <= 1:
            raise self.fail(path, f"比例应在 0 到 1 之间（如 0.80 或 \"80%\"），现在是 {value}")
        return share

    def points(self, data: Mapping[str, Any], path: KeyPath, *, lowest: Decimal = Decimal(-100)) -> Decimal:
        """Percentage points (`5` means +5 个百分点); 0 when absent."""
        key = str(path[-1])
        if key not in data:
            return Decimal(0)
        points = self._decimal(data[key], path, "百分点")
        if not lowest <= points <= 100:
            raise self.fail(path, f"百分点应在 {lowest} 到 100 之间（5 表示提高5个百分点），现在是 {points}")
        return points

    def money_map(self, data: Mapping[str, Any], path: KeyPath, keys: Sequence[str]) -> dict[str, Decimal]:
        table = self.table(data.get(str(path[-1])), path)
        for key in table:
            self.member(key, (*path, key), keys)
        return {key: self.money(table, (*path, key)) for key in table}

    def points_map(self, data: Mapping[str, Any], path: KeyPath, keys: Sequence[str]) -> dict[str, Decimal]:
        table = self.table(data.get(str(path[-1])), path)
        for key in table:
            self.member(key, (*path, key), keys)
        return {key: self.points(table, (*path, key)) for key in table}
