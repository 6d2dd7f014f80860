"""Demo data: a realistic, reproducible clinic database (village, township or county size).

Everything is written through the Tracker (one outbox entry per row) in one transaction per
village, with the search index filled as `ws.people.add` would fill it. The same seed and
`today` give the same content; only the UUIDv7 ids and timestamps differ between runs.
A package of its own above app.storage: the CLI, the UI and the benchmarks call it, storage never.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import StorageError, ValidationError
from app.core.households import Household, validate_household
from app.core.identity import age_on, health_record_no, id_check_char
from app.core.ids import uuid7
from app.core.people import Diagnosis, Person, check_diagnosis, check_person
from app.core.search import search_tokens
from app.demo import care as demo_care
from app.demo import file as demo_file
from app.storage.rows import rid, to_values
from app.storage.workspace import Workspace

DEMO_USER = ("demo", "demo123")
DEMO_USER_DISPLAY = "演示村医"
# Set only by `generate`: lets `cunyi gui --demo` sign in as the demo user without asking.
DEMO_SETTING = "demo_database"

Progress = Callable[[int, int, str], None]

COUNTY_CODE = "622923"
COUNTY_NAME = "永靖县"
MAIN_TOWNSHIP = ("104", "太平镇")
# Township segment 100–199 is a 镇, 200–399 a 乡 (rules for codes below county level).
COUNTY_TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("101", "新集镇"), ("102", "红山镇"), ("103", "川口镇"), ("104", "太平镇"),
    ("105", "石门镇"), ("106", "龙泉镇"), ("107", "白塔镇"), ("108", "西川镇"),
    ("201", "关山乡"), ("202", "杨塔乡"), ("203", "坪沟乡"), ("204", "柳湾乡"),
    ("205", "徐家坪乡"), ("206", "黑石乡"), ("207", "三条沟乡"),
)
# Neighbouring counties, where married-in spouses were registered at birth.
OTHER_COUNTIES = ("622921", "622922", "622924", "622925", "622926", "622927", "620121", "620102")


@dataclass(frozen=True)
class DemoSize:
    """How much to generate: villages per township, townships, households per village (mean)."""

    townships: int
    villages_per_township: int
    households_per_village: int


SIZES: dict[str, DemoSize] = {
    "village": DemoSize(townships=1, villages_per_township=1, households_per_village=400),
    # One large village of about 5,000 people with five years of history: what sync is measured on.
    "village5k": DemoSize(townships=1, villages_per_township=1, households_per_village=1350),
    "township": DemoSize(townships=1, villages_per_township=20, households_per_village=400),
    "county": DemoSize(townships=15, villages_per_township=20, households_per_village=400),
}


@dataclass
class DemoSummary:
    """What a demo run made, and how long it took."""

    path: Path
    size: str
    seed: int
    clinic_name: str
    division_code: str
    villages: int = 0
    households: int = 0
    people: int = 0
    poor_households: int = 0
    diagnoses: int = 0
    followups: int = 0
    exams: int = 0
    claims: int = 0
    contracts: int = 0
    seconds: float = 0.0


# --- names ---------------------------------------------------------------------------------

# Common surnames with their approximate share (per mille) of the population; the polyphonic
# ones at the end are rare but make search realistic (单 shan, 解 xie, 区 ou, ...).
_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 72), ("李", 72), ("张", 68), ("刘", 54), ("陈", 46), ("杨", 31), ("黄", 23),
    ("赵", 22), ("吴", 20), ("周", 19), ("徐", 17), ("孙", 16), ("马", 15), ("朱", 14),
    ("胡", 13), ("郭", 12), ("何", 12), ("林", 11), ("高", 11), ("罗", 10), ("郑", 9),
    ("梁", 9), ("谢", 9), ("宋", 8), ("唐", 8), ("许", 8), ("韩", 8), ("冯", 7), ("邓", 7),
    ("曹", 7), ("彭", 7), ("曾", 7), ("肖", 6), ("田", 6), ("董", 6), ("袁", 6), ("潘", 6),
    ("于", 6), ("蒋", 6), ("蔡", 6), ("余", 5), ("杜", 5), ("叶", 5), ("程", 5), ("苏", 5),
    ("魏", 5), ("吕", 5), ("丁", 5), ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4),
    ("崔", 4), ("钟", 4), ("谭", 4), ("陆", 4), ("汪", 4), ("范", 4), ("金", 4), ("石", 4),
    ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3),
    ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 3), ("薛", 3), ("闫", 3),
    ("段", 3), ("雷", 2.5), ("侯", 2.5), ("龙", 2.4), ("史", 2.4), ("陶", 2.3), ("黎", 2.3),
    ("贺", 2.3), ("顾", 2.2), ("毛", 2.2), ("郝", 2.1), ("龚", 2.1), ("邵", 2), ("万", 2),
    ("钱", 2), ("严", 1.9), ("覃", 1.9), ("武", 1.9), ("戴", 1.8), ("莫", 1.8), ("孔", 1.7),
    ("向", 1.7), ("汤", 1.7), ("常", 1.7), ("单", 0.6), ("解", 0.5), ("仇", 0.4), ("区", 0.2),
    ("朴", 0.3), ("查", 0.4), ("盖", 0.3), ("乐", 0.3), ("缪", 0.4), ("翟", 0.5), ("牟", 0.4),
    ("柏", 0.3), ("欧阳", 0.3), ("司马", 0.05), ("诸葛", 0.04),
)
_SURNAME_LIST = [s for s, _ in _SURNAMES]
_SURNAME_CUM = list(itertools.accumulate(w for _, w in _SURNAMES))

# Given-name characters by era and sex; generation characters (字辈) shared by siblings.
_GIVEN = {
    ("old", "1"): "德明福贵有才发生根山林海成富忠文武学志国建军平永宝玉新春祥荣清正长金全兴俊义仁",
    ("old", "2"): "秀英兰桂芳珍淑玉凤梅花翠琴莲菊霞香云娥爱美素巧月",
    ("mid", "1"): "伟强军勇斌涛鹏磊辉刚峰波杰亮明华林东红海平健志成宏龙超",
    ("mid", "2"): "丽娟红霞燕芳艳敏静玲梅萍丹慧琴英琳婷云洁莉",
    ("new", "1"): "浩宇轩博睿航泽俊晨鑫瑞豪翔凯杰涵铭哲文一嘉奕然辰",
    ("new", "2"): "欣怡婷雪梦琪雨涵思佳悦萱诗晴颖瑶可馨欢彤妍紫茜",
}
_GENERATION = "建永志世宗德明文国家兴成天立振继学光正金玉子万有生春"


def _era(birth: dt.date) -> str:
    return "old" if birth.year < 1965 else "mid" if birth.year < 1990 else "new"


# --- places --------------------------------------------------------------------------------

_VILLAGE_NAMES = (
    "红旗村", "新庄村", "王家岔村", "团结村", "和平村", "前进村", "光明村", "东风村", "胜利村",
    "向阳村", "建设村", "新民村", "丰收村", "五星村", "联合村", "幸福村", "红星村", "中庄村",
    "上庄村", "下庄村", "马家湾村", "李家坪村", "张家沟村", "刘家塬村", "陈家台村", "杨家山村",
    "赵家咀村", "何家庄村", "孔家寺村", "韩家集村", "白家川村", "罗家洼村", "小河村", "平场村",
    "青城村", "南岸村", "夏家坝村", "张家店村", "大滩村", "沙沟村",
)
_VILLAGE_SUFFIXES = "岔湾庄沟坪塬台咀山集河洼川"
_GROUPS = ("一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组")
_PHONE_PREFIXES = (
    "139", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159", "182",
    "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180",
    "181", "189", "177", "199",
)
_HELP_UNITS = (
    "卫生健康局", "人民医院", "中医医院", "教育局", "农业农村局", "财政局", "公安局", "自然资源局",
    "水务局", "交通运输局", "人力资源和社会保障局", "民政局", "供电公司", "农村信用合作联社",
)
_HOSPITALS = ("永靖县人民医院", "永靖县中医医院", "临夏州人民医院", "太平镇卫生院", "甘肃省人民医院")
_MAJOR_ILLNESSES = (
    "终末期肾病", "胃癌", "食管癌", "肺癌", "肝癌", "乳腺癌", "宫颈癌", "结直肠癌",
    "儿童先天性心脏病", "儿童白血病", "耐多药肺结核", "血友病",
)
_MOVE_NOTES = ("迁往兰州市七里河区", "迁往临夏市", "外嫁迁出", "迁往新疆昌吉州", "升学迁出", "迁往西宁市")
_DEATH_NOTES = ("病故", "因病去世", "老年病故", "意外死亡")


@dataclass
class _Village:
    code: str
    name: str
    township_name: str
    households: int
    clans: tuple[str, ...]
    ethnic: str                 # majority ethnicity
    poor_rate: float
    groups: int


@dataclass
class _Member:
    relation: str
    sex: str
    birth: dt.date
    surname: str
    given: str = ""
    id: str = field(default_factory=uuid7)


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class _Generator:
    """Draws households, people and their histories from one random stream."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    # --- small draws ---

    def surname(self, village: _Village | None = None) -> str:
        if village and village.clans and self.rng.random() < 0.45:
            return self.rng.choice(village.clans)
        return self.rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]

    def given(self, sex: str, birth: dt.date, generation: str = "") -> str:
        chars = _GIVEN[(_era(birth), sex)]
        if generation:
            return generation + self.rng.choice(chars)
        single = 0.12 if birth.year < 1990 else 0.3
        if self.rng.random() < single:
            return self.rng.choice(chars)
        first, second = self.rng.sample(chars, 2)
        return first + second

    def born(self, age: int) -> dt.date:
        """A birth date giving this age today."""
        day = self.today - dt.timedelta(days=int(age * 365.25) + self.rng.randint(0, 364))
        return min(day, self.today - dt.timedelta(days=1))

    def resident_id(self, birth: dt.date, sex: str, county: str) -> str:
        while True:
            odd = self.rng.choice("13579" if sex == "1" else "02468")
            body = f"{county}{birth:%Y%m%d}{self.rng.randint(0, 99):02d}{odd}"
            number = body + id_check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.today)
        if end <= start:
            return end
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    # --- a family ---

    def family(self, village: _Village) -> list[_Member]:
        """Members of one household, head first, with consistent ages and surnames."""
        rng = self.rng
        head_age = int(min(92, max(24, rng.gauss(52, 14))))
        head_sex = "1" if rng.random() < 0.86 else "2"
        head_birth = self.born(head_age)
        head = _Member("户主", head_sex, head_birth, self.surname(village))
        members = [head]
        spouse: _Member | None = None
        if rng.random() < (0.85 if head_age < 68 else 0.6) and head_sex == "1":
            age = max(20, head_age + int(rng.gauss(-2, 3)))
            spouse = _Member("配偶", "2", self.born(age), self.surname(village))
            members.append(spouse)
        mother = spouse if spouse else (head if head_sex == "2" else None)
        family_name = head.surname if head_sex == "1" else self.surname(village)
        # children
        if mother is not None or rng.random() < 0.5:
            base = mother.birth if mother else head_birth
            max_kids = 4 if base.year < 1960 else 3 if base.year < 1985 else 2
            kids = rng.choice(range(0 if head_age < 26 else 1, max_kids + 1))
            son_gen = rng.choice(_GENERATION) if rng.random() < 0.55 else ""
            stayed_son = False
            for k in range(kids):
                mother_age = rng.randint(20, 26) + 3 * k
                birth = _add_years(base, mother_age) + dt.timedelta(days=rng.randint(0, 300))
                if birth >= self.today:
                    break
                sex = "1" if rng.random() < 0.53 else "2"
                age = age_on(birth, self.today)
                stays = age < 22 or (sex == "1" and not stayed_son and rng.random() < 0.7) \
                    or (age < 28 and rng.random() < 0.3) or rng.random() < 0.05
                if not stays:
                    continue
                child = _Member("子" if sex == "1" else "女", sex, birth, family_name,
                                self.given(sex, birth, son_gen if sex == "1" else ""))
                members.append(child)
                if sex == "1" and age >= 24:
                    stayed_son = True
                    members += self._son_family(village, child)
        # parents of a young head
        if head_age < 60 and rng.random() < 0.45:
            if rng.random() < 0.6:
                age = head_age + rng.randint(23, 32)
                if age <= 92:
                    members.append(_Member("父亲", "1", self.born(age),
                                           head.surname if head_sex == "1" else self.surname(village)))
            if rng.random() < 0.85:
                age = head_age + rng.randint(21, 30)
                if age <= 95:
                    members.append(_Member("母亲", "2", self.born(age), self.surname(village)))
        for m in members:
            if not m.given:
                m.given = self.given(m.sex, m.birth)
        return members

    def _son_family(self, village: _Village, son: _Member) -> list[_Member]:
        rng = self.rng
        out: list[_Member] = []
        son_age = age_on(son.birth, self.today)
        if son_age < 24 or rng.random() > 0.75:
            return out
        wife = _Member("儿媳", "2", self.born(max(20, son_age + rng.randint(-4, 1))), self.surname(village))
        out.append(wife)
        gen = rng.choice(_GENERATION) if rng.random() < 0.4 else ""
        for k in range(rng.choice((0, 1, 1, 2, 2, 3))):
            birth = _add_years(wife.birth, rng.randint(21, 27) + 3 * k) + dt.timedelta(days=rng.randint(0, 300))
            if birth >= self.today:
                break
            sex = "1" if rng.random() < 0.53 else "2"
            out.append(_Member("孙子" if sex == "1" else "孙女", sex, birth, son.surname,
                               self.given(sex, birth, gen if sex == "1" else "")))
        return out


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- generation ----------------------------------------------------------------------------


