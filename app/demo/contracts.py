"""Demo family-doctor contracts: one township-led team per village, most households signed.

Every poor household is signed (the county's 100% target) and about two thirds of the others,
on days spread over the past year, so that some contracts run out within the month and show as
expiring. Each member signs the packages that fit them (the same rule the dialog applies), and
most contracts already have a 履约 record or two; the rest are 签而不约, as in real villages. Its
own random stream keeps the people, care and claims of a seed unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from app.core.contracts import ServiceDelivery, Team, TeamMember
from app.storage.workspace import Workspace

SIGNED_SHARE_GENERAL = 0.65
SERVED_SHARE = 0.8
SURNAMES = "王李张刘陈杨赵黄周吴马何罗梁宋郑谢韩唐冯"
GIVEN = ("建国", "志强", "海燕", "丽娟", "永红", "国庆", "春梅", "晓东", "桂英", "明亮", "玉兰", "文斌")
FIRST_SERVICES = ("年度健康体检", "慢病随访", "健康教育")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _team(ws: Workspace, village_code: str, village_name: str, rng: random.Random) -> str:
    team = Team(id=None, name=f"{village_name}家庭医生团队", township_code=village_code[:9] + "000",
                members=[TeamMember("团队长", _name(rng), _phone(rng)),
                         TeamMember("家庭医生", _name(rng), _phone(rng)),
                         TeamMember("护士", _name(rng), _phone(rng)),
                         TeamMember("乡村医生", _name(rng), _phone(rng))])
    team_id, _ = ws.contracts.add_team(team)
    return str(team_id)


def write_contracts(ws: Workspace, villages: dict[str, str], today: dt.date, seed: int) -> int:
    """Teams for `villages` (code → name), contracts and 履约 records; returns the contracts signed."""
    rng = random.Random(f"{seed}:contracts")
    codes = [p.code for p in ws.contracts.packages()]
    by_village: dict[str, list[str]] = defaultdict(list)
    for hid in ws.households.ids():
        by_village[ws.households.get(hid).village_code].append(hid)
    signed = 0
    for code, name in villages.items():
        with ws.transaction():
            team_id = _team(ws, code, name, rng)
            for hid in by_village.get(code, []):
                household = ws.households.get(hid)
                if not household.is_poor and rng.random() > SIGNED_SHARE_GENERAL:
                    continue
                if not any(p.living_status == "在册" for p in ws.households.members(hid)):
                    continue
                signed_on = today - dt.timedelta(days=rng.randint(0, 364))
                contract_id, _ = ws.contracts.sign(hid, team_id, codes, signed_on)
                signed += 1
                if rng.random() < SERVED_SHARE:
                    _serve(ws, str(contract_id), signed_on, today, rng)
    return signed


def _serve(ws: Workspace, contract_id: str, signed_on: dt.date, today: dt.date,
           rng: random.Random) -> None:
    """One or two services delivered to a member since the signing day."""
    contract = ws.contracts.get(contract_id)
    for person_id, packages in contract.member_packages.items():
        services = [s for s in FIRST_SERVICES if any(
            s == item.name for p in contract.packages if p.code in packages for item in p.services)]
        if not services or rng.random() < 0.5:
            continue
        days = max((today - signed_on).days, 0)
        for service in rng.sample(services, k=min(len(services), rng.randint(1, 2))):
            ws.contracts.record_service(ServiceDelivery(
                id=None, contract_id=contract_id, person_id=person_id, service=service,
                delivered_on=signed_on + dt.timedelta(days=rng.randint(0, days))), today=today)
