"""How long a user must wait after wrong passwords: a growing delay, then a lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FREE_TRIES = 5          # wrong passwords before any wait
LOCK_AFTER = 10         # wrong passwords in a row that lock the account
LOCK_MINUTES = 30       # a lock lifts by itself after this, or earlier when an administrator unlocks
FIRST_DELAY_SECONDS = 1


@dataclass(frozen=True)
class Wait:
    """Seconds before the next try is checked; `locked` when the account is locked."""

    seconds: float
    locked: bool = False


def delay_after(failures: int) -> float:
    """The wait after `failures` wrong passwords in a row: none, then 1 s doubling, up to the lock."""
    if failures < FREE_TRIES:
        return 0.0
    if failures >= LOCK_AFTER:
        return LOCK_MINUTES * 60.0
    return float(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_TRIES))


def wait_before_try(failures: int, last_failed_at: dt.datetime | None, now: dt.datetime) -> Wait:
    """How long from `now` until a password for this user will be checked again."""
    if failures <= 0 or last_failed_at is None:
        return Wait(0.0)
    left = delay_after(failures) - (now - last_failed_at).total_seconds()
    return Wait(max(0.0, left), locked=failures >= LOCK_AFTER and left > 0)
