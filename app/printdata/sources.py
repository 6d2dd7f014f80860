"""The forms' input built from an open Workspace: the caller opens it, the renderers never do.

Rules kept deliberately simple (and printed as such):

- 人群类型 ticks: age on the signing day ≥ 65 → 65岁及以上老年人, 0–6 → 0-6岁儿童; each of the
  diagnoses 高血压 / 2型糖尿病 / 严重精神障碍 / 肺结核 → its 患者 tick; a poor household's members
  get the tick of its status (建档立卡贫困人口, 低保对象 …); any disability → 残疾人.
- Fee lines: one per frozen package of the contract, price × the members who signed it, split by
  payer; when the contract's frozen fees show the personal share waived, each line's personal part
  moves to 财政补助.
- Card 户类型: the household's poverty status in force on the printing day (from its history);
  签约成员: every 在册 member with the packages they signed (未签约 for the others).
- Card 近期应做的服务: for every member and service of the live contract with a yearly frequency
  f > 0 that was done fewer than f times this term, the next time is due by the end of its slot
  (the term split in f equal slots). Only those due within DUE_WINDOW_DAYS of `today` (overdue
  ones included) are listed, soonest first, at most DUE_LIMIT rows so the card stays one page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import contracts as core
from app.core.errors import NotFoundError
from app.core.households import POVERTY_STATUSES, Household
from app.core.people import SEXES, Person
from app.printing.agreement import AgreementData
from app.printing.card import CardData
from app.printing.models import ZERO, DueService, FeeLine, Member, Team, TeamMember

if TYPE_CHECKING:
    from app.storage.workspace import Workspace

DUE_WINDOW_DAYS = 90
DUE_LIMIT = 12

CONDITION_GROUPS = {"高血压": "高血压患者", "2型糖尿病": "2型糖尿病患者",
                    "严重精神障碍": "严重精神障碍患者", "肺结核": "肺结核患者"}
POOR_GROUPS = {"poor": "建档立卡贫困人口", "exited": "脱贫人口", "monitored": "防返贫监测对象",
               "dibao": "低保对象", "tekun": "特困人员"}
# Household status → the keys of the card's policy file (card_policies.toml), most specific first.
POLICY_KEYS = {"poor": ("建档立卡",), "exited": ("脱贫户", "建档立卡"),
               "monitored": ("防返贫监测户", "建档立卡"), "dibao": ("低保",), "tekun": ("特困",)}
PRINTABLE = ("signed", "active")


def age_on(birth: dt.date | None, on: dt.date) -> int | None:
    """Full years of age on a day; None without a birth date."""
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def member_groups(ws: Workspace, p: Person, h: Household, on: dt.date) -> tuple[str, ...]:
    """The 人群类型 that apply to a person on a day (`h.poverty_status` as in force that day)."""
    groups: list[str] = []
    age = age_on(p.birth_date, on)
    if age is not None and age >= 65:
        groups.append("65岁及以上老年人")
    if age is not None and 0 <= age <= 6:
        groups.append("0-6岁儿童")
    conditions = {d.condition for d in ws.people.diagnoses(str(p.id))}
    groups += [label for condition, label in CONDITION_GROUPS.items() if condition in conditions]
    if h.poverty_status in POOR_GROUPS:
        groups.append(POOR_GROUPS[h.poverty_status])
    if p.disabilities:
        groups.append("残疾人")
    return tuple(groups)


def print_team(ws: Workspace, team_id: str) -> Team:
    """A stored team as printed: members with phones, the township health centre, a service phone."""
    t = ws.contracts.team(team_id)
    members = tuple(TeamMember(m.role, m.name, "", m.phone) for m in t.members)
    township = ws.settings.division_name(t.township_code)
    phone = next((m.phone for m in t.members if m.role == "团队长" and m.phone), "") or next(
        (m.phone for m in t.members if m.phone), "")
    return Team(name=t.name, members=members, institution=f"{township}卫生院" if township else "",
                phone=phone)


def _people(ws: Workspace, c: core.Contract) -> list[Person]:
    roster = {str(p.id): p for p in ws.households.members(c.household_id)}
    return [roster.get(pid) or ws.people.get(pid) for pid in c.member_ids]


def _head(ws: Workspace, h: Household, people: list[Person]) -> Person | None:
    if h.head_id is not None:
        return next((p for p in people if p.id == h.head_id), None) or ws.people.get(str(h.head_id))
    return people[0] if people else None


def _address(ws: Workspace, h: Household) -> str:
    return h.address or f"{ws.settings.division_name(h.village_code)}{h.group_name}"


def fee_lines(c: core.Contract, people: list[Person]) -> tuple[FeeLine, ...]:
    """One line per frozen package: price × its signers by payer, personal part waived as the contract was."""
    names = {str(p.id): p.name for p in people}
    unwaived = core.choice_fees({pid: c.packages_of(pid) for pid in c.member_ids}, poor=False)
    waived = unwaived[core.PERSONAL] > ZERO and c.fees[core.PERSONAL] == ZERO
    lines = []
    for pkg in c.packages:
        signers = c.members_of(pkg.code)
        n = len(signers)
        covered = (f"全户{n}人" if c.level == "household" and n == len(c.member_ids)
                   else "、".join(names.get(pid, "") for pid in signers))
        fees = core.contract_fees([pkg], n, poor=waived)
        content = "、".join(f"{s.name}（每年{s.per_year}次）" if s.per_year else s.name
                           for s in pkg.services)
        lines.append(FeeLine(pkg.name, content, covered, medicare=fees["医保基金"],
                             public_health=fees["基本公卫经费"], finance=fees["财政补助"],
                             personal=fees["个人"]))
    return tuple(lines)


def _agreement(ws: Workspace, c: core.Contract) -> AgreementData:
    h = ws.households.get(c.household_id)
    h.poverty_status = ws.households.poverty_status_on(str(h.id), c.signed_on)
    people = _people(ws, c)
    head = _head(ws, h, people)
    members = tuple(
        Member(p.name, p.relation, SEXES.get(p.sex, ""), age_on(p.birth_date, c.signed_on), p.id_no,
               p.record_no, member_groups(ws, p, h, c.signed_on), p.record_provisional)
        for p in people)
    status = POVERTY_STATUSES[h.poverty_status].removesuffix("户") if h.is_poor else ""
    return AgreementData(
        contract_no=c.contract_no, household_no=h.household_no, signer=head.name if head else "",
        address=_address(ws, h), phone=h.phone or (head.phone if head else ""), members=members,
        team=print_team(ws, c.team_id), fees=fee_lines(c, people), start=c.start, end=c.end,
        poverty_status=status,
        insurance=(head.insurance_type if head and head.insurance_type else "城乡居民医保"),
        signed_on=c.signed_on)


def agreement_data(ws: Workspace, contract_ref: str) -> AgreementData:
    """The 协议书 of a contract (by number or id)."""
    return _agreement(ws, ws.contracts.get(contract_ref))


def agreements_for(ws: Workspace, *, group: str | None = None, status: str | None = None,
                   today: dt.date) -> Iterator[AgreementData]:
    """The 协议书 of every contract in a group (default: all signed or active as of today), one at a time."""
    for line in ws.contracts.list(today=today, status=status, group=group):
        if status is None and line.status not in PRINTABLE:
            continue
        yield _agreement(ws, line.contract)


def count_agreements(ws: Workspace, *, group: str | None = None, status: str | None = None,
                     today: dt.date) -> int:
    """How many 协议书 `agreements_for` would yield."""
    return sum(1 for line in ws.contracts.list(today=today, status=status, group=group)
               if status is not None or line.status in PRINTABLE)


def live_contract(ws: Workspace, household_id: str, today: dt.date) -> core.Contract:
    """The household's contract in force on `today` (or signed to start later)."""
    live = [c for c in ws.contracts.of_household(household_id)
            if core.status_on(c, today) in core.LIVE_STATUSES]
    if not live:
        raise NotFoundError(f"该户在 {today} 没有有效的签约协议，不能打印明白卡")
    return min(live, key=lambda c: c.start)


