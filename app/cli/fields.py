"""Record fields given on the command line (`--phone`, `--sex`, …): one table per record, checked
the way the desktop dialogs' lists and date fields check them, so `edit` changes only what is given."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import ValidationError
from app.core.limits import check_date
from app.core.text import compact

Parse = Callable[[str], Any]


@dataclass(frozen=True)
class Field:
    """One `--flag` that sets one attribute of a record; `parse` turns the typed text into its value."""

    flag: str
    attr: str
    label: str
    parse: Parse


def text(value: str) -> str:
    return value.strip()


def one_of(label: str, choices: Sequence[str], *, blank: bool = True) -> Parse:
    """A value from a fixed list (as the dialog's drop-down offers it); '' clears it when `blank`."""

    def parse(value: str) -> str:
        v = compact(value)
        if v in choices or (blank and not v):
            return v
        raise ValidationError(f"不认识的{label}“{value.strip()[:40]}”；可用：{'、'.join(choices)}")

    return parse


def named(fn: Callable[[object], str], *, blank: bool = True) -> Parse:
    """A value through a core normaliser (男/女/1/2, 汉/汉族 …), which says what it does not know."""

    def parse(value: str) -> str:
        return "" if blank and not value.strip() else fn(value)

    return parse


def date_of(label: str) -> Parse:
    """A date written YYYY-MM-DD ('' clears it)."""

    def parse(value: str) -> dt.date | None:
        v = value.strip()
        if not v:
            return None
        try:
            day = dt.date.fromisoformat(v)
        except ValueError:
            raise ValidationError(f"{label}应写成 YYYY-MM-DD：{v[:40]}") from None
        return check_date(day, label)

    return parse


def many(label: str, choices: Sequence[str]) -> Parse:
    """Several values from a list, separated by 、 or commas ('' clears them all)."""
    one = one_of(label, choices, blank=False)

    def parse(value: str) -> list[str]:
        parts = value.replace("，", ",").replace("、", ",").split(",")
        return [one(p) for p in parts if p.strip()]

    return parse


def year(value: str) -> int | None:
    v = value.strip()
    if not v:
        return None
    if not v.isdigit():
        raise ValidationError(f"年度应为四位数字：{v[:40]}")
    return int(v)


def add_flags(parser: argparse.ArgumentParser, fields: Sequence[Field]) -> None:
    """One optional `--flag VALUE` per field; a flag not given stays None (the field is left alone)."""
    for f in fields:
        parser.add_argument(f"--{f.flag}", dest=f"field_{f.attr}", metavar="VALUE", default=None,
                            help=f.label)


def given(args: argparse.Namespace, fields: Sequence[Field]) -> dict[str, Any]:
    """The fields the command line gave, parsed; a value that cannot be used raises one line."""
    out: dict[str, Any] = {}
    for f in fields:
        raw = getattr(args, f"field_{f.attr}", None)
        if raw is not None:
            out[f.attr] = f.parse(raw)
    return out


def as_json(record: Any) -> dict[str, Any]:
    """A dataclass record as a plain dict (dates stay dates; print_json writes them ISO)."""
    return dataclasses.asdict(record)


def action_group(add: Any, name: str, help: str, actions: str, *, ref_name: str, ref_help: str,
                 json_help: str) -> Callable[..., argparse.ArgumentParser]:
    """`cunyi <name> ACTION …`: the group, and a maker for its actions (each with REF and --json).

    The group alone says in one line which actions there are; `make(action, fn, help, ref=False)`
    leaves out the REF argument (for `add`).
    """

    def usage(args: argparse.Namespace, paths: object) -> int:
        raise ValidationError(f"请写明动作：cunyi {name} {actions} …（见 cunyi {name} --help）")

    subs = add(name, usage, help).add_subparsers(dest="action", metavar="ACTION")

    def make(action: str, fn: Callable[..., int], action_help: str, *,
             ref: bool = True) -> argparse.ArgumentParser:
        sub = subs.add_parser(action, help=action_help, description=action_help)
        sub.set_defaults(func=fn)
        if ref:
            sub.add_argument("ref", metavar=ref_name, help=ref_help)
        sub.add_argument("--json", action="store_true", help=json_help)
        return sub

    return make
