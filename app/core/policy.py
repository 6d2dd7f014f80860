"""County policy packs (报销政策包): one TOML file per county and period, validated on load.

A pack names its county and period (`valid_from`–`valid_to`), the payer layers applied in order
(基本医保 → 大病保险 → 医疗救助 → 补充保险 → 医院减免 → 政府兜底, or any subset, each on what the
earlier ones left), the point-of-care fee waivers applied before any insurance (两免两减半), and the
county's targets for the 实际报销比例, each for the person categories it names (app.core.policy_targets).
`docs/policy.md` documents every key; `settlement.settle` applies a pack to a claim.

Every message names the file, the line and the field (`示例.toml 第12行 layer."基本医保".ratio：…`),
so a county administrator can fix a pack alone. Money is written as whole numbers or text
(`250`, `"250.50"`), never as a TOML float; ratios as fractions or percentages (`0.80`, `"80%"`);
uplifts and penalties in percentage points (`5`).

Public API: `parse_pack(text, source=)`, `load_pack(path)`, `choose_pack(packs, on, county=)`,
`pack_summary(pack)`, `category_name(raw)`, the dataclasses below, and the code lists CATEGORIES, EPISODES, LEVELS,
SCOPES, FEE_CATEGORIES.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.core.errors import ValidationError
from app.core.policy_reader import Reader, nearest, toml_error
from app.core.policy_targets import Target, read_targets, target_for, targets_text
from app.core.text import compact
from app.core.tomllines import KeyPath

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# Person categories (人员类别). A person may have several; an empty set means 普通.
CATEGORIES: tuple[str, ...] = ("建档立卡", "脱贫户", "监测户", "低保", "特困", "普通")
CATEGORY_SYNONYMS: dict[str, str] = {
    "建档立卡贫困户": "建档立卡", "建档立卡贫困人口": "建档立卡", "贫困户": "建档立卡", "poor": "建档立卡",
    "已脱贫": "脱贫户", "脱贫人口": "脱贫户", "巩固户": "脱贫户", "exited": "脱贫户",
    "防返贫监测户": "监测户", "监测对象": "监测户", "边缘户": "监测户", "边缘易致贫户": "监测户",
    "monitored": "监测户",
    "低保户": "低保", "低保对象": "低保", "dibao": "低保",
    "特困供养": "特困", "特困供养户": "特困", "特困人员": "特困", "五保户": "特困", "tekun": "特困",
    "一般户": "普通", "一般人群": "普通", "普通人群": "普通", "general": "普通",
}
EPISODES: tuple[str, ...] = ("住院", "门诊", "门诊慢特病")
LEVELS: tuple[str, ...] = ("一级", "二级", "三级", "未定级")
SCOPES: tuple[str, ...] = ("县域内", "市域内", "省域内", "省外")
FEE_CATEGORIES: tuple[str, ...] = (
    "普通挂号费", "普通诊查费", "专家挂号费", "专家诊查费", "一般诊疗费", "会诊费", "大型设备检查费",
    "检查费", "化验费", "治疗费", "手术费", "床位费", "急诊观察床位费", "护理费", "药品费", "材料费", "其他",
)
KINDS = ("比例", "兜底")
BASES = ("政策范围内", "全部")
PERIODS = ("每次", "每年")

TOP_KEYS = ("pack", "targets", "waiver", "layer")
PACK_KEYS = ("name", "county", "version", "valid_from", "valid_to", "order", "example", "note",
             "extra_categories")
CONDITION_KEYS = ("categories", "exclude_categories", "episodes", "levels", "scopes", "diseases")
RATIO_KEYS = ("deductible", "deductible_per", "deductible_by_category", "ratio", "bands", "bands_per",
              "by_hospital", "uplift", "unreferred_penalty", "referral_scopes", "cap", "cap_exempt")
CEILING_KEYS = ("ceiling_by_scope", "ceiling_share")
LAYER_KEYS = ("kind", "base", "note", *CONDITION_KEYS, *RATIO_KEYS, *CEILING_KEYS)
BAND_KEYS = ("from", "to", "ratio")
HOSPITAL_KEYS = ("level", "scope", "ratio", "deductible")
WAIVER_KEYS = ("name", "fee", "ratio", *CONDITION_KEYS)


# --- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Conditions:
    """Who and what a layer or waiver applies to; an empty set means no restriction."""

    categories: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()
    episodes: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    diseases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    """One slice of a progressive ratio (分段累进): the part of the base above the deductible
    from `lower` up to `upper` (None: no upper end) is paid at `ratio`."""

    lower: Decimal
    upper: Decimal | None
    ratio: Decimal


@dataclass(frozen=True)
class HospitalRate:
    """A ratio and/or deductible for a hospital level and/or scope; the first matching row wins."""

    level: str | None
    scope: str | None
    ratio: Decimal | None
    deductible: Decimal | None

    def matches(self, level: str, scope: str) -> bool:
        return self.level in (None, level) and self.scope in (None, scope)


@dataclass(frozen=True)
class DeductibleOverride:
    """A person category's deductible: a fixed amount, or a share of the normal one (`"50%"`)."""

    amount: Decimal | None = None
    share: Decimal | None = None

    def apply(self, normal: Decimal) -> Decimal:
        if self.amount is not None:
            return self.amount
        share = self.share if self.share is not None else Decimal(1)
        return (normal * share).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Layer:
    """One payer layer. `kind` 比例 pays a ratio of its base above a deductible, within a yearly
    cap; `kind` 兜底 pays whatever personal cost is above the personal ceiling."""

    name: str
    kind: str = "比例"
    base: str = "政策范围内"
    conditions: Conditions = Conditions()
    deductible: Decimal = ZERO
    deductible_per: str = "每次"
    deductible_by_category: Mapping[str, DeductibleOverride] = field(default_factory=dict)
    ratio: Decimal | None = None
    bands: tuple[Band, ...] = ()
    bands_per: str = "每次"
    by_hospital: tuple[HospitalRate, ...] = ()
    uplift: Mapping[str, Decimal] = field(default_factory=dict)
    unreferred_penalty: Decimal = ZERO
    referral_scopes: frozenset[str] = frozenset(SCOPES[1:])
    cap: Decimal | None = None
    cap_exempt: frozenset[str] = frozenset()
    ceiling_by_scope: Mapping[str, Decimal] = field(default_factory=dict)
    ceiling_share: Decimal | None = None
    note: str = ""

    def hospital_rate(self, level: str, scope: str) -> HospitalRate | None:
        return next((h for h in self.by_hospital if h.matches(level, scope)), None)


