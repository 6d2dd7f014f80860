"""The clinic's own division code: the shipped list of known codes, and correcting a wrong code.

Correcting the code changes what new records get (household village, 17-digit health-record
numbers, the default township of teams, the village an import matches). Records already made keep
their village, partition and numbers: those are printed on paper files and cards and may have
reached the county, so they are never renumbered behind the doctor's back.
"""

from __future__ import annotations

import csv
import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.divisions import DivisionCheck, KnownDivisions, check_clinic_code
from app.core.errors import AuthError, ValidationError
from app.core.users import ADMIN_ROLES
from app.storage.changes import FORMER_CODES_KEY, Changes

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

KNOWN_FILE = "known.csv"


def shipped_dir() -> Path:
    """resources/divisions: in the PyInstaller bundle when frozen, else in the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / "resources" / "divisions").is_dir():
        return Path(frozen) / "resources" / "divisions"
    return Path(__file__).resolve().parents[2] / "resources" / "divisions"


@functools.lru_cache(maxsize=1)
def known_divisions() -> KnownDivisions:
    """The county and township codes shipped with the program (an empty list if the file is gone)."""
    path = shipped_dir() / KNOWN_FILE
    if not path.is_file():
        return KnownDivisions()
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        rows = [(r["code"], r["name"]) for r in csv.DictReader(lines)]
    return KnownDivisions.from_rows(rows)


def check_new_clinic_code(code: str) -> DivisionCheck:
    """Check a clinic code typed at set-up or on correction against the shipped list."""
    return check_clinic_code(code, known_divisions())


@dataclass(frozen=True)
class DivisionChange:
    """What correcting the clinic's code to `new_code` does, and what it leaves as it is."""

    old_code: str
    new_code: str
    new_name: str
    check: DivisionCheck
    households_kept: int      # households that stay under the old code, with their numbers
    people_kept: int          # health-record numbers that keep the old code as their prefix


def plan_division_change(ws: Workspace, code: str, name: str) -> DivisionChange:
    """Check a correction and count the records it will not renumber (nothing is written)."""
    check = check_new_clinic_code(code)
    name = name.strip()
    if not name:
        raise ValidationError("请填写村名称", field="division_name")
    old = ws.settings.division_code
    if check.code.code == old:
        raise ValidationError("新代码与当前代码相同", field="division_code")
    households = ws.conn.execute(
        "SELECT count(*) FROM households WHERE village_code = ? AND deleted = 0", (old,)
    ).fetchone()[0]
    people = ws.conn.execute(
        "SELECT count(*) FROM people WHERE record_no LIKE ? AND deleted = 0", (old + "%",)
    ).fetchone()[0]
    return DivisionChange(old_code=old, new_code=check.code.code, new_name=name, check=check,
                          households_kept=int(households), people_kept=int(people))


def _require_admin(ws: Workspace) -> None:
    row = ws.conn.execute(
        "SELECT role FROM users WHERE username = ? AND active = 1", (ws.user,)
    ).fetchone()
    if row is None or row[0] not in ADMIN_ROLES:
        raise AuthError("只有乡镇或县管理员可以更改卫生室的区划代码")


def change_division(ws: Workspace, code: str, name: str) -> tuple[DivisionChange, Changes]:
    """Correct the clinic's village code (administrators only), with an audit entry.

    The new village is added to the divisions; the old one is tombstoned only when no household
    uses it. Existing households, people and their numbers are not touched.
    """
    _require_admin(ws)
    plan = plan_division_change(ws, code, name)
    changes = Changes(tables={"settings"})
    with ws.transaction():
        changes.merge(ws.settings.add_division(plan.new_code, plan.new_name))
        if plan.households_kept == 0:
            for row in ws.conn.execute(
                "SELECT id FROM divisions WHERE code = ? AND deleted = 0", (plan.old_code,)
            ).fetchall():
                if ws.tracker.update("divisions", row[0], {"deleted": 1}):
                    changes.add("divisions", row[0])
        former = [c for c in ws.settings.get(FORMER_CODES_KEY).split(",") if c and c != plan.new_code]
        if plan.households_kept and plan.old_code not in former:
            former.append(plan.old_code)       # its households stay writable under the old code
        ws.settings.set(division_code=plan.new_code, division_name=plan.new_name,
                         **{FORMER_CODES_KEY: ",".join(former)})
        ws.audit(
            "change_division_code", table="settings",
            detail=(f"{plan.old_code} → {plan.new_code}（{plan.new_name}）；未重新编号："
                    f"{plan.households_kept}户、{plan.people_kept}份健康档案"),
        )
    return plan, changes
