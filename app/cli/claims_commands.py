"""`cunyi claims add|estimate|list|show|reverse` and `cunyi print settlement`, on the clinic database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    YEAR,
    AddCommand,
    open_workspace,
    output_path,
    parse_date,
    print_json,
    today_of,
    write_atomically,
)
from app.core.errors import ValidationError
from app.core.paths import Paths

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

FIELD_FLAGS = (
    # (flag, claim key, help)
    ("--episode", "episode", "就医类型：住院、门诊、门诊慢特病"),
    ("--hospital", "hospital", "医疗机构名称"),
    ("--level", "level", "医院级别：一级、二级、三级、未定级"),
    ("--scope", "scope", "就医地范围：县域内、市域内、省域内、省外"),
    ("--admitted", "admitted", "入院（就诊）日期 YYYY-MM-DD"),
    ("--discharged", "discharged", "出院（结算）日期 YYYY-MM-DD"),
    ("--total", "total", "医疗总费用（元），如 50000.00"),
    ("--out-of-catalogue", "out_of_catalogue", "其中目录外（自费）费用（元）"),
    ("--diagnosis", "diagnosis", "诊断"),
    ("--disease", "disease", "大病病种代码（如 C16.9）"),
    ("--settlement-no", "settlement_no", "结算单号"),
    ("--self-pay", "self_pay", "结算单上的个人自付（元）"),
    ("--county", "county", "政策包所属的县（默认设置中的本县）"),
    ("--note", "note", "备注"),
)


def _claim_args(p: argparse.ArgumentParser, *, slip: bool) -> None:
    p.add_argument("person", metavar="PERSON", help="就医的居民：健康档案编号或身份证号")
    p.add_argument("--from", dest="source_file", metavar="FILE",
                   help="结算信息 JSON 文件（格式见 docs/claims.md）；下面的选项会覆盖文件中的同名项")
    for flag, _, text in FIELD_FLAGS:
        if slip or flag not in ("--settlement-no", "--self-pay"):
            p.add_argument(flag, help=text)
    p.add_argument("--referred", action="store_true", default=None, help="已办转诊")
    p.add_argument("--category", action="append", metavar="CATEGORY",
                   help="人员类别，可重复（默认按家庭的贫困户属性和本人的救助类别）")
    if slip:
        p.add_argument("--paid", action="append", metavar="LAYER=AMOUNT",
                       help="结算单上某一层的报销金额，可重复，如 --paid 基本医保=37400.00")
        p.add_argument("--estimate", action="store_true", help="记为预估（还没去就医），不填报销金额")
    p.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天，YYYY-MM-DD）")
    p.add_argument("--json", action="store_true", help="以JSON输出结算结果")


def register_claims(add: AddCommand, form: AddCommand) -> None:
    """Add `cunyi claims …` and `cunyi print settlement`."""
    p = add("claims", _claims_usage, "就医结算记录：录入结算单、估算、列表、查看、冲账")
    sub = p.add_subparsers(dest="claims_command", metavar="COMMAND")

    def command(name: str, fn: Any, text: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=text, description=text)
        c.set_defaults(func=fn)
        return c

    _claim_args(command("add", cmd_claims_add, "录入一次就医结算（医院的结算单或预估），并显示按政策包的测算"),
                slip=True)
    _claim_args(command("estimate", cmd_claims_estimate, "估算一次就医的报销（不写入数据库）"), slip=False)
    c = command("list", cmd_claims_list, "列出就医结算：实际报销比例未达到县定目标的排在前面")
    c.add_argument("--year", type=YEAR, help="只列这一年（按出院日期）")
    c.add_argument("--group", help="只列这个村民小组")
    c.add_argument("--person", help="只列这位居民：健康档案编号或身份证号")
    c.add_argument("--all", action="store_true", help="也列出已冲账的结算和冲账记录")
    c.add_argument("--by-date", action="store_true", help="只按日期排列（最新的在前）")
    c.add_argument("--json", action="store_true", help="以JSON输出")
    c = command("show", cmd_claims_show, "查看一条结算：逐层计算说明，结算单与测算的核对")
    c.add_argument("claim", metavar="CLAIM", help="记录编号或结算单号")
    c.add_argument("--json", action="store_true", help="以JSON输出")
    c = command("reverse", cmd_claims_reverse, "冲账：新增一条冲账记录，原结算不再计入本年度累计")
    c.add_argument("claim", metavar="CLAIM", help="记录编号或结算单号")
    c.add_argument("--reason", required=True, help="冲账原因")
    c.add_argument("--today", type=parse_date, help="冲账日期（默认今天，YYYY-MM-DD）")

    f = form("settlement", cmd_print_settlement, "打印一条就医结算的一站式结算单（医疗费用报销（补偿）单）")
    f.add_argument("claim", metavar="CLAIM", help="记录编号或结算单号")


def _claims_usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明要做什么：cunyi claims add|estimate|list|show|reverse …（见 cunyi claims --help）")


# --- reading the claim ---------------------------------------------------------------------


def find_person(ws: Any, ref: str) -> str:
    """A person's id from a record number, an ID number or the id itself."""
    text = ref.strip().upper()
    row = ws.conn.execute(
        "SELECT id FROM people WHERE (record_no = ? OR id_no = ? OR id = ?) AND deleted = 0",
        (text, text, ref.strip())).fetchone()
    if row is None:
        return str(ws.care.find_person(ref).id)     # also a number a renumbering took away
    return str(row[0])