@dataclass(frozen=True)
class Waiver:
    """A point-of-care waiver: `ratio` of the fee category `fee` is not charged at all."""

    fee: str
    ratio: Decimal
    name: str = ""
    conditions: Conditions = Conditions()


@dataclass(frozen=True)
class PolicyPack:
    """One county's rules for one period. `targets` are the target groups: whom each is for and
    its fraction (0.90) per episode kind; see `target_for`."""

    name: str
    county: str
    valid_from: dt.date
    valid_to: dt.date
    layers: tuple[Layer, ...]
    version: str = ""
    waivers: tuple[Waiver, ...] = ()
    targets: tuple[Target, ...] = ()
    example: bool = False
    note: str = ""
    source: str = ""
    categories: tuple[str, ...] = CATEGORIES

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def target_for(self, person: frozenset[str], episode: str) -> Decimal | None:
        """The target fraction for a person of these categories and an episode kind; None when
        no target of the pack is for them (an ordinary resident is not judged)."""
        return target_for(self.targets, person, episode)

    @property
    def title(self) -> str:
        """How the pack is named to a person: county, name, version and period."""
        version = f" {self.version}" if self.version else ""
        mark = "（示例）" if self.example else ""
        return f"{self.county} {self.name}{version}{mark}（{self.valid_from} 至 {self.valid_to}）"


# --- loading ------------------------------------------------------------------------------


