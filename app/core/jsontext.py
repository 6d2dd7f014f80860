"""JSON typed or saved by hand (a claim, a follow-up, a history list) read without surprises.

Notepad on a Chinese Windows saves GBK unless told otherwise, so a file that is not UTF-8 is read
as GB18030; nesting deeper than JSON_MAX_DEPTH is refused before the parser could recurse.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.core.errors import ValidationError
from app.core.limits import JSON_FILE_MAX_BYTES, JSON_MAX_DEPTH


def _decode(raw: bytes, name: str) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                break
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"{name} 不是文本文件（既不是UTF-8也不是GBK编码），请另存为UTF-8")


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings."""
    deepest = level = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    return deepest


def parse_json_bytes(raw: bytes, name: str, *, exact_numbers: bool = True) -> Any:
    """A JSON document from a file's bytes; numbers with a fraction become Decimal when
    `exact_numbers`. Every failure is a ValidationError naming the file."""
    if len(raw) > JSON_FILE_MAX_BYTES:
        raise ValidationError(f"{name} 太大（{len(raw) // 1024} KB），不像是一份结算或随访记录")
    text = _decode(raw, name)
    if _depth(text) > JSON_MAX_DEPTH:
        raise ValidationError(f"{name} 嵌套层数太多（超过 {JSON_MAX_DEPTH} 层），不是有效的记录")
    try:
        return json.loads(text, parse_float=Decimal if exact_numbers else float,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name} 第{exc.lineno}行（第{exc.colno}列）：不是有效的JSON（{exc.msg}）") from None
    except (RecursionError, ValueError) as exc:
        raise ValidationError(f"{name} 不是有效的JSON（{exc}）") from None


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} 不是数字")
