"""Follow-ups, health exams and the daily task list: `tasks`, `followup`, `exam`, `exams`.

(`print followups|exam|referral` are registered here too when they land.)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

from app.cli.common import YEAR, AddCommand, open_workspace, parse_date, print_json, today_of
from app.core.errors import ValidationError
from app.core.exams import CONCLUSIONS, NORMALITY, HealthExam
from app.core.followups import (
    ADHERENCE,
    CLASSES,
    DOSE_UNITS,
    KINDS,
    MEASURES,
    METHODS,
    REFERRAL_RESULTS,
    Drug,
    FollowUp,
    Referral,
)
from app.core.jsontext import parse_json_bytes
from app.core.limits import check_date, check_number
from app.core.paths import Paths
from app.core.tasks import STATUSES, TASK_KINDS, TaskList, count

# --- reading JSON files and options --------------------------------------------------------


def _read_json(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise ValidationError(f"找不到文件：{p}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取 {p}：{exc.strerror}") from None
    data = parse_json_bytes(raw, p.name, exact_numbers=False)
    if not isinstance(data, dict):
        raise ValidationError(f"{p.name} 应是一个JSON对象（{{…}}）")
    return data


def _wrong(name: str, value: Any, expected: str) -> ValidationError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return ValidationError(f"字段 {name} 应为{expected}，现在是 {shown}", field=name)


def _value(cls: type, name: str, hint: str, value: Any) -> Any:
    """A JSON value checked against the dataclass field's type, so the rules see the right kinds."""
    if value is None:
        return None
    try:
        if "date" in hint:
            if not isinstance(value, str):
                raise _wrong(name, value, "日期文字 YYYY-MM-DD")
            return check_date(dt.date.fromisoformat(value[:40]), f"字段 {name} ", field=name)
        if name in ("medications", "adjustments"):
            if not isinstance(value, list) or not all(isinstance(d, dict) for d in value):
                raise _wrong(name, value, "用药列表 [{\"name\": …}]")
            return [_drug(name, d) for d in value]
        if name == "referral":
            if not isinstance(value, dict):
                raise _wrong(name, value, "对象 {\"reason\": …, \"hospital\": …}")
            if not all(isinstance(v, str) for v in value.values()):
                raise _wrong(name, value, "文字")
            return Referral(**value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"字段 {name} 的值不对：{str(value)[:40]}（{exc}）", field=name) from None
    if hint.startswith("int"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(name, value, "整数")
    elif hint.startswith("float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong(name, value, "数字")
        check_number(value, f"字段 {name} ", field=name)
    elif hint == "list[str]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _wrong(name, value, "文字列表")
    elif "bool" in hint:
        if not isinstance(value, bool):
            raise _wrong(name, value, "true 或 false")
    elif "str" in hint and not isinstance(value, str):
        raise _wrong(name, value, "文字")
    return value


def _drug(name: str, data: dict[str, Any]) -> Drug:
    drug = Drug(**data)
    if not isinstance(drug.name, str) or not isinstance(drug.unit, str) or not isinstance(drug.usage, str):
        raise _wrong(name, data, "用药（名称、单位为文字）")
    if drug.times_per_day is not None and (isinstance(drug.times_per_day, bool)
                                           or not isinstance(drug.times_per_day, int)):
        raise _wrong(name, data, "用药（每日次数为整数）")
    if drug.dose is not None and (isinstance(drug.dose, bool) or not isinstance(drug.dose, int | float)):
        raise _wrong(name, data, "用药（每次剂量为数字）")
    if not isinstance(drug.insulin, bool):
        raise _wrong(name, data, "用药（insulin 为 true 或 false）")
    return drug


def build(cls: type, data: dict[str, Any], **fixed: Any) -> Any:
    """A FollowUp or HealthExam from a JSON object whose keys are the dataclass's field names."""
    hints = {k: str(v) for k, v in get_type_hints(cls).items()}
    unknown = set(data) - set(hints) - {"person"}
    if unknown:
        raise ValidationError(f"不认识的字段：{'、'.join(sorted(unknown))}")
    values = {k: _value(cls, k, hints[k], v) for k, v in data.items() if k in hints and k != "id"}
    values.update(fixed)
    try:
        return cls(id=None, **values)
    except TypeError as exc:
        raise ValidationError(f"缺少必填字段（{exc}）") from None


def parse_drug(text: str) -> Drug:
    """`名称:每日次数:每次剂量` with the unit after the dose, e.g. 氨氯地平片:1:5mg."""
    parts = text.split(":")
    if len(parts) != 3:
        raise ValidationError(f"用药应写成 名称:每日次数:每次剂量，如 氨氯地平片:1:5mg（现在是 {text}）",
                              field="medications")
    match = re.fullmatch(r"([0-9]{1,6}(?:\.[0-9]{1,4})?)\s*([^0-9.\s]\S{0,9})?", parts[2].strip())
    if not match or not re.fullmatch(r"[0-9]{1,3}", parts[1].strip()):
        raise ValidationError(f"用药“{text}”的次数或剂量不是数字", field="medications")
    unit = match.group(2) or "mg"
    return Drug(parts[0].strip(), int(parts[1]), float(match.group(1)), unit,
                insulin=unit == "U" and "胰岛素" in parts[0])


def parse_bp(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    match = re.fullmatch(r"\s*(\d{2,3})\s*/\s*(\d{2,3})\s*", text)
    if not match:
        raise ValidationError(f"血压应写成 收缩压/舒张压，如 130/80（现在是 {text}）", field="bp")
    return int(match.group(1)), int(match.group(2))


# --- output --------------------------------------------------------------------------------


def _followup_dict(f: FollowUp) -> dict[str, Any]:
    data = dataclasses.asdict(f)
    data.update(bmi=f.bmi, bmi_target=f.bmi_target, face_to_face=f.face_to_face,
                overridden=f.overridden)
    return data


def _print_followup_line(f: FollowUp) -> None:
    if f.kind == "高血压" or f.glucose is None:
        measured = f"血压{f.sbp}/{f.dbp}" if f.sbp is not None else "未测血压"
    else:
        measured = f"空腹血糖{f.glucose:g}"
    extra = "（医生修改了建议）" if f.overridden else ""
    result = f" 转诊结果：{f.referral_result}" if f.referral_result else ""
    print(f"{f.visit_date}  {f.kind}  {f.method}  {measured}  {f.classification}  {f.measure}  "
          f"下次 {f.next_date}{extra}{result}  [{f.id}]")


def _print_saved(f: FollowUp, face_to_face: int) -> None:
    referral = "建议转诊" + ("（紧急）" if f.suggested_urgent else "") if f.suggested_referral else "无需转诊"
    print(f"建议：{f.suggested_class}；{f.suggested_measure}；{referral}；下次随访 {f.suggested_next}")
    for reason in f.suggested_reasons:
        print(f"  · {reason}")
    print(f"已保存：{f.kind}随访 {f.visit_date}（{f.method}），分类 {f.classification}，"
          f"措施 {f.measure}，下次随访 {f.next_date}  [{f.id}]")
    if f.overridden:
        names = {"classification": "分类", "measure": "措施", "next_date": "下次随访日期"}
        print(f"医生修改了建议：{'、'.join(names[n] for n in f.overridden)}（建议与确认的都已保存）")
    print(f"今年{f.kind}面对面随访 {face_to_face} 次")


def _print_tasks(t: TaskList) -> None:
    overdue = sum(t.overdue_by_kind.values())
    print(f"工作台 {t.today}：共 {t.total} 项，其中逾期 {overdue} 项")
    if not t.lines:
        return
    kinds = [k for k in TASK_KINDS if t.by_kind[k]]
    print("  ".join(["村民小组", *kinds, "合计"]))
    for group, counts in t.by_group.items():
        cells = [str(counts.get(k, 0)) for k in kinds]
        print("  ".join([group or "（未分组）", *cells, str(sum(counts.values()))]))
    print("  ".join(["合计", *(str(t.by_kind[k]) for k in kinds), str(t.total)]))
    print()
    for x in t.lines:
        when = f"逾期{x.days_overdue}天" if x.status == "overdue" else STATUSES[x.status]
        count = f"，今年面对面 {x.face_to_face} 次" if x.face_to_face is not None else ""
        print(f"{when}  {x.kind}  {x.name}  {x.record_no}  {x.village}{x.group}  应于 {x.due}  "
              f"{x.detail}{count}")


# --- commands ------------------------------------------------------------------------------


def cmd_tasks(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        t = ws.care.tasks(today_of(args), group=args.group)
    if args.kind:
        t = count(t.today, [x for x in t.lines if x.kind == args.kind])
    if args.json:
        print_json({"today": t.today, "total": t.total, "by_kind": t.by_kind,
                    "overdue_by_kind": t.overdue_by_kind, "by_group": t.by_group, "lines": t.lines})
    else:
        _print_tasks(t)
    return 0


def _followup_from_args(args: argparse.Namespace, person_id: str) -> FollowUp:
    if not args.kind or not args.date:
        raise ValidationError("请写明 --kind（高血压或糖尿病）和 --date（随访日期），或用 --from 文件")
    referral = None
    if args.referral_reason or args.referral_to:
        referral = Referral(args.referral_reason or "", args.referral_to or "")
    return FollowUp(
        id=None, person_id=person_id, kind=args.kind, visit_date=args.date, method=args.method,
        doctor=args.doctor or "", symptoms=args.symptom or [], danger_signs=args.danger or [],
        sbp=args.sbp, dbp=args.dbp, weight=args.weight, weight_target=args.weight_target,
        height=args.height, heart_rate=args.heart_rate, glucose=args.glucose, hba1c=args.hba1c,
        adherence=args.adherence or "", adverse_reaction=bool(args.adverse),
        adverse_text=args.adverse or "", complication=args.complication,
        medications=[parse_drug(d) for d in args.drug or []], referral=referral,
        classification=args.cls or "", measure=args.measure or "", next_date=args.next,
        note=args.note or "")


def cmd_followup_add(args: argparse.Namespace, paths: Paths) -> int:
    today = today_of(args)
    with open_workspace(paths) as ws:
        if args.from_file:
            data = _read_json(args.from_file)
            ref = args.person or data.get("person") or ""
            if not ref:
                raise ValidationError("请写明居民：命令中的 PERSON 或文件中的 \"person\"（档案号或身份证号）")
            person = ws.care.find_person(str(ref))
            f = build(FollowUp, data, person_id=str(person.id))
        else:
            if not args.person:
                raise ValidationError("请写明居民的健康档案编号或身份证号")
            person = ws.care.find_person(args.person)
            f = _followup_from_args(args, str(person.id))
        if args.corrects:
            fid, _ = ws.care.correct_followup(args.corrects, f, today=today)
        else:
            fid, _ = ws.care.add_followup(f, today=today)
        saved = ws.care.followup(fid)
        count = ws.care.face_to_face_count(saved.person_id, saved.kind, saved.visit_date.year)
    if args.json:
        print_json({"followup": _followup_dict(saved), "face_to_face_this_year": count})
    else:
        print(f"{person.name}（{person.record_no}）")
        _print_saved(saved, count)
    return 0


def cmd_followup_list(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        person = ws.care.find_person(args.person)
        found = ws.care.followups(str(person.id), args.kind, args.year)
    if args.json:
        print_json([_followup_dict(f) for f in found])
        return 0
    print(f"{person.name}（{person.record_no}）的随访记录：{len(found)} 次")
    for f in found:
        _print_followup_line(f)
    return 0


def cmd_followup_referral(args: argparse.Namespace, paths: Paths) -> int:
    today = today_of(args)
    with open_workspace(paths) as ws:
        ws.care.record_referral_result(args.followup, args.result, args.date or today, today=today,
                                       note=args.note or "")
        f = ws.care.followup(args.followup)
    print(f"已记录转诊结果：{f.visit_date} {f.kind}随访的转诊 {f.referral_result}（{f.referral_result_on}）")
    return 0


def _exam_from_args(args: argparse.Namespace, person_id: str) -> HealthExam:
    if not args.date:
        raise ValidationError("请写明 --date（体检日期），或用 --from 文件")
    left, right = parse_bp(args.bp_left), parse_bp(args.bp_right)
    return HealthExam(
        id=None, person_id=person_id, exam_date=args.date, doctor=args.doctor or "",
        temperature=args.temperature, pulse=args.pulse, respiration=args.respiration,
        sbp_left=left[0], dbp_left=left[1], sbp_right=right[0], dbp_right=right[1],
        height=args.height, weight=args.weight, waist=args.waist, glucose=args.glucose,
        ecg=args.ecg or "", conclusion=args.conclusion or "", abnormalities=args.abnormal or "",
        result_returned_on=args.returned, note=args.note or "")


def _print_exam(e: HealthExam) -> None:
    bp = f"血压 {e.sbp_left}/{e.dbp_left}" if e.sbp_left is not None else "血压 未测"
    returned = f"已于 {e.result_returned_on} 反馈" if e.result_returned_on else "结果未反馈"
    print(f"{e.exam_date}  {bp}  体质指数 {e.bmi if e.bmi is not None else '—'}  "
          f"空腹血糖 {e.glucose if e.glucose is not None else '—'}  {e.conclusion or '未评价'}"
          f"{('（' + e.abnormalities + '）') if e.abnormalities else ''}  {returned}  [{e.id}]")


def cmd_exam_add(args: argparse.Namespace, paths: Paths) -> int:
    today = today_of(args)
    with open_workspace(paths) as ws:
        if args.from_file:
            data = _read_json(args.from_file)
            person = ws.care.find_person(str(args.person or data.get("person") or ""))
            e = build(HealthExam, data, person_id=str(person.id))
        else:
            if not args.person:
                raise ValidationError("请写明居民的健康档案编号或身份证号")
            person = ws.care.find_person(args.person)
            e = _exam_from_args(args, str(person.id))
        eid, _ = ws.care.add_exam(e, today=today)
        saved = ws.care.exam(eid)
    if args.json:
        print_json(dataclasses.asdict(saved) | {"bmi": saved.bmi})
    else:
        print(f"已保存 {person.name}（{person.record_no}）的体检：")
        _print_exam(saved)
    return 0


def cmd_exam_returned(args: argparse.Namespace, paths: Paths) -> int:
    today = today_of(args)
    with open_workspace(paths) as ws:
        ws.care.mark_exam_returned(args.exam, args.date or today, today=today)
        e = ws.care.exam(args.exam)
    print(f"已记录：{e.exam_date} 的体检结果已于 {e.result_returned_on} 反馈给本人")
    return 0


def cmd_exams(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        person = ws.care.find_person(args.person)
        found = ws.care.exams(str(person.id))
        reasons = ws.care.exam_reasons(str(person.id), today_of(args).year)
    if args.json:
        print_json([dataclasses.asdict(e) | {"bmi": e.bmi} for e in found])
        return 0
    why = f"年度体检对象（{'、'.join(reasons)}）" if reasons else "不属于年度体检对象"
    print(f"{person.name}（{person.record_no}）：{why}，体检记录 {len(found)} 次")
    for e in found:
        _print_exam(e)
    return 0


def _usage(message: str) -> Callable[[argparse.Namespace, Paths], int]:
    def fn(args: argparse.Namespace, paths: Paths) -> int:
        raise ValidationError(message)
    return fn


# --- parser --------------------------------------------------------------------------------


def _sub(parent: argparse.ArgumentParser, dest: str) -> Callable[..., argparse.ArgumentParser]:
    subs = parent.add_subparsers(dest=dest, metavar="ACTION")

    def make(name: str, fn: Callable[[argparse.Namespace, Paths], int], help: str) -> argparse.ArgumentParser:
        p = subs.add_parser(name, help=help, description=help)
        p.set_defaults(func=fn)
        return p
    return make


def _register_followup(add: AddCommand) -> None:
    p = add("followup", _usage("请写明动作：cunyi followup add|list|referral …（见 cunyi followup --help）"),
            "高血压、2型糖尿病患者随访：登记（显示分类与下次随访建议）、查看、登记转诊结果")
    make = _sub(p, "action")
    a = make("add", cmd_followup_add, "登记一次随访：按规则给出分类、管理措施和下次随访日期，医生可修改")
    a.add_argument("person", nargs="?", metavar="PERSON", help="居民的健康档案编号或身份证号")
    a.add_argument("--from", dest="from_file", metavar="FILE", help="从JSON文件读入随访（字段名同随访记录）")
    a.add_argument("--kind", choices=KINDS, help="随访类别")
    a.add_argument("--date", type=parse_date, help="随访日期 YYYY-MM-DD")
    a.add_argument("--method", choices=METHODS, default="门诊", help="随访方式（默认门诊；电话不计入面对面次数）")
    a.add_argument("--sbp", type=int, help="收缩压 mmHg")
    a.add_argument("--dbp", type=int, help="舒张压 mmHg")
    a.add_argument("--weight", type=float, help="体重 kg")
    a.add_argument("--weight-target", type=float, help="目标体重 kg")
    a.add_argument("--height", type=float, help="身高 cm（不填则用最近一次体检的身高）")
    a.add_argument("--heart-rate", type=int, help="心率 次/分")
    a.add_argument("--glucose", type=float, help="空腹血糖 mmol/L（糖尿病）")
    a.add_argument("--hba1c", type=float, help="糖化血红蛋白 %%（糖尿病）")
    a.add_argument("--symptom", action="append", help="症状，可重复，如 --symptom 头痛头晕")
    a.add_argument("--danger", action="append", help="危急情况，可重复，如 --danger 意识改变")
    a.add_argument("--adherence", choices=ADHERENCE, help="服药依从性")
    a.add_argument("--adverse", metavar="TEXT", help="药物不良反应（写明是什么反应）")
    a.add_argument("--complication", action="store_true", help="出现新的并发症或原有并发症加重")
    a.add_argument("--drug", action="append", metavar="名称:次数:剂量",
                   help=f"用药，可重复，如 氨氯地平片:1:5mg（单位 {'、'.join(DOSE_UNITS)}）")
    a.add_argument("--referral-reason", help="转诊原因")
    a.add_argument("--referral-to", help="转诊机构及科别")
    a.add_argument("--class", dest="cls", choices=CLASSES, help="此次随访分类（不写则采用建议）")
    a.add_argument("--measure", choices=MEASURES, help="下一步管理措施（不写则采用建议）")
    a.add_argument("--next", type=parse_date, help="下次随访日期（不写则采用建议）")
    a.add_argument("--corrects", metavar="FOLLOWUP", help="更正这条随访记录（原记录保留）")
    a.add_argument("--doctor", help="随访医生（默认登录用户的姓名；命令行不登录时留空，打印后手签）")
    a.add_argument("--note", help="备注")
    a.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")
    a.add_argument("--json", action="store_true", help="以JSON输出保存的记录")
    lst = make("list", cmd_followup_list, "列出一位居民的随访记录（只显示最新版本）")
    lst.add_argument("person", metavar="PERSON", help="居民的健康档案编号或身份证号")
    lst.add_argument("--kind", choices=KINDS, help="只列这一类")
    lst.add_argument("--year", type=YEAR, help="只列这一年")
    lst.add_argument("--json", action="store_true", help="以JSON输出")
    r = make("referral", cmd_followup_referral, "登记转诊结果：到位或不到位")
    r.add_argument("followup", metavar="FOLLOWUP", help="转诊的那次随访的编号")
    r.add_argument("--result", required=True, choices=REFERRAL_RESULTS, help="转诊结果")
    r.add_argument("--date", type=parse_date, help="核实日期（默认今天）")
    r.add_argument("--note", help="说明")
    r.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")


def _register_exam(add: AddCommand) -> None:
    p = add("exam", _usage("请写明动作：cunyi exam add|returned …（见 cunyi exam --help）"),
            "年度健康体检：登记体检、登记结果已反馈")
    make = _sub(p, "action")
    a = make("add", cmd_exam_add, "登记一次健康体检（常用项目用选项，全部项目用 --from JSON文件）")
    a.add_argument("person", nargs="?", metavar="PERSON", help="居民的健康档案编号或身份证号")
    a.add_argument("--from", dest="from_file", metavar="FILE", help="从JSON文件读入体检（字段名同体检记录）")
    a.add_argument("--date", type=parse_date, help="体检日期 YYYY-MM-DD")
    a.add_argument("--temperature", type=float, help="体温 ℃")
    a.add_argument("--pulse", type=int, help="脉率 次/分")
    a.add_argument("--respiration", type=int, help="呼吸频率 次/分")
    a.add_argument("--bp-left", metavar="SBP/DBP", help="左侧血压，如 130/80")
    a.add_argument("--bp-right", metavar="SBP/DBP", help="右侧血压")
    a.add_argument("--height", type=float, help="身高 cm")
    a.add_argument("--weight", type=float, help="体重 kg")
    a.add_argument("--waist", type=float, help="腰围 cm")
    a.add_argument("--glucose", type=float, help="空腹血糖 mmol/L")
    a.add_argument("--ecg", choices=NORMALITY, help="心电图")
    a.add_argument("--conclusion", choices=CONCLUSIONS, help="健康评价")
    a.add_argument("--abnormal", metavar="TEXT", help="异常情况")
    a.add_argument("--returned", type=parse_date, help="结果已反馈给本人的日期")
    a.add_argument("--doctor", help="体检医生（默认登录用户的姓名；命令行不登录时留空）")
    a.add_argument("--note", help="备注")
    a.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")
    a.add_argument("--json", action="store_true", help="以JSON输出保存的记录")
    r = make("returned", cmd_exam_returned, "登记体检结果已反馈给本人")
    r.add_argument("exam", metavar="EXAM", help="体检记录编号")
    r.add_argument("--date", type=parse_date, help="反馈日期（默认今天）")
    r.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天）")


def register(add: AddCommand, form: AddCommand) -> None:
    """Add this module's commands to the `cunyi` parser (`form` adds a `cunyi print` form)."""
    p = add("tasks", cmd_tasks, "工作台：到期和逾期的随访、转诊随访、年度体检、体检结果反馈、签约到期")
    p.add_argument("--today", type=parse_date, help="按这一天计算（默认今天，YYYY-MM-DD）")
    p.add_argument("--group", help="只看这个村民小组（如 一组，或 红旗村一组）")
    p.add_argument("--kind", choices=TASK_KINDS, help="只列这一类事项")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    _register_followup(add)
    _register_exam(add)
    p = add("exams", cmd_exams, "列出一位居民的健康体检记录，并说明是否为年度体检对象")
    p.add_argument("person", metavar="PERSON", help="居民的健康档案编号或身份证号")
    p.add_argument("--today", type=parse_date, help="按这一年判断是否为体检对象（默认今天）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