def load_pack(path: Path) -> PolicyPack:
    """The pack in a TOML file; messages name the file by its name."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"无法读取政策包文件 {path}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name} 不是UTF-8编码的文本文件，请另存为UTF-8") from None
    return parse_pack(text, source=path.name)


def parse_pack(text: str, *, source: str) -> PolicyPack:
    """A pack from its TOML text; every problem is a ValidationError naming `source`, line, field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(toml_error(source, exc, text)) from None
    r = Reader(text, source)
    r.known(data, (), TOP_KEYS)
    head = r.table(data.get("pack"), ("pack",), required=True)
    r.known(head, ("pack",), PACK_KEYS)
    categories = CATEGORIES + tuple(r.texts(head, ("pack", "extra_categories")))
    order = _order(r, head)
    layer_tables = r.table(data.get("layer"), ("layer",), required=True)
    layers = tuple(_layer(r, name, layer_tables, categories) for name in order)
    for name in layer_tables:
        if name not in order:
            raise r.fail(("layer", name), f"定义了“{name}”，但 [pack] 的 order 里没有它；"
                                          "请把它加进 order，或删去这一层")
    valid_from = r.date(head, ("pack", "valid_from"))
    valid_to = r.date(head, ("pack", "valid_to"))
    if valid_to < valid_from:
        raise r.fail(("pack", "valid_to"), f"结束日期 {valid_to} 早于开始日期 valid_from {valid_from}")
    return PolicyPack(
        name=r.text(head, ("pack", "name")), county=r.text(head, ("pack", "county")),
        version=r.text(head, ("pack", "version"), required=False),
        valid_from=valid_from, valid_to=valid_to, layers=layers,
        waivers=_waivers(r, data, categories),
        targets=read_targets(r, data, EPISODES, categories),
        example=r.flag(head, ("pack", "example")), note=r.text(head, ("pack", "note"), required=False),
        source=source, categories=categories,
    )


def _order(r: Reader, head: Mapping[str, Any]) -> tuple[str, ...]:
    path = ("pack", "order")
    if "order" not in head:
        raise r.fail(("pack",), "缺少 order：请按报销顺序列出各层，"
                                "如 order = [\"基本医保\", \"大病保险\", \"医疗救助\"]")
    order = r.texts(head, path)
    if not order:
        raise r.fail(path, "order 不能为空：至少列出一层")
    for i, name in enumerate(order):
        if name in order[:i]:
            raise r.fail(path, f"“{name}”在 order 里出现了两次")
    return tuple(order)


def _layer(r: Reader, name: str, tables: Mapping[str, Any],
           categories: Sequence[str]) -> Layer:
    path = ("layer", name)
    if name not in tables:
        hint = nearest(name, list(tables))
        defined = "、".join(tables) or "（无）"
        raise r.fail(("pack", "order"), f"order 中的“{name}”没有定义：请添加 [layer.\"{name}\"] 表"
                                        + (f"，或改成“{hint}”" if hint else f"（已定义：{defined}）"))
    data = r.table(tables[name], path, required=True)
    r.known(data, path, LAYER_KEYS)
    kind = r.choice(data, (*path, "kind"), KINDS, default="比例")
    conditions = _conditions(r, data, path, categories)
    base = r.choice(data, (*path, "base"), BASES, default="全部" if kind == "兜底" else "政策范围内")
    note = r.text(data, (*path, "note"), required=False)
    if kind == "兜底":
        return _ceiling_layer(r, name, data, base, conditions, note)
    for key in CEILING_KEYS:
        if key in data:
            raise r.fail((*path, key), "只有兜底层（kind = \"兜底\"）才用这个字段")
    return _ratio_layer(r, name, data, base, conditions, note, categories)


def _ceiling_layer(r: Reader, name: str, data: Mapping[str, Any], base: str,
                   conditions: Conditions, note: str) -> Layer:
    path = ("layer", name)
    for key in RATIO_KEYS:
        if key in data:
            raise r.fail((*path, key), "兜底层不用这个字段：它只把个人负担降到 ceiling_by_scope 或 "
                                       "ceiling_share 定的上限")
    by_scope = r.money_map(data, (*path, "ceiling_by_scope"), SCOPES)
    share = r.ratio(data, (*path, "ceiling_share")) if "ceiling_share" in data else None
    if not by_scope and share is None:
        raise r.fail(path, "兜底层需要个人自付上限：ceiling_by_scope（按就医地范围的年度上限）"
                           "或 ceiling_share（占总费用的比例）")
    return Layer(name=name, kind="兜底", base=base, conditions=conditions,
                 ceiling_by_scope=MappingProxyType(by_scope), ceiling_share=share, note=note)


