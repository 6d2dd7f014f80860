"""Which villages' households a clinic database may write: its own village, or its township.

A village PC keeps the files of its own village only; moving a household to another village is
the township's work. A township PC (卫生院) writes every village of its township, the county
every village of the county. Codes the clinic had before a correction (`former`) stay writable,
so households kept under the old code remain editable.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

from app.core.errors import ValidationError
from app.core.identity import parse_division_code


def covers(scope: str, village_code: str) -> bool:
    """Whether a clinic scope (a village, township or county code) contains a village."""
    level = parse_division_code(scope).level
    if level == "village":
        return village_code == scope
    if level == "township":
        return village_code[:9] == scope[:9]
    return village_code[:6] == scope[:6]


def may_write(clinic_code: str, village_code: str, former: Collection[str] = ()) -> bool:
    """Whether a clinic may write the households of a village (an unset clinic code: anything)."""
    if not clinic_code:
        return True
    return any(covers(scope, village_code) for scope in (clinic_code, *former) if scope)


def check_may_write(clinic_code: str, village_code: str, former: Collection[str] = ()) -> None:
    """Refuse, in words the doctor understands, a write outside the clinic's village or township."""
    if may_write(clinic_code, village_code, former):
        return
    level = parse_division_code(clinic_code).level
    if level == "village":
        message = (f"本卫生室只管本村（{clinic_code}）的家庭档案，不能填写或改动村代码为 "
                   f"{village_code} 的档案；跨村迁户请由乡镇卫生院办理")
    elif level == "township":
        message = f"村代码 {village_code} 不在本卫生院所在乡镇（{clinic_code[:9]}）内"
    else:
        message = f"村代码 {village_code} 不在本县（{clinic_code[:6]}）内"
    raise ValidationError(message, field="village_code")


def ancestors(code: str) -> list[str]:
    """The division codes above a village or township: its township (for a village) and county."""
    return list(_ancestors(code))


@functools.lru_cache(maxsize=4096)
def _ancestors(code: str) -> tuple[str, ...]:
    level = parse_division_code(code).level
    out = []
    if level == "village":
        out.append(code[:9] + "000")
    if level in ("village", "township"):
        out.append(code[:6] + "000000")
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def sees(scope: str, partition: str) -> bool:
    """Whether a clinic of `scope` holds rows of `partition`: its own villages (and their division
    and team rows), and the rows above it, which it receives as read-only ancestors."""
    if partition == scope or partition in ancestors(scope):
        return True
    try:
        return parse_division_code(partition).level == "village" and covers(scope, partition)
    except ValidationError:
        return False
