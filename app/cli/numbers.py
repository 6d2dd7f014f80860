"""`cunyi numbers`: this installation's 档案号 block, and the county's answer about its station."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from app.cli.common import AddCommand, Command, open_workspace, print_json, whole_number
from app.core.errors import ValidationError
from app.core.identity import MAX_STATION, PROVISIONAL_HINT
from app.core.paths import Paths
from app.storage.record_numbers import Block


def _block_json(block: Block) -> dict[str, Any]:
    return dataclasses.asdict(block)


def _block_lines(block: Block) -> list[str]:
    state = (f"县里已确认（{block.confirmed_by}，{block.confirmed_at}）" if block.confirmed
             else "未经县里确认：本机发出的档案号都是临时的")
    lines = [f"机位号 {block.station}：档案号序号 {block.first:05d}–{block.last:05d}，{state}",
             f"本机已发出档案号 {block.issued} 个，其中临时的 {block.provisional} 个"]
    if block.provisional and not block.confirmed:
        lines.append(PROVISIONAL_HINT)
    elif block.provisional:
        lines.append(f"还有临时档案号未定：再运行 cunyi numbers confirm --station {block.station}")
    return lines


def cmd_numbers_show(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        block = ws.record_numbers.block()
    if args.json:
        print_json(_block_json(block))
    else:
        print("\n".join(_block_lines(block)))
    return 0


def cmd_numbers_confirm(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths) as ws:
        done = ws.record_numbers.confirm(args.station, by=ws.user)
        block = ws.record_numbers.block()
    if args.json:
        print_json({"station": done.station, "kept": done.kept,
                    "renumbered": [{"person_id": pid, "from": old, "to": new}
                                   for pid, old, new in done.renumbered],
                    "block": _block_json(block)})
        return 0
    print(f"已按县里的答复确认本机机位号为 {done.station}："
          f"{done.kept} 个临时档案号原号确认，{len(done.renumbered)} 个改号（旧号仍可查询）")
    for _, old, new in done.renumbered[:20]:
        print(f"  {old} → {new}")
    if len(done.renumbered) > 20:
        print(f"  ……共 {len(done.renumbered)} 个（--json 列出全部）")
    return 0


def _usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明动作：cunyi numbers show|confirm（见 cunyi numbers --help）")


def register(add: AddCommand) -> None:
    """Add `cunyi numbers` and its actions to the parser."""
    p = add("numbers", _usage, "档案号：本机的号段与机位号；录入县里确认的机位号（临时档案号随之确认或改号）")
    subs = p.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, fn: Command, help: str) -> argparse.ArgumentParser:
        a = subs.add_parser(name, help=help, description=help)
        a.set_defaults(func=fn)
        a.add_argument("--json", action="store_true", help="以JSON输出")
        return a

    action("show", cmd_numbers_show, "本机的机位号、档案号号段、是否经县里确认、已发出和临时的档案号个数")
    a = action("confirm", cmd_numbers_confirm,
               "录入县里确认的机位号（仅管理员）：本机的临时档案号在号段内的原号确认，其余改入号段，旧号仍可查询")
    a.add_argument("--station", required=True, type=whole_number(1, MAX_STATION),
                   help=f"县里确认的机位号1–{MAX_STATION}")
