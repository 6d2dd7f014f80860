"""The `cunyi` command line: everything the app does, headless and scriptable.

Errors print one line on stderr and exit non-zero; data commands take `--json`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.cli import (
    audit,
    care,
    care_print,
    claims,
    diagnosis,
    keys,
    numbers,
    people,
    sql,
    sync,
    users,
)
from app.cli.common import (
    EXIT_ERROR,
    EXIT_USAGE,
    file_problem,
    is_locked,
    log_unraisable,
    open_workspace,
    output_path,
    parse_date,
    print_json,
    report_crash,
    sign_in_to_replace,
    today_of,
    whole_number,
    write_atomically,
)
from app.core.errors import CunyiError, StorageError, ValidationError
from app.core.paths import Paths, resolve
from app.storage.engine import sqlite3
from app.storage.outputs import io_failure
from app.storage.owner import refuse_if_held

EXIT_BROKEN_PIPE = 141      # 128 + SIGPIPE, as a shell reports `yes | head`

# --- commands ----------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.workspace import Workspace

    password = args.password or os.environ.get("CUNYI_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise ValidationError("请用 --password 或环境变量 CUNYI_PASSWORD 给出第一个用户的密码")
        password = getpass.getpass("第一个用户的密码：")
    if paths.database.exists():
        raise StorageError(f"{paths.database} 已存在，不会覆盖")
    from app.core.users import check_new_user

    check_new_user(args.user, args.display_name or args.user, args.role, password)
    from app.storage.clinic_division import check_new_clinic_code

    check = check_new_clinic_code(args.division)
    for warning in check.warnings:
        print(f"注意：{warning}（仍按 {check.code} 建库；填错了可由管理员在 设置 › 卫生室 中更正）",
              file=sys.stderr)
    ws = Workspace.create(
        paths.database, clinic_name=args.clinic, division_code=args.division,
        division_name=args.village_name, station=args.station,
    )
    with ws:
        ws.users.add_first(args.user, args.display_name or args.user, args.role, password)
        key = ws.recovery_key()
    print(f"已创建 {args.clinic} 的数据库：{paths.database}")
    print(f"数据已加密。恢复密钥（只显示这一次，请抄下保存在安全的地方）：{key}")
    return 0


def cmd_demo(args: argparse.Namespace, paths: Paths) -> int:
    from app import demo
    from app.demo import file as demo_file

    saved: Path | None = None
    exists = paths.database.exists()
    if exists and not args.force:
        raise StorageError(f"{paths.database} 已存在；要替换为演示数据请加 --force")
    # The app holds the file (even on its first-run screen, before there is one): refused
    # before signing in writes anything.
    refuse_if_held(paths.database, "替换为演示数据" if exists else "生成演示数据")
    if exists:
        sign_in_to_replace(paths)       # an administrator of the database being replaced
        saved = demo_file.set_aside(paths.database, paths.backups)
    summary = demo.generate(paths.database, size=args.size, seed=args.seed, replace=True)
    if args.json:
        print_json(summary)
    else:
        user, password = demo.DEMO_USER
        print(f"演示数据已生成：{paths.database}")
        print(
            f"{summary.clinic_name}：{summary.villages}个村，{summary.households}户，{summary.people}人"
            f"（其中贫困户{summary.poor_households}户），诊断{summary.diagnoses}条，"
            f"签约{summary.contracts}户，就医结算{summary.claims}条，"
            f"用时{summary.seconds:.1f}秒"
        )
        print(f"演示用户：{user}  密码：{password}")
        if saved is not None:
            print(f"原来的数据库没有删除，已保存为 {saved}")
    return 0


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace, paths: Paths) -> int:
    if not _has_display():
        print(
            "没有可用的图形显示（DISPLAY 未设置）：请在桌面环境中运行，"
            "或用 QT_QPA_PLATFORM=offscreen（无窗口）/ xvfb-run make run 在虚拟屏幕上运行。",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from app.ui.application import run_gui

    return run_gui(paths, demo=args.demo)


def cmd_import(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.importing import parse_mapping_arg
    from app.storage.importer import import_workbook

    mapping = parse_mapping_arg(args.map) if args.map else None
    path = Path(args.file)
    if not path.is_file():
        raise ValidationError(f"找不到文件：{path}")
    if args.report:
        _check_report_path(Path(args.report))
    with open_workspace(paths) as ws:
        # Checked before importing: a bad report path must not fail after the import committed.
        report_path = output_path(args.report, paths, ws, force=args.force) if args.report else None
        shown = [-1]

        def progress(done: int, total: int) -> None:
            pct = done * 100 // max(total, 1)
            if not args.json and sys.stderr.isatty() and pct != shown[0]:
                shown[0] = pct
                print(f"\r导入中… {pct}%", end="", file=sys.stderr, flush=True)

        report = import_workbook(ws, path, mapping=mapping, progress=progress)
        if shown[0] >= 0:
            print(file=sys.stderr)
    if report_path is not None:
        try:
            report.write_xlsx(report_path)
        except CunyiError as exc:
            raise StorageError(f"导入已完成（{report.summary()}），但问题清单没有保存：{exc}") from exc
    if args.json:
        print_json(report)
    else:
        for note in report.ambiguous:
            print(note)
        print(report.summary())
        for p in report.problems:
            print(f"  第{p.row_number}行 {p.name} {p.id_no}：{p.reason}")
        for s in report.skipped:
            print(f"  跳过：第{s.row_number}行：{s.reason}")
        for w in report.warnings:
            print(f"  提示：第{w.row_number}行 {w.name}：{w.reason}")
        if args.report:
            print(f"问题清单已保存：{args.report}")
    why = report.nothing_imported()
    if why:
        print(f"错误：{why}", file=sys.stderr)
        return EXIT_ERROR
    return 0


def _check_report_path(report: Path) -> None:
    """Refuse a --report path that cannot be written before anything is imported, not after."""
    if report.is_dir():
        raise ValidationError(f"问题清单的保存位置 {report} 是一个文件夹，请给出文件名（如 问题清单.xlsx）")
    folder = report.parent if str(report.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(f"问题清单的保存文件夹不存在：{folder}")


def cmd_export(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.importer import export_workbook

    with open_workspace(paths) as ws:
        n = export_workbook(ws, output_path(args.out, paths, ws, force=args.force))
    print(f"已导出 {n} 人到 {args.out}")
    return 0


def cmd_search(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.identity import SEX_NAMES

    with open_workspace(paths) as ws:
        hits = ws.people.search(args.query, limit=args.limit)
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        print("没有找到。")
        return 0
    for h in hits:
        status = "" if h.living_status == "在册" else f"（{h.living_status}）"
        print(f"{h.record_no}  {h.name}{status}  {SEX_NAMES.get(h.sex, '')}  {h.birth_date}  "
              f"{h.id_no}  {h.group_name}  {h.relation}  {h.phone}")
    return 0


def cmd_id_check(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.identity import SEX_NAMES, parse_resident_id

    results = []
    bad = 0
    for raw in args.ids:
        try:
            rid = parse_resident_id(raw, today=args.today)
        except ValidationError as exc:
            bad += 1
            results.append({"input": raw, "valid": False, "reason": str(exc)})
        else:
            results.append({
                "input": raw, "valid": True, "number": rid.number,
                "birth_date": rid.birth_date.isoformat(), "sex": SEX_NAMES[rid.sex],
                "converted_from_15": rid.converted_from_15,
            })
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["valid"]:
                extra = "（由15位转换）" if r["converted_from_15"] else ""
                print(f"{r['input']}：有效 {r['number']}{extra} 出生 {r['birth_date']} {r['sex']}")
            else:
                print(f"{r['input']}：无效，{r['reason']}")
    return EXIT_ERROR if bad else 0


def cmd_backup(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.backup import list_backups, make_backup

    folder = Path(args.to) if args.to else None
    if args.list:
        with open_workspace(paths) as ws:
            folder = folder or Path(ws.settings.get("backup_dir") or paths.backups)
        infos = list_backups(folder)
        if args.json:
            print_json(infos)
        else:
            for b in infos:
                print(f"{b.created.astimezone():%Y-%m-%d %H:%M}  {b.size_bytes // 1024:>7} KB  {b.reason:<14}  {b.path}")
            if not infos:
                print(f"{folder} 中没有备份。")
        return 0
    with open_workspace(paths) as ws:
        folder = folder or Path(ws.settings.get("backup_dir") or paths.backups)
        path = make_backup(ws, folder, reason="manual")
    print(f"已备份到 {path}")
    return 0


def _backup_folder(paths: Paths) -> Path:
    """The backup folder from the settings of a database that may be damaged (read, never written),
    else the data folder's."""
    import contextlib

    from app.storage.db import connect_read_only

    try:
        with contextlib.closing(connect_read_only(paths.database)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'backup_dir'").fetchone()
    except sqlite3.Error:
        return paths.backups
    return Path(row[0]) if row and row[0] else paths.backups


def cmd_restore(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.backup import backup_info, check_backup, restore_backup
    from app.storage.backup_policy import foreign_backup

    backup = Path(args.backup)
    if not backup.is_file():
        raise StorageError(f"找不到备份文件：{backup}")
    refuse_if_held(paths.database, "恢复备份")      # the app has it open: nothing is written
    kept_in = sign_in_to_replace(paths, backup)    # an administrator, before anything is read
    check_backup(backup)
    foreign = foreign_backup(paths.database, backup)
    if foreign and not args.yes:
        raise ValidationError(f"{backup.name} 像是另一个卫生室的备份（{foreign}）；确认要用它替换本卫生室的数据请加 --yes")
    from app.storage.versions import unsynced_in_file

    pending = unsynced_in_file(paths.database) if paths.database.exists() else 0
    warning = (f"当前数据有 {pending} 条修改尚未同步到县里：恢复后它们只留在恢复前自动保存的备份里，"
               "不会再送到县里" if pending else "")
    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError(f"恢复会替换当前数据{'（' + warning + '）' if warning else ''}；确认无误请加 --yes")
        if warning:
            print(f"注意：{warning}。")
        answer = input(f"用 {backup.name} 替换当前数据？（会先自动备份当前数据）[y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("已取消。")
            return EXIT_ERROR
    folder = kept_in or _backup_folder(paths)
    info = backup_info(backup)
    safety = restore_backup(paths.database, backup, safety_folder=folder)
    made = f"{info.created.astimezone():%Y-%m-%d %H:%M} 的备份" if info else "备份"
    if safety is None:
        kept = "恢复前没有数据库文件。"
    elif safety.parent == folder and safety.name.startswith("cunyi-"):
        kept = f"恢复前的数据没有删除，已另存为 {safety}"
    else:
        kept = f"原来无法使用的数据库没有删除，已移到 {safety}"
    print(f"恢复成功：当前数据已换成 {made}（{backup.name}）。{kept}")
    if warning:
        print(f"注意：{warning}。", file=sys.stderr)
    return 0


def _contract_dict(line: Any) -> dict[str, Any]:
    c = line.contract
    return {
        "id": c.id, "contract_no": c.contract_no, "status": line.status, "household_id": c.household_id,
        "head": line.head_name, "household_no": line.household_no, "group": line.group_name,
        "team_id": c.team_id, "members": len(c.member_ids), "packages": c.package_codes,
        "start": c.start, "end": c.end, "signed_on": c.signed_on, "days_left": line.days_left,
        "fees": {k: str(v) for k, v in c.fees.items()}, "fee_total": str(c.fee_total),
        "served": line.served, "renewed_from": c.renewed_from,
        "dissolution_reason": c.dissolution_reason,
    }


def cmd_contracts(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.contracts import STATUS_NAMES
    from app.storage.contracts import remind_days

    with open_workspace(paths) as ws:
        expiring = remind_days(ws) if args.expiring == -1 else args.expiring
        lines = ws.contracts.list(today=today_of(args), status=args.status, expiring=expiring,
                             unserved=args.unserved, group=args.group)
    if args.json:
        print_json([_contract_dict(line) for line in lines])
        return 0
    if not lines:
        print("没有符合条件的协议。")
        return 0
    for line in lines:
        c = line.contract
        left = f"  剩{line.days_left}天" if line.status in ("signed", "active") else ""
        print(f"{c.contract_no}  {STATUS_NAMES[line.status]}  {line.head_name}户  {line.group_name}  "
              f"{len(c.member_ids)}人  {'+'.join(c.package_codes)}  {c.start}至{c.end}{left}  "
              f"合计{c.fee_total}元（个人{c.fees['个人']}元）  履约{line.served}次")
    print(f"共 {len(lines)} 份。")
    return 0


def _print_contract(title: str, c: Any) -> None:
    print(f"{title}：协议号 {c.contract_no}，{len(c.member_ids)}人，服务期 {c.start} 至 {c.end}，"
          f"费用合计 {c.fee_total} 元（个人 {c.fees['个人']} 元）")


def cmd_sign(args: argparse.Namespace, paths: Paths) -> int:
    on = today_of(args)
    with open_workspace(paths) as ws:
        hid = ws.households.find(args.household)
        team = ws.contracts.team(args.team)
        plan = ws.contracts.signing_plan(hid, args.package, on)
        cid, _ = ws.contracts.sign(hid, str(team.id), [], on, choice=plan.choice)
        c = ws.contracts.get(cid)
        names = {str(p.id): p.name for p in ws.households.members(hid)}
        _print_contract("已签约", c)
        for pid in c.member_ids:
            print(f"  {names[pid]}：{'、'.join(p.name for p in c.packages_of(pid))}")
        for s in plan.skipped:
            print(f"  未签：{s.name} {s.package}（{s.reason}）")
    return 0


def cmd_renew(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        cid, _ = ws.contracts.renew(ws.contracts.get(args.contract).id, today_of(args))
        _print_contract("已续约", ws.contracts.get(cid))
    return 0


def cmd_dissolve(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        c = ws.contracts.get(args.contract)
        ws.contracts.dissolve(str(c.id), args.reason, today_of(args), args.note or "")
    print(f"已解约：协议号 {c.contract_no}，原因：{args.reason}")
    return 0


def cmd_record_service(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.contracts import ServiceDelivery

    today = today_of(args)
    with open_workspace(paths) as ws:
        c = ws.contracts.get(args.contract)
        hits = [h for h in ws.people.search(args.person, limit=5)
                if args.person in (h.record_no, h.id_no)]
        if len(hits) != 1:
            raise ValidationError(f"找不到档案号或身份证号为 {args.person} 的居民")
        ws.contracts.record_service(ServiceDelivery(
            id=None, contract_id=str(c.id), person_id=hits[0].id, service=args.service,
            delivered_on=args.date or today, done_by=args.by or ws.user, note=args.note or "",
        ), today=today)
        progress = ws.contracts.progress(str(c.id))
    print(f"已记录：{hits[0].name} {args.service}（协议号 {c.contract_no}）")
    for line in progress:
        promised = f"{line.promised}次" if line.promised else "按需"
        print(f"  {line.service}：约定 {promised}，已做 {line.done} 次")
    return 0


def cmd_teams(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.contracts import Team, TeamMember

    with open_workspace(paths) as ws:
        if args.add:
            if not args.leader:
                raise ValidationError("新增团队请用 --leader 给出团队长姓名")
            members = [TeamMember("团队长", args.leader, args.phone or "")]
            members += [TeamMember("乡村医生", name) for name in args.doctor or []]
            ws.contracts.add_team(Team(None, args.add, "", members))
            print(f"已新增团队：{args.add}")
            return 0
        teams = ws.contracts.teams()
    if args.json:
        print_json(teams)
        return 0
    if not teams:
        print("还没有家庭医生团队：用 cunyi teams --add 团队名 --leader 姓名 --phone 电话 新增。")
    for t in teams:
        people = "、".join(f"{m.role}{m.name}{(' ' + m.phone) if m.phone else ''}" for m in t.members)
        print(f"{t.name}  {people}")
    return 0


def cmd_print_contract(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.sources import agreement_data
    from app.printing.agreement import render_agreement

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        data = agreement_data(ws, args.contract)
    write_atomically(out, lambda tmp: render_agreement(data, tmp))
    print(f"已生成协议书：{args.out}（协议号 {data.contract_no}，签约人 {data.signer}）")
    return 0


def cmd_print_card(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.sources import card_data
    from app.printing.card import render_card

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        data = card_data(ws, args.household, today_of(args))
    write_atomically(out, lambda tmp: render_card(data, tmp))
    key_label, key = data.key
    print(f"已生成明白卡：{args.out}（户主 {data.head}，{key_label} {key}）")
    return 0


def cmd_print_contracts(args: argparse.Namespace, paths: Paths) -> int:
    from app.printdata.sources import agreements_for, count_agreements
    from app.printing.agreement import render_agreements

    today = today_of(args)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            print(f"\r打印协议书… {done}/{total}", end="", file=sys.stderr, flush=True)

    with open_workspace(paths) as ws:
        out = output_path(args.out, paths, ws, force=args.force)
        total = count_agreements(ws, group=args.group, status=args.status, today=today)
        if not total:
            raise ValidationError(f"村民小组“{args.group}”没有要打印的协议书")
        items = agreements_for(ws, group=args.group, status=args.status, today=today)
        write_atomically(out, lambda tmp: render_agreements(
            items, tmp, progress=progress, total=total))
    if tty:
        print(file=sys.stderr)
    print(f"已生成 {total} 份协议书：{args.out}")
    return 0


# --- parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cunyi",
        description="村医：村卫生室的居民健康档案、家庭医生签约、随访与结算（离线优先）。不带命令时打开桌面程序。",
    )
    parser.add_argument("--version", action="version", version=f"cunyi {__version__}")
    parser.add_argument("--home", help="数据所在文件夹（默认：环境变量 CUNYI_HOME，或系统的用户数据文件夹）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace, Paths], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=fn)
        return p

    p = add("init", cmd_init, "新建本卫生室的数据库和第一个用户")
    p.add_argument("--clinic", required=True, help="卫生室名称，如 红旗村卫生室")
    p.add_argument("--division", required=True, help="本村12位统计用区划代码（县6位＋乡镇3位＋村3位）")
    p.add_argument("--village-name", required=True, help="村（或乡镇）名称")
    p.add_argument("--station", type=whole_number(1, 9), default=1, help="机位号1–9：同村多台电脑各用不同的号（默认1）")
    p.add_argument("--user", required=True, help="第一个用户的用户名")
    p.add_argument("--display-name", help="第一个用户的姓名（默认同用户名）")
    p.add_argument("--role", default="village_doctor",
                   choices=["village_doctor", "township_admin", "county_admin"], help="角色（默认村医）")
    p.add_argument("--password", help="密码（也可用环境变量 CUNYI_PASSWORD，或在终端中输入）")

    p = add("demo", cmd_demo, "生成演示数据库（村、乡镇或县规模，可重复的随机种子）")
    p.add_argument("--size", choices=["village", "village5k", "township", "county"], default="village",
                   help="规模（默认村；village5k：一个约5,000人的大村，同步基准用）")
    p.add_argument("--seed", type=int, default=7, help="随机种子（默认7）")
    p.add_argument("--force", action="store_true", help="替换已有的数据库")
    p.add_argument("--json", action="store_true", help="以JSON输出摘要")

    p = add("gui", cmd_gui, "打开桌面程序（默认命令）")
    p.add_argument("--demo", action="store_true", help="还没有数据库时先生成演示村；在演示数据库上直接以演示用户登录，不问密码")

    p = add("import-xlsx", cmd_import, "导入县里下发的贫困户名单（.xlsx），报告每一个有问题的行")
    p.add_argument("file", help="名单文件 .xlsx")
    p.add_argument("--map", help="指定列对应关系，如 '姓名=名字,证件号码=身份证'，或 '帮扶责任人电话=联系电话'"
                                 "（字段=文件中的列名）")
    p.add_argument("--report", help="把问题清单另存为 .xlsx")
    p.add_argument("--force", action="store_true", help="替换已有的问题清单文件")
    p.add_argument("--json", action="store_true", help="以JSON输出导入结果")

    p = add("export-xlsx", cmd_export, "按县里名单的格式导出全部居民（.xlsx）")
    p.add_argument("out", help="输出文件 .xlsx")
    p.add_argument("--force", action="store_true", help="替换已有的文件")

    p = add("search", cmd_search, "查找居民：姓名、拼音首字母、全拼、身份证号、档案号或电话（号码中任意连续4位亦可）")
    p.add_argument("query", help="要查找的内容，如 zs、zhangsan、张三、622923、5678")
    p.add_argument("--limit", type=whole_number(1, 10_000), default=50, help="最多显示几条（默认50）")
    p.add_argument("--json", action="store_true", help="以JSON输出")

    p = add("id-check", cmd_id_check, "检查身份证号（校验位、出生日期、15位转18位），任一无效则返回非零")
    p.add_argument("ids", nargs="+", metavar="ID", help="一个或多个身份证号")
    p.add_argument("--today", type=parse_date, help="按这一天判断出生日期是否在将来（YYYY-MM-DD）")
    p.add_argument("--json", action="store_true", help="以JSON输出")

    p = add("backup", cmd_backup, "立即备份数据库（SQLite在线备份），或列出已有备份")
    p.add_argument("--to", help="备份到这个文件夹（默认设置中的备份文件夹）")
    p.add_argument("--list", action="store_true", help="列出已有备份")
    p.add_argument("--json", action="store_true", help="以JSON输出（与 --list 一起用）")

    p = add("restore", cmd_restore, "用一个备份替换当前数据库（先自动备份当前数据）")
    p.add_argument("backup", help="备份文件")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p = add("contracts", cmd_contracts, "列出家庭医生签约协议：按状态、即将到期、签而不约、村民小组")
    p.add_argument("--status", choices=["draft", "signed", "active", "expired", "renewed", "dissolved"],
                   help="只列这一状态（按 --today 当天计算）")
    p.add_argument("--expiring", type=whole_number(0, 3660), nargs="?", const=-1, metavar="DAYS",
                   help="只列DAYS天内到期的有效协议（不写天数则用设置中的提醒天数，默认30）")
    p.add_argument("--unserved", action="store_true", help="只列签而不约：生效已满设置天数（默认90）仍无履约记录")
    p.add_argument("--group", help="只列这个村民小组")
    p.add_argument("--today", type=parse_date, help="按这一天计算状态和剩余天数（YYYY-MM-DD）")
    p.add_argument("--json", action="store_true", help="以JSON输出")

    p = add("sign", cmd_sign, "为一户签约家庭医生团队（在册成员各签适合自己的服务包，签约当日生效，服务期一年）")
    p.add_argument("household", metavar="HOUSEHOLD", help="户编号，或户主（成员）的健康档案编号")
    p.add_argument("--team", required=True, help="团队名称（或编号）")
    p.add_argument("--package", required=True, action="append",
                   help="服务包代码，可重复，如 --package JC --package GXY；只签给适合的成员（按服务包的适用条件）")
    p.add_argument("--today", type=parse_date, help="签约日期（默认今天，YYYY-MM-DD）")

    p = add("renew", cmd_renew, "续约：新协议接着原服务期，原协议标为已续约")
    p.add_argument("contract", metavar="CONTRACT", help="协议号（或协议编号）")
    p.add_argument("--today", type=parse_date, help="续约日期（默认今天，YYYY-MM-DD）")

    p = add("dissolve", cmd_dissolve, "解约：须选择原因")
    p.add_argument("contract", metavar="CONTRACT", help="协议号（或协议编号）")
    p.add_argument("--reason", required=True, choices=["迁出", "死亡", "一年无联系", "拒绝服务", "本人解约", "其他"],
                   help="解约原因")
    p.add_argument("--note", help="说明（原因为“其他”时必填）")
    p.add_argument("--today", type=parse_date, help="解约日期（默认今天，YYYY-MM-DD）")

    p = add("record-service", cmd_record_service, "记录一次履约服务（按签约服务包提供的服务）")
    p.add_argument("contract", metavar="CONTRACT", help="协议号（或协议编号）")
    p.add_argument("--person", required=True, help="接受服务的居民：健康档案号或身份证号")
    p.add_argument("--service", required=True, help="服务项目，须是签约服务包中的一项，如 慢病随访")
    p.add_argument("--date", type=parse_date, help="服务日期（默认今天，YYYY-MM-DD）")
    p.add_argument("--by", help="服务人（默认当前用户）")
    p.add_argument("--note", help="备注")
    p.add_argument("--today", type=parse_date, help="按这一天检查日期（默认今天，YYYY-MM-DD）")

    p = add("teams", cmd_teams, "列出家庭医生团队，或新增一个")
    p.add_argument("--add", metavar="NAME", help="新增团队的名称")
    p.add_argument("--leader", help="团队长姓名（与 --add 一起用）")
    p.add_argument("--phone", help="团队长联系电话（与 --add 一起用）")
    p.add_argument("--doctor", action="append", help="团队中的乡村医生姓名，可重复（与 --add 一起用）")
    p.add_argument("--json", action="store_true", help="以JSON输出")

    p = add("print", _print_usage, "打印表单为PDF：签约服务协议书、明白卡、整组协议书、随访记录表、体检结果告知单、转诊单、一站式结算单")
    forms = p.add_subparsers(dest="form", metavar="FORM")

    def form(name: str, fn: Callable[[argparse.Namespace, Paths], int], help: str) -> argparse.ArgumentParser:
        f = forms.add_parser(name, help=help, description=help)
        f.set_defaults(func=fn)
        f.add_argument("-o", "--out", required=True, metavar="FILE", help="输出的PDF文件")
        f.add_argument("--force", action="store_true", help="替换已有的文件")
        return f

    f = form("contract", cmd_print_contract, "打印一份家庭医生签约服务协议书（一式两份）")
    f.add_argument("contract", metavar="CONTRACT", help="协议号（或协议编号）")
    f = form("card", cmd_print_card, "打印一户的健康扶贫明白卡")
    f.add_argument("household", metavar="HOUSEHOLD", help="户编号，或户主（成员）的健康档案编号")
    f.add_argument("--today", type=parse_date, help="按这一天取有效协议和近期应做的服务（默认今天，YYYY-MM-DD）")
    f = form("contracts", cmd_print_contracts, "把一个村民小组的协议书合并打印到一个PDF")
    f.add_argument("--group", required=True, help="村民小组，如 一组")
    f.add_argument("--status", choices=["signed", "active", "expired", "renewed", "dissolved"],
                   help="只打印这一状态的协议（默认：已签约和履约中）")
    f.add_argument("--today", type=parse_date, help="按这一天计算协议状态（默认今天，YYYY-MM-DD）")

    care.register(add, form)
    diagnosis.register(add)
    care_print.register(add, form)
    claims.register(add, form)
    audit.register(add)
    sql.register(add)
    keys.register(add)
    users.register(add)
    numbers.register(add)
    people.register(add)
    sync.register(add)
    sync.register_conflicts(add)
    return parser


def _print_usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明要打印什么：cunyi print contract|card|contracts|followups|exam|referral|settlement …"
                          "（见 cunyi print --help）")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every command (and --help) stops quietly when its reader goes away."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
    except BrokenPipeError:
        return _reader_went_away()


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "gui"])
    paths = resolve(args.home)
    if argv is None:  # the process's own command line: its exit-time noise goes to the log too
        sys.unraisablehook = lambda unraisable: log_unraisable(paths, unraisable)
    try:
        return int(args.func(args, paths))
    except CunyiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.Error as exc:
        print(f"错误：{_database_line(exc, paths)}", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:   # SQLCipher says so of a page that no longer decrypts
        print(f"错误：内存不足，或数据库有页面无法解密（文件已损坏）。{_damage_hint(paths)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except OSError as exc:  # the machine's answer (no space, no permission, a folder): not a fault here
        why = io_failure(exc)
        where = exc.filename
        line = f"{why}{f'（{where}）' if where else ''}，操作没有完成" if why else file_problem(exc)
        print(f"错误：{line}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:  # the contract: never a traceback on the user's screen
        return report_crash(paths, argv)


def _damage_hint(paths: Paths) -> str:
    from app.storage.backup import restore_hint

    try:
        return restore_hint(paths.backups)
    except Exception:  # the hint is a courtesy; the error line stands without it
        return ""


def _database_line(exc: sqlite3.Error, paths: Paths) -> str:
    """One line for what SQLite said: locked by another program, a full disk or read-only place,
    or a file it cannot read (damaged, with the way to restore it)."""
    if is_locked(exc):
        return "数据库正被其他程序使用（另一个村医程序或命令正在写入），请稍后再试"
    why = io_failure(exc)
    if why:
        return f"{why}，操作没有完成"
    return _damaged_line(exc, paths)


def _damaged_line(exc: sqlite3.Error, paths: Paths) -> str:
    """One line for a database SQLite cannot read: damaged, and how to restore it."""
    from app.storage.backup import restore_hint
    from app.storage.backup_policy import is_corruption

    if not is_corruption(exc):
        return f"数据库 {paths.database} 无法使用（{exc}）"
    return f"数据库 {paths.database} 已损坏（{exc}）。{restore_hint(paths.backups)}"


def _reader_went_away() -> int:
    """The output's reader closed early (`cunyi tasks --json | head`): stop quietly.

    stdout is pointed at devnull so Python's final flush cannot raise again at exit; the exit
    status is the shell's usual one for a process ended by SIGPIPE.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
