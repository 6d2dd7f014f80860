"""Residents from the command line: `cunyi person show|add|edit|move|status`.

Every write goes through the same Workspace methods as the person, move and status dialogs, so
the same checks, village scope, tracking and audit apply; `edit` changes only the fields given.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.cli import households
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
)
from app.core.errors import ValidationError
from app.core.ids import RecordId
from app.core.paths import Paths
from app.core.people import (
    ASSISTANCE,
    BLOOD_TYPES,
    DISABILITIES,
    DISABILITY_GRADES,
    HEALTH_STATES,
    ID_TYPES,
    INSURANCE_TYPES,
    LIVING_STATUSES,
    MARITAL,
    OCCUPATIONS,
    SEXES,
    Person,
    education_name,
    ethnicity_name,
    sex_code,
)
from app.core.relations import relation_name
from app.storage.changes import Changes

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


def _id_type(value: str) -> str:
    v = value.strip()
    for code, name in ID_TYPES.items():
        if v in (code, name):
            return code
    raise ValidationError(f"不认识的证件类型“{v[:40]}”；可用：{'、'.join(ID_TYPES.values())}")


PERSON_FIELDS: tuple[Field, ...] = (
    Field("name", "name", "姓名", text),
    Field("id-type", "id_type", f"证件类型：{'、'.join(ID_TYPES.values())}", _id_type),
    Field("id-no", "id_no", "证件号码（身份证号）", text),
    Field("sex", "sex", "性别：男、女", named(sex_code)),
    Field("birth", "birth_date", "出生日期 YYYY-MM-DD", date_of("出生日期")),
    Field("relation", "relation", "与户主关系，如 户主、配偶、子、女", named(relation_name, blank=False)),
    Field("phone", "phone", "联系电话", text),
    Field("ethnicity", "ethnicity", "民族，如 汉族", named(ethnicity_name)),
    Field("education", "education", "文化程度", named(education_name)),
    Field("occupation", "occupation", "职业", one_of("职业", OCCUPATIONS)),
    Field("marital", "marital", f"婚姻状况：{'、'.join(MARITAL)}", one_of("婚姻状况", MARITAL)),
    Field("insurance-type", "insurance_type", "医疗费用支付方式", one_of("医疗费用支付方式", INSURANCE_TYPES)),
    Field("insurance-no", "insurance_no", "医保号", text),
    Field("record-no", "record_no", "17位健康档案编号（新增时不写则自动分配）", text),
    Field("person-no", "person_no", "人编号（扶贫系统）", text),
    Field("blood-type", "blood_type", f"血型：{'、'.join(BLOOD_TYPES)}", one_of("血型", BLOOD_TYPES)),
    Field("health-state", "health_state", f"健康状况：{'、'.join(HEALTH_STATES)}",
          one_of("健康状况", HEALTH_STATES)),
    Field("allergies", "allergies", "过敏史", text),
    Field("past-history", "past_history", "既往史", text),
    Field("family-history", "family_history", "家族史", text),
    Field("assistance", "assistance", f"救助类别，用逗号分隔：{'、'.join(ASSISTANCE)}（空值清除）",
          many("救助类别", ASSISTANCE)),
    Field("disabilities", "disabilities", f"残疾类别，用逗号分隔：{'、'.join(DISABILITIES)}（空值清除）",
          many("残疾类别", DISABILITIES)),
    Field("disability-grade", "disability_grade", f"残疾等级：{'、'.join(DISABILITY_GRADES)}",
          one_of("残疾等级", DISABILITY_GRADES)),
    Field("labour-skill", "labour_skill", "劳动技能", text),
    Field("caretaker", "caretaker", "监护人", text),
    Field("note", "note", "备注", text),
)
# The address is the household's (the file keeps one per household): `person edit --address`
# changes it for the whole household, in the same transaction as the person's own fields.
ADDRESS = Field("address", "address", "家庭住址（全户共用，改动对整户生效）", text)


def find_person(ws: Workspace, ref: str) -> Person:
    """A resident by 17-digit 健康档案编号, ID number or record id (NotFoundError otherwise)."""
    return ws.care.find_person(ref)


def person_json(ws: Workspace, p: Person) -> dict[str, Any]:
    """A person's record with the few household facts a reader needs to place them."""
    h = ws.households.get(str(p.household_id))
    return {**as_json(p), "household": {"id": h.id, "household_no": h.household_no,
                                        "village_code": h.village_code, "group_name": h.group_name,
                                        "address": h.address}}


def person_line(p: Person) -> str:
    """Who a resident is in one line: name, record number, sex, birth, relation, status."""
    parts = [SEXES.get(p.sex, ""), str(p.birth_date or ""), p.relation, p.living_status]
    if p.status_date and p.living_status != "在册":
        parts[-1] += f"（{p.status_date}）"
    return f"{p.name}（{p.record_no}）" + " ".join(x for x in parts if x)


