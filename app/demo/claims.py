"""Demo claims: about one in ten people a year has a settled episode, over the demo's last years.

Mostly in-county stays at the county hospitals (二级) of a few thousand to tens of thousands 元,
some at the township health centre or referred to the prefecture and province, and 门诊慢特病
settlements for chronic patients. Categories come from the household's status history and the
person's assistance categories. Each claim is settled by the engine with the person's year to date;
the slip's amounts equal the estimate except for a few where the hospital paid a little differently,
and a few claims are reversed. The demo county's pack (the 甘肃式 example re-dated for each year) is
written into the database's `policies` folder. Its own random stream keeps the people unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from app.core.claims import Claim, as_prior, check_claim, person_categories
from app.core.policy import PolicyPack, parse_pack
from app.core.settlement import YearToDate, settle
from app.storage.claims import claim_values
from app.storage.policies import POLICY_COUNTY_SETTING, shipped_dir
from app.storage.rows import rid
from app.storage.workspace import Workspace

DEMO_COUNTY = "永靖县（演示）"
YEARS = 5
RATE = 0.07  # × the weights below (mean about 1.4): about one person in ten a year
SOURCE_PACK = "example-gansu-style.toml"
CHRONIC = ("高血压", "2型糖尿病", "冠心病", "脑卒中", "慢性阻塞性肺疾病", "慢性肾病", "严重精神障碍")
# (hospital, level, scope, referred share, median total 元)
STAYS = (
    ("永靖县人民医院", "二级", "县域内", 0.0, 7_000, 58),
    ("永靖县中医医院", "二级", "县域内", 0.0, 5_500, 14),
    ("{township}卫生院", "一级", "县域内", 0.0, 2_600, 14),
    ("临夏州人民医院", "三级", "市域内", 0.8, 18_000, 10),
    ("甘肃省人民医院", "三级", "省域内", 0.85, 32_000, 4),
)
DIAGNOSES = ("肺炎", "慢性阻塞性肺疾病急性加重", "高血压3级", "2型糖尿病伴并发症", "脑梗死", "冠心病",
             "胆囊结石伴胆囊炎", "腰椎间盘突出症", "急性阑尾炎", "股骨颈骨折", "白内障", "急性胃肠炎")
MAJOR = {"胃癌": "C16.9", "食管癌": "C15.9", "肺癌": "C34.9", "肝癌": "C22.0", "乳腺癌": "C50.9",
         "宫颈癌": "C53.9", "结直肠癌": "C18.9", "终末期肾病": "N18.5", "儿童白血病": "C91.0",
         "儿童先天性心脏病": "Q24.9", "耐多药肺结核": "A15.0", "血友病": "D66"}
FEE_SHARES = (("床位费", 0.06), ("检查费", 0.10), ("化验费", 0.09), ("治疗费", 0.12), ("药品费", 0.35),
              ("材料费", 0.08))


def write_packs(folder: Path, years: Sequence[int]) -> None:
    """The demo county's pack for each year: the 甘肃式 example with its dates and county changed."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (shipped_dir() / SOURCE_PACK).read_text(encoding="utf-8")
    source = parse_pack(text, source=SOURCE_PACK)
    for year in years:
        body = (text.replace(f'county = "{source.county}"', f'county = "{DEMO_COUNTY}"')
                .replace(f"valid_from = {source.valid_from}", f"valid_from = {year}-01-01")
                .replace(f"valid_to = {source.valid_to}", f"valid_to = {year}-12-31")
                .replace('version = "2024"', f'version = "{year}"'))
        (folder / f"demo-{year}.toml").write_text(
            f"# 演示数据用的政策包：由 {SOURCE_PACK} 改成{DEMO_COUNTY} {year} 年。示例数值。\n" + body,
            encoding="utf-8")


@dataclass
class _Person:
    id: str
    household: str
    village: str
    township: str
    birth: dt.date
    sex: str
    assistance: list[str]
    grade: str
    gone: dt.date | None
    chronic: bool
    major: str


def generate_claims(ws: Workspace, *, seed: int, today: dt.date, townships: dict[str, str]) -> int:
    """Write the demo claims into ws (one transaction per year); return how many were written."""
    rng = random.Random(f"claims-{seed}")
    years = list(range(today.year - YEARS + 1, today.year + 1))
    write_packs(ws.claims.policy_dir(), years)
    with ws.transaction():
        ws.settings.set(**{POLICY_COUNTY_SETTING: DEMO_COUNTY})
    people = _people(ws, townships)
    history = _history(ws)
    packs = {y: ws.claims.pack_for(dt.date(y, 6, 30), DEMO_COUNTY) for y in years}
    count = 0
    serial = 0
    for year in years:
        last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
        start = dt.date(year, 1, 1)
        chosen = [p for p in people if (p.gone is None or p.gone > start) and p.birth < start
                  and rng.random() < RATE * _weight(p, year)]
        with ws.transaction():
            for p in chosen:
                end = min(last, p.gone - dt.timedelta(days=1)) if p.gone else last
                if end <= start:
                    continue
                stays = [_episode(rng, p, start, end) for _ in range(2 if rng.random() < 0.15 else 1)]
                ytd = YearToDate(year=year)
                for claim in sorted(stays, key=lambda c: c.discharged):
                    serial += 1
                    status = _status_on(history.get(p.household, []), claim.discharged)
                    pack = packs[year]
                    categories = person_categories(status, p.assistance, p.grade, known=pack.categories)
                    claim = replace(claim, categories=categories, county=pack.county,
                                    settlement_no=f"{'ZY' if claim.episode == '住院' else 'MZ'}{year}{serial:06d}")
                    claim, ytd = _write(ws, rng, pack, claim, ytd, p.village, today)
                    count += 1
    return count


