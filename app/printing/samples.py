"""Example data for previews, tests and benchmarks: a poor household of four and its team."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.printing.agreement import AgreementData
from app.printing.card import CardData
from app.printing.models import DueService, FeeLine, Member, Team, TeamMember

TEAM = Team(
    name="红旗村家庭医生服务团队", number="TD-622923104-01", institution="城关镇卫生院",
    phone="0930-5212345",
    members=(
        TeamMember("团队长", "马建国", "主治医师（卫生院）", "13909301234"),
        TeamMember("家庭医生", "李秀兰", "执业助理医师", "13830912345"),
        TeamMember("护士", "王芳", "护师", "15193012345"),
        TeamMember("公卫医师", "赵明", "公共卫生医师", "13519301234"),
        TeamMember("乡村医生", "何永福", "乡村医生（红旗村卫生室）", "13993012345"),
    ))

MEMBERS = (
    Member("马福贵", "户主", "男", 67, "622923195703120013", "62292310420100017",
           ("65岁及以上老年人", "高血压患者", "建档立卡贫困人口")),
    Member("马桂英", "配偶", "女", 64, "622923196008150026", "62292310420100018",
           ("糖尿病患者", "建档立卡贫困人口")),
    Member("马小军", "子", "男", 38, "622923198601230035", "62292310420100019",
           ("建档立卡贫困人口", "残疾人")),
    Member("马欣怡", "孙女", "女", 5, "622923201904110048", "62292310420100020",
           ("0-6岁儿童", "建档立卡贫困人口")),
)

FEES = (
    FeeLine("基础包", "建立和更新健康档案、健康教育、预防接种、一般诊疗、电话健康咨询", "全户4人",
            medicare=Decimal("40.00"), public_health=Decimal("40.00"),
            finance=Decimal("0.00"), personal=Decimal("0.00")),
    FeeLine("老年人包", "每年一次健康体检（含血常规、尿常规、肝肾功能、血糖、心电图、B超）和中医体质辨识",
            "马福贵", medicare=Decimal("20.00"), public_health=Decimal("10.00"),
            finance=Decimal("10.00")),
    FeeLine("慢病包", "高血压、2型糖尿病每年不少于4次面对面随访，血压、空腹血糖监测，用药指导，长处方",
            "马福贵、马桂英", medicare=Decimal("60.00"), public_health=Decimal("20.00"),
            finance=Decimal("20.00")),
    FeeLine("残疾人包", "康复指导、辅助器具适配咨询、上门服务", "马小军",
            medicare=Decimal("20.00"), finance=Decimal("10.00")),
)


def sample_agreement(contract_no: str = "QY-622923104201-2024-0017") -> AgreementData:
    """The contract of the sample household."""
    return AgreementData(
        contract_no=contract_no, household_no="6229231042010001", signer="马福贵",
        address="甘肃省临夏回族自治州临夏县城关镇红旗村三社 17 号", phone="13893012345",
        members=MEMBERS, team=TEAM, fees=FEES, start=date(2024, 3, 1), end=date(2025, 2, 28),
        poverty_status="建档立卡贫困", signed_on=None)


SAMPLE_DUE = (
    DueService("马福贵", "高血压随访（第二季度）", date(2024, 6, 5)),
    DueService("马桂英", "2型糖尿病随访（第二季度）", date(2024, 6, 5)),
    DueService("马福贵", "老年人健康体检", date(2024, 7, 15)),
    DueService("马欣怡", "儿童健康管理（5岁）", date(2024, 4, 11)),
)


def sample_card() -> CardData:
    """The card of the sample household."""
    return CardData(
        household_no="6229231042010001", head="马福贵",
        address="甘肃省临夏回族自治州临夏县城关镇红旗村三社 17 号", poverty_status="建档立卡",
        doctor=TEAM.members[1], team=TEAM, start=date(2024, 3, 1), end=date(2025, 2, 28),
        due=SAMPLE_DUE, members=tuple(m.name for m in MEMBERS))