def _ratio_layer(r: Reader, name: str, data: Mapping[str, Any], base: str, conditions: Conditions,
                 note: str, categories: Sequence[str]) -> Layer:
    path = ("layer", name)
    if ("ratio" in data) == ("bands" in data):
        raise r.fail(path, "ratio 和 bands 只能写一个" if "ratio" in data
                     else "缺少报销比例：请写 ratio（如 0.80）或 bands（分段比例）")
    bands = _bands(r, data, path) if "bands" in data else ()
    by_hospital = _hospital_rates(r, data, path, has_bands=bool(bands))
    cap = r.money(data, (*path, "cap")) if "cap" in data else None
    return Layer(
        name=name, kind="比例", base=base, conditions=conditions,
        deductible=r.money(data, (*path, "deductible")) if "deductible" in data else ZERO,
        deductible_per=r.choice(data, (*path, "deductible_per"), PERIODS, default="每次"),
        deductible_by_category=MappingProxyType(_overrides(r, data, path, categories)),
        ratio=r.ratio(data, (*path, "ratio")) if "ratio" in data else None,
        bands=bands, bands_per=r.choice(data, (*path, "bands_per"), PERIODS, default="每次"),
        by_hospital=by_hospital,
        uplift=MappingProxyType(r.points_map(data, (*path, "uplift"), categories)),
        unreferred_penalty=r.points(data, (*path, "unreferred_penalty"), lowest=ZERO),
        referral_scopes=frozenset(r.texts(data, (*path, "referral_scopes"), SCOPES, default=SCOPES[1:])),
        cap=cap, cap_exempt=frozenset(r.texts(data, (*path, "cap_exempt"), categories)), note=note,
    )


def _conditions(r: Reader, data: Mapping[str, Any], path: KeyPath,
                categories: Sequence[str]) -> Conditions:
    return Conditions(
        categories=frozenset(r.texts(data, (*path, "categories"), categories)),
        exclude_categories=frozenset(r.texts(data, (*path, "exclude_categories"), categories)),
        episodes=frozenset(r.texts(data, (*path, "episodes"), EPISODES)),
        levels=frozenset(r.texts(data, (*path, "levels"), LEVELS)),
        scopes=frozenset(r.texts(data, (*path, "scopes"), SCOPES)),
        diseases=tuple(compact(d) for d in r.texts(data, (*path, "diseases"))),
    )


def _overrides(r: Reader, data: Mapping[str, Any], path: tuple[str, ...],
               categories: Sequence[str]) -> dict[str, DeductibleOverride]:
    key = (*path, "deductible_by_category")
    table = r.table(data.get("deductible_by_category"), key)
    out: dict[str, DeductibleOverride] = {}
    for category, value in table.items():
        r.member(category, (*key, category), categories)
        if isinstance(value, str) and value.strip().endswith("%"):
            out[category] = DeductibleOverride(share=r.ratio(table, (*key, category)))
        else:
            out[category] = DeductibleOverride(amount=r.money(table, (*key, category)))
    return out


def _bands(r: Reader, data: Mapping[str, Any], path: tuple[str, ...]) -> tuple[Band, ...]:
    key = (*path, "bands")
    rows = r.rows(data, key)
    bands: list[Band] = []
    for i, row in enumerate(rows):
        at: KeyPath = (*key, i)
        r.known(row, at, BAND_KEYS)
        lower = r.money(row, (*at, "from"))
        upper = r.money(row, (*at, "to")) if "to" in row else None
        if upper is None and i < len(rows) - 1:
            raise r.fail((*at, "to"), "只有最后一段可以不写 to（上限）")
        if upper is not None and upper <= lower:
            raise r.fail((*at, "to"), f"上限 {upper} 应大于下限 from {lower}")
        if not bands and lower != 0:
            raise r.fail((*at, "from"), f"第一段应从 0 开始（现在是 {lower}）")
        if bands and bands[-1].upper is not None and lower < bands[-1].upper:
            raise r.fail((*at, "from"), f"与第{i}段重叠：第{i}段到 {bands[-1].upper} 为止，"
                                        f"这一段却从 {lower} 开始")
        if bands and bands[-1].upper is not None and lower > bands[-1].upper:
            raise r.fail((*at, "from"), f"与第{i}段之间有空缺：{bands[-1].upper} 到 {lower} 没有比例")
        bands.append(Band(lower, upper, r.ratio(row, (*at, "ratio"))))
    if not bands:
        raise r.fail(key, "bands 至少要有一段")
    return tuple(bands)