def _show(ws: Workspace, p: Person, *, as_json_: bool) -> None:
    if as_json_:
        print_json(person_json(ws, p))
        return
    h = ws.households.get(str(p.household_id))
    print(person_line(p))
    ids = f"{ID_TYPES.get(p.id_type, p.id_type)} {p.id_no}" if p.id_no else "未登记证件号码"
    print(f"  {ids}；电话 {p.phone or '—'}；档案 id {p.id}")
    where = " ".join(x for x in (ws.settings.division_name(h.village_code) or h.village_code, h.group_name,
                                 h.address) if x)
    print(f"  家庭：户编号 {h.household_no or '—'}（id {h.id}）{where}")


def _warn(changes: Changes) -> None:
    for line in changes.warnings:
        print(f"注意：{line}", file=sys.stderr)


def cmd_person_show(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        _show(ws, find_person(ws, args.ref), as_json_=args.json)
    return 0


def cmd_person_add(args: argparse.Namespace, paths: Paths) -> int:
    values = given(args, PERSON_FIELDS)
    if not values.get("name"):
        raise ValidationError("请用 --name 写明姓名")
    with open_workspace(paths) as ws:
        hid = ws.households.find(args.household)
        first = not ws.households.members(hid)
        values.setdefault("relation", "户主" if first else "其他")
        pid, changes = ws.people.add(Person(id=None, household_id=RecordId(hid), **values))
        _warn(changes)
        p = ws.people.get(pid)
        if args.json:
            print_json(person_json(ws, p))
        else:
            print(f"已新增居民：{person_line(p)}")
    return 0


def cmd_person_edit(args: argparse.Namespace, paths: Paths) -> int:
    values = given(args, PERSON_FIELDS)
    address = given(args, (ADDRESS,))
    if not values and not address:
        raise ValidationError("没有给出要改的字段（见 cunyi person edit --help）")
    with open_workspace(paths) as ws:
        current = find_person(ws, args.ref)
        changes = Changes()
        with ws.transaction():
            if values:
                changes.merge(ws.people.update(replace(current, **values)))
            if address:
                h = ws.households.get(str(current.household_id))
                changes.merge(ws.households.update(replace(h, address=address["address"])))
        _warn(changes)
        p = ws.people.get(str(current.id))
        if args.json:
            print_json(person_json(ws, p))
        elif changes.tables:
            print(f"已修改：{person_line(p)}")
        else:
            print(f"没有改动：{person_line(p)}")
    return 0


def cmd_person_move(args: argparse.Namespace, paths: Paths) -> int:
    relation = relation_name(args.relation)
    with open_workspace(paths) as ws:
        p = find_person(ws, args.ref)
        target = ws.households.find(args.household)
        ws.people.move(str(p.id), target, relation)
        moved = ws.people.get(str(p.id))
        if args.json:
            print_json(person_json(ws, moved))
        else:
            h = ws.households.get(target)
            print(f"已将 {p.name}（{p.record_no}）迁入户编号 {h.household_no or '—'}（id {h.id}），"
                  f"与户主关系：{moved.relation}")
    return 0


def cmd_person_status(args: argparse.Namespace, paths: Paths) -> int:
    status = one_of("人员状态", LIVING_STATUSES, blank=False)(args.status)
    on = date_of("状态日期")(args.on or "")
    with open_workspace(paths) as ws:
        p = find_person(ws, args.ref)
        if p.living_status == status:
            raise ValidationError(f"{p.name}（{p.record_no}）已是“{status}”")
        ws.people.mark(str(p.id), status, on, (args.note or "").strip())
        marked = ws.people.get(str(p.id))
        if args.json:
            print_json(person_json(ws, marked))
        else:
            print(f"已标记：{person_line(marked)}")
    return 0


def register(add: AddCommand) -> None:
    """Add `cunyi person` and `cunyi household` and their actions to the parser."""
    make = action_group(add, "person", "居民档案：查看、新增、修改（只改给出的字段）、迁到其他户、标记迁出/死亡/失访",
                        "show|add|edit|move|status", ref_name="PERSON",
                        ref_help="居民的17位健康档案编号、身份证号或档案 id",
                        json_help="以JSON输出居民档案")

    make("show", cmd_person_show, "查看一位居民的档案")
    a = make("add", cmd_person_add, "在一户中新增居民（证件号码、性别、出生日期按身份证核对）", ref=False)
    a.add_argument("household", metavar="HOUSEHOLD", help="户编号、家庭 id 或本户成员的健康档案编号")
    add_flags(a, PERSON_FIELDS)
    e = make("edit", cmd_person_edit, "修改居民档案：只改给出的字段，其余不变")
    add_flags(e, (*PERSON_FIELDS, ADDRESS))
    m = make("move", cmd_person_move, "把居民迁到其他户（婚嫁、分户等）")
    m.add_argument("household", metavar="HOUSEHOLD", help="迁入的户：户编号、家庭 id 或该户成员的健康档案编号")
    m.add_argument("--relation", default="其他", help="与新户主的关系（默认 其他；写 户主 则成为新户主）")
    s = make("status", cmd_person_status, "标记人员状态：迁出、死亡（须写日期）、失访，或恢复为在册")
    s.add_argument("status", metavar="STATUS", help=f"新状态：{'、'.join(LIVING_STATUSES)}")
    s.add_argument("--on", help="状态日期 YYYY-MM-DD（迁出、死亡必填）")
    s.add_argument("--note", help="状态说明")
    households.register(add)

