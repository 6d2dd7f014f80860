"""Claims and the settlement engine: `settle`, `claims`, `policy`, `print settlement`.

`cunyi claims add|estimate|list|show|reverse` work on the clinic database (ws.claims); `settle`
and `policy check` need none.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_ERROR, AddCommand, open_workspace, print_json
from app.core.errors import ValidationError
from app.core.jsontext import parse_json_bytes
from app.core.paths import Paths


def register(add: AddCommand, form: AddCommand) -> None:
    """Add this module's commands to the `cunyi` parser (`form` adds a `cunyi print` form)."""
    p = add("settle", cmd_settle, "按县政策包估算一次就医的一站式结算（不需要数据库）")
    p.add_argument("--policy", required=True, action="append", metavar="FILE",
                   help="政策包 .toml 文件或其所在文件夹，可重复；按结算日期（出院日期）选用")
    p.add_argument("--claim", required=True, metavar="FILE", help="就医结算 JSON 文件（格式见 docs/policy.md）")
    p.add_argument("--history", metavar="FILE",
                   help="此人此前的结算结果 JSON 列表，用来计算本年累计的起付线、封顶线和个人自付上限")
    p.add_argument("--json", action="store_true", help="以JSON输出结算结果")

    p = add("policy", _policy_usage, "检查县报销政策包（.toml）")
    sub = p.add_subparsers(dest="policy_command", metavar="COMMAND")
    check = sub.add_parser("check", help="检查政策包：每个包一行摘要；有错时给出文件、行和字段",
                           description="检查政策包：每个包一行摘要；有错时给出文件、行和字段")
    check.set_defaults(func=cmd_policy_check)
    check.add_argument("files", nargs="+", metavar="FILE", help="政策包 .toml 文件或文件夹")
    listing = sub.add_parser("list", help="列出本卫生室可用的政策包（程序自带的和本县文件夹中的）",
                             description="列出本卫生室可用的政策包（程序自带的和本县文件夹中的）")
    listing.set_defaults(func=cmd_policy_list)

    from app.cli.claims_commands import register_claims

    register_claims(add, form)


def _policy_usage(args: argparse.Namespace, paths: Paths) -> int:
    raise ValidationError("请写明要做什么：cunyi policy check FILE… 或 cunyi policy list（见 cunyi policy --help）")


def _pack_files(given: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise ValidationError(f"文件夹 {path} 中没有政策包（.toml 文件）")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise ValidationError(f"找不到政策包：{path}")
    return files


def _read_json(path: Path, what: str) -> Any:
    if path.is_dir():
        raise ValidationError(f"{what} {path} 是一个文件夹，不是文件")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取{what} {path}：{exc.strerror}") from None
    return parse_json_bytes(raw, path.name)


def cmd_settle(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.policy import choose_pack, load_pack
    from app.core.settlement import settle, year_to_date
    from app.core.settlement_text import claim_from_json, explain, priors_from_json

    packs = [load_pack(f) for f in _pack_files(args.policy)]
    claim_path = Path(args.claim)
    data = _read_json(claim_path, "结算单")
    known = tuple(dict.fromkeys(c for p in packs for c in p.categories))
    claim = claim_from_json(data, where=f"{claim_path.name}：", categories=known)
    county = data.get("county", "") if isinstance(data, dict) else ""
    pack = choose_pack(packs, claim.date, county=county)
    if args.history:
        history = Path(args.history)
        priors = priors_from_json(_read_json(history, "结算记录"), where=f"{history.name} ")
        ytd = year_to_date(priors, claim.date.year, until=claim.date, excluding=claim.claim_id)
        claim = dataclasses.replace(claim, year_to_date=ytd)
    result = settle(pack, claim)
    if args.json:
        print_json(result.to_json())
    else:
        print("\n".join(explain(result)))
    return 0


def cmd_policy_check(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.policy import PolicyPack, load_pack, pack_summary
    from app.core.policy_overlap import find_overlaps

    bad = 0
    packs: list[PolicyPack] = []
    for path in _pack_files(args.files):
        try:
            pack = load_pack(path)
        except ValidationError as exc:
            bad += 1
            print(f"错误：{exc}", file=sys.stderr)
            continue
        packs.append(pack)
        print(f"{path.name}：{pack_summary(pack)}")
    for overlap in find_overlaps(packs):
        bad += 1
        print(f"错误：{overlap.message}", file=sys.stderr)
    return EXIT_ERROR if bad else 0


def cmd_policy_list(args: argparse.Namespace, paths: Paths) -> int:
    from app.core.policy import pack_summary
    from app.storage.policies import POLICY_COUNTY_SETTING

    with open_workspace(paths) as ws:
        shelf = ws.claims.shelf()
        folder = ws.claims.policy_dir()
        county = ws.settings.get(POLICY_COUNTY_SETTING)
    print(f"本县政策包文件夹：{folder}" + ("" if folder.is_dir() else "（还没有这个文件夹）"))
    print(f"本县（设置 {POLICY_COUNTY_SETTING}）：{county or '未设置'}")
    for f in shelf.files:
        print(f"{f.where}  {f.path.name}：{pack_summary(f.pack)}")
    for problem in shelf.problems:
        print(f"错误：{problem}", file=sys.stderr)
    return EXIT_ERROR if shelf.problems else 0

