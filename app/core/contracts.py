"""Family-doctor contracts (家庭医生签约): teams, packages, fees, the status machine and 履约.

Package prices are per person per term. Each member signs the packages chosen for them (a package
fits the members its conditions name, see package_fit); a contract's fee is the sum over its
members of the prices of what each signed, split by payer. For poor households (POOR_STATUSES) the personal
share is moved to 财政补助 by default, so the resident pays nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.core.errors import ConflictError, ValidationError
from app.core.ids import RecordId
from app.core.limits import check_money, check_name, check_text
from app.core.people import CONDITIONS
from app.core.text import clean, compact

TEAM_ROLES = ("团队长", "家庭医生", "护士", "公卫人员", "乡村医生")
PACKAGE_TIERS = ("基础包", "个性化包")
# 人群类型 a package may be limited to (see package_fit for how each is read from the file).
PACKAGE_GROUPS = ("贫困人口", "低保", "特困", "残疾", "计生特殊家庭", "70岁以上需照料", "孕产妇")
PAYERS = ("医保基金", "基本公卫经费", "财政补助", "个人")
PERSONAL = "个人"
FINANCE = "财政补助"

STATUS_NAMES: dict[str, str] = {
    "draft": "草稿", "signed": "已签约", "active": "履约中", "expired": "已到期",
    "renewed": "已续约", "dissolved": "已解约",
}
# Stored transitions. "expired" is never stored: a signed or active contract is expired on any
# day after its term's last day (see `status_on`); an expired contract may still be renewed.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"signed", "dissolved"}),
    "signed": frozenset({"active", "renewed", "dissolved"}),
    "active": frozenset({"renewed", "dissolved"}),
    "renewed": frozenset(),
    "dissolved": frozenset(),
}
DISSOLUTION_REASONS = ("迁出", "死亡", "一年无联系", "拒绝服务", "本人解约", "其他")
LIVE_STATUSES = frozenset({"signed", "active"})

DEFAULT_REMIND_DAYS = 30
DEFAULT_UNSERVED_DAYS = 90

FEN = Decimal("0.01")


def money(value: object, *, what: str = "金额") -> Decimal:
    """A Decimal amount rounded half-up to the fen, within MONEY_MAX; text, int and Decimal accepted."""
    if isinstance(value, float):
        value = repr(value)
    return check_money(value, what, round_to_fen=True)


# --- teams --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    """One person of a family-doctor team."""

    role: str
    name: str
    phone: str = ""


@dataclass
class Team:
    """A family-doctor team, led by the township health centre (乡镇卫生院)."""

    id: RecordId | None
    name: str
    township_code: str
    members: list[TeamMember] = field(default_factory=list)
    note: str = ""

    @property
    def leader(self) -> TeamMember | None:
        return next((m for m in self.members if m.role == "团队长"), None)


def validate_team(team: Team) -> Team:
    """Check a team before it is written: a name, a leader, known roles and phone numbers."""
    team.name = check_text(team.name, "团队名称", "short", field="name")
    team.note = check_text(team.note, "备注", "note", field="note")
    if not team.name:
        raise ValidationError("请填写团队名称", field="name")
    members = []
    for m in team.members:
        name = check_name(m.name, f"{m.role}的姓名", field="members")
        phone = compact(check_text(m.phone, "联系电话", "short", field="members"))
        if m.role not in TEAM_ROLES:
            raise ValidationError(f"不认识的团队角色“{m.role}”，可选：{'、'.join(TEAM_ROLES)}", field="members")
        if not name:
            raise ValidationError(f"请填写{m.role}的姓名", field="members")
        if phone and not phone.replace("-", "").isdigit():
            raise ValidationError(f"{name}的联系电话只能包含数字和“-”", field="members")
        members.append(TeamMember(m.role, name, phone))
    leaders = [m for m in members if m.role == "团队长"]
    if len(leaders) != 1:
        raise ValidationError("每个团队应有且只有一位团队长", field="members")
    team.members = members
    return team


# --- packages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageService:
    """A service promised by a package; `per_year` 0 means as needed (not counted)."""

    name: str
    per_year: int = 0


@dataclass(frozen=True)
class PackageConditions:
    """Whom a package is for: any of `diagnoses`, an age range in full years, any of `groups`."""

    diagnoses: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    groups: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.diagnoses or self.groups) and self.age_min is None and self.age_max is None


@dataclass(frozen=True)
class ServicePackage:
    """A service package from the county list; `price` is per person per term."""

    code: str
    name: str
    tier: str
    services: tuple[PackageService, ...]
    price: Decimal
    split: Mapping[str, Decimal]
    conditions: PackageConditions = PackageConditions()

    def share(self, payer: str) -> Decimal:
        return self.split.get(payer, Decimal("0.00"))


def validate_conditions(c: PackageConditions, *, at: str = "服务包") -> PackageConditions:
    """Check a package's conditions: known diagnoses and 人群类型, a sensible age range."""
    for d in c.diagnoses:
        if d not in CONDITIONS:
            raise ValidationError(f"{at}的适用病种“{d}”不认识，可选：{'、'.join(CONDITIONS)}",
                                  field="diagnoses")
    for g in c.groups:
        if g not in PACKAGE_GROUPS:
            raise ValidationError(f"{at}的适用人群“{g}”不认识，可选：{'、'.join(PACKAGE_GROUPS)}",
                                  field="groups")
    for name, age in (("最小年龄", c.age_min), ("最大年龄", c.age_max)):
        if age is not None and not 0 <= age <= 150:
            raise ValidationError(f"{at}的{name}应在0–150岁之间", field="age")
    if c.age_min is not None and c.age_max is not None and c.age_min > c.age_max:
        raise ValidationError(f"{at}的最小年龄{c.age_min}岁大于最大年龄{c.age_max}岁", field="age")
    return c


