"""Converting stored rows to the core's dataclasses and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, TypeVar, get_type_hints

from app.core.households import Household
from app.core.ids import RecordId
from app.core.people import Diagnosis, Person
from app.storage.engine import sqlite3

T = TypeVar("T")

_hints_cache: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _hints_cache:
        _hints_cache[cls] = get_type_hints(cls)
    return _hints_cache[cls]


def from_row(cls: type[T], row: sqlite3.Row | dict[str, Any]) -> T:
    """Build a dataclass from a row, parsing dates and JSON lists by the field's type."""
    data = dict(row)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value = data[f.name]
        hint = str(_hints(cls)[f.name])
        if value is not None and "date" in hint and isinstance(value, str):
            value = dt.date.fromisoformat(value) if value else None
        elif "list" in hint and isinstance(value, str):
            value = json.loads(value or "[]")
        values[f.name] = value
    return cls(**values)


def to_values(obj: Any, *, exclude: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    """A dataclass as a dict of column values (the tracker turns dates and lists to text)."""
    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name not in exclude
    }


def household_from_row(row: sqlite3.Row) -> Household:
    return from_row(Household, row)


def person_from_row(row: sqlite3.Row) -> Person:
    p = from_row(Person, row)
    p.record_provisional = bool(p.record_provisional)
    return p


def diagnosis_from_row(row: sqlite3.Row) -> Diagnosis:
    return from_row(Diagnosis, row)


def rid(value: object) -> RecordId:
    return RecordId(str(value))