def _hospital_rates(r: Reader, data: Mapping[str, Any], path: tuple[str, ...],
                    *, has_bands: bool) -> tuple[HospitalRate, ...]:
    key = (*path, "by_hospital")
    rates = []
    for i, row in enumerate(r.rows(data, key) if "by_hospital" in data else []):
        at: KeyPath = (*key, i)
        r.known(row, at, HOSPITAL_KEYS)
        if "level" not in row and "scope" not in row:
            raise r.fail(at, "每一行要写 level（医院级别）或 scope（就医地范围），或两者都写")
        if "ratio" not in row and "deductible" not in row:
            raise r.fail(at, "每一行要写 ratio（比例）或 deductible（起付线），或两者都写")
        if has_bands and "ratio" in row:
            raise r.fail((*at, "ratio"), "这一层用分段比例（bands），按医院只能改起付线，不能改比例")
        rates.append(HospitalRate(
            level=r.choice(row, (*at, "level"), LEVELS) if "level" in row else None,
            scope=r.choice(row, (*at, "scope"), SCOPES) if "scope" in row else None,
            ratio=r.ratio(row, (*at, "ratio")) if "ratio" in row else None,
            deductible=r.money(row, (*at, "deductible")) if "deductible" in row else None,
        ))
    return tuple(rates)


def _waivers(r: Reader, data: Mapping[str, Any], categories: Sequence[str]) -> tuple[Waiver, ...]:
    waivers = []
    for i, row in enumerate(r.rows(data, ("waiver",)) if "waiver" in data else []):
        at: KeyPath = ("waiver", i)
        r.known(row, at, WAIVER_KEYS)
        waivers.append(Waiver(
            fee=r.choice(row, (*at, "fee"), FEE_CATEGORIES), ratio=r.ratio(row, (*at, "ratio")),
            name=r.text(row, (*at, "name"), required=False),
            conditions=_conditions(r, row, at, categories),
        ))
    return tuple(waivers)



# --- choosing and categories --------------------------------------------------------------


def choose_pack(packs: Sequence[PolicyPack], on: dt.date, *, county: str = "") -> PolicyPack:
    """The pack in force on a day (for `county` when given); a clear error when none or several."""
    pool = [p for p in packs if not county or p.county == county]
    if county and not pool:
        known = "、".join(sorted({p.county for p in packs})) or "（无）"
        raise ValidationError(f"没有“{county}”的政策包（已载入的县：{known}）", field="county")
    hits = [p for p in pool if p.covers(on)]
    if not hits:
        periods = "；".join(f"{p.source or p.name} {p.valid_from} 至 {p.valid_to}" for p in pool)
        raise ValidationError(f"没有覆盖 {on} 的政策包（已载入：{periods or '无'}）；"
                              "请载入该时期的政策包", field="date")
    if len(hits) > 1:
        names = "、".join(p.source or p.name for p in hits)
        raise ValidationError(f"{on} 同时在几个政策包的时期内：{names}；"
                              "请只给一个，或在结算单中写明县（county）", field="date")
    return hits[0]


def pack_summary(pack: PolicyPack) -> str:
    """One line about a pack: who, when, its layers, waivers and targets (and whom they are for)."""
    targets = targets_text(pack.targets)
    return (f"{pack.title}；{len(pack.layers)}层：{' → '.join(x.name for x in pack.layers)}；"
            f"减免{len(pack.waivers)}项；目标：{targets or '未定'}")


def category_name(raw: object, *, known: Sequence[str] = CATEGORIES) -> str:
    """A person category from its name, a common synonym or a household status code."""
    text = compact(raw)
    if text in known:
        return text
    if text in CATEGORY_SYNONYMS:
        return CATEGORY_SYNONYMS[text]
    hint = nearest(text, [*known, *CATEGORY_SYNONYMS])
    suggestion = f"，是不是“{CATEGORY_SYNONYMS.get(hint, hint)}”？" if hint else ""
    raise ValidationError(f"不认识的人员类别“{text}”{suggestion}（可用：{'、'.join(known)}）",
                          field="categories")
