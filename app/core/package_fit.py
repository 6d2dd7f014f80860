"""Whom a service package fits: its own conditions (diagnosis, age, 人群类型) against a member's file.

A package without conditions fits everyone. With conditions, every kind given must hold on the
signing day: one of its diagnoses held then (confirmed on or before it, not ended by it), the
age in full years within [age_min, age_max], and membership of one of its 人群类型. The signing
dialog ticks by default the packages that fit and are either the basic tier or targeted (have
conditions); an untargeted personalised package is the resident's choice, so it starts unticked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.contracts import PACKAGE_GROUPS, PackageConditions, ServicePackage
from app.core.households import POOR_STATUSES
from app.core.identity import age_on

# 人群类型 a package may be limited to. 孕产妇 has no record on the file, so the rule never finds
# it; the doctor decides (see the dialog's override).
GROUPS: tuple[str, ...] = PACKAGE_GROUPS
NOT_ON_FILE = frozenset({"孕产妇"})


@dataclass(frozen=True)
class HeldCondition:
    """A diagnosis on a person's file: held from `since` until the day before `ended` (if any)."""

    condition: str
    since: dt.date | None = None
    ended: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.ended is None or day < self.ended)


@dataclass(frozen=True)
class MemberFacts:
    """What the fit rule reads of one member: birth date, diagnoses and 人群类型."""

    person_id: str
    name: str
    birth_date: dt.date | None
    conditions: tuple[HeldCondition, ...] = ()
    groups: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Fit:
    """Whether a package fits a member, and why (shown next to the tick box)."""

    fits: bool
    reason: str


def member_groups(*, household_status: str, assistance: Iterable[str], disabilities: Iterable[str],
                  health_state: str = "") -> frozenset[str]:
    """The 人群类型 of a member from the household's current status and the person's file."""
    help_ = set(assistance)
    groups: set[str] = set()
    if household_status in POOR_STATUSES:
        groups.add("贫困人口")
    if "低保" in help_ or household_status == "dibao":
        groups.add("低保")
    if "特困" in help_ or household_status == "tekun":
        groups.add("特困")
    if "残疾" in help_ or any(True for _ in disabilities) or health_state == "残疾":
        groups.add("残疾")
    groups |= help_ & {"计生特殊家庭", "70岁以上需照料"}
    return frozenset(groups)


def age_text(c: PackageConditions) -> str:
    """The age range in words: 65岁及以上, 0–6岁, 6岁及以下."""
    if c.age_min is not None and c.age_max is not None:
        return f"{c.age_min}–{c.age_max}岁"
    if c.age_min is not None:
        return f"{c.age_min}岁及以上"
    if c.age_max is not None:
        return f"{c.age_max}岁及以下"
    return ""


def describe(c: PackageConditions) -> str:
    """Whom the package is for, in words (适用对象); 所有居民 when it has no conditions."""
    parts = []
    if c.diagnoses:
        parts.append("或".join(c.diagnoses) + "患者")
    if c.age_min is not None or c.age_max is not None:
        parts.append(age_text(c))
    if c.groups:
        parts.append("或".join(c.groups))
    return "，".join(parts) or "所有居民"


def _diagnosis_fit(wanted: Sequence[str], facts: MemberFacts, on: dt.date) -> Fit:
    held = [h for h in facts.conditions if h.condition in wanted]
    current = next((h for h in held if h.held_on(on)), None)
    if current is not None:
        return Fit(True, current.condition)
    ended = [h for h in held if h.ended is not None and h.ended <= on]
    if ended:
        last = max(ended, key=lambda h: h.ended or on)
        return Fit(False, f"{last.condition}诊断已于{last.ended}结束")
    later = [h for h in held if h.since is not None and h.since > on]
    if later:
        first = min(later, key=lambda h: h.since or on)
        return Fit(False, f"{first.condition}确诊日期{first.since}晚于签约日期")
    return Fit(False, f"档案中没有{'或'.join(wanted)}诊断")


def package_fit(package: ServicePackage, facts: MemberFacts, on: dt.date) -> Fit:
    """Whether `package` fits the member on the signing day `on`; the reason names the condition."""
    c = package.conditions
    why: list[str] = []
    if c.diagnoses:
        diag = _diagnosis_fit(c.diagnoses, facts, on)
        if not diag.fits:
            return diag
        why.append(diag.reason)
    if c.age_min is not None or c.age_max is not None:
        if facts.birth_date is None:
            return Fit(False, f"档案中没有出生日期，本包限{age_text(c)}")
        age = age_on(facts.birth_date, on)
        if (c.age_min is not None and age < c.age_min) or (c.age_max is not None and age > c.age_max):
            return Fit(False, f"{age}岁，本包限{age_text(c)}")
        why.append(f"{age}岁")
    if c.groups:
        found = [g for g in c.groups if g in facts.groups]
        if not found:
            unknown = [g for g in c.groups if g in NOT_ON_FILE]
            if unknown and len(unknown) == len(c.groups):
                return Fit(False, f"档案中没有{'或'.join(unknown)}记录，请医生确认")
            return Fit(False, f"不属于{'或'.join(c.groups)}")
        why.append(found[0])
    return Fit(True, "符合：" + "，".join(why) if why else "适用于所有居民")


def default_ticked(package: ServicePackage, fit: Fit) -> bool:
    """Ticked when the dialog opens: it fits, and it is the basic tier or targeted at the member."""
    return fit.fits and (package.tier == "基础包" or not package.conditions.empty)


def fit_table(packages: Sequence[ServicePackage], members: Sequence[MemberFacts],
              on: dt.date) -> dict[str, dict[str, Fit]]:
    """For every member (by id) and package (by code), the fit on the signing day."""
    return {m.person_id: {p.code: package_fit(p, m, on) for p in packages} for m in members}


def unfit_choices(choice: Mapping[str, Sequence[ServicePackage]], members: Sequence[MemberFacts],
                  on: dt.date) -> list[tuple[MemberFacts, ServicePackage, Fit]]:
    """The chosen (member, package) pairs that the rule says do not fit."""
    by_id = {m.person_id: m for m in members}
    out = []
    for pid, packages in choice.items():
        for p in packages:
            fit = package_fit(p, by_id[pid], on)
            if not fit.fits:
                out.append((by_id[pid], p, fit))
    return out
