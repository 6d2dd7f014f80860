"""Identity numbers: resident ID (GB 11643), division codes and 17-digit health-record numbers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from app.core.errors import ValidationError
from app.core.text import compact

# --- resident ID (公民身份号码, GB 11643-1999) -------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

Sex = Literal["1", "2"]  # GB/T 2261.1: 1 男, 2 女
SEX_NAMES: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID, from its first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValidationError("身份证号前17位必须是数字", field="id_no")
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id15_to_18(old: str) -> str:
    """Convert a 15-digit first-generation ID (born 19xx) to the 18-digit form."""
    body = old[:6] + "19" + old[6:15]
    return body + id_check_char(body)


@dataclass(frozen=True)
class ResidentId:
    """A checked resident ID and what it tells: birth date, sex, county of registration."""

    number: str
    birth_date: dt.date
    sex: Sex
    converted_from_15: bool = False

    @property
    def region_code(self) -> str:
        return self.number[:6]


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def parse_resident_id(raw: object, *, today: dt.date | None = None) -> ResidentId:
    """Check a typed or imported resident ID; raise ValidationError with the reason in Chinese.

    Accepts stray spaces, full-width digits, a lowercase x and the 15-digit legacy form.
    """
    text = compact(raw).upper()
    if not text:
        raise ValidationError("身份证号为空", field="id_no")
    if _SCIENTIFIC.match(text) or (text.endswith(".0") and text[:-2].isdigit()):
        raise ValidationError(
            "身份证号被存成了数字，末几位已丢失，请把该列设为文本后重新录入", field="id_no"
        )
    converted = False
    if len(text) == 15:
        if not text.isdigit():
            raise ValidationError("15位身份证号只能是数字", field="id_no")
        text = id15_to_18(text)
        converted = True
    if len(text) != 18:
        raise ValidationError(f"身份证号应为18位（或15位旧号），这里有{len(text)}位", field="id_no")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise ValidationError("身份证号只能是数字，最后一位可以是X", field="id_no")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(
            f"身份证号中的出生日期 {text[6:14]} 不是真实的日期", field="id_no"
        ) from None
    today = today or dt.date.today()
    if birth > today:
        raise ValidationError(
            f"身份证号中的出生日期 {birth.isoformat()} 在今天之后", field="id_no"
        )
    if birth.year < 1880:
        raise ValidationError(f"身份证号中的出生年份 {birth.year} 不合理", field="id_no")
    expected = id_check_char(text[:17])
    if not converted and text[17] != expected:
        raise ValidationError(
            f"身份证号校验位不对：按前17位计算应为 {expected}，请核对号码", field="id_no"
        )
    sex: Sex = "1" if int(text[16]) % 2 == 1 else "2"
    return ResidentId(number=text, birth_date=birth, sex=sex, converted_from_15=converted)


def id_conflicts(rid: ResidentId, *, sex: str | None, birth_date: dt.date | None) -> list[str]:
    """What the typed sex and birth date contradict in the ID (empty when they agree)."""
    problems = []
    if sex in ("1", "2") and sex != rid.sex:
        problems.append(
            f"性别填的是{SEX_NAMES[sex]}，身份证号显示为{SEX_NAMES[rid.sex]}"
        )
    if birth_date is not None and birth_date != rid.birth_date:
        problems.append(
            f"出生日期填的是{birth_date.isoformat()}，身份证号显示为{rid.birth_date.isoformat()}"
        )
    return problems


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on a day (a birthday on 29 February counts from 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


# --- division codes (统计用区划代码, 12 digits) ---------------------------------------------

DivisionLevel = Literal["county", "township", "village"]


@dataclass(frozen=True)
class DivisionCode:
    """A 12-digit statistical division code: 6 county + 3 township + 3 village."""

    code: str

    @property
    def county(self) -> str:
        return self.code[:6]

    @property
    def township(self) -> str:
        return self.code[:9]

    @property
    def level(self) -> DivisionLevel:
        if self.code[6:] == "000000":
            return "county"
        if self.code[9:] == "000":
            return "township"
        return "village"

    def __str__(self) -> str:
        return self.code


def parse_division_code(raw: object, *, level: DivisionLevel | None = None) -> DivisionCode:
    """Check a 12-digit division code; `level` demands a county, township or village code."""
    text = compact(raw)
    if len(text) != 12 or not text.isdigit():
        raise ValidationError("区划代码应为12位数字（县6位＋乡镇3位＋村3位）", field="division_code")
    code = DivisionCode(text)
    if text[:2] == "00" or text[2:6] == "0000":
        raise ValidationError("区划代码的前6位不是有效的县级代码", field="division_code")
    if text[6:9] == "000" and text[9:] != "000":
        raise ValidationError("区划代码的乡镇段为000时，村段也必须为000", field="division_code")
    if level is not None and code.level != level:
        names = {"county": "县级", "township": "乡镇级", "village": "村级"}
        raise ValidationError(
            f"这里需要{names[level]}区划代码，{text} 是{names[code.level]}代码", field="division_code"
        )
    return code


# --- health-record numbers (居民健康档案编号, 17 digits) ----------------------------------------
#
# Numbers are the village's 12-digit code plus a 5-digit serial. Several PCs of one village may
# create files offline, so each installation has a station number (机位号) 1-9, chosen at first
# run and unique within the village (the county checks it at enrolment). Station s owns the serial
# block ((s-1)*10000, s*10000]: station 1 numbers 00001-10000, station 2 10001-20000, ...
# 90001-99999 is kept for numbers the county assigns itself. A single-PC clinic (station 1) gets
# consecutive numbers; two PCs can never hand out the same one, network or not.

SERIAL_BLOCK = 10_000
MAX_STATION = 9


def station_serial_range(station: int) -> tuple[int, int]:
    """The first and last serial an installation with this station number may hand out."""
    if not 1 <= station <= MAX_STATION:
        raise ValidationError(f"机位号应在1到{MAX_STATION}之间", field="station")
    return (station - 1) * SERIAL_BLOCK + 1, station * SERIAL_BLOCK


def next_serial(station: int, highest_used: int | None) -> int:
    """The next free serial for a station, given the highest it has used so far (or None)."""
    low, high = station_serial_range(station)
    serial = low if highest_used is None or highest_used < low else highest_used + 1
    if serial > high:
        raise ValidationError(
            f"本机位的档案号段（{low:05d}–{high:05d}）已用完，请联系县级管理员分配新号段",
            field="record_no",
        )
    return serial


def health_record_no(village_code: str, serial: int) -> str:
    """The 17-digit health-record number for a serial in a village."""
    parse_division_code(village_code, level="village")
    if not 1 <= serial <= 99_999:
        raise ValidationError("档案号序号应在00001到99999之间", field="record_no")
    return f"{village_code}{serial:05d}"


# Until the county confirms an installation's station (enrolment), the numbers it hands out are
# provisional: two PCs of one village may both have typed station 1. The county's answer settles
# them: those inside the confirmed block that no confirmed number already holds are kept, every
# other one moves to the next free serial of the block; the old number stays on the person's file
# (`former_record_nos`), so printed QR codes still find them. See DOMAIN.md, rule 2.

PROVISIONAL_MARK = "（临）"
PROVISIONAL_HINT = "临时档案号：县里确认机位号后可能改号，旧号仍可查询"


def shown_record_no(record_no: str, provisional: bool) -> str:
    """A 档案号 as printed or shown: a provisional one carries the （临） mark after it."""
    return f"{record_no}{PROVISIONAL_MARK}" if provisional and record_no else record_no


def settle_serials(station: int, provisional: Sequence[int], taken: Collection[int],
                   highest_used: int | None) -> list[int]:
    """The confirmed serial for each provisional serial (in the order given) of one village.

    A serial inside the confirmed station's block that no confirmed number (`taken`) and no
    earlier one of `provisional` holds is kept; each other one, in ascending order, gets the next
    serial after `highest_used` (the block's highest serial ever issued, provisional ones
    included), so nothing issued is handed out again.
    """
    low, high = station_serial_range(station)
    held = set(taken)
    settled: dict[int, int] = {}
    moving: list[int] = []
    for n, serial in enumerate(provisional):
        if low <= serial <= high and serial not in held:
            held.add(serial)
            settled[n] = serial
        else:
            moving.append(n)
    top = highest_used
    for n in sorted(moving, key=lambda i: (provisional[i], i)):
        top = next_serial(station, top)
        while top in held:
            top = next_serial(station, top)
        held.add(top)
        settled[n] = top
    return [settled[n] for n in range(len(provisional))]


def parse_record_no(raw: object) -> tuple[str, int]:
    """Split a 17-digit health-record number into its village code and serial."""
    text = compact(raw)
    if len(text) != 17 or not text.isdigit():
        raise ValidationError("健康档案编号应为17位数字", field="record_no")
    parse_division_code(text[:12], level="village")
    serial = int(text[12:])
    if serial == 0:
        raise ValidationError("健康档案编号的序号不能为00000", field="record_no")
    return text[:12], serial


def short_record_no(no17: str) -> str:
    """The 8-digit form printed on the national forms' headers: village + serial, `201-00037`."""
    return f"{no17[9:12]}-{no17[12:17]}"


