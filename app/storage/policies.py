"""The county policy packs a clinic settles with: the shipped examples and the county's own folder.

Packs come from two places: `resources/policies/*.toml` (shipped with the program) and the folder
named by the setting `policy_dir` (default: a `policies` folder next to the database), where the
county drops its real packs. A pack for a claim is chosen by its settlement date, in this order:

0. packs the county sent through sync (`ws.county_config`) that cover the date;
1. packs from the county's folder that cover the date;
2. the shipped example packs that cover the date;
3. the shipped worked example (`worked-example.toml`), only when nothing else covers the date.

Within a tier, the setting `policy_county` (or the county a claim names) picks among several
counties; with neither and several packs covering the date, the choice is refused with a message
saying what to set. A broken file in the folder is skipped and reported (`problems`), never
silently used; so is a pack whose period overlaps an earlier-starting pack of the same county in
the folder (the message names both files and the shared days).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ValidationError
from app.core.policy import CATEGORIES, PolicyPack, choose_pack, load_pack
from app.core.policy_overlap import find_overlaps

POLICY_DIR_SETTING = "policy_dir"
POLICY_COUNTY_SETTING = "policy_county"
WORKED_EXAMPLE = "worked-example.toml"


def shipped_dir() -> Path:
    """resources/policies: in the PyInstaller bundle when frozen, else in the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / "resources" / "policies").is_dir():
        return Path(frozen) / "resources" / "policies"
    return Path(__file__).resolve().parents[2] / "resources" / "policies"


@dataclass(frozen=True)
class PackFile:
    """A loaded pack and where it came from. `tier` 0 sent by the county through sync, 1 the
    county's folder, 2 shipped, 3 the shipped worked example."""

    pack: PolicyPack
    path: Path
    tier: int

    @property
    def shipped(self) -> bool:
        return self.tier > 1

    @property
    def where(self) -> str:
        return ("来自县里（同步）", "本县政策包文件夹", "程序自带的示例", "程序自带的算例")[self.tier]


@dataclass(frozen=True)
class Shelf:
    """The packs found, and the files that could not be read (one message each)."""

    files: tuple[PackFile, ...]
    problems: tuple[str, ...]

    @property
    def categories(self) -> tuple[str, ...]:
        """Every person category any pack knows (the built-in ones first)."""
        return tuple(dict.fromkeys([*CATEGORIES, *(c for f in self.files for c in f.pack.categories)]))

    def choose(self, on: dt.date, *, county: str = "", folder: Path | None = None) -> PolicyPack:
        """The pack for a settlement date (see the module docstring for the order)."""
        named = [f for f in self.files if not county or f.pack.county == county]
        if county and not named:
            known = "、".join(sorted({f.pack.county for f in self.files})) or "（无）"
            raise ValidationError(f"没有“{county}”的政策包（已有的县：{known}）", field="county")
        for tier in (0, 1, 2, 3):
            hits = [f.pack for f in named if f.tier == tier and f.pack.covers(on)]
            if len(hits) > 1 and not county:
                counties = "、".join(sorted({p.county for p in hits}))
                raise ValidationError(
                    f"{on} 有几个县的政策包：{counties}；请在设置中选定本县（{POLICY_COUNTY_SETTING}），"
                    "或在结算单中写明县（county）", field=POLICY_COUNTY_SETTING)
            if hits:
                return choose_pack(hits, on, county=county)
        where = f"；请把本县该时期的政策包（.toml）放进文件夹 {folder}" if folder else ""
        broken = f"（另有无法读取的文件：{'；'.join(self.problems)}）" if self.problems else ""
        whose = f"“{county}”" if county else ""
        raise ValidationError(f"没有覆盖 {on} 的{whose}政策包{where}{broken}", field="date")


_cache: dict[tuple[object, ...], Shelf] = {}


def _signature(paths: list[Path]) -> tuple[object, ...]:
    out: list[object] = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def load_shelf(folder: Path | None) -> Shelf:
    """The shipped packs and those in `folder` (which may not exist yet). Re-read when a file
    changes; a broken shipped pack is a bug and raises, a broken county file is reported."""
    shipped = sorted(shipped_dir().glob("*.toml"))
    own = sorted(folder.glob("*.toml")) if folder is not None and folder.is_dir() else []
    key = (*_signature(shipped), "|", *_signature(own))
    if key in _cache:
        return _cache[key]
    files: list[PackFile] = []
    problems: list[str] = []
    for path in own:
        try:
            files.append(PackFile(load_pack(path), path, 1))
        except ValidationError as exc:
            problems.append(str(exc))
    refused = {id(o.later): o.message for o in find_overlaps([f.pack for f in files])}
    problems.extend(refused.values())
    files = [f for f in files if id(f.pack) not in refused]
    for path in shipped:
        files.append(PackFile(load_pack(path), path, 3 if path.name == WORKED_EXAMPLE else 2))
    shelf = Shelf(tuple(files), tuple(problems))
    if len(_cache) > 16:
        _cache.clear()
    _cache[key] = shelf
    return shelf
