"""Diagnoses on a person's file from the command line: `diagnosis add|end|list`.

A diagnosis (高血压, 2型糖尿病 …) is what puts a resident on the follow-up list of the 工作台.
"""

from __future__ import annotations

import argparse
import dataclasses

from app.cli.common import AddCommand, Command, open_workspace, parse_date, print_json, today_of
from app.core.errors import ValidationError
from app.core.paths import Paths
from app.core.people import CONDITIONS, TREATMENT_CLASSES, Diagnosis
from app.core.roster import condition_of


def _condition(text: str) -> str:
    found = condition_of(text)
    if found is None:
        raise ValidationError(f"不认识的病种“{text}”；可用：{'、'.join(CONDITIONS)}")
    return found


def cmd_diagnosis_add(args: argparse.Namespace, paths: Paths) -> int:
    condition = _condition(args.condition)
    with open_workspace(paths) as ws:
        person = ws.care.find_person(args.person)
        assert person.id is not None
        ws.people.add_diagnosis(Diagnosis(id=None, person_id=person.id, condition=condition,
                                   confirmed_on=args.since, hospital=args.hospital or "",
                                   treatment_class=args.treatment_class or "",
                                   note=args.note or ""), today=today_of(args))
    since = f"，确诊于 {args.since}" if args.since else ""
    print(f"已为 {person.name}（{person.record_no}）记入诊断：{condition}{since}")
    return 0


def cmd_diagnosis_end(args: argparse.Namespace, paths: Paths) -> int:
    condition = _condition(args.condition)
    today = today_of(args)
    with open_workspace(paths) as ws:
        person = ws.care.find_person(args.person)
        ws.people.end_diagnosis(str(person.id), condition, args.on or today, today=today)
    print(f"{person.name}（{person.record_no}）的“{condition}”已于 {args.on or today} 结束，不再列入随访")
    return 0


def cmd_diagnosis_list(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        person = ws.care.find_person(args.person)
        found = ws.people.diagnoses(str(person.id))
    if args.json:
        print_json([dataclasses.asdict(d) for d in found])
        return 0
    print(f"{person.name}（{person.record_no}）的诊断：{len(found)} 项")
    for d in found:
        extra = "，".join(filter(None, (f"确诊 {d.confirmed_on}" if d.confirmed_on else "",
                                        d.hospital, d.treatment_class, d.note)))
        print(f"  {d.condition}" + (f"（{extra}）" if extra else ""))
    return 0


def _usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明动作：cunyi diagnosis add|end|list …（见 cunyi diagnosis --help）")


def register(add: AddCommand) -> None:
    """Add `cunyi diagnosis` and its actions to the parser."""
    p = add("diagnosis", _usage, "居民的诊断（高血压、2型糖尿病等）：记入、结束、查看；有诊断才会列入随访")
    subs = p.add_subparsers(dest="action", metavar="ACTION")

    def make(name: str, fn: Command, help: str) -> argparse.ArgumentParser:
        sub = subs.add_parser(name, help=help, description=help)
        sub.set_defaults(func=fn)
        sub.add_argument("person", metavar="PERSON", help="居民的健康档案编号或身份证号")
        return sub

    a = make("add", cmd_diagnosis_add, "给居民记入一项诊断")
    a.add_argument("condition", metavar="CONDITION", help=f"病种：{'、'.join(CONDITIONS)}（也认 糖尿病、脑梗 等常见写法）")
    a.add_argument("--since", type=parse_date, help="确诊日期 YYYY-MM-DD（不写则为不详，随访从今天起算）")
    a.add_argument("--hospital", help="确诊医院")
    a.add_argument("--class", dest="treatment_class", choices=TREATMENT_CLASSES, help="救治分类")
    a.add_argument("--note", help="备注")
    a.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")
    e = make("end", cmd_diagnosis_end, "结束一项诊断（治愈、误诊等）：不再列入随访，记录保留")
    e.add_argument("condition", metavar="CONDITION", help="病种，如 高血压")
    e.add_argument("--on", type=parse_date, help="结束日期 YYYY-MM-DD（默认今天）")
    e.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")
    lst = make("list", cmd_diagnosis_list, "列出居民档案中的诊断")
    lst.add_argument("--json", action="store_true", help="以JSON输出")
