"""Cells of a county roster as values: code-like text, IDs, dates, years, yes/no, health state.

Spreadsheets store an 18-digit ID or a phone as a number and lose digits; such cells are refused
with a message that says how to fix the file, never silently rounded.
"""

from __future__ import annotations

import datetime as dt
import re

from app.core.errors import ValidationError
from app.core.identity import parse_resident_id
from app.core.limits import check_date
from app.core.people import HEALTH_STATES
from app.core.text import clean, compact

_LOST_DIGITS = "被存成了数字，末几位已丢失，请把该列设为文本后重新录入"


def text_cell(value: object, label: str = "") -> str:
    """A code-like cell (户编号, 人编号, phone) as text; numbers that lost digits are refused."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise ValidationError(f"{label}{_LOST_DIGITS}", field=label)
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return compact(value)


def normalize_id(value: object, *, today: dt.date | None = None) -> tuple[str, list[str]]:
    """A resident ID from a cell and any warnings; numbers that lost digits are refused."""
    if isinstance(value, float):
        if value.is_integer() and 1e14 <= value < 1e15:
            value = str(int(value))
        else:
            raise ValidationError(f"身份证号{_LOST_DIGITS}", field="id_no")
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) == 18:
            try:
                parse_resident_id(text, today=today)
            except ValidationError:
                raise ValidationError(f"身份证号{_LOST_DIGITS}", field="id_no") from None
        value = text
    rid = parse_resident_id(value, today=today)
    warnings = [f"15位旧身份证号已转换为18位：{rid.number}"] if rid.converted_from_15 else []
    return rid.number, warnings


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def parse_date_cell(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number, 2019.3.5, 2019年3月5日 or 20190305."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return check_date(value.date(), f"日期“{value.date()}”", field="date")
    if isinstance(value, dt.date):
        return check_date(value, f"日期“{value}”", field="date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date_cell(str(int(value)))
        if 1 <= value < 2958466:
            # Serials count from 1900-01-00 and include Excel's phantom 1900-02-29.
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValidationError(f"日期“{value}”无法识别", field="date")
    text = compact(value)
    if not text:
        return None
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}", text):
        text = text[:10]
    match = _DATE_TEXT.match(text)
    parts = match.groups() if match else None
    if parts is None and re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    if parts is None and re.fullmatch(r"\d{5}(\.\d+)?", text):
        return parse_date_cell(float(text))
    if parts is None:
        raise ValidationError(f"日期“{clean(value)}”无法识别，请写成2019-03-05", field="date")
    try:
        return check_date(dt.date(int(parts[0]), int(parts[1]), int(parts[2])), f"日期“{clean(value)}”",
                          field="date")
    except ValueError:
        raise ValidationError(f"日期“{clean(value)}”不是真实的日期", field="date") from None


def parse_year(value: object) -> int | None:
    """A year (脱贫年度) from 2019, “2019年”, “2019年度” or a date."""
    if isinstance(value, dt.date):
        return value.year
    text = text_cell(value, "脱贫年度").removesuffix("度").removesuffix("年")
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError(f"脱贫年度“{clean(value)}”应为四位年份", field="exit_year")
    return int(text)


_YES = {"是", "已参加", "参加", "已参保", "参保", "有", "√", "Y", "YES", "1", "TRUE"}
_NO = {"否", "未参加", "不参加", "未参保", "没有", "无", "×", "X", "N", "NO", "0", "FALSE"}


def parse_yes_no(value: object) -> bool | None:
    text = compact(value).upper()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"“{clean(value)}”应填“是”或“否”", field="insurance")


_HEALTH_SYNONYMS = {"大病": "患有大病", "慢性病": "长期慢性病", "长期慢性疾病": "长期慢性病"}


def health_state_name(value: object) -> str:
    text = compact(value)
    return text if text in HEALTH_STATES else _HEALTH_SYNONYMS.get(text, clean(value))
