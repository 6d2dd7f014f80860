"""`cunyi enroll` and `cunyi sync`: join the county with a one-time code, then exchange records.

    cunyi enroll --server URL --code CODE [--force] [--json]    administrators only
    cunyi sync [--server URL] [--json]                push, then pull; one line when unreachable
    cunyi sync status [--json]                        unsynced changes, last sync, server, scope
    cunyi conflicts [--all] [--json]                  the county's conflicts of this village
    cunyi conflicts resolve ID --keep mine|theirs     or --value V
    cunyi conflicts merge ID --keep PERSON [--json]   a possible duplicate person: keep one file
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import AddCommand, open_workspace, print_json
from app.core.errors import ConflictError, NotFoundError, ValidationError
from app.core.paths import Paths
from app.core.users import check_may_confirm_station


def cmd_enroll(args: argparse.Namespace, paths: Paths) -> int:
    from app.sync.client import HttpCounty
    from app.sync.enrol import enrol

    with open_workspace(paths) as ws:
        check_may_confirm_station(ws.users.acting())
        me = ws.sync.identity()
        if me is not None and not args.force:
            raise ConflictError(_enrolled_already(me, ws.sync.unsynced()))
        before = ws.record_numbers.block()
        with HttpCounty(args.server) as county:
            answer = enrol(ws, county, args.code, server_url=args.server, replace=args.force)
        block = ws.record_numbers.block()
    if args.json:
        print_json({"scope": answer.scope, "station": answer.station, "server": args.server,
                    "provisional_before": before.provisional, "provisional": block.provisional})
        return 0
    print(f"已在县里注册：范围 {answer.scope}，机位号 {answer.station}；以后用 cunyi sync 同步")
    if before.provisional:
        print(f"本机的 {before.provisional} 个临时档案号已按县里的机位号确认或改号（旧号仍可查询）")
    return 0


def _enrolled_already(me: Any, unsynced: int) -> str:
    """Why `cunyi enroll` stops on an enrolled PC, in one line, with what --force would do."""
    text = f"本机已在县里注册（服务器 {me.server_url}，范围 {me.scope}，机位号 {me.station}），重新注册会换掉这次注册"
    if unsynced:
        text += (f"；本机还有 {unsynced} 条修改尚未同步到县里，重新注册不会删除它们（仍在本机数据库里），"
                 "下次同步时送往新注册的服务器，最好先运行 cunyi sync 送出")
    return text + "；确实要重新注册请加 --force"


def cmd_sync(args: argparse.Namespace, paths: Paths) -> int:
    from app.sync import session
    from app.sync.client import HttpCounty

    with open_workspace(paths) as ws:
        me = ws.sync.identity()
        server = args.server or (me.server_url if me else "")
        if not server:
            raise ValidationError("本机尚未在县里注册：请先运行 cunyi enroll --server 地址 --code 注册码")
        with HttpCounty(server) as county:
            result = session.sync(ws, county)
            moved = {"requests": county.requests, "bytes_sent": county.bytes_sent,
                     "bytes_received": county.bytes_received}
        unsynced = ws.sync.unsynced()
        gone = ws.sync.moved_out()
    if args.json:
        print_json({"pushed": result.pushed, "pulled": result.pulled, "conflicts": result.conflicts,
                    "refused": result.refused, "parked": result.parked, "unsynced": unsynced,
                    "moved_out": [{"household": m.household_id, "village": m.village,
                                   "village_name": m.village_name, "head": m.head, "pending": m.pending}
                                  for m in gone],
                    "config": result.config, **moved})
        return 0 if not result.refused else 1
    print(f"同步完成：送出 {result.pushed} 条，收到 {result.pulled} 条，"
          f"冲突 {result.conflicts} 处，尚未同步 {unsynced} 条")
    for line in result.refused[:20]:
        print(f"  县里未接收：{line}")
    if result.parked:
        print(f"  {result.parked} 条记录在等它所属的记录到达，下次同步时补上")
    if result.config:
        print(f"  采用了县里下发的配置 {result.config} 项（见 设置 › 来自县里）")
    for m in gone:
        line = f"  户主 {m.head or m.household_id} 家：此户已迁往{m.place}，本机不再负责"
        if m.pending:
            line += (f"；本机对此户的 {m.pending} 条修改县里不再接收，仍保存在本机，"
                     f"请告诉{m.place}的村医（或县里）由他们录入")
        print(line)
    return 0 if not result.refused else 1


def cmd_sync_status(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths, claim=False) as ws:
        me = ws.sync.identity()
        status: dict[str, Any] = {
            "unsynced": ws.sync.unsynced(),
            "last_sync": ws.sync.last_sync() or None,
            "server": me.server_url if me else None,
            "scope": me.scope if me else None,
            "station": me.station if me else None,
            "enrolled": me is not None,
            "copied": ws.sync.enrolled_elsewhere(),
        }
    if args.json:
        print_json(status)
        return 0
    if status["copied"]:
        print("这个数据库是从另一台已注册的电脑复制来的：须用新的注册码重新注册后才能同步")
    elif not status["enrolled"]:
        print("尚未在县里注册（cunyi enroll --server 地址 --code 注册码）")
    else:
        print(f"县里的服务器 {status['server']}，范围 {status['scope']}，机位号 {status['station']}")
    print(f"尚未同步的修改 {status['unsynced']} 条；上次同步 {status['last_sync'] or '从未'}")
    return 0


def register(add: AddCommand) -> None:
    p = add("enroll", cmd_enroll, "用县里给的一次性注册码在县级服务器注册本机（仅管理员）；县里分配的机位号确认本机的临时档案号")
    p.add_argument("--server", required=True, metavar="URL", help="县级服务器地址，如 https://县里的地址:8470")
    p.add_argument("--code", required=True, help="县里给的注册码（形如 K7QM-2XPA-9RTD）")
    p.add_argument("--force", action="store_true",
                   help="本机已注册时仍重新注册（尚未同步的修改留在本机，下次同步时送出）")
    p.add_argument("--json", action="store_true", help="以JSON输出")

    p = add("sync", cmd_sync, "与县级服务器同步：先送出本机的修改，再收取县里的；连不上时一行说明并返回非零")
    p.add_argument("--server", metavar="URL", help="县级服务器地址（默认：注册时的地址）")
    p.add_argument("--json", action="store_true", help="以JSON输出（pushed、pulled、conflicts……）")
    subs = p.add_subparsers(dest="action", metavar="ACTION")
    s = subs.add_parser("status", help="尚未同步的修改、上次同步时间、服务器和范围",
                        description="尚未同步的修改、上次同步时间、服务器和范围")
    s.set_defaults(func=cmd_sync_status)
    s.add_argument("--json", action="store_true", help="以JSON输出")


def _mine_theirs(ws: Any, c: Any) -> tuple[Any, Any]:
    """The conflict's two values from this PC's side: its own, and the other one."""
    if c.lost_instance == ws.instance_id:
        return c.lost, c.kept
    return c.kept, c.lost


def cmd_conflicts(args: argparse.Namespace, paths: Paths) -> int:
    with open_workspace(paths, claim=False) as ws:
        found = ws.sync.conflicts(open_only=not args.all)
        lines = []
        for c in found:
            mine, theirs = _mine_theirs(ws, c)
            lines.append({"id": c.id, "kind": c.kind, "table": c.table, "record": c.row_id,
                          "other_record": c.other_row_id,
                          "field": c.field, "mine": mine, "theirs": theirs, "current": c.kept,
                          "users": [c.kept_user, c.lost_user], "created_at": c.created_at,
                          "resolution": c.resolution, "people": _people(ws, c)})
    if args.json:
        print_json(lines)
        return 0
    if not lines:
        print("没有待处理的冲突")
        return 0
    for line in lines:
        state = f"，已处理（{line['resolution']}）" if line["resolution"] else ""
        if line["people"]:
            files = "；".join(f"{p['name']}（档案号 {p['record_no']}，{p['household']}，随访 {p['visits']} 次，"
                             f"结算 {p['claims']} 条）" for p in line["people"])
            print(f"[{line['id']}] 疑似重复居民（身份证号相同）：{files}{state}")
            continue
        print(f"[{line['id']}] {line['table']} {line['record']} 的 {line['field']}：本机 {line['mine']!r}，"
              f"另一方 {line['theirs']!r}，现在是 {line['current']!r}{state}")
    print("处理：cunyi conflicts resolve 编号 --keep mine|theirs，或 --value 新值；"
          "疑似重复居民：cunyi conflicts merge 编号 --keep 留下的档案号")
    return 0


def _people(ws: Any, c: Any) -> list[dict[str, Any]]:
    """Both files of a possible duplicate person, as the doctor compares them; [] otherwise."""
    from app.core.chains import DUPLICATE_PERSON
    from app.storage import person_merge

    if c.kind != DUPLICATE_PERSON or not c.other_row_id:
        return []
    out = []
    for pid in (c.row_id, c.other_row_id):
        try:
            p = person_merge.side(ws, pid)
        except NotFoundError:
            continue
        visits = p.counts["follow_ups"] + p.counts["general_visits"]
        out.append({"id": p.id, "name": p.name, "id_no": p.id_no, "record_no": p.record_no,
                    "household": p.household, "visits": visits, "exams": p.counts["health_exams"],
                    "claims": p.counts["claims"], "contracts": p.counts["contract_members"]})
    return out


def cmd_conflicts_resolve(args: argparse.Namespace, paths: Paths) -> int:
    if (args.keep is None) == (args.value is None):
        raise ValidationError("请用 --keep mine|theirs 或 --value 新值（二者选一）")
    with open_workspace(paths) as ws:
        c = ws.sync.conflict(args.id)
        if args.value is not None:
            choice, value = "value", args.value
        else:
            mine, _theirs = _mine_theirs(ws, c)
            own = "lost" if c.lost_instance == ws.instance_id else "kept"
            choice = own if args.keep == "mine" else ("kept" if own == "lost" else "lost")
            value = mine if args.keep == "mine" else _theirs
        done = ws.sync.resolve(args.id, choice, value)
    if args.json:
        print_json({"id": done.id, "resolution": done.resolution, "value": value})
        return 0
    print(f"冲突 {done.id} 已处理：{c.field} 取 {value!r}；下次同步时告诉县里")
    return 0


def cmd_conflicts_merge(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.person_merge import RECORD_NAMES
    from app.storage import person_merge

    with open_workspace(paths) as ws:
        kept, other = person_merge.pick(ws, args.id, args.keep)
        done, changes = person_merge.merge_conflict(ws, args.id, kept)
        survivor = person_merge.side(ws, kept)
        gone = ws.conn.execute("SELECT record_no FROM people WHERE id = ?", (other,)).fetchone()[0]
    if args.json:
        print_json({"id": args.id, "kept": kept, "merged": other, "moved": done.moved,
                    "dropped": done.dropped, "filled": list(done.filled),
                    "differing": list(done.differing), "warnings": changes.warnings})
        return 0
    moved = "、".join(f"{RECORD_NAMES.get(t, t)} {n} 条" for t, n in done.moved.items()) or "没有其他记录"
    print(f"冲突 {args.id} 已处理：留下 {survivor.name}（档案号 {survivor.record_no}）；档案号 {gone} 的"
          f"{moved}已移到其名下，该档案已注销；下次同步时告诉县里")
    for line in changes.warnings:
        print(f"  注意：{line}")
    return 0


def _conflicts_usage(args: argparse.Namespace, paths: Paths) -> int:
    return cmd_conflicts(args, paths)


def register_conflicts(add: AddCommand) -> None:
    p = add("conflicts", _conflicts_usage, "同步冲突：同一字段在两处被改成不同的值时，县里保留的值和另一方的值；"
            "疑似重复居民")
    p.add_argument("--all", action="store_true", help="也列出已处理的冲突")
    p.add_argument("--json", action="store_true", help="以JSON输出（id、table、record、field、mine、theirs……）")
    subs = p.add_subparsers(dest="action", metavar="ACTION")
    r = subs.add_parser("resolve", help="处理一个冲突：保留本机的值、另一方的值，或填一个新值",
                        description="处理一个冲突：保留本机的值、另一方的值，或填一个新值")
    r.set_defaults(func=cmd_conflicts_resolve)
    r.add_argument("id", type=int, metavar="ID", help="冲突编号（见 cunyi conflicts）")
    r.add_argument("--keep", choices=["mine", "theirs"], help="mine：本机的值；theirs：另一方的值")
    r.add_argument("--value", help="填一个新值")
    r.add_argument("--json", action="store_true", help="以JSON输出")
    m = subs.add_parser("merge", help="处理疑似重复居民：选定留下的档案，另一份的全部记录移到它名下，另一份注销",
                        description="处理疑似重复居民（同一身份证号在两台电脑各建了档案）：选定留下的档案，"
                                    "另一份档案的随访、体检、结算、签约等记录全部移到它名下，另一份注销")
    m.set_defaults(func=cmd_conflicts_merge)
    m.add_argument("id", type=int, metavar="ID", help="冲突编号（见 cunyi conflicts）")
    m.add_argument("--keep", required=True, metavar="PERSON",
                   help="留下的档案：它的健康档案编号（或居民编号），须是冲突中的两份之一")
    m.add_argument("--json", action="store_true", help="以JSON输出")