def validate_package(p: ServicePackage, *, where: str = "") -> ServicePackage:
    """Check a package: tier, services, a price to the fen and a payer split that sums to it."""
    at = f"{where}服务包“{p.code or p.name}”" if where else f"服务包“{p.code or p.name}”"
    if not compact(p.code):
        raise ValidationError(f"{at}缺少代码（code）", field="code")
    if not clean(p.name):
        raise ValidationError(f"{at}缺少名称（name）", field="name")
    if p.tier not in PACKAGE_TIERS:
        raise ValidationError(f"{at}的类别（tier）应为 {' 或 '.join(PACKAGE_TIERS)}", field="tier")
    if not p.services:
        raise ValidationError(f"{at}没有服务内容（services）", field="services")
    for s in p.services:
        if not clean(s.name):
            raise ValidationError(f"{at}有一项服务缺少名称", field="services")
        if not 0 <= s.per_year <= 365:
            raise ValidationError(f"{at}的“{s.name}”每年次数应在0–365之间", field="services")
    if p.price < 0 or p.price != p.price.quantize(FEN):
        raise ValidationError(f"{at}的价格（price）应为不小于0、精确到分的金额", field="price")
    for payer, amount in p.split.items():
        if payer not in PAYERS:
            raise ValidationError(f"{at}的付费方“{payer}”不认识，可选：{'、'.join(PAYERS)}", field="split")
        if amount < 0 or amount != amount.quantize(FEN):
            raise ValidationError(f"{at}中{payer}的金额应为不小于0、精确到分的金额", field="split")
    total = sum(p.split.values(), Decimal("0.00"))
    if total != p.price:
        raise ValidationError(
            f"{at}的各付费方合计 {total} 元与价格 {p.price} 元不符", field="split"
        )
    validate_conditions(p.conditions, at=at)
    return p


def package_by_code(packages: Iterable[ServicePackage], codes: Sequence[str]) -> list[ServicePackage]:
    """The packages named by `codes`, in that order; an unknown or repeated code is refused."""
    known = {p.code: p for p in packages}
    chosen: list[ServicePackage] = []
    for code in codes:
        if code not in known:
            raise ValidationError(f"没有代码为“{code}”的服务包，可选：{'、'.join(known)}", field="packages")
        if known[code] in chosen:
            raise ValidationError(f"服务包“{code}”重复选择", field="packages")
        chosen.append(known[code])
    if not chosen:
        raise ValidationError("请至少选择一个服务包", field="packages")
    return chosen


def contract_fees(packages: Sequence[ServicePackage], members: int, *, poor: bool) -> dict[str, Decimal]:
    """Each payer's amount for `members` people; a poor household's personal share goes to 财政补助."""
    fees = {payer: Decimal("0.00") for payer in PAYERS}
    for p in packages:
        for payer in PAYERS:
            fees[payer] += money(p.share(payer) * members)
    if poor:
        fees[FINANCE] += fees[PERSONAL]
        fees[PERSONAL] = Decimal("0.00")
    return fees


def choice_fees(choice: Mapping[str, Sequence[ServicePackage]], *, poor: bool) -> dict[str, Decimal]:
    """Each payer's amount summed over the members, each charged only for what they signed."""
    fees = {payer: Decimal("0.00") for payer in PAYERS}
    for packages in choice.values():
        for payer, amount in contract_fees(packages, 1, poor=poor).items():
            fees[payer] += amount
    return fees


