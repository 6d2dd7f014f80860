"""Plain input records for the printed forms; the caller fills them, printing never reads the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Member:
    """One household member as listed on a form."""

    name: str
    relation: str  # 与户主关系: 户主, 配偶, 子, 女, 父亲 …
    sex: str  # 男 / 女
    age: int | None
    id_no: str
    record_no: str  # 健康档案编号
    groups: tuple[str, ...] = ()  # 人群类型 that apply, e.g. ("65岁及以上老年人", "高血压患者")
    record_provisional: bool = False  # the 档案号 awaits the county's confirmation: printed （临）


@dataclass(frozen=True)
class TeamMember:
    """A person on the family-doctor team with a phone number to call."""

    role: str  # 团队长, 家庭医生, 护士, 公卫医师, 乡村医生 …
    name: str
    title: str = ""  # 职称/职务
    phone: str = ""


@dataclass(frozen=True)
class Team:
    """The family-doctor team and the health centre that guides it."""

    name: str
    members: tuple[TeamMember, ...]
    number: str = ""
    institution: str = ""  # 管理指导单位, e.g. 某某镇卫生院
    phone: str = ""  # 团队服务电话

    def first(self, *roles: str) -> TeamMember | None:
        """The first member holding one of the roles, in the order given."""
        for role in roles:
            for member in self.members:
                if member.role == role:
                    return member
        return None


@dataclass(frozen=True)
class FeeLine:
    """One service package on the contract and who pays its fee, in yuan."""

    package: str
    content: str
    covered: str = ""  # whom it covers, e.g. "全户4人" or a name
    medicare: Decimal = ZERO  # 医保基金
    public_health: Decimal = ZERO  # 基本公卫经费
    finance: Decimal = ZERO  # 财政补助
    personal: Decimal = ZERO  # 个人

    @property
    def total(self) -> Decimal:
        """The package price: the sum of the payers' parts."""
        return self.medicare + self.public_health + self.finance + self.personal


@dataclass(frozen=True)
class DueService:
    """A service that falls due for someone in the household."""

    person: str
    service: str
    due: date