def _plan(size: DemoSize, rng: random.Random) -> list[_Village]:
    """Villages to make, with their codes, clans, majority ethnicity and share of poor households."""
    if size.townships == 1:
        townships: Sequence[tuple[str, str]] = (MAIN_TOWNSHIP,)
    else:
        townships = COUNTY_TOWNSHIPS[: size.townships]
    villages: list[_Village] = []
    for t_code, t_name in townships:
        names = [n for n in _VILLAGE_NAMES if n != "红旗村"]
        rng.shuffle(names)
        if t_code == MAIN_TOWNSHIP[0]:
            names.insert(0, "红旗村")
        used: set[str] = set()
        for i in range(size.villages_per_township):
            name = names[i] if i < len(names) else ""
            while not name or name in used:
                name = f"{rng.choice(_SURNAME_LIST[:40])}家{rng.choice(_VILLAGE_SUFFIXES)}村"
            used.add(name)
            clan = name[0] if name[1:2] == "家" else ""
            ethnic = _weighted(rng, (("汉族", 85), ("回族", 10), ("东乡族", 5)))
            clans = (clan,) if clan else tuple(rng.sample(_SURNAME_LIST[:30], 2))
            if ethnic != "汉族":
                clans = ("马", "韩", "白")
            n = (size.households_per_village if size.villages_per_township == 1
                 else int(size.households_per_village * rng.uniform(0.6, 1.4)))
            villages.append(_Village(
                code=f"{COUNTY_CODE}{t_code}{201 + i:03d}", name=name, township_name=t_name,
                households=n, clans=clans, ethnic=ethnic,
                poor_rate=0.2 if not villages else rng.uniform(0.10, 0.30),
                groups=rng.randint(4, 8),
            ))
    return villages


