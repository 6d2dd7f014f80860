"""Printing the care forms: `cunyi print followups|exam|referral`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import YEAR, AddCommand, open_workspace, output_path, write_atomically
from app.core.errors import NotFoundError, ValidationError
from app.core.followups import KINDS
from app.core.paths import Paths

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


def cmd_print_followups(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.care_sources import followup_sheets, years_with_followups
    from app.printing.followups import render_followup_batch

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        person = ws.care.find_person(args.person)
        pid = str(person.id)
        kinds = [args.kind] if args.kind else [k for k in KINDS if years_with_followups(ws, pid, k)]
        if not kinds:
            raise NotFoundError(f"{person.name}（{person.record_no}）还没有高血压或糖尿病随访记录")
        years = {k: args.year or max(years_with_followups(ws, pid, k), default=0) for k in kinds}
        sheets = [followup_sheets(ws, pid, k, years[k]) for k in kinds if years[k]]
        if not sheets or (all(not s.visits for s in sheets) and not args.year):
            raise NotFoundError(f"{person.name}没有{args.kind or ''}随访记录可打印")
        write_atomically(out, lambda tmp: render_followup_batch(sheets, tmp))
    visits = sum(len(s.visits) for s in sheets)
    what = "、".join(f"{k}{years[k]}年" for k in kinds if years[k])
    print(f"已生成随访记录表：{args.out}（{person.name}，{what}，共 {visits} 次随访）")
    return 0


def _latest_exam_id(ws: Workspace, ref: str) -> str:
    try:
        return str(ws.care.exam(ref).id)
    except NotFoundError:
        person = ws.care.find_person(ref)
        exams = sorted(ws.care.exams(str(person.id)), key=lambda e: e.exam_date)
        if not exams:
            raise NotFoundError(f"{person.name}（{person.record_no}）还没有体检记录") from None
        return str(exams[-1].id)


def cmd_print_exam(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.care_sources import exam_slip
    from app.printing.exam_slip import render_exam_slip

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        data = exam_slip(ws, _latest_exam_id(ws, args.exam))
    write_atomically(out, lambda tmp: render_exam_slip(data, tmp))
    print(f"已生成体检结果告知单：{args.out}（{data.patient.name}，{data.exam_date:%Y-%m-%d}）")
    return 0


def _referring_followup(ws: Workspace, ref: str) -> str:
    try:
        f = ws.care.followup(ref)
    except NotFoundError:
        person = ws.care.find_person(ref)
        visits = [f for f in ws.care.followups(str(person.id)) if f.refers]
        if not visits:
            raise NotFoundError(f"{person.name}（{person.record_no}）没有需要转诊的随访记录") from None
        f = max(visits, key=lambda v: v.visit_date)
    if not f.refers:
        raise ValidationError(f"{f.visit_date} 的这次随访没有转诊，不能打印转诊单")
    return str(f.id)


def cmd_print_referral(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.care_sources import referral_slip
    from app.printing.referral import render_referral

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        data = referral_slip(ws, _referring_followup(ws, args.followup))
    write_atomically(out, lambda tmp: render_referral(data, tmp))
    print(f"已生成转诊单：{args.out}（{data.patient.name}，{data.reason}）")
    return 0


def register(add: AddCommand, form: AddCommand) -> None:
    f = form("followups", cmd_print_followups,
             "打印一位居民一年的高血压/2型糖尿病患者随访服务记录表（每页四次随访）")
    f.add_argument("person", metavar="PERSON", help="健康档案编号或身份证号")
    f.add_argument("--kind", choices=list(KINDS), help="只打印这一种（默认：有记录的都打印）")
    f.add_argument("--year", type=YEAR, help="年份（默认：有随访记录的最近一年）")
    f = form("exam", cmd_print_exam, "打印健康体检结果告知单")
    f.add_argument("exam", metavar="EXAM", help="体检记录编号，或居民的健康档案编号/身份证号（取最近一次体检）")
    f = form("referral", cmd_print_referral, "打印转诊单（存根和转出单）")
    f.add_argument("followup", metavar="FOLLOWUP",
                   help="提出转诊的随访记录编号，或居民的健康档案编号/身份证号（取最近一次转诊）")
