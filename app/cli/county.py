"""`cunyi-county`: the county server's command line.

    cunyi-county init   --database URL            create the county schema, or bring it up to date
    cunyi-county status --database URL [--json]   rows per table per village, schema version
    cunyi-county enroll --database URL --scope CODE [--station N] [--days D] [--json]
                                                  a one-time enrolment code for one PC
    cunyi-county revoke --database URL INSTANCE   refuse a device from now on
    cunyi-county devices --database URL [--json]  enrolled devices and their last sync
    cunyi-county config publish --database URL FILE --scope CODE [--json]
                                                  sign and publish service packages, a policy pack
                                                  or rule settings for the clinics of a scope
    cunyi-county config list --database URL [--json]   what was published, and whether it is in use
    cunyi-county config withdraw --database URL ID     withdraw an item (clinics drop it on sync)
    cunyi-county serve  --database URL [--host H] [--port P] [--tls-cert F --tls-key F]
                                                  serve the sync protocol over HTTP(S)

`--database` may come from the environment variable CUNYI_COUNTY_DATABASE instead. Errors are one
line on stderr and a non-zero exit, as in `cunyi`. The server's libraries (the `server` extra)
are imported only when a command needs them, so a clinic install still answers --help.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app import __version__
from app.cli import EXIT_BROKEN_PIPE
from app.cli.common import EXIT_ERROR, EXIT_INTERNAL, print_json
from app.core.errors import CunyiError, StorageError
from app.sync.config import KIND_NAMES

if TYPE_CHECKING:
    from app.server.status import Status

DATABASE_HELP = "县级 PostgreSQL 数据库地址 postgresql://用户:密码@主机:端口/库名（也可用环境变量 CUNYI_COUNTY_DATABASE）"


def _server_libraries() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StorageError("本机没有安装县级服务器所需的组件：请安装 cunyi[server]"
                           "（pip install 'cunyi[server]'）") from None


def cmd_init(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db, migrations

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        done = migrations.migrate(conn)
    where = db.describe(url)
    if done.before == 0:
        print(f"已初始化县级数据库 {where}（结构版本 {done.after}）")
    elif done.changed:
        print(f"已将县级数据库 {where} 从结构版本 {done.before} 升级到 {done.after}")
    else:
        print(f"县级数据库 {where} 已是最新（结构版本 {done.after}），未作改动")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db
    from app.server.status import read_status

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        status = read_status(conn)
    if args.json:
        print_json({"database": db.describe(url), **status.as_json()})
        return 0
    print(f"县级数据库 {db.describe(url)}，结构版本 {status.schema_version}")
    _print_counts(status)
    print(f"已接受的版本 {status.versions} 个，在用设备 {status.devices} 台，"
          f"未解决的冲突 {status.open_conflicts} 个")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _server_libraries()
    import uvicorn

    from app.server import db, migrations
    from app.server.app import create_app

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        migrations.check_current(conn)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise StorageError("--tls-cert 和 --tls-key 须一起给出")
    scheme = "https" if args.tls_cert else "http"
    print(f"县级同步服务器：{scheme}://{args.host}:{args.port}（数据库 {db.describe(url)}）", flush=True)
    uvicorn.run(create_app(url), host=args.host, port=args.port, log_level="warning",
                ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db
    from app.server.store import Store

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        code = Store(conn).issue_code(args.scope, args.station, days=args.days)
    if args.json:
        print_json({"code": code, "scope": args.scope, "station": args.station, "days": args.days})
        return 0
    print(f"注册码：{code}")
    print(f"给 {args.scope}{f' 机位号 {args.station}' if args.station else ''} 的一台电脑用一次，"
          f"{args.days} 天内有效；在那台电脑上运行 cunyi enroll --server 本服务器地址 --code {code}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db
    from app.server.store import Store

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        done = Store(conn).revoke(args.instance)
    if not done:
        raise StorageError(f"没有在用的设备 {args.instance}（不存在或已停用）")
    print(f"已停用设备 {args.instance}：它再同步时会被拒绝")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT instance_id, scope, station, revoked_at IS NOT NULL,"
            " to_char(last_sync AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
            " to_char(enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            " FROM instances ORDER BY scope, station, enrolled_at").fetchall()
    devices = [{"instance": r[0], "scope": r[1], "station": r[2], "revoked": r[3],
                "last_sync": r[4], "enrolled": r[5]} for r in rows]
    if args.json:
        print_json(devices)
        return 0
    if not devices:
        print("还没有注册的设备")
        return 0
    from app.cli.sql import table_lines

    for line in table_lines(["设备", "范围", "机位号", "状态", "上次同步"],
                            [(d["instance"], d["scope"], d["station"], "已停用" if d["revoked"] else "在用",
                              d["last_sync"] or "从未") for d in devices]):
        print(line)
    return 0


def _config_usage(args: argparse.Namespace) -> int:
    raise StorageError("请写明动作：cunyi-county config publish|list|withdraw …（见 cunyi-county config --help）")


def cmd_config_publish(args: argparse.Namespace) -> int:
    _server_libraries()
    from pathlib import Path

    from app.core.identity import parse_division_code
    from app.server import db
    from app.server.config import CountyConfig
    from app.server.store import Store
    from app.storage.config_items import read_config_file

    parse_division_code(args.scope)
    entries = read_config_file(Path(args.file))
    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        items = CountyConfig(Store(conn)).publish(entries, args.scope)
    if args.json:
        print_json([{"id": i.id, "kind": i.kind, "key": i.key, "scope": i.scope, "version": i.version,
                     "published_at": i.published_at} for i in items])
        return 0
    for i in items:
        print(f"已发布 {i.id}：{KIND_NAMES[i.kind]}“{i.key}”，范围 {i.scope}，第 {i.version} 版")
    print(f"共 {len(items)} 项；范围内的卫生室下次同步时采用")
    return 0


def cmd_config_list(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db
    from app.server.config import CountyConfig
    from app.server.store import Store

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        published = CountyConfig(Store(conn)).list()
    if args.json:
        print_json([p.as_json() for p in published])
        return 0
    if not published:
        print("还没有发布任何配置")
        return 0
    from app.cli.sql import table_lines

    for line in table_lines(
            ["编号", "类别", "名称", "范围", "版本", "发布时间", "状态"],
            [(p.item.id, KIND_NAMES[p.item.kind], p.item.key, p.item.scope, p.item.version,
              p.item.published_at, "已撤回" if p.item.withdrawn else "在用" if p.current else "已被替代")
             for p in published]):
        print(line)
    return 0


def cmd_config_withdraw(args: argparse.Namespace) -> int:
    _server_libraries()
    from app.server import db
    from app.server.config import CountyConfig
    from app.server.store import Store

    url = db.database_url(args.database)
    with db.connect(url, autocommit=True) as conn:
        item = CountyConfig(Store(conn)).withdraw(args.id)
    print(f"已撤回 {item.id}：{KIND_NAMES[item.kind]}“{item.key}”（第 {item.version} 版）；"
          "范围内的卫生室下次同步时恢复本机的设置")
    return 0


def _print_counts(status: Status) -> None:
    from app.cli.sql import table_lines

    rows = [(partition, table, counts[partition].rows, counts[partition].deleted)
            for partition in status.partitions()
            for table, counts in status.tables.items() if partition in counts]
    if not rows:
        print("还没有任何记录")
        return
    for line in table_lines(["村（分区）", "表", "行数", "其中已删除"], rows):
        print(line)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cunyi-county",
        description="县级同步服务器：建立和升级县级数据库、查看各村的记录数。",
    )
    parser.add_argument("--version", action="version", version=f"cunyi-county {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        p.add_argument("--database", metavar="URL", help=DATABASE_HELP)
        return p

    add("init", cmd_init, "建立县级数据库的表，或把它升级到本程序的结构版本（可重复运行）")
    p = add("status", cmd_status, "数据库的结构版本，以及每个村（分区）每张表的记录数")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("enroll", cmd_enroll, "发一个一次性注册码：给一个村（或乡镇卫生院）的一台电脑注册用")
    p.add_argument("--scope", required=True, metavar="CODE", help="村或乡镇的12位区划代码")
    p.add_argument("--station", type=int, help="分配给这台电脑的机位号1–9（默认：该范围内下一个空号）")
    p.add_argument("--days", type=int, default=7, help="注册码的有效天数（默认7天）")
    p.add_argument("--json", action="store_true", help='以 JSON 输出（{"code": …}）')
    p = add("revoke", cmd_revoke, "停用一台设备：它以后的同步请求都会被拒绝")
    p.add_argument("instance", metavar="INSTANCE", help="设备的实例号（见 cunyi-county devices）")
    p = add("devices", cmd_devices, "列出注册的设备：实例号、范围、机位号、是否停用、上次同步")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_config(sub)
    p = add("serve", cmd_serve, "启动同步服务（HTTP，给了证书时为 HTTPS），供各卫生室同步")
    p.add_argument("--host", default="127.0.0.1", help="监听的地址（默认 127.0.0.1；对外服务用 0.0.0.0）")
    p.add_argument("--port", type=int, default=8470, help="监听的端口（默认 8470）")
    p.add_argument("--tls-cert", metavar="FILE", help="HTTPS 证书文件（PEM）")
    p.add_argument("--tls-key", metavar="FILE", help="HTTPS 私钥文件（PEM）")
    return parser


def _add_config(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help = "向各卫生室下发配置（服务包、报销政策包、规则设置），由县里签名，同步时采用：发布、列出、撤回"
    p = sub.add_parser("config", help=help, description=help)
    p.set_defaults(func=_config_usage)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help, description=help)
        a.set_defaults(func=func)
        a.add_argument("--database", metavar="URL", help=DATABASE_HELP)
        return a

    a = action("publish", cmd_config_publish,
               "发布一个文件中的配置：服务包列表（.toml/.json）、政策包（.toml）或设置项（.toml/.json）")
    a.add_argument("file", metavar="FILE", help="配置文件，格式与卫生室导入的相同")
    a.add_argument("--scope", required=True, metavar="CODE",
                   help="适用范围：县、乡镇或村的12位区划代码")
    a.add_argument("--json", action="store_true", help="以 JSON 输出发布的各项")
    a = action("list", cmd_config_list, "列出发布过的配置：编号、类别、名称、范围、版本、状态")
    a.add_argument("--json", action="store_true", help="以 JSON 输出（含内容）")
    a = action("withdraw", cmd_config_withdraw, "撤回一项配置：卫生室下次同步时删去它，恢复本机的设置")
    a.add_argument("id", type=int, metavar="ID", help="配置的编号（见 cunyi-county config list）")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; it stops quietly when its reader goes away (`status | head`)."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        raise
    except CunyiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback on the screen
        line = _database_line(exc)
        if line:
            print(f"错误：{line}", file=sys.stderr)
            return EXIT_ERROR
        print(f"错误：程序内部出错（{type(exc).__name__}: {exc}）", file=sys.stderr)
        return EXIT_INTERNAL


def _database_line(exc: Exception) -> str:
    """One line for what PostgreSQL said once connected; empty if `exc` is not the driver's."""
    try:
        import psycopg
    except ImportError:
        return ""
    if not isinstance(exc, psycopg.Error):
        return ""
    from app.server.db import one_line

    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return (f"当前数据库用户没有所需的权限（{one_line(exc)}）：请用数据库的属主运行，"
                "或建库时指定 CREATE DATABASE … OWNER 该用户")
    if isinstance(exc, psycopg.OperationalError):
        return f"与县级数据库的连接中断，操作没有完成（{one_line(exc)}）"
    return f"县级数据库出错，操作没有完成（{one_line(exc)}）"


if __name__ == "__main__":
    sys.exit(main())