def generate(path: Path | str, *, size: str = "village", seed: int = 7,
             today: dt.date | None = None, progress: Progress | None = None,
             replace: bool = False) -> DemoSummary:
    """Create a new clinic database at `path` filled with demo data of the given size.

    Built under a temporary name and renamed when complete, so a killed run leaves no database.
    An existing database is refused unless `replace` (whoever asks keeps a copy first).
    """
    final = Path(path)
    if final.exists() and final.stat().st_size > 0 and not replace:
        raise StorageError(f"数据库文件已存在：{final}")
    if size not in SIZES:
        raise ValidationError(f"不认识的演示数据规模“{size}”（可选：{'、'.join(SIZES)}）", field="size")
    started = time.perf_counter()
    today = today or dt.date.today()
    rng = random.Random(seed)
    villages = _plan(SIZES[size], rng)
    first = villages[0]
    if SIZES[size].villages_per_township * SIZES[size].townships == 1:
        scope, scope_name, clinic = first.code, first.name, f"{first.name}卫生室"
    else:
        scope, scope_name = first.code[:9] + "000", first.township_name
        clinic = f"{first.township_name}卫生院"
    built = demo_file.building_path(final)
    demo_file.discard(built)
    ws = Workspace.create(built, clinic_name=clinic, division_code=scope, division_name=scope_name)
    summary = DemoSummary(path=final, size=size, seed=seed, clinic_name=clinic, division_code=scope)
    try:
        with ws.transaction():
            ws.settings.add_division(COUNTY_CODE + "000000", COUNTY_NAME)
            for v in villages:
                ws.settings.add_division(v.code[:9] + "000", v.township_name)
                ws.settings.add_division(v.code, v.name)
        if size == "county":
            # The county server's view: every township. Settings are local, not synced.
            with ws.transaction():
                ws.settings.set(division_code=COUNTY_CODE + "000000", division_name=COUNTY_NAME,
                                 clinic_name=f"{COUNTY_NAME}卫生健康局")
            summary.division_code = COUNTY_CODE + "000000"
        gen = _Generator(rng, today)
        total = sum(v.households for v in villages)
        done = 0
        for v in villages:
            if progress:
                progress(done, total, f"正在生成{v.township_name}{v.name}……")
            with ws.transaction():
                writer = _VillageWriter(ws, gen, v, summary)
                for n in range(1, v.households + 1):
                    writer.household(n)
                writer.flush_index()
                care_rng = random.Random(f"{seed}:{v.code}:care")
                followups, exams = demo_care.write_village(ws, writer.care, v.code, today, care_rng)
                summary.followups += followups
                summary.exams += exams
            done += v.households
            summary.villages += 1
        if progress:
            progress(done, total, "正在生成家庭医生签约……")
        from app.demo import contracts as demo_contracts

        summary.contracts = demo_contracts.write_contracts(
            ws, {v.code: v.name for v in villages}, today, seed)
        if progress:
            progress(done, total, "正在生成就医结算……")
        from app.demo import claims as demo_claims

        summary.claims = demo_claims.generate_claims(
            ws, seed=seed, today=today, townships={v.code[:9]: v.township_name for v in villages})
        with ws.transaction():
            ws.settings.set(**{DEMO_SETTING: "1"})
            ws.audit("demo_generate", detail=f"{size} seed={seed}")
        ws.users.add_first(DEMO_USER[0], DEMO_USER_DISPLAY, "village_doctor", DEMO_USER[1])
        if progress:
            progress(total, total, "演示数据已生成")
    finally:
        ws.close()
    demo_file.put_in_place(built, final)
    summary.seconds = time.perf_counter() - started
    return summary


