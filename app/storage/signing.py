"""What the package fit rule reads of a household on a signing day, and the plan it makes.

The facts come from the file as it stands: each 在册 member's birth date, diagnoses and 人群类型,
and the household's poverty status in force on the signing day (from its status history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core import package_fit as fit_rule
from app.core.contracts import ServicePackage
from app.core.errors import ValidationError
from app.core.households import PovertyEvent, status_on
from app.core.package_fit import Fit, HeldCondition, MemberFacts
from app.core.people import Person

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


@dataclass(frozen=True)
class Skipped:
    """A package asked for that a member is not signed for, and why."""

    person_id: str
    name: str
    code: str
    package: str
    reason: str


@dataclass(frozen=True)
class SigningPlan:
    """Each member's packages by the fit rule, and the (member, package) pairs left out."""

    choice: dict[str, list[str]]
    skipped: list[Skipped]


def current_status(ws: Workspace, household_id: str, on: dt.date) -> str:
    """The household's poverty status in force on `on`, from its history (the stored one if none)."""
    h = ws.households.get(household_id)
    history = [PovertyEvent(r["status"], dt.date.fromisoformat(r["since"]), r["note"])
               for r in ws.households.poverty_history(household_id)]
    return status_on(history, on, fallback=h.poverty_status) if history else h.poverty_status


def facts_of(ws: Workspace, p: Person, household_status: str) -> MemberFacts:
    """One member as the fit rule sees them."""
    # Diagnoses have no end date on the file yet; a removed one is gone (tombstoned).
    held = tuple(HeldCondition(d.condition, d.confirmed_on) for d in ws.people.diagnoses(str(p.id)))
    groups = fit_rule.member_groups(household_status=household_status, assistance=p.assistance,
                                    disabilities=p.disabilities, health_state=p.health_state)
    return MemberFacts(str(p.id), p.name, p.birth_date, held, groups)


def household_facts(ws: Workspace, household_id: str, on: dt.date) -> list[MemberFacts]:
    """Every 在册 member of the household as the fit rule sees them on the signing day."""
    status = current_status(ws, household_id, on)
    return [facts_of(ws, p, status) for p in ws.households.members(household_id) if p.living_status == "在册"]


def fits(ws: Workspace, household_id: str, packages: Sequence[ServicePackage],
         on: dt.date) -> dict[str, dict[str, Fit]]:
    """Person id → package code → fit, for every 在册 member."""
    return fit_rule.fit_table(packages, household_facts(ws, household_id, on), on)


def plan(ws: Workspace, household_id: str, packages: Sequence[ServicePackage], on: dt.date,
         member_ids: Sequence[str]) -> SigningPlan:
    """Sign each member for the asked packages that fit them; list the rest with the reason."""
    facts = {m.person_id: m for m in household_facts(ws, household_id, on)}
    choice: dict[str, list[str]] = {}
    skipped: list[Skipped] = []
    for pid in member_ids:
        m = facts[pid]
        for p in packages:
            f = fit_rule.package_fit(p, m, on)
            if f.fits:
                choice.setdefault(pid, []).append(p.code)
            else:
                skipped.append(Skipped(pid, m.name, p.code, p.name, f.reason))
    if not choice:
        raise ValidationError("所选服务包对本户在册成员都不适用：" + "；".join(
            f"{s.name} {s.package}（{s.reason}）" for s in skipped), field="packages")
    return SigningPlan(choice, skipped)


def check_choice(ws: Workspace, household_id: str, packages: Sequence[ServicePackage], on: dt.date,
                 choice: dict[str, list[str]], overrides: set[tuple[str, str]]) -> list[Skipped]:
    """Refuse a chosen pair the rule says does not fit unless the doctor overrode it; return overrides."""
    facts = {m.person_id: m for m in household_facts(ws, household_id, on)}
    by_code = {p.code: p for p in packages}
    overridden: list[Skipped] = []
    for pid, codes in choice.items():
        m = facts[pid]
        for code in codes:
            f = fit_rule.package_fit(by_code[code], m, on)
            if f.fits:
                continue
            s = Skipped(pid, m.name, code, by_code[code].name, f.reason)
            if (pid, code) not in overrides:
                raise ValidationError(f"{m.name}不适合签{s.package}：{f.reason}", field="packages")
            overridden.append(s)
    return overridden