def _weight(p: _Person, year: int) -> float:
    age = year - p.birth.year
    w = 0.4 if age < 15 else 0.6 if age < 45 else 1.2 if age < 65 else 2.2
    return w * (2.0 if p.chronic else 1.0) * (4.0 if p.major else 1.0)


def _episode(rng: random.Random, p: _Person, start: dt.date, end: dt.date) -> Claim:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    if p.chronic and rng.random() < 0.35:
        total = Decimal(rng.randint(600, 4_500)) + Decimal(rng.randint(0, 99)) / 100
        level = "一级" if rng.random() < 0.5 else "二级"
        hospital = f"{p.township}卫生院" if level == "一级" else "永靖县人民医院"
        return Claim(person_id=p.id, episode="门诊慢特病", hospital=hospital, level=level, scope="县域内",
                     admitted=day, discharged=day, total=total,
                     out_of_catalogue=_share(total, rng.uniform(0.0, 0.06)),
                     diagnosis="高血压" if rng.random() < 0.6 else "2型糖尿病", source="结算单",
                     entered_by="demo")
    hospital, level, scope, referred, median, _ = rng.choices(STAYS, weights=[s[5] for s in STAYS])[0]
    scale = 4.0 if p.major else 1.0
    total = Decimal(int(median * scale * rng.lognormvariate(0, 0.55))).max(Decimal(800))
    total += Decimal(rng.randint(0, 99)) / 100
    days = max(2, min(30, int(float(total) / (900 if level == "一级" else 1_400)) + rng.randint(0, 3)))
    admitted = max(start, day - dt.timedelta(days=days))
    diagnosis, disease = (p.major, MAJOR.get(p.major, "")) if p.major and rng.random() < 0.7 else \
        (rng.choice(DIAGNOSES), "")
    fees = {name: _share(total, share * rng.uniform(0.7, 1.2)) for name, share in FEE_SHARES}
    return Claim(person_id=p.id, episode="住院", hospital=hospital.format(township=p.township),
                 level=level, scope=scope, referred=rng.random() < referred, admitted=admitted,
                 discharged=day, total=total, out_of_catalogue=_share(total, rng.uniform(0.02, 0.12)),
                 diagnosis=diagnosis, disease=disease, fees=fees, source="结算单", entered_by="demo")


def _share(total: Decimal, share: float) -> Decimal:
    return (total * Decimal(str(round(share, 4)))).quantize(Decimal("0.01"))


def _write(ws: Workspace, rng: random.Random, pack: PolicyPack, claim: Claim, ytd: YearToDate,
           village: str, today: dt.date) -> tuple[Claim, YearToDate]:
    """Settle the claim, make its slip (mostly as estimated) and store it; the year after it."""
    s = settle(pack, claim.engine_input(year_to_date=ytd))
    paid = {x.name: x.amount for x in s.layers if x.applies and x.amount}
    self_pay = s.self_pay
    if paid and rng.random() < 0.04:
        name = rng.choice(list(paid))
        off = min(paid[name], Decimal(rng.randint(5, 300)))
        paid[name] -= off
        self_pay += off
    claim = check_claim(replace(claim, paid=paid, self_pay=self_pay), today=today,
                        known_categories=pack.categories)
    row = claim_values(claim, today=min(today, claim.discharged + dt.timedelta(days=rng.randint(1, 20))))
    cid = ws.tracker.insert("claims", row, partition=village)
    claim = replace(claim, id=rid(cid))
    if rng.random() < 0.006:
        reversal = replace(claim, id=None, reverses=str(cid), reason="结算金额录入错误", note="")
        ws.tracker.insert("claims", claim_values(reversal, today=today), partition=village)
        return claim, ytd
    return claim, ytd.add(as_prior(s, claim))


def _people(ws: Workspace, townships: dict[str, str]) -> list[_Person]:
    conditions: dict[str, list[tuple[str, str]]] = {}
    for r in ws.conn.execute("SELECT person_id, condition, note FROM diagnoses WHERE deleted = 0"):
        conditions.setdefault(r[0], []).append((r[1], r[2]))
    out = []
    for r in ws.conn.execute(
            "SELECT p.id, p.household_id, h.village_code, p.birth_date, p.sex, p.assistance,"
            " p.disability_grade, p.living_status, p.status_date FROM people p"
            " JOIN households h ON h.id = p.household_id WHERE p.deleted = 0 ORDER BY p.record_no"):
        if not r["birth_date"]:
            continue
        conds = conditions.get(r["id"], [])
        gone = dt.date.fromisoformat(r["status_date"]) if r["living_status"] != "在册" and r["status_date"] \
            else None
        out.append(_Person(
            id=r["id"], household=r["household_id"], village=r["village_code"],
            township=townships.get(r["village_code"][:9], "太平镇"),
            birth=dt.date.fromisoformat(r["birth_date"]), sex=r["sex"],
            assistance=json.loads(r["assistance"] or "[]"), grade=r["disability_grade"], gone=gone,
            chronic=any(c in CHRONIC for c, _ in conds),
            major=next((note for c, note in conds if c == "大病"), "")))
    return out


def _history(ws: Workspace) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for r in ws.conn.execute("SELECT household_id, since, status FROM poverty_events WHERE deleted = 0"
                             " ORDER BY since, id"):
        out.setdefault(r[0], []).append((r[1], r[2]))
    return out


def _status_on(events: list[tuple[str, str]], day: dt.date) -> str:
    before = [status for since, status in events if since <= day.isoformat()]
    return before[-1] if before else "general"
