"""The one table of input limits: text lengths, money bounds and characters refused in text.

Every way in (a form, the command line, a roster import, a JSON file, later sync) checks through
here, so a 100-million-character address or a 1e30 amount is refused the same way everywhere.
Names refuse control, invisible and direction-changing characters outright (they make one person
look like another on screen and on paper); other text has them stripped, and multi-line notes keep
their line breaks and tabs.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from app.core.errors import ValidationError
from app.core.text import clean

# Longest text accepted, in characters, by kind of field.
NAME_MAX = 30            # a person's, a team member's or a user's display name
SHORT_MAX = 50           # codes, relations, numbers, phone, diagnosis codes, choices
LINE_MAX = 200           # a single line of free text: address, hospital, diagnosis, reason
NOTE_MAX = 2000          # multi-line notes and remarks

TEXT_LIMITS: dict[str, int] = {"name": NAME_MAX, "short": SHORT_MAX, "line": LINE_MAX, "note": NOTE_MAX}

# Money in 元: finite, not negative, to the fen, and at most this much in one amount.
MONEY_MAX = Decimal("10000000.00")
FEN = Decimal("0.01")

# Dates outside these are typing slips (and 9999-12-31 plus a follow-up interval overflows).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)

# The largest JSON input file read (a claim, a follow-up, a history list) and its deepest nesting.
JSON_FILE_MAX_BYTES = 5_000_000
JSON_MAX_DEPTH = 32

_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
# Tabs and line breaks are only spacing (`clean` turns them into one space); the rest are refused.
_REFUSED_IN_NAMES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_ZERO_WIDTH}]")
_STRIPPED = _REFUSED_IN_NAMES


def _too_long(what: str, length: int, limit: int, field: str | None) -> ValidationError:
    return ValidationError(f"{what}太长：最多 {limit} 个字，现在有 {length} 个字", field=field)


def check_name(value: object, what: str = "姓名", *, field: str | None = None, limit: int = NAME_MAX) -> str:
    """A name tidied (`clean`), or refused: too long, or holding a control, bidi or zero-width
    character, which would let one name look like another."""
    value = "" if value is None else str(value)
    if len(value) > 4 * limit:  # refuse before scanning or tidying a huge string
        raise _too_long(what, len(value), limit, field)
    bad = _REFUSED_IN_NAMES.search(value)
    if bad:
        raise ValidationError(f"{what}中有不可见或改变文字方向的字符（U+{ord(bad.group()):04X}），"
                              "请删去后重新输入", field=field)
    tidy = clean(value)
    if len(tidy) > limit:
        raise _too_long(what, len(tidy), limit, field)
    return tidy


def check_text(value: object, what: str, kind: str = "line", *, field: str | None = None) -> str:
    """Text within its kind's length limit with invisible and direction-changing characters
    stripped: `short` and `line` are tidied to one line (`clean`); a `note` keeps its line breaks
    and is only trimmed; a `name` is refused as `check_name` does."""
    value = "" if value is None else str(value)
    limit = TEXT_LIMITS[kind]
    if kind == "name":
        return check_name(value, what, field=field, limit=limit)
    if len(value) > 4 * limit:
        raise _too_long(what, len(value), limit, field)
    if kind == "note":
        tidy = _STRIPPED.sub("", value.replace("\r\n", "\n")).strip()
    else:
        tidy = clean(_STRIPPED.sub("", value))
    if len(tidy) > limit:
        raise _too_long(what, len(tidy), limit, field)
    return tidy


def check_money(value: object, what: str, *, field: str | None = None, positive: bool = False,
                maximum: Decimal = MONEY_MAX, round_to_fen: bool = False) -> Decimal:
    """An amount in 元 as Decimal: finite, ≥ 0 (> 0 when `positive`), ≤ `maximum`, at most two
    decimals (or rounded half-up to the fen when `round_to_fen`). Floats are refused: a binary
    fraction is not an amount of money."""
    if isinstance(value, float | bool):
        raise ValidationError(f"{what}请写成文字（如 \"250.50\"）或整数", field=field)
    text = str(value).strip()
    if len(text) > 40:
        raise ValidationError(f"{what}应为金额，现在是“{text[:20]}…”", field=field)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{what}应为金额，现在是“{text}”", field=field) from None
    if not amount.is_finite():
        raise ValidationError(f"{what}应为金额，现在是“{text}”", field=field)
    if amount < 0:
        raise ValidationError(f"{what}不能为负数，现在是 {text}", field=field)
    if amount > maximum:
        raise ValidationError(f"{what}超出上限 {maximum} 元，现在是 {text}", field=field)
    rounded = amount.quantize(FEN, rounding="ROUND_HALF_UP")
    if amount != rounded and not round_to_fen:
        raise ValidationError(f"{what}最多精确到分（两位小数），现在是 {text}", field=field)
    if positive and rounded == 0:
        raise ValidationError(f"{what}应大于0", field=field)
    return rounded


def check_date(value: dt.date, what: str = "日期", *, field: str | None = None) -> dt.date:
    """A date between DATE_MIN and DATE_MAX, else a ValidationError naming the field."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(f"{what}应在 {DATE_MIN.year} 年到 {DATE_MAX.year} 年之间，现在是 {value}", field=field)
    return value


def check_number(value: object, what: str, *, field: str | None = None) -> float:
    """A finite int or float (not a bool, not text), for measurements typed or read from JSON."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{what}应为数字，现在是 {value!r}"[:120], field=field)
    number = float(value) if isinstance(value, float) else value
    if (isinstance(number, float) and number != number) or number in (float("inf"), float("-inf")):
        raise ValidationError(f"{what}应为数字，现在是 {value!r}", field=field)
    return number