def is_demo_database(ws: Workspace) -> bool:
    """Whether `generate` made this database (init and the first-run wizard never mark one)."""
    return ws.settings.get(DEMO_SETTING) == "1"


@functools.lru_cache(maxsize=100_000)
def _name_tokens(name: str) -> frozenset[str]:
    return frozenset(search_tokens(name=name))


class _VillageWriter:
    """Writes one village's households through the Tracker, inside the caller's transaction."""

    def __init__(self, ws: Workspace, gen: _Generator, village: _Village, summary: DemoSummary) -> None:
        self.ws = ws
        self.track = ws.tracker
        self.gen = gen
        self.rng = gen.rng
        self.v = village
        self.summary = summary
        self.serial = 0
        self.tokens: list[tuple[str, str]] = []
        self.care: list[demo_care.CarePerson] = []

    def household(self, n: int) -> None:
        rng, gen, v, today = self.rng, self.gen, self.v, self.gen.today
        members = gen.family(v)
        head = members[0]
        head_age = age_on(head.birth, today)
        poor = rng.random() < v.poor_rate
        status = "general"
        if poor:
            alone_old = len(members) <= 2 and head_age >= 60
            status = "tekun" if alone_old and rng.random() < 0.4 else _weighted(rng, (
                ("exited", 58), ("monitored", 13), ("dibao", 18), ("poor", 5), ("tekun", 2)))
        group = _GROUPS[rng.randrange(v.groups)]
        people = [self._person(m, v, status) for m in members]
        conditions = [self._conditions(m, p) for m, p in zip(members, people, strict=True)]
        sick = any(c for c in conditions) or any(p.disabilities for p in people)
        causes: list[str] = []
        if status != "general":
            causes = [_weighted(rng, (("因病", 40), ("因残", 12), ("因学", 10), ("缺劳力", 12),
                                      ("缺技术", 8), ("缺资金", 8), ("因灾", 3), ("缺土地", 2),
                                      ("缺水", 2), ("交通落后", 1), ("自身发展动力不足", 2)))]
            if sick and "因病" not in causes and rng.random() < 0.6:
                causes.insert(0, "因病" if any(conditions) else "因残")
            if rng.random() < 0.3:
                extra = rng.choice(("缺劳力", "缺技术", "缺资金", "因学"))
                if extra not in causes:
                    causes.append(extra)
        h = validate_household(Household(
            id=None, village_code=v.code, group_name=group,
            address=f"{v.name}{group}{rng.randint(1, 120)}号",
            phone=people[0].phone or next((p.phone for p in people if p.phone), ""),
            household_no=f"{v.code}{n:04d}" if status != "general" else "",
            poverty_status=status, poverty_causes=causes,
            housing=_weighted(rng, (("安全住房", 95), ("C级危房", 4), ("D级危房", 1))),
            water=_weighted(rng, (("自来水", 85), ("井水", 10), ("经净化过滤的水", 5))),
            toilet=_weighted(rng, (("卫生厕所", 55), ("简易棚厕", 25), ("露天粪坑", 10), ("一格或二格粪池式", 10))),
            fuel=_weighted(rng, (("柴火", 40), ("煤", 30), ("液化气", 25), ("沼气", 5))),
            kitchen_exhaust=_weighted(rng, (("烟囱", 60), ("无", 25), ("油烟机", 15))),
            livestock_pen=_weighted(rng, (("单设", 50), ("室外", 30), ("无", 20))),
        ))
        events = self._history(status, h)
        values = to_values(h)
        values["head_id"] = head.id
        hid = self.track.insert("households", values, partition=v.code)
        self.summary.households += 1
        self.summary.poor_households += status != "general"
        for ev_status, since, note in events:
            self.track.insert("poverty_events", {"household_id": hid, "status": ev_status,
                                                 "since": since, "note": note}, partition=v.code)
        if status in ("poor", "exited", "monitored") or (status != "general" and rng.random() < 0.5):
            self._helpers(hid)
        for i, (m, p, conds) in enumerate(zip(members, people, conditions, strict=True), start=1):
            p.household_id = rid(hid)
            if h.household_no:
                p.person_no = f"{h.household_no}{i:03d}"
            self.serial += 1
            p.record_no = health_record_no(v.code, self.serial)
            check_person(p, today=today)
            values = to_values(p)
            values["id"] = m.id
            self.track.insert("people", values, partition=v.code)
            self.summary.people += 1
            for d in conds:
                d.person_id = rid(m.id)
                check_diagnosis(d, today=today)
                self.track.insert("diagnoses", to_values(d), partition=v.code)
                self.summary.diagnoses += 1
            assert p.birth_date is not None
            self.care.append(demo_care.CarePerson(m.id, p.sex, p.birth_date, p.living_status,
                                                  p.status_date, {d.condition: d.confirmed_on for d in conds}))
            tokens = _name_tokens(p.name) | search_tokens(
                name="", id_no=p.id_no, record_no=p.record_no, phone=p.phone,
                extra=(p.person_no,) if p.person_no else ())
            self.tokens += [(t, m.id) for t in tokens]

    def flush_index(self) -> None:
        """Fill the local search index (derived, never synced) for this village's people."""
        self.ws.conn.executemany(
            "INSERT OR IGNORE INTO search_index (token, person_id) VALUES (?, ?)", self.tokens)
        self.tokens = []

    def _person(self, m: _Member, v: _Village, status: str) -> Person:
        rng, gen, today = self.rng, self.gen, self.gen.today
        age = age_on(m.birth, today)
        married_in = m.relation in ("配偶", "儿媳") and rng.random() < 0.3
        county = rng.choice(OTHER_COUNTIES) if married_in else COUNTY_CODE
        ethnic = v.ethnic if rng.random() < (0.97 if v.ethnic == "汉族" else 0.75) else \
            rng.choice(("汉族", "回族", "东乡族", "土族", "藏族"))
        p = Person(
            id=None, household_id=None, name=m.surname + m.given, sex=m.sex, birth_date=m.birth,
            id_no=gen.resident_id(m.birth, m.sex, county), relation=m.relation, ethnicity=ethnic,
            education=_education(rng, age, m.birth),
            occupation=("" if age < 16 else "无职业" if age >= 70 else
                        _weighted(rng, (("农、林、牧、渔、水利业生产人员", 70),
                                        ("生产、运输设备操作人员及有关人员", 15),
                                        ("商业、服务业人员", 10), ("不便分类的其他从业人员", 5)))),
            marital=("未婚" if age < 22 or m.relation in ("孙子", "孙女") else
                     "已婚" if m.relation in ("户主", "配偶", "儿媳") or age >= 30 else "未婚"),
            insurance_type=_weighted(rng, (("城乡居民基本医疗保险", 96), ("城镇职工基本医疗保险", 3), ("未参保", 1))),
            blood_type=_weighted(rng, (("不详", 70), ("A型", 9), ("B型", 9), ("O型", 9), ("AB型", 3))),
            health_state="健康",
            labour_skill=("无劳动力" if age < 16 or age >= 75 else "弱劳动力或半劳动力" if age >= 60 else
                          "技能劳动力" if rng.random() < 0.12 else "普通劳动力"),
        )
        if m.relation == "户主" and m.sex == "1" and age >= 60 and rng.random() < 0.3:
            p.marital = "丧偶"
        if age >= 16 and (age < 70 or rng.random() < 0.4):
            p.phone = gen.phone()
        if status == "dibao":
            p.assistance.append("低保")
        elif status == "tekun":
            p.assistance.append("特困")
        if rng.random() < 0.035 + (0.05 if age >= 65 else 0):
            p.disabilities = [_weighted(rng, (("肢体残疾", 45), ("视力残疾", 15), ("听力残疾", 15),
                                              ("智力残疾", 10), ("精神残疾", 8), ("言语残疾", 4), ("其他残疾", 3)))]
            p.disability_grade = rng.choice(("一级", "二级", "三级", "四级"))
            p.assistance.append("残疾")
            p.health_state = "残疾"
            if p.disability_grade in ("一级", "二级"):
                p.labour_skill = "丧失劳动力"
        if age >= 70 and rng.random() < 0.15:
            p.assistance.append("70岁以上需照料")
        if m.relation != "户主":
            if age >= 65 and rng.random() < 0.04:
                p.living_status = "死亡"
                p.status_date = gen.date_between(today - dt.timedelta(days=3 * 365), today)
                p.status_note = rng.choice(_DEATH_NOTES)
            elif 18 <= age <= 40 and rng.random() < 0.03:
                p.living_status = "迁出"
                p.status_date = gen.date_between(max(_add_years(m.birth, 18), today - dt.timedelta(days=4 * 365)), today)
                p.status_note = rng.choice(_MOVE_NOTES)
        return p

    def _conditions(self, m: _Member, p: Person) -> list[Diagnosis]:
        """Diagnoses by age: ~25% of adults 35+ hypertensive, ~10% diabetic, some 大病."""
        rng, gen, today = self.rng, self.gen, self.gen.today
        age = age_on(m.birth, today)
        out: list[Diagnosis] = []

        def add(condition: str, *, cls: str = "慢病签约服务管理", note: str = "", from_age: int = 35) -> None:
            start = max(_add_years(m.birth, from_age), today - dt.timedelta(days=15 * 365))
            out.append(Diagnosis(
                id=None, person_id=rid(""),
                condition=condition, confirmed_on=gen.date_between(start, today - dt.timedelta(days=30)),
                hospital=rng.choice(_HOSPITALS), treatment_class=cls, note=note))

        if age >= 35:
            band = 0 if age < 45 else 1 if age < 55 else 2 if age < 65 else 3
            if rng.random() < (0.10, 0.21, 0.32, 0.44)[band]:
                add("高血压")
            if rng.random() < (0.04, 0.08, 0.13, 0.16)[band]:
                add("2型糖尿病")
            if age >= 55 and rng.random() < 0.03:
                add(rng.choice(("脑卒中", "冠心病", "慢性阻塞性肺疾病")), from_age=50)
        if age >= 18 and rng.random() < 0.004:
            add("严重精神障碍", from_age=18)
        if rng.random() < (0.012 if age >= 40 else 0.003):
            add("大病", cls="大病集中救治", note=rng.choice(_MAJOR_ILLNESSES), from_age=min(age, 30))
        if out and p.health_state == "健康":
            p.health_state = "患有大病" if any(d.condition == "大病" for d in out) else "长期慢性病"
        if any(d.condition == "大病" for d in out):
            p.health_state = "患有大病"
            p.labour_skill = "丧失劳动力" if age >= 16 else p.labour_skill
        return out

    def _history(self, status: str, h: Household) -> list[tuple[str, dt.date, str]]:
        """Poverty-status history ending in the current status (建档 2014–2016, 脱贫 by 2020)."""
        rng, gen = self.rng, self.gen
        y = gen.today.year

        def on(year: int, start_month: int = 1) -> dt.date:
            year = min(year, y)
            return gen.date_between(dt.date(year, start_month, 1), dt.date(year, 12, 28))

        if status == "general":
            return []
        found = on(rng.randint(2014, 2016), 3)
        if status == "poor":
            if rng.random() < 0.5:
                return [("poor", found, "建档立卡识别")]
            exit_year = rng.randint(2016, 2020)
            return [("poor", found, "建档立卡识别"), ("exited", on(exit_year, 10), "脱贫退出"),
                    ("poor", on(rng.randint(2021, y)), "返贫")]
        if status == "exited":
            h.exit_year = rng.randint(max(2016, found.year + 1), 2020)
            return [("poor", found, "建档立卡识别"), ("exited", on(h.exit_year, 10), "脱贫退出")]
        if status == "monitored":
            kind = _weighted(rng, (("脱贫不稳定户", 50), ("边缘易致贫户", 35), ("突发严重困难户", 15)))
            if kind == "脱贫不稳定户":
                h.exit_year = rng.randint(max(2016, found.year + 1), 2020)
                return [("poor", found, "建档立卡识别"), ("exited", on(h.exit_year, 10), "脱贫退出"),
                        ("monitored", on(rng.randint(2021, y)), f"纳入防返贫监测（{kind}）")]
            return [("monitored", on(rng.randint(2021, y)), f"纳入防返贫监测（{kind}）")]
        if status == "dibao":
            return [("dibao", on(rng.randint(2014, y)), "纳入农村低保")]
        return [("tekun", on(rng.randint(2014, y)), "纳入特困人员供养")]

    def _helpers(self, hid: str) -> None:
        rng, gen = self.rng, self.gen
        since = gen.date_between(dt.date(2015, 3, 1), dt.date(2021, 6, 30))
        if rng.random() < 0.3:
            first = gen.date_between(dt.date(2014, 6, 1), since - dt.timedelta(days=200))
            self._helper(hid, first, since)
        self._helper(hid, since, None)

    def _helper(self, hid: str, since: dt.date, until: dt.date | None) -> None:
        rng, gen = self.rng, self.gen
        sex = "1" if rng.random() < 0.65 else "2"
        birth = gen.born(rng.randint(28, 55))
        unit = rng.choice(_HELP_UNITS)
        unit = f"{self.v.township_name}人民政府" if unit == "民政局" and rng.random() < 0.5 else COUNTY_NAME + unit
        self.track.insert("help_persons", {
            "household_id": hid, "name": gen.surname() + gen.given(sex, birth), "unit": unit,
            "phone": gen.phone(), "since": since, "until": until}, partition=self.v.code)


def _education(rng: random.Random, age: int, birth: dt.date) -> str:
    if age < 7:
        return "学龄前儿童"
    if age < 13:
        return "小学"
    if age < 16:
        return "初中"
    if birth.year < 1960:
        return _weighted(rng, (("文盲或半文盲", 45), ("小学", 40), ("初中", 12), ("高中", 3)))
    if birth.year < 1985:
        return _weighted(rng, (("文盲或半文盲", 8), ("小学", 37), ("初中", 40), ("高中", 10), ("中等专业学校", 5)))
    return _weighted(rng, (("小学", 8), ("初中", 42), ("高中", 20), ("中等专业学校", 10),
                           ("大学专科和专科学校", 12), ("大学本科", 8)))
