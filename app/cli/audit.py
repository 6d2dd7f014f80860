"""`cunyi audit verify`: check the whole audit log's hash chain and the database's guard triggers."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import EXIT_ERROR, AddCommand, open_workspace, print_json
from app.core.errors import ValidationError
from app.core.paths import Paths


def cmd_audit_verify(args: argparse.Namespace, paths: Paths) -> int:
    from app.storage.audit import verify_log

    with open_workspace(paths, chain_warning=False) as ws:
        found = ws.log_report
        report = verify_log(ws.conn)
    report.triggers, report.restored = found.triggers, found.restored
    if args.json:
        print_json({
            "intact": report.intact, "entries": report.entries,
            "breaks": [{"seq": b.seq, "at": b.at, "kind": b.kind, "reason": b.reason,
                        "message": b.describe()} for b in report.breaks],
            "triggers": [{"name": t.name, "problem": t.problem} for t in report.triggers],
            "triggers_restored": report.restored,
        })
    elif report.breaks:
        more = f"（另有 {len(report.breaks) - 1} 处）" if len(report.breaks) > 1 else ""
        print(f"{report.breaks[0].describe()}{more}", file=sys.stderr)
    elif report.triggers:
        pass  # opening already said which triggers, on stderr
    else:
        print(f"审计日志完整：{report.entries} 条记录逐条核验无误，防篡改触发器齐全。")
    return 0 if report.intact else EXIT_ERROR


def _usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明动作：cunyi audit verify（见 cunyi audit --help）")


def register(add: AddCommand) -> None:
    """Add `cunyi audit` and its actions to the parser."""
    p = add("audit", _usage, "审计日志：核验其防篡改链条和数据库的防篡改触发器")
    subs = p.add_subparsers(dest="action", metavar="ACTION")
    v = subs.add_parser("verify", help="从第一条起逐条核验审计日志；完整时返回0，否则指出第一处被删除、改动或调换顺序的记录并返回非零",
                        description="从第一条起逐条核验审计日志；完整时返回0，否则指出第一处被删除、改动或调换顺序的记录并返回非零")
    v.set_defaults(func=cmd_audit_verify)
    v.add_argument("--json", action="store_true", help="以JSON输出核验结果")