# --- contracts ----------------------------------------------------------------------------


def term_end(start: dt.date, years: int = 1) -> dt.date:
    """The last day of a term of `years` starting on `start`; a 29 February start is leap-safe."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year: the term runs to 28 February
        anniversary = dt.date(start.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


@dataclass
class Contract:
    """A family-doctor contract of a household (or of one person in it) with a team."""

    id: RecordId | None
    household_id: str
    team_id: str
    member_ids: list[str]
    packages: list[ServicePackage]
    start: dt.date
    end: dt.date
    signed_on: dt.date
    fees: dict[str, Decimal]
    status: str = "draft"
    level: str = "household"
    contract_no: str = ""
    renewed_from: str | None = None
    dissolved_on: dt.date | None = None
    dissolution_reason: str = ""
    dissolution_note: str = ""
    # Person id → codes of the packages that member signed; a member missing here (contracts
    # stored before packages were chosen per member) signed every package of the contract.
    member_packages: dict[str, list[str]] = field(default_factory=dict)

    @property
    def fee_total(self) -> Decimal:
        return sum(self.fees.values(), Decimal("0.00"))

    @property
    def package_codes(self) -> list[str]:
        return [p.code for p in self.packages]

    def packages_of(self, person_id: str) -> list[ServicePackage]:
        """The packages one member signed."""
        codes = self.member_packages.get(person_id)
        return list(self.packages) if codes is None else [p for p in self.packages if p.code in codes]

    def members_of(self, code: str) -> list[str]:
        """The members who signed one package, in contract order."""
        return [pid for pid in self.member_ids if any(p.code == code for p in self.packages_of(pid))]


def new_contract(
    *, household_id: str, team_id: str, member_ids: Sequence[str], packages: Sequence[ServicePackage],
    signed_on: dt.date, poor: bool, start: dt.date | None = None, level: str = "household",
    choice: Mapping[str, Sequence[ServicePackage]] | None = None,
) -> Contract:
    """A draft contract for one term from `start` (default the signing day), fees computed.

    `choice` gives each member's packages (default: every member signs every package); members
    left with no package are not signed, and packages nobody signed are dropped.
    """
    if choice is None:
        choice = {pid: list(packages) for pid in member_ids}
    member_ids = [pid for pid in member_ids if choice.get(pid)]
    packages = [p for p in packages if any(p in choice[pid] for pid in member_ids)]
    if not member_ids:
        raise ValidationError("签约对象中没有在册成员，或没有成员选了服务包", field="members")
    if len(set(member_ids)) != len(member_ids):
        raise ValidationError("签约成员重复", field="members")
    if level not in ("household", "person"):
        raise ValidationError("签约方式应为按户或按人", field="level")
    if level == "person" and len(member_ids) != 1:
        raise ValidationError("按人签约只能有一位签约对象", field="members")
    begin = start or signed_on
    if begin < signed_on:
        raise ValidationError("服务期不能早于签约日期", field="start")
    return Contract(
        id=None, household_id=household_id, team_id=team_id, member_ids=list(member_ids),
        packages=list(packages), start=begin, end=term_end(begin), signed_on=signed_on,
        fees=choice_fees({pid: choice[pid] for pid in member_ids}, poor=poor), level=level,
        member_packages={pid: [p.code for p in packages if p in choice[pid]] for pid in member_ids},
    )


def check_transition(current: str, new: str, *, reason: str = "", note: str = "") -> None:
    """Raise unless a contract may go from `current` to `new` (dissolving needs a reason)."""
    if current not in TRANSITIONS or new not in STATUS_NAMES:
        raise ValidationError(f"不认识的签约状态：{current} → {new}")
    if new not in TRANSITIONS[current]:
        raise ConflictError(
            f"{STATUS_NAMES[current]}的协议不能改为{STATUS_NAMES[new]}", field="status"
        )
    if new == "dissolved":
        check_text(note, "解约说明", "note", field="note")
        if reason not in DISSOLUTION_REASONS:
            raise ValidationError(
                f"解约须选择原因：{'、'.join(DISSOLUTION_REASONS)}", field="reason"
            )
        if reason == "其他" and not check_text(note, "解约说明", "note", field="note"):
            raise ValidationError("解约原因为“其他”时请写明具体原因", field="note")


def status_on(c: Contract, today: dt.date) -> str:
    """The status as of `today`: signed until the term starts, active in it, expired after it."""
    if c.status in LIVE_STATUSES:
        if today > c.end:
            return "expired"
        return "active" if today >= c.start else "signed"
    return c.status


def covers(c: Contract, on: dt.date) -> bool:
    """Whether the contract still binds its members on `on` (signed or active, term not over)."""
    return c.status in LIVE_STATUSES and on <= c.end


def days_left(c: Contract, today: dt.date) -> int:
    """Days from `today` to the term's last day (0 on the last day)."""
    return (c.end - today).days