# --- contract numbers (协议书编号) ------------------------------------------------------------
#
# `622923104201-2-2025-0001`: the village of the signed household, the station that signed it,
# the year of signing and a serial per village, station and year. The station keeps two PCs of
# one village apart; the serial has at least four digits and widens past 9999 (`-10000`) rather
# than starting again, so a number is never handed out twice.


def contract_no_prefix(village_code: str, station: int, year: int) -> str:
    """Everything of a contract number before its serial: village, station and year."""
    parse_division_code(village_code, level="village")
    station_serial_range(station)
    if not 1900 <= year <= 9999:
        raise ValidationError(f"签约年份 {year} 不合理", field="signed_on")
    return f"{village_code}-{station}-{year}-"


def contract_no(village_code: str, station: int, year: int, serial: int) -> str:
    """The contract number for a serial of a village, station and year."""
    if serial < 1:
        raise ValidationError("协议序号从1开始", field="contract_no")
    return f"{contract_no_prefix(village_code, station, year)}{serial:04d}"


def contract_serial(number: str, prefix: str) -> int | None:
    """The serial of a contract number under `prefix`, or None if it belongs to another one."""
    tail = number[len(prefix):]
    return int(tail) if number.startswith(prefix) and tail.isdigit() else None


def next_contract_no(village_code: str, station: int, year: int, highest_used: int | None) -> str:
    """The next contract number after the highest serial used (None: the first of the year)."""
    return contract_no(village_code, station, year, (highest_used or 0) + 1)