def _claim(args: argparse.Namespace, person_id: str, *, planning: bool = False) -> Any:
    """The claim from --from FILE and the flags; `planning` (estimate): without slip amounts
    the claim is a 预估, which may lie in the future."""
    from app.cli.claims import _read_json
    from app.core.claims_json import claim_from_json

    data: dict[str, Any] = {}
    where = ""
    if args.source_file:
        path = Path(args.source_file)
        loaded = _read_json(path, "结算信息")
        if not isinstance(loaded, dict):
            raise ValidationError(f"{path.name}：应为一个JSON对象 {{ … }}")
        data, where = dict(loaded), f"{path.name}："
    for flag, key, _ in FIELD_FLAGS:
        value = getattr(args, flag[2:].replace("-", "_"), None)
        if value is not None:
            data[key] = value
    if args.referred:
        data["referred"] = True
    if args.category:
        data["categories"] = args.category
    if getattr(args, "paid", None):
        paid = dict(data.get("paid") or {})
        for item in args.paid:
            name, sep, amount = item.partition("=")
            if not sep or not name.strip():
                raise ValidationError(f"--paid 应写成 层名=金额，如 基本医保=37400.00，现在是“{item}”",
                                      field="paid")
            paid[name.strip()] = amount.strip()
        data["paid"] = paid
    if getattr(args, "estimate", False):
        data["source"] = "预估"
    if planning and "source" not in data and not data.get("paid") and data.get("self_pay") is None:
        data["source"] = "预估"
    return claim_from_json(data, person_id=person_id, where=where)


# --- commands ------------------------------------------------------------------------------


def _print_settlement(s: Any, checks: Any = ()) -> None:
    from app.core.settlement_text import explain

    print("\n".join(explain(s)))
    if any(k.slip is not None for k in checks):
        print("结算单与测算核对（结算单 − 测算）：")
        for k in checks:
            if k.slip is None:
                continue
            mark = "  ← 不一致" if k.flagged else ""
            print(f"  {k.name}：结算单 {k.slip:,.2f}，测算 {k.estimate:,.2f}，相差 {k.difference:,.2f}{mark}")


def _warn_refused_packs(ws: Workspace) -> None:
    """Say once on stderr which county packs were not loaded (overlapping or unreadable)."""
    for problem in ws.claims.shelf().problems:
        print(f"注意：{problem}", file=sys.stderr)