def due_services(ws: Workspace, c: core.Contract, people: list[Person],
                 today: dt.date) -> tuple[DueService, ...]:
    """The next time of every counted service not yet done its yearly number of times (see the module doc)."""
    done = Counter((d.person_id, d.service) for d in ws.contracts.deliveries(str(c.id))
                   if c.start <= d.delivered_on <= c.end)
    days = (c.end - c.start).days + 1
    due: list[DueService] = []
    for p in people:
        for service, per_year in core.contract_services(c, str(p.id)).items():
            n = done[(str(p.id), service)]
            if per_year <= 0 or n >= per_year:
                continue
            when = min(c.start + dt.timedelta(days=days * (n + 1) // per_year - 1), c.end)
            if (when - today).days <= DUE_WINDOW_DAYS:
                due.append(DueService(p.name, service, when))
    due.sort(key=lambda d: (d.due, d.person, d.service))
    return tuple(due[:DUE_LIMIT])


def card_data(ws: Workspace, household_ref: str, today: dt.date) -> CardData:
    """The 明白卡 of a household (by 户编号, record number or id) as of `today`."""
    h = ws.households.get(ws.households.find(household_ref))
    c = live_contract(ws, str(h.id), today)
    people = _people(ws, c)
    head = _head(ws, h, people)
    team = print_team(ws, c.team_id)
    doctor = team.first("家庭医生", "乡村医生", "团队长") or team.members[0]
    living = [p for p in ws.households.members(str(h.id)) if p.living_status == "在册"]
    signed = tuple(
        (p.name, tuple(pkg.name for pkg in c.packages_of(str(p.id))) if str(p.id) in c.member_ids else ())
        for p in living)
    status = ws.households.poverty_status_on(str(h.id), today)
    return CardData(
        household_no=h.household_no, head=head.name if head else "", address=_address(ws, h),
        poverty_status=POLICY_KEYS.get(status, ("一般",))[0], doctor=doctor, team=team,
        start=c.start, end=c.end, due=due_services(ws, c, people, today),
        members=tuple(p.name for p in living), signed=signed,
        household_type=POVERTY_STATUSES.get(status, "一般户"),
        policy_keys=POLICY_KEYS.get(status, ("一般",)), head_record_no=head.record_no if head else "",
        head_record_provisional=bool(head and head.record_provisional))


# --- care forms (their input is built in care_sources) ---------------------------------------


def print_followups(ws: Workspace, person_id: str, year: int, out: Path) -> Path | None:
    """A person's follow-up sheets of a year, every kind they have visits of (or their conditions')."""
    from app.core.followups import CONDITION_KIND, KINDS
    from app.printdata.care_sources import followup_sheets
    from app.printing.followups import render_followup_batch

    kinds = [k for k in KINDS if ws.care.followups(person_id, kind=k, year=year)]
    if not kinds:
        conditions = {d.condition for d in ws.people.diagnoses(person_id)}
        kinds = [CONDITION_KIND[c] for c in conditions if c in CONDITION_KIND] or ["高血压"]
    return render_followup_batch([followup_sheets(ws, person_id, k, year) for k in kinds], out)


def print_exam(ws: Workspace, exam_id: str, out: Path) -> Path | None:
    """The result slip of one exam."""
    from app.printdata.care_sources import exam_slip
    from app.printing.exam_slip import render_exam_slip

    return render_exam_slip(exam_slip(ws, exam_id), out)
