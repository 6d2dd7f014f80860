"""Checking a clinic's 12-digit division code against the structure and the codes the app knows.

A code that cannot exist (wrong length, no such province, a township's code where a village's is
needed) is refused. A code that is possible but not in the app's list (which is incomplete) is
accepted with a warning the user must acknowledge: a typo there would be printed on every form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.identity import DivisionCode, parse_division_code
from app.core.text import compact

# GB/T 2260: the 31 province-level divisions of the mainland (statistical codes exist only there).
PROVINCES: Mapping[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}


@dataclass(frozen=True)
class KnownDivisions:
    """The county (6-digit) and township (9-digit) codes the app ships, with their names."""

    counties: Mapping[str, str] = field(default_factory=dict)
    townships: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> KnownDivisions:
        """Build from (code, name) pairs: 6 digits a county, 9 digits a township."""
        counties: dict[str, str] = {}
        townships: dict[str, str] = {}
        for code, name in rows:
            code = code.strip()
            if not code.isdigit() or len(code) not in (6, 9):
                raise ValidationError(f"已知区划表中有无效的代码：{code}", field="division_code")
            (counties if len(code) == 6 else townships)[code] = name.strip()
        return cls(counties=counties, townships=townships)

    def has_township_list(self, county: str) -> bool:
        """Whether the townships of this county are listed (only then is a township checked)."""
        return any(t.startswith(county) for t in self.townships)


@dataclass(frozen=True)
class DivisionCheck:
    """A structurally valid clinic code, where it lies as far as known, and what looks doubtful."""

    code: DivisionCode
    place: str = ""                       # e.g. 甘肃省 永靖县 太平镇 (as far as the app knows)
    warnings: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return not self.warnings


def check_clinic_code(raw: object, known: KnownDivisions) -> DivisionCheck:
    """Check the village code a clinic is set up with; raise on the impossible, warn on the unknown."""
    text = compact(raw)
    code = parse_division_code(text)
    province = PROVINCES.get(text[:2])
    if province is None:
        raise ValidationError(
            f"区划代码的前两位 {text[:2]} 不是任何省级行政区的代码", field="division_code"
        )
    if code.level != "village":
        raise ValidationError(
            f"{text} 的村段为000，是{'县' if code.level == 'county' else '乡镇'}的代码；"
            "请填写本村（村委会或居委会）的12位代码",
            field="division_code",
        )
    warnings: list[str] = []
    parts = [province]
    county_name = known.counties.get(code.county)
    if county_name is None:
        warnings.append(
            f"县级代码 {code.county} 不在本程序已知的县（区）代码中，请向县卫健局核对"
        )
    else:
        parts.append(county_name)
        township_name = known.townships.get(code.township)
        if township_name is not None:
            parts.append(township_name)
        elif known.has_township_list(code.county):
            warnings.append(
                f"乡镇代码 {code.township[6:]} 不在本程序已知的{county_name}乡镇中，请向县卫健局核对"
            )
    if not 1 <= int(text[6:9]) <= 599:
        warnings.append(f"乡镇段 {text[6:9]} 不在常见范围（001–599）内")
    if int(text[9:]) > 399:
        warnings.append(f"村段 {text[9:]} 不在常见范围（001–399）内")
    return DivisionCheck(code=code, place=" ".join(parts), warnings=tuple(warnings))