def cmd_claims_add(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        _warn_refused_packs(ws)
        claim = _claim(args, find_person(ws, args.person))
        cid, _ = ws.claims.add_claim(claim, today=today_of(args))
        line = ws.claims.line(cid)
    if args.json:
        print_json(_line_json(line, detail=True))
        return 0
    c = line.claim
    number = f"，结算单号 {c.settlement_no}" if c.settlement_no else ""
    print(f"已录入{c.source}：{line.person_name}，记录编号 {cid}{number}")
    _print_settlement(line.settlement, line.checks)
    if line.from_slip:
        print(f"按结算单：报销合计 {line.reimbursed:,.2f}，个人自付 {line.self_pay:,.2f}，"
              f"实际报销比例 {line.ratio_actual}%")
    return 0


def cmd_claims_estimate(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        _warn_refused_packs(ws)
        claim = _claim(args, find_person(ws, args.person), planning=True)
        s = ws.claims.estimate(claim, today=today_of(args))
    if args.json:
        print_json(s.to_json())
    else:
        _print_settlement(s)
    return 0


def _line_json(line: Any, *, detail: bool = False) -> dict[str, Any]:
    from app.core.claims_json import checks_json, claim_json
    from app.core.settlement_text import ytd_json

    out: dict[str, Any] = {
        **claim_json(line.claim), "person": line.person_name, "record_no": line.record_no,
        "group": line.group_name, "reimbursed": str(line.reimbursed), "self_pay_final": str(line.self_pay),
        "ratio_actual": str(line.ratio_actual), "target": None if line.target is None else str(line.target),
        "target_met": line.target_met, "from_slip": line.from_slip, "flagged": line.flagged,
        "reversed_by": line.reversed_by,
    }
    if detail:
        out["settlement"] = line.settlement.to_json()
        out["comparison"] = checks_json(line.checks)
        out["year_to_date"] = ytd_json(line.year_to_date)
    return out


def cmd_claims_list(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        person = find_person(ws, args.person) if args.person else None
        lines = ws.claims.claims(year=args.year, group=args.group, person_id=person,
                                 above_target_first=not args.by_date, include_reversed=args.all)
    if args.json:
        print_json([_line_json(x) for x in lines])
        return 0
    if not lines:
        print("没有符合条件的结算记录。")
        return 0
    for x in lines:
        c = x.claim
        met = "" if x.target_met is None else ("达标" if x.target_met else "未达标")
        flags = ("  预估" if c.is_estimate else "") + ("  结算单与测算不一致" if x.flagged else "")
        flags += "  已冲账" if x.reversed_by else ("  冲账记录" if c.reverses else "")
        flags += f"  重复录入（以 {x.duplicate_of} 为准，不计入）" if x.duplicate_of else ""
        print(f"{c.discharged}  {x.person_name}  {x.group_name}  {'、'.join(x.categories)}  {c.episode}  "
              f"{c.hospital}  总费用 {c.total:,.2f}  报销 {x.reimbursed:,.2f}  自付 {x.self_pay:,.2f}  "
              f"{x.ratio_actual}% {met}{flags}  [{c.id}]")
    print(f"共 {len(lines)} 条。")
    return 0


def cmd_claims_show(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        line = ws.claims.line(str(ws.claims.claim(args.claim).id))
    if args.json:
        print_json(_line_json(line, detail=True))
        return 0
    c = line.claim
    head = f"{c.source}  {line.person_name}（{line.record_no}）  {c.hospital}"
    if c.settlement_no:
        head += f"  结算单号 {c.settlement_no}"
    print(head + f"  记录编号 {c.id}")
    if c.reverses:
        print(f"冲账记录：冲销 {c.reverses}，原因：{c.reason}")
    elif line.reversed_by:
        print(f"已冲账（冲账记录 {line.reversed_by}），不计入本年度累计")
    _print_settlement(line.settlement, line.checks)
    if line.from_slip:
        print(f"按结算单：报销合计 {line.reimbursed:,.2f}，个人自付 {line.self_pay:,.2f}，"
              f"实际报销比例 {line.ratio_actual}%")
    return 0


def cmd_claims_reverse(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        original = ws.claims.claim(args.claim)
        rid, _ = ws.claims.reverse_claim(str(original.id), args.reason, today=today_of(args))
    print(f"已冲账：{original.id}（冲账记录 {rid}），原因：{args.reason.strip()}")
    return 0


def cmd_print_settlement(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.claim_sources import settlement_form
    from app.printing.settlement import render_settlement

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        data = settlement_form(ws, str(ws.claims.claim(args.claim).id))
    write_atomically(out, lambda tmp: render_settlement(data, tmp))
    print(f"已生成结算单：{args.out}（{data.patient.name}，报销合计 {data.reimbursed:,.2f}，"
          f"个人自付 {data.self_pay:,.2f}）")
    return 0

