"""The county's targets for the 实际报销比例 (e.g. 住院 90%, 门诊慢特病 80%), per person category.

Such a target is a 健康扶贫 commitment to poor and monitored people, not a promise to every
resident: a pack says whom each target is for (`categories`) and its ratio per episode kind. A claim
of a person outside every target's categories is not judged (no 达标/未达标).

In a pack, `[targets]` is one group and `[[targets]]` several; the first group that names one of
the person's categories and the claim's episode kind applies:

    [targets]
    categories = ["建档立卡", "脱贫户", "监测户"]
    "住院" = 0.90
    "门诊慢特病" = 0.80

A `[targets]` table without `categories` (packs written before targets had categories) is read as
the target of the 健康扶贫 population, DEFAULT_TARGET_CATEGORIES: that is whom the 90%/80% target was
always for, so an older pack keeps its one sensible meaning instead of refusing to load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from app.core.policy_reader import Reader
from app.core.tomllines import KeyPath

DEFAULT_TARGET_CATEGORIES: tuple[str, ...] = ("建档立卡", "脱贫户", "监测户")
TARGET_KEYS = ("categories",)


@dataclass(frozen=True)
class Target:
    """One target group: the person categories it is for, and its fraction per episode kind."""

    categories: tuple[str, ...]
    ratios: Mapping[str, Decimal] = field(default_factory=dict)
    implicit: bool = False

    def covers(self, person: frozenset[str], episode: str) -> bool:
        return episode in self.ratios and bool(person & set(self.categories))


def target_for(targets: Sequence[Target], person: frozenset[str], episode: str) -> Decimal | None:
    """The target fraction for a person (their categories) and an episode kind; None: not judged."""
    group = next((t for t in targets if t.covers(person, episode)), None)
    return None if group is None else group.ratios[episode]


def target_people(targets: Sequence[Target], episode: str) -> tuple[str, ...]:
    """The person categories any target for `episode` is for, in the pack's order."""
    found = [c for t in targets if episode in t.ratios for c in t.categories]
    return tuple(dict.fromkeys(found))


def read_targets(r: Reader, data: Mapping[str, Any], episodes: Sequence[str],
                 categories: Sequence[str]) -> tuple[Target, ...]:
    """The pack's `[targets]` table or `[[targets]]` list, checked; () when there is none."""
    value = data.get("targets")
    if value is None:
        return ()
    if isinstance(value, list):
        groups = r.rows(data, ("targets",))
        if not groups:
            raise r.fail(("targets",), "[[targets]] 至少要有一组")
        return tuple(_group(r, g, ("targets", i), episodes, categories, several=True)
                     for i, g in enumerate(groups))
    table = r.table(value, ("targets",))
    return (_group(r, table, ("targets",), episodes, categories, several=False),)


def _group(r: Reader, table: Mapping[str, Any], path: KeyPath, episodes: Sequence[str],
           categories: Sequence[str], *, several: bool) -> Target:
    ratios: dict[str, Decimal] = {}
    for key in table:
        if key in TARGET_KEYS:
            continue
        if key not in episodes:
            r.member(key, (*path, key), (*TARGET_KEYS, *episodes))
        ratios[key] = r.ratio(table, (*path, key))
    if not ratios:
        raise r.fail(path, "没有写任何目标：请按就医类型写比例，如 \"住院\" = 0.90")
    if "categories" not in table:
        if several:
            raise r.fail(path, "每组目标都要写 categories（适用的人员类别），"
                               "如 categories = [\"建档立卡\", \"脱贫户\", \"监测户\"]")
        return Target(DEFAULT_TARGET_CATEGORIES, MappingProxyType(ratios), implicit=True)
    people = r.texts(table, (*path, "categories"), categories)
    if not people:
        raise r.fail((*path, "categories"), "不能为空：请列出目标适用的人员类别，"
                                            "如 [\"建档立卡\", \"脱贫户\", \"监测户\"]")
    return Target(tuple(dict.fromkeys(people)), MappingProxyType(ratios))


def targets_text(targets: Sequence[Target]) -> str:
    """The targets in one line: 住院 90%、门诊慢特病 80%（建档立卡、脱贫户、监测户）."""
    parts = []
    for t in targets:
        ratios = "、".join(f"{k} {(v * 100).normalize():f}%" for k, v in t.ratios.items())
        default = "，未写 categories，按默认" if t.implicit else ""
        parts.append(f"{ratios}（{'、'.join(t.categories)}{default}）")
    return "；".join(parts)
