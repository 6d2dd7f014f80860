"""Households from the command line: `cunyi household show|add|edit|move`.

Writes go through the Workspace as the household dialog's do (village scope, tracking, audit);
a move to another village carries the members and everything hanging off the household.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.cli.common import AddCommand, open_workspace, print_json
from app.cli.fields import (
    Field,
    action_group,
    add_flags,
    as_json,
    date_of,
    given,
    many,
    named,
    one_of,
    text,
    year,
)
from app.core.errors import ValidationError
from app.core.households import (
    FUELS,
    HOUSING,
    KITCHEN_EXHAUST,
    LIVESTOCK_PENS,
    POVERTY_CAUSES,
    POVERTY_STATUSES,
    TOILETS,
    WATER_SOURCES,
    Household,
    poverty_status_code,
)
from app.core.paths import Paths
from app.core.people import SEXES

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

HOUSEHOLD_FIELDS: tuple[Field, ...] = (
    Field("group", "group_name", "村民小组，如 一组", text),
    Field("address", "address", "家庭住址", text),
    Field("phone", "phone", "家庭联系电话", text),
    Field("household-no", "household_no", "户编号（扶贫系统）", text),
    Field("poverty-status", "poverty_status", f"贫困户属性：{'、'.join(POVERTY_STATUSES.values())}",
          named(poverty_status_code, blank=False)),
    Field("poverty-causes", "poverty_causes", "致贫原因，用逗号分隔（空值清除）", many("致贫原因", POVERTY_CAUSES)),
    Field("exit-year", "exit_year", "脱贫年度（空值清除）", year),
    Field("housing", "housing", f"住房：{'、'.join(HOUSING)}", one_of("住房", HOUSING)),
    Field("water", "water", "饮水", one_of("饮水", WATER_SOURCES)),
    Field("toilet", "toilet", "厕所", one_of("厕所", TOILETS)),
    Field("fuel", "fuel", "燃料", one_of("燃料", FUELS)),
    Field("kitchen-exhaust", "kitchen_exhaust", "厨房排风", one_of("厨房排风", KITCHEN_EXHAUST)),
    Field("livestock-pen", "livestock_pen", "禽畜栏", one_of("禽畜栏", LIVESTOCK_PENS)),
    Field("note", "note", "备注", text),
)


def village_code(ws: Workspace, ref: str) -> str:
    """A village by its 12-digit code or its name among this clinic's villages."""
    v = ref.strip()
    for code, name in ws.settings.villages():
        if v in (code, name):
            return code
    if v.isdigit():
        return v            # the Workspace checks the code and whether this clinic may write it
    raise ValidationError(f"不认识的村“{v[:40]}”；本卫生室的村：{'、'.join(n for _, n in ws.settings.villages())}")


def household_json(ws: Workspace, h: Household) -> dict[str, Any]:
    """A household's record with its members' records."""
    return {**as_json(h), "members": [as_json(p) for p in ws.households.members(str(h.id))]}


def household_line(ws: Workspace, h: Household) -> str:
    """Where a household is and what it is, in one line."""
    where = " ".join(x for x in (ws.settings.division_name(h.village_code) or h.village_code, h.group_name,
                                 h.address) if x)
    status = POVERTY_STATUSES.get(h.poverty_status, h.poverty_status)
    return f"户编号 {h.household_no or '—'}（id {h.id}）{where}；{status}"


def _print(ws: Workspace, h: Household, args: argparse.Namespace, done: str) -> None:
    if args.json:
        print_json(household_json(ws, h))
    else:
        print(f"{done}{household_line(ws, h)}")


def cmd_household_show(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        h = ws.households.get(ws.households.find(args.ref))
        if args.json:
            print_json(household_json(ws, h))
            return 0
        print(household_line(ws, h))
        if h.phone:
            print(f"  电话 {h.phone}")
        members = ws.households.members(str(h.id))
        print(f"  成员 {len(members)} 人：")
        for p in members:
            parts = [SEXES.get(p.sex, ""), str(p.birth_date or ""), p.relation, p.living_status]
            print(f"    {p.name}（{p.record_no}）" + " ".join(x for x in parts if x))
    return 0


def cmd_household_add(args: argparse.Namespace, paths: Paths) -> int:
    values = given(args, HOUSEHOLD_FIELDS)
    since: dt.date | None = date_of("属性起始日期")(args.since or "")
    with open_workspace(paths) as ws:
        village = village_code(ws, args.village)
        hid, _ = ws.households.add(Household(id=None, village_code=village, **values), since=since)
        _print(ws, ws.households.get(hid), args, "已新增家庭：")
    return 0


def cmd_household_edit(args: argparse.Namespace, paths: Paths) -> int:
    values = given(args, HOUSEHOLD_FIELDS)
    if not values:
        raise ValidationError("没有给出要改的字段（见 cunyi household edit --help）")
    with open_workspace(paths) as ws:
        current = ws.households.get(ws.households.find(args.ref))
        changes = ws.households.update(replace(current, **values))
        _print(ws, ws.households.get(str(current.id)), args, "已修改：" if changes.tables else "没有改动：")
    return 0


def cmd_household_move(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        current = ws.households.get(ws.households.find(args.ref))
        village = village_code(ws, args.village)
        if village == current.village_code:
            raise ValidationError(f"这户已在 {ws.settings.division_name(village) or village}")
        group = current.group_name if args.group is None else args.group.strip()
        ws.households.update(replace(current, village_code=village, group_name=group))
        _print(ws, ws.households.get(str(current.id)), args, "已迁到：")
    return 0


def register(add: AddCommand) -> None:
    """Add `cunyi household` and its actions to the parser."""
    make = action_group(add, "household", "家庭档案：查看（含成员）、新增、修改（只改给出的字段）、迁到本乡镇其他村",
                        "show|add|edit|move", ref_name="HOUSEHOLD",
                        ref_help="户编号、家庭 id 或本户成员的健康档案编号",
                        json_help="以JSON输出家庭档案及成员")

    make("show", cmd_household_show, "查看一户的档案和成员")
    a = make("add", cmd_household_add, "新增一户家庭档案（成员用 cunyi person add 添加）", ref=False)
    a.add_argument("--village", required=True, help="村：12位区划代码或村名")
    a.add_argument("--since", help="贫困户属性的起始日期 YYYY-MM-DD（默认今天）")
    add_flags(a, HOUSEHOLD_FIELDS)
    e = make("edit", cmd_household_edit, "修改家庭档案：只改给出的字段，其余不变")
    add_flags(e, HOUSEHOLD_FIELDS)
    m = make("move", cmd_household_move, "把整户迁到本乡镇的另一个村（村卫生室只能管本村，由乡镇卫生院办理）")
    m.add_argument("village", metavar="VILLAGE", help="迁入的村：12位区划代码或村名")
    m.add_argument("--group", help="在新村的村民小组（默认不变）")