def is_expiring(c: Contract, today: dt.date, within: int = DEFAULT_REMIND_DAYS) -> bool:
    """Due for the expiry/renewal reminder: live, and the last day at most `within` days ahead."""
    return status_on(c, today) in LIVE_STATUSES and 0 <= days_left(c, today) <= within


def renewal_term(old: Contract, on: dt.date) -> dt.date:
    """Where a renewal's term starts: the day after the old term, or `on` if that has passed."""
    return max(old.end + dt.timedelta(days=1), on)


def check_not_covered(person_names: Mapping[str, str], existing: Iterable[Contract], team_id: str,
                      on: dt.date) -> None:
    """Refuse signing a person who already has a live contract with the same team."""
    for c in existing:
        if c.team_id != team_id or not covers(c, on):
            continue
        for pid in c.member_ids:
            if pid in person_names:
                raise ConflictError(
                    f"{person_names[pid]}已与该团队签约（协议{c.contract_no or c.id}，至{c.end}），"
                    "同一时间只能有一份有效协议", field="members",
                )


# --- 履约 (services delivered) -------------------------------------------------------------


@dataclass
class ServiceDelivery:
    """A service delivered under a contract (履约记录)."""

    id: RecordId | None
    contract_id: str
    person_id: str
    service: str
    delivered_on: dt.date
    done_by: str = ""
    note: str = ""


def contract_services(c: Contract, person_id: str | None = None) -> dict[str, int]:
    """Every service the packages promise (one member's, or all) and its yearly frequency per person."""
    services: dict[str, int] = {}
    for p in c.packages if person_id is None else c.packages_of(person_id):
        for s in p.services:
            services[s.name] = services.get(s.name, 0) + s.per_year
    return services


def check_delivery(c: Contract, d: ServiceDelivery, *, today: dt.date) -> ServiceDelivery:
    """Check a 履约 record against its contract: member, service, and a date within the term."""
    d.service = check_text(d.service, "服务项目", "short", field="service")
    d.done_by = check_name(d.done_by, "服务人", field="done_by")
    d.note = check_text(d.note, "备注", "note", field="note")
    if d.person_id not in c.member_ids:
        raise ValidationError("该居民不在这份协议的签约对象中", field="person_id")
    if d.service not in contract_services(c, d.person_id):
        raise ValidationError(
            f"该居民签约的服务包中没有“{d.service}”，可选：{'、'.join(contract_services(c, d.person_id))}",
            field="service",
        )
    if d.delivered_on > today:
        raise ValidationError("服务日期不能在今天之后", field="delivered_on")
    if not c.start <= d.delivered_on <= c.end:
        raise ValidationError(f"服务日期应在服务期 {c.start} 至 {c.end} 之内", field="delivered_on")
    if c.status == "draft":
        raise ConflictError("协议尚未签约，不能登记履约")
    if c.status == "dissolved" and c.dissolved_on and d.delivered_on > c.dissolved_on:
        raise ConflictError(f"协议已于 {c.dissolved_on} 解约，之后不能登记履约")
    return d


@dataclass(frozen=True)
class ServiceProgress:
    """Promised versus done for one service of a contract; `promised` 0 means as needed."""

    service: str
    promised: int
    done: int

    @property
    def short(self) -> int:
        return max(self.promised - self.done, 0)


def progress(c: Contract, deliveries: Iterable[ServiceDelivery]) -> list[ServiceProgress]:
    """Per service: frequency summed over the members who signed it, and deliveries within the term."""
    done: dict[str, int] = {}
    for d in deliveries:
        if d.contract_id == c.id and c.start <= d.delivered_on <= c.end:
            done[d.service] = done.get(d.service, 0) + 1
    promised = {name: 0 for name in contract_services(c)}
    for pid in c.member_ids:
        for name, per_year in contract_services(c, pid).items():
            promised[name] += per_year
    return [ServiceProgress(name, n, done.get(name, 0)) for name, n in promised.items()]


def is_unserved(c: Contract, served: bool, today: dt.date, days: int = DEFAULT_UNSERVED_DAYS) -> bool:
    """签而不约: live for at least `days` days by `today` without a single 履约 record."""
    return status_on(c, today) in LIVE_STATUSES and (today - c.start).days >= days and not served
